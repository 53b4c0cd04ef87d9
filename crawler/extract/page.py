"""A parsed HTML page shared by all extractors, so each document is parsed once."""

from __future__ import annotations

from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from crawler.extract.text import ReaderText


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
    def reader(self) -> ReaderText:
        """The reader's text of the document and of each element in it, from one walk."""
        return ReaderText(self.tree)

    @cached_property
    def text(self) -> str:
        """Visible text with block elements on their own lines and whitespace folded."""
        return self.reader.text

    def element_text(self, el: Any) -> str:
        """``crawler.extract.text.element_text(el)`` of an element of this page, cut from ``text``'s walk."""
        return self.reader.element_text(el)

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
