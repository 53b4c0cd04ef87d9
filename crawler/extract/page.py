"""A parsed HTML page and every per-page view of it, computed once and shared by all extractors."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any, TypeVar
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from crawler.extract.blocks import find_blocks
from crawler.extract.structured import all_nodes
from crawler.extract.text import ReaderText, VisibleText, build_visible_text

__all__ = ["Page"]

T = TypeVar("T")


class Page:
    """One HTML document: its URL, raw markup and lxml tree, and the views extractors read.

    Every view (the reader's text, the contact text with offsets, text blocks, the phone region,
    structured data) is a cached property, computed on first use, so each document is parsed and
    walked once per view and an extractor pays only for what it reads. ``default_region`` is the
    phone region to fall back on (ISO 3166 alpha-2).
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
        self._memo: dict[Callable[[Page], Any], Any] = {}

    @cached_property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()

    @cached_property
    def lang(self) -> str | None:
        value = self.tree.get("lang") or self.tree.get("{http://www.w3.org/XML/1998/namespace}lang")
        return value.strip() if value else None

    # --- text views (crawler.extract.text) ------------------------------------------------------

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
    def folded_html(self) -> str:
        """The markup as written, case-folded: for a marker an attribute or a script must hold
        (structured data, a shop's fingerprint) before the tree is searched for it."""
        return self.html.casefold()

    @cached_property
    def visible(self) -> VisibleText:
        """The contact text with chunk and contact-element offsets, read by e-mails and phones."""
        return build_visible_text(self)

    @cached_property
    def blocks(self) -> list[tuple[Any, str]]:
        """Leaf text blocks outside site chrome: (element, its text) (crawler.extract.blocks)."""
        return find_blocks(self)

    @cached_property
    def blocks_folded(self) -> str:
        """All block texts, case-folded: what a detector's ``Prefiltered`` patterns are tested on."""
        return "\n".join(text for _, text in self.blocks).casefold()

    # --- region and structured data -------------------------------------------------------------

    @cached_property
    def region(self) -> str:
        """The region national phone numbers are written for (crawler.extract.region.page_region)."""
        # imported on first use: it loads phonenumbers, which the crawl process (it imports Page
        # for the analysis workers) never needs
        from crawler.extract.region import page_region

        return page_region(self)

    @cached_property
    def structured(self) -> dict[str, list[Any]]:
        """extruct's json-ld, microdata and opengraph data (uniform syntax); empty on failure.

        No RDFa: extruct's RDFa parser needs its own DOM, so on ``self.tree`` it raised (and
        ``errors="ignore"`` dropped it) after building an rdflib graph, a third of extruct's time
        a page. RDFa persons are read off the tree (``people.schemaorg``)."""
        import extruct  # imported lazily: it is the slowest import of the extractors

        empty: dict[str, list[Any]] = {"json-ld": [], "microdata": [], "opengraph": []}
        # A syntax whose marker the markup lacks (a JSON-LD script's type, microdata's itemscope)
        # has nothing to find: not parsed (extruct's microdata pass alone cost ~30 us a page).
        syntaxes = [
            syntax
            for syntax, marker in (("json-ld", "ld+json"), ("microdata", "itemscope"))
            if marker in self.folded_html
        ] + ["opengraph"]
        try:
            found = extruct.extract(
                self.tree, base_url=self.url, syntaxes=syntaxes, uniform=True, errors="ignore"
            )
        except Exception:  # extruct raises many kinds on broken markup; a page without data is fine
            return empty
        return {**empty, **found}

    @cached_property
    def schema_nodes(self) -> list[dict[str, Any]]:
        """Every typed node of ``structured`` (json-ld, microdata), nested ones included."""
        return list(all_nodes(self.structured))

    # --- extractor results ----------------------------------------------------------------------

    def memo(self, compute: Callable[[Page], T]) -> T:
        """``compute(self)``, computed once per page: for an extractor whose result another one
        reads as well (the people, which the social extractor asks for too)."""
        try:
            return self._memo[compute]
        except KeyError:
            result = self._memo[compute] = compute(self)
            return result
