"""Visible text: the tag vocabulary and the one walk that every text view of a page is built by.

A page is read three ways, all with the walk below and the tag sets defined here:

* the reader's text (``Page.text``, ``Page.element_text``): block elements on their own lines,
  whitespace folded; what keyword detectors and the LLM scorer read;
* the contact text with offsets (``Page.visible``, a :class:`VisibleText`): every box on its own
  line, decoys and reversed text undone, full-width forms folded, contact links kept apart from
  words written flush against them, with the offsets of text chunks and contact elements that the
  e-mail and phone extractors need;
* the people extractor's lines (``crawler.extract.people.walk``): a line per element except the
  few inline ones, site chrome and quotations skipped.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from lxml import etree

if TYPE_CHECKING:
    from crawler.extract.page import Page

__all__ = [
    "BLOCK_TAGS",
    "BOX_TAGS",
    "CHROME_TAGS",
    "EMBEDDED_TAGS",
    "HIDDEN_TAGS",
    "LEAF_BLOCK_TAGS",
    "LINE_INLINE_TAGS",
    "NON_CONTENT_TAGS",
    "PHRASING_TAGS",
    "Anchor",
    "ReaderText",
    "VisibleText",
    "Walk",
    "WalkEvent",
    "build_visible_text",
    "element_text",
    "hidden_by_style",
    "visible_text",
    "walk_visible_text",
]

# --------------------------------------------------------------------------------------------
# The tag vocabulary

# Never rendered: a visitor reads none of their text.
HIDDEN_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "head"})
# Form controls and embedded documents: what they hold is not the page's own text.
EMBEDDED_TAGS = frozenset({"textarea", "select", "iframe", "object"})
# Block-level elements: the reader's text puts each on lines of its own.
BLOCK_TAGS = frozenset(
    {
        "p", "div", "li", "ul", "ol", "tr", "td", "th", "table", "section", "article", "header", "footer",
        "nav", "aside", "main", "h1", "h2", "h3", "h4", "h5", "h6", "br", "address", "dd", "dt", "dl",
        "blockquote", "figure", "figcaption", "form", "label", "option", "hr", "pre",
    }
)  # fmt: skip
# Elements that also render as a box of their own (the document, table parts, controls, replaced
# content). Contact text breaks at them as well, so no address or number runs across one.
BOX_TAGS = frozenset(
    {
        "body", "html", "button", "caption", "tbody", "thead", "tfoot", "details", "summary", "fieldset",
        "legend", "menu", "dialog", "img", "picture", "video", "audio", "canvas",
    }
)  # fmt: skip
# Inline (phrasing) elements. One styled display:none inside a line is a decoy
# (john<span style="display:none">x</span>@...) or a honeypot link; a hidden block is usually a
# closed tab or accordion, and is read.
PHRASING_TAGS = frozenset(
    {
        "span", "a", "b", "i", "em", "strong", "small", "font", "u", "s", "del", "ins", "sub", "sup",
        "abbr", "bdo", "code", "mark", "q", "cite", "kbd", "samp", "var", "tt", "big", "wbr", "time",
        "bdi", "nobr", "acronym",
    }
)  # fmt: skip
# The phrasing elements that stay inside a line of the people extractor; every other element
# starts a new one, because sites style spans and strongs as blocks
# ("<span class=name>..</span><span class=role>..</span>").
LINE_INLINE_TAGS = frozenset(
    {
        "a", "em", "i", "u", "abbr", "sup", "sub", "mark", "font", "code", "time", "bdi", "s", "wbr",
        "nobr", "acronym", "tt", "big",
    }
)  # fmt: skip
# Navigation, forms, quotations and media: the people extractor reads no one's card there.
NON_CONTENT_TAGS = frozenset(
    {
        "nav", "menu", "form", "button", "option", "input", "label", "blockquote", "q", "canvas", "video",
        "audio",
    }
)  # fmt: skip
# Site chrome: a block there is boilerplate (navigation, header, footer, sidebar), not content.
CHROME_TAGS = frozenset({"nav", "footer", "header", "aside"})
# The elements a text block can be (crawler.extract.blocks): one with no block-level element
# below it; a span or bold only where no paragraph around it is the block.
LEAF_BLOCK_TAGS = frozenset(
    {
        "p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dd", "dt", "blockquote", "figcaption",
        "address", "div", "span", "strong", "em", "b",
    }
)  # fmt: skip
assert LINE_INLINE_TAGS <= PHRASING_TAGS

_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def hidden_by_style(style: str) -> bool:
    """True if an inline ``style`` hides the element (``display: none``, ``visibility: hidden``)."""
    return _HIDDEN_STYLE.search(style) is not None


# --------------------------------------------------------------------------------------------
# The walk


class WalkEvent(IntEnum):
    """What a :class:`Walk` reports for a node, in document order."""

    START = 0
    """An element to read: its ``text`` comes next, then its children."""
    END = 1
    """The end of an element reported by START: its ``tail`` follows it."""
    SKIP = 2
    """An element the view does not read, or a comment or processing instruction: only its
    ``tail`` shows."""


START, END, SKIP = WalkEvent.START, WalkEvent.END, WalkEvent.SKIP
_EVENTS = ("start", "end", "comment", "pi")


class Walk:
    """The nodes under ``root`` (itself included) in document order, as ``(event, node)``.

    ``skip(element, tag)`` says which elements a view does not read; their subtrees are not
    walked. Iterative (lxml's ``iterwalk``): no recursion limit to meet, however deeply the markup
    nests. After a START, :meth:`skip_subtree` leaves that element's children out (its END comes
    next), for a view that reads the subtree in one piece.
    """

    __slots__ = ("_skip", "_walker")

    def __init__(self, root: Any, skip: Callable[[Any, str], bool]) -> None:
        self._walker = etree.iterwalk(root, events=_EVENTS)
        self._skip = skip

    def skip_subtree(self) -> None:
        self._walker.skip_subtree()

    def __iter__(self) -> Iterator[tuple[WalkEvent, Any]]:
        walker = self._walker
        skip = self._skip
        skipped = False
        for event, node in walker:
            if event == "start":
                if skip(node, node.tag):
                    walker.skip_subtree()
                    skipped = True  # the next event is this element's end: no descendant comes
                    continue
                yield START, node
            elif event == "end":
                if skipped:
                    skipped = False
                    yield SKIP, node
                else:
                    yield END, node
            else:
                yield SKIP, node


# --------------------------------------------------------------------------------------------
# The reader's text

_WS = re.compile(r"[ \t\r\f\v\u00a0]+")


def _reader_skip(node: Any, tag: str) -> bool:
    return tag in HIDDEN_TAGS or node.get("hidden") is not None


def _reader_parts(root: Any, ranges: dict[Any, tuple[int, int]] | None) -> list[str]:
    """The reader's text of ``root`` as parts (text, tails, "\\n" around blocks), root's tail
    included; ``ranges`` receives each read element's slice of the parts, tail excluded."""
    parts: list[str] = []
    append = parts.append
    starts: list[int] = []
    for event, node in Walk(root, _reader_skip):
        if event is START:
            if ranges is not None:
                starts.append(len(parts))
            if node.tag in BLOCK_TAGS:
                append("\n")
            if node.text:
                append(node.text)
            continue
        if event is END:
            if node.tag in BLOCK_TAGS:
                append("\n")
            if ranges is not None:
                ranges[node] = (starts.pop(), len(parts))
        if node.tail:
            append(node.tail)
    return parts


