"""The people extractor's reading of a page: visible lines with the element each sits in, and links."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from crawler.extract.deobfuscate import cf_decode, cf_href_decode
from crawler.extract.page import Page
from crawler.extract.text import (
    EMBEDDED_TAGS,
    HIDDEN_TAGS,
    LINE_INLINE_TAGS,
    NON_CONTENT_TAGS,
    Walk,
    WalkEvent,
    hidden_by_style,
)

__all__ = ["Line", "PageLines", "page_lines"]

_SKIP_TAGS = HIDDEN_TAGS | EMBEDDED_TAGS | NON_CONTENT_TAGS
_SKIP_ATTR = re.compile(
    r"(?:^|[\s_-])(?:cookie\w*|consent\w*|gdpr|cmp|onetrust|usercentrics|borlabs|cookiebot|cc-window|"
    r"testimonial\w*|reviews?|quotes?|zitat\w*|kundenstimme\w*|t[ée]moignage\w*|rating\w*|comments?|"
    r"breadcrumbs?|nav|navbar|navigation|mega-?menu|main-?menu|menu|offcanvas|skip-?link|share|sharing|"
    r"post-?meta|entry-?meta|byline|post-?categor\w*|categories|category|"
    r"social-share|newsletter|sr-only|visually-hidden|screen-reader-text)(?:$|[\s_-])",
    re.I,
)
_ROLE_SKIP = frozenset({"navigation", "menu", "menubar", "search", "alertdialog"})


@dataclass
class Line:
    """One visible line: its text, the innermost line-breaking element it sits in, its position."""

    text: str
    owner: Any
    pos: int


@dataclass
class PageLines:
    """The page's body read as lines and links, with each element's span of positions."""

    page: Page
    lines: list[Line] = field(default_factory=list)
    links: list[tuple[int, str]] = field(default_factory=list)  # (pos, href) incl. decoded cf-emails
    spans: dict[Any, tuple[int, int]] = field(default_factory=dict)
    positions: list[int] = field(default_factory=list)  # lines[i].pos, for bisect
    link_positions: list[int] = field(default_factory=list)


def _skip(node: Any, tag: str) -> bool:
    """Elements whose text is nobody's card: invisible, chrome, cookie banners, quotes, menus."""
    if tag in _SKIP_TAGS:
        return True
    attrib = node.attrib
    if not attrib:
        return False
    if "hidden" in attrib or (attrib.get("aria-hidden") == "true" and tag not in ("a", "img")):
        return True
    role = attrib.get("role")
    if role and role.lower() in _ROLE_SKIP:
        return True
    style = attrib.get("style")
    if style and hidden_by_style(style):
        return True
    cls, id_ = attrib.get("class"), attrib.get("id")
    return bool(cls or id_) and _skip_classes(cls or "", id_ or "")


@lru_cache(maxsize=4096)
def _skip_classes(cls: str, id_: str) -> bool:
    """Do an element's class and id name a block the walk skips? Cached: a site's markup repeats
    the same class attributes on every page, and the regex is long."""
    text = f"{cls} {id_}"
    return bool(text.strip()) and bool(_SKIP_ATTR.search(text))


def page_lines(page: Page) -> PageLines:
    """One pass over the body: visible lines with their owning element, links, element spans.

    Positions count lines and links together, so "is this link inside that card" is a range check.
    """
    out = PageLines(page)
    lines, links, spans = out.lines, out.links, out.spans
    buf: list[str] = []
    owners: list[Any] = []
    starts: list[int] = []
    pos = 0

    def flush() -> None:  # callers test ``buf`` first: most elements start with nothing pending
        nonlocal pos
        # str.split() and re's \s agree on what whitespace is: this is WHITESPACE_RE.sub(" ", ...).strip()
        text = " ".join("".join(buf).split())
        buf.clear()
        if text:
            lines.append(Line(text, owners[-1] if owners else None, pos))
            pos += 1

    body = page.tree.find("body")
    for event, node in Walk(body if body is not None else page.tree, _skip):
        if event is WalkEvent.START:
            tag = node.tag
            if tag not in LINE_INLINE_TAGS:
                if buf:
                    flush()
                owners.append(node)
            starts.append(pos)
            if tag == "a":
                href = node.get("href")
                if href:
                    low = href[:40].lower()
                    if "email-protection#" in low:
                        decoded = cf_href_decode(href)
                        href = f"mailto:{decoded}" if decoded else None
                    if href:
                        links.append((pos, href))
                        pos += 1
            cf = node.get("data-cfemail")
            if cf:
                decoded = cf_decode(cf)
                if decoded:
                    links.append((pos, f"mailto:{decoded}"))
                    pos += 1
            text = node.text
            if text:
                buf.append(text)
            continue
        if event is WalkEvent.END:
            if node.tag not in LINE_INLINE_TAGS:
                if buf:
                    flush()
                owners.pop()
            spans[node] = (starts.pop(), pos)
        elif isinstance(node.tag, str):  # an element the walk skips: it ends the line before it
            if buf:
                flush()
            spans[node] = (pos, pos)
        tail = node.tail
        if tail:
            buf.append(tail)
    if buf:
        flush()
    out.positions = [ln.pos for ln in out.lines]
    out.link_positions = [p for p, _ in out.links]
    return out
