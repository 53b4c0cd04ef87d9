"""A parsed HTML page shared by all extractors, so each document is parsed once."""

from __future__ import annotations

import re
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

# Elements whose text a visitor never reads.
_INVISIBLE = ("script", "style", "noscript", "template", "svg", "head")
_BLOCK_TAGS = {
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "tr",
    "td",
    "th",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "aside",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "br",
    "address",
    "dd",
    "dt",
    "dl",
    "blockquote",
    "figure",
    "figcaption",
    "form",
    "label",
    "option",
    "hr",
    "pre",
}
_WS = re.compile(r"[ \t\r\f\v\u00a0]+")


class Page:
    """One HTML document: its URL, raw markup, lxml tree, visible text and structured data.

    Everything beyond the tree is computed lazily and cached, so an extractor pays only for what it
    reads. ``default_region`` is the phone region to fall back on (ISO 3166 alpha-2).
    """

    def __init__(self, html: str, url: str, *, default_region: str = "US") -> None:
        self.html = html
        self.url = url
        self.default_region = default_region
        try:
            self.tree: lxml.html.HtmlElement = lxml.html.document_fromstring(html or "<html></html>")
        except (etree.ParserError, ValueError):
            self.tree = lxml.html.document_fromstring("<html></html>")
        # lxml.html makes an element's Python proxy through a Python-level class lookup whenever a
        # walk reaches an element that has none alive. Every extractor walks the tree: holding all
        # proxies for as long as the page lives (one C-level iteration) makes that once per element.
        self._elements = list(self.tree.iter())

    @cached_property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()

    @cached_property
    def lang(self) -> str | None:
        value = self.tree.get("lang") or self.tree.get("{http://www.w3.org/XML/1998/namespace}lang")
        return value.strip() if value else None

    @cached_property
    def text(self) -> str:
        """Visible text with block elements on their own lines and whitespace folded."""
        return element_text(self.tree)

    @cached_property
    def folded_text(self) -> str:
        """``text`` case-folded, for keyword pre-filters (crawler.extract.prefilter)."""
        return self.text.casefold()

    @cached_property
    def structured(self) -> dict[str, list[Any]]:
        """extruct's json-ld, microdata, rdfa and opengraph data (uniform syntax); empty on failure."""
        import extruct  # imported lazily: it is the slowest import of the extractors

        try:
            return extruct.extract(
                self.tree,
                base_url=self.url,
                syntaxes=["json-ld", "microdata", "rdfa", "opengraph"],
                uniform=True,
                errors="ignore",
            )
        except Exception:  # extruct raises many kinds on broken markup; a page without data is fine
            return {"json-ld": [], "microdata": [], "rdfa": [], "opengraph": []}


def element_text(el: Any) -> str:
    """Visible text of an element: scripts and styles dropped, block elements on new lines."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _INVISIBLE or (tag and node.get("hidden") is not None):
            if node.tail:
                parts.append(node.tail)
            return
        block = tag in _BLOCK_TAGS
        if block:
            parts.append("\n")
        if tag and node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
        if block:
            parts.append("\n")
        if node.tail:
            parts.append(node.tail)

    if isinstance(el.tag, str):
        walk(el)
        # the root's own tail is outside it
        if el.tail and parts and parts[-1] == el.tail:
            parts.pop()
    # one substitution over the whole text (_WS never spans a newline), not one per line
    lines = (line.strip() for line in _WS.sub(" ", "".join(parts)).split("\n"))
    return "\n".join(line for line in lines if line)