def _fold(parts: list[str]) -> str:
    # one substitution over the whole text (_WS never spans a newline), not one per line
    lines = (line.strip() for line in _WS.sub(" ", "".join(parts)).split("\n"))
    return "\n".join(line for line in lines if line)


def element_text(el: Any) -> str:
    """Visible text of an element: scripts and styles dropped, block elements on new lines."""
    if not isinstance(el.tag, str):
        return ""
    parts = _reader_parts(el, None)
    # the root's own tail is outside it
    if el.tail and parts and parts[-1] == el.tail:
        parts.pop()
    return _fold(parts)


class ReaderText:
    """The reader's text of a whole document, and of any element in it, from one walk.

    ``element_text(el)`` of an element the document's walk read is cut from that walk; of one it
    did not reach (inside a hidden block, say), it is walked on its own, with the same result.
    """

    __slots__ = ("_parts", "_ranges", "text")

    def __init__(self, root: Any) -> None:
        self._ranges: dict[Any, tuple[int, int]] = {}
        self._parts = _reader_parts(root, self._ranges)
        if root.tail and self._parts and self._parts[-1] == root.tail:
            self._parts.pop()
        self.text = _fold(self._parts)

    def element_text(self, el: Any) -> str:
        span = self._ranges.get(el)
        if span is None:
            return element_text(el)
        return _fold(self._parts[span[0] : span[1]])


# --------------------------------------------------------------------------------------------
# Contact text with offsets (e-mails and phones)


@dataclass(slots=True)
class Anchor:
    """An element with contact attributes (mailto/tel href, cfemail, data-*mail*) and its text span."""

    start: int
    end: int
    el: Any


@dataclass(slots=True)
class VisibleText:
    """The page's visible text plus where each markup-separated chunk and contact element sits in it."""

    text: str
    chunk_starts: list[int] = field(default_factory=list)
    synthetic: list[tuple[int, int]] = field(default_factory=list)  # spans we produced (reversed text)
    anchors: list[Anchor] = field(default_factory=list)

    def crosses_markup(self, start: int, end: int) -> bool:
        """True if text[start:end] spans more than one text node or overlaps synthetic text."""
        if bisect_right(self.chunk_starts, start) != bisect_right(self.chunk_starts, end - 1):
            return True
        return any(s < end and start < e for s, e in self.synthetic)

    def line_bounds(self, pos: int) -> tuple[int, int]:
        start = self.text.rfind("\n", 0, pos) + 1
        end = self.text.find("\n", pos)
        return start, (len(self.text) if end < 0 else end)

    def snippet(self, start: int, end: int, width: int = 70) -> str:
        ls, le = self.line_bounds(start)
        s = self.text[max(ls, start - width) : min(le, end + width)].strip()
        return " ".join(s.split())[:200]


_VISIBLE_SKIP_TAGS = HIDDEN_TAGS | EMBEDDED_TAGS
_VISIBLE_BREAK_TAGS = BLOCK_TAGS | BOX_TAGS
# Source whitespace becomes a plain space (lines come from block elements only); zero-width
# characters sprinkled into addresses and numbers as obfuscation are dropped.
_TEXT_TABLE = str.maketrans(
    {
        "\n": " ",
        "\r": " ",
        "\t": " ",
        "\f": " ",
        "\v": " ",
        "\u00a0": " ",
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
        "\u00ad": None,
    }
)
# Full-width forms (ＴＥＬ：０３－１２３４, info＠acme.jp) and the ideographic space, as their NFKC
# equivalents: East Asian pages write contact points with them, and each maps to one ASCII
# character, so folding them keeps every offset.
_FULLWIDTH = "".join(chr(c) for c in range(0xFF01, 0xFF5F)) + "\u3000"
_FULLWIDTH_TABLE = str.maketrans({c: unicodedata.normalize("NFKC", c) for c in _FULLWIDTH})
_FULLWIDTH_RE = re.compile(f"[{re.escape(_FULLWIDTH)}]")
assert all(len(to) == 1 for to in _FULLWIDTH_TABLE.values())
_RTL_RULE_RE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_CLASS_SEL_RE = re.compile(r"\.([\w-]+)")


def _visible_skip(node: Any, tag: str) -> bool:
    if tag in _VISIBLE_SKIP_TAGS or node.get("hidden") is not None:
        return True
    if tag in PHRASING_TAGS:  # a decoy or a honeypot (see PHRASING_TAGS)
        style = node.get("style")
        return bool(style) and hidden_by_style(style)
    return False


def _is_contact_element(node: Any, keys: list[str]) -> bool:
    """True for an element with contact attributes; ``keys`` are its attribute names."""
    if "href" in keys:
        href = node.get("href")
        if href:
            head = href.lstrip()[:8].lower()
            if head.startswith(("mailto:", "tel:", "callto:")) or "email-protection" in href:
                return True
    for key in keys:
        if key.startswith("data-") and ("mail" in key or key in ("data-user", "data-domain")):
            return True
    return False


def _rtl_classes(page: Page) -> frozenset[str]:
    """Classes that a <style> block reverses with unicode-bidi: bidi-override + direction: rtl."""
    if "bidi-override" not in page.html:
        return frozenset()
    names: set[str] = set()
    for style in page.tree.iter("style"):
        css = style.text or ""
        for selector, body in _RTL_RULE_RE.findall(css):
            body = body.replace(" ", "").lower()
            if "bidi-override" in body and "direction:rtl" in body:
                names.update(_CLASS_SEL_RE.findall(selector))
    return frozenset(names)


# While walking, block breaks are written as _BREAK so that the joined text can be cleaned in one
# go (source "\n" -> " ", then _BREAK -> "\n") instead of chunk by chunk. That keeps every offset
# only while no character is deleted: a text with a zero-width character (or a _BREAK of its own)
# is walked again, cleaning each chunk on its own.
_BREAK = "\x00"
_SPACED = tuple(chr(c) for c, to in _TEXT_TABLE.items() if to == " ")
_DELETED = tuple(chr(c) for c, to in _TEXT_TABLE.items() if to is None)
_DELETED_RE = re.compile(f"[{''.join(_DELETED)}]")


def _clean(s: str, deleted: tuple[str, ...] = _DELETED) -> str:
    """``s.translate(_TEXT_TABLE)``, many times faster: translate looks each character of a
    non-ASCII text up in the table, while ``in`` and ``replace`` are C loops (a page's text holds
    one or two of the characters at most). Full-width forms are folded too, on the few texts
    that hold one."""
    if not s.isascii() and _FULLWIDTH_RE.search(s):
        s = s.translate(_FULLWIDTH_TABLE)
    for c in _SPACED:
        if c in s:
            s = s.replace(c, " ")
    for c in deleted:
        if c in s:
            s = s.replace(c, "")
    return s


def visible_text(page: Page) -> VisibleText:
    """The visible text of ``page`` with chunk and contact-element offsets, computed once per page."""
    return page.visible


def build_visible_text(page: Page) -> VisibleText:
    """``visible_text(page)`` computed (``Page.visible`` holds it)."""
    vt, parts = walk_visible_text(page, clean_chunks=False)
    raw = "".join(parts)
    if raw.count(_BREAK) == len(parts) - len(vt.chunk_starts) and not _DELETED_RE.search(raw):
        vt.text = _clean(raw, deleted=()).replace(_BREAK, "\n")
    else:
        vt, parts = walk_visible_text(page, clean_chunks=True)
        vt.text = "".join(parts)
    return vt


def walk_visible_text(page: Page, *, clean_chunks: bool) -> tuple[VisibleText, list[str]]:
    """The visible text's parts in order (text chunks and block breaks), with chunk, synthetic and
    contact-element offsets in a VisibleText whose ``text`` is left for the caller to set.

    With ``clean_chunks`` each chunk is cleaned with _clean (a chunk it empties is dropped)
    and breaks are "\\n"; without, chunks are kept as they are and breaks are _BREAK.
    """
    parts: list[str] = []
    length = 0
    vt = VisibleText(text="")
    chunk_starts = vt.chunk_starts
    brk = "\n" if clean_chunks else _BREAK
    rtl = _rtl_classes(page)

    def add(s: str, synthetic: bool = False) -> None:
        nonlocal length
        if clean_chunks:
            s = _clean(s)
            if not s:
                return
        chunk_starts.append(length)
        if synthetic:
            vt.synthetic.append((length, length + len(s)))
        parts.append(s)
        length += len(s)

    open_anchors: list[Anchor | None] = []
    walk = Walk(page.tree, _visible_skip)
    for event, node in walk:
        if event is START:
            tag = node.tag
            anchor = None
            reverse = False
            # One call for the attribute names; about half the elements have none, and skip every test.
            keys = node.keys()
            if keys:
                if _is_contact_element(node, keys):
                    # A contact link is a token of its own: a word or number written flush against
                    # it ("Contact<a href=mailto:..>") must not become part of its address.
                    if parts and parts[-1][-1:].isalnum():
                        add(" ")
                    anchor = Anchor(length, length, node)
                    vt.anchors.append(anchor)
                style = node.get("style") if "style" in keys else None
                if style:
                    flat = style.replace(" ", "").lower()
                    reverse = "bidi-override" in flat and "direction:rtl" in flat
                if not reverse and rtl and "class" in keys:
                    reverse = not rtl.isdisjoint((node.get("class") or "").split())
            open_anchors.append(anchor)
            if tag in _VISIBLE_BREAK_TAGS:
                parts.append(brk)
                length += 1
            if reverse:
                text = node.text_content()[::-1]
                if text:
                    add(text, synthetic=True)
                walk.skip_subtree()
            elif node.text:
                add(node.text)
            continue
        if event is END:
            anchor = open_anchors.pop()
            if anchor is not None:
                anchor.end = length
            if node.tag in _VISIBLE_BREAK_TAGS:
                parts.append(brk)
                length += 1
            elif anchor is not None and node.tail and node.tail[:1].isalnum():
                add(" ")  # "<a href=mailto:..>..</a>Phone": the same on the link's other side
        if node.tail:
            add(node.tail)
    return vt, parts
