"""Dates in page text (ISO, English, German, French), and the date a block or a page is from."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

from crawler.extract.structured import first_text, schema_types

if TYPE_CHECKING:
    from crawler.extract.page import Page

__all__ = ["block_date", "find_dates", "page_date", "parse_date"]

_MONTHS = {
    **dict.fromkeys(("january", "jan", "januar", "janvier", "jänner"), 1),
    **dict.fromkeys(("february", "feb", "februar", "février", "fevrier", "févr"), 2),
    **dict.fromkeys(("march", "mar", "märz", "maerz", "mars"), 3),
    **dict.fromkeys(("april", "apr", "avril", "avr"), 4),
    **dict.fromkeys(("may", "mai"), 5),
    **dict.fromkeys(("june", "jun", "juni", "juin"), 6),
    **dict.fromkeys(("july", "jul", "juli", "juillet", "juil"), 7),
    **dict.fromkeys(("august", "aug", "août", "aout"), 8),
    **dict.fromkeys(("september", "sep", "sept", "septembre"), 9),
    **dict.fromkeys(("october", "oct", "oktober", "octobre", "okt"), 10),
    **dict.fromkeys(("november", "nov", "novembre"), 11),
    **dict.fromkeys(("december", "dec", "dezember", "décembre", "decembre", "dez", "déc"), 12),
}
_MONTH_RE = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_DATE_PATTERNS = (
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})"), ("y", "m", "d")),
    (
        re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I),
        ("mn", "d", "y"),
    ),
    (re.compile(rf"\b(\d{{1,2}})(?:er|\.)?\s+({_MONTH_RE})\.?\s+(\d{{4}})\b", re.I), ("d", "mn", "y")),
    (re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b"), ("d", "m", "y")),
    (re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b"), ("m", "d", "y")),  # US order; EU sites use dots
    (re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{4}})\b", re.I), ("mn", "y")),
)


def find_dates(text: str) -> list[date]:
    """Calendar dates written in ``text`` (ISO, English, German and French forms), in order."""
    found: list[tuple[int, date]] = []
    taken: list[tuple[int, int]] = []
    for pattern, order in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue  # "15 January 2024" must not also count as "January 2024"
            parts = dict(zip(order, m.groups(), strict=True))
            try:
                month = _MONTHS[parts["mn"].lower()] if "mn" in parts else int(parts["m"])
                found.append((m.start(), date(int(parts["y"]), month, int(parts.get("d", 1)))))
            except (KeyError, ValueError):
                continue
            taken.append((m.start(), m.end()))
    return [d for _, d in sorted(found)]


def parse_date(value: Any) -> date | None:
    """The first date written in a structured-data value or an attribute, or None."""
    text = first_text(value)
    if not text:
        return None
    dates = find_dates(text)
    return dates[0] if dates else None


def block_date(el: Any, page: Page) -> date | None:
    """The date a block is from: its own text, then its article (or card) up to three levels up,
    then the page's publication date. An article without a date stops the climb, so one post's
    date never leaks onto its undated neighbour."""
    node = el
    for _ in range(4):
        if node is None or not isinstance(node.tag, str) or node.tag in ("body", "html", "main"):
            break
        for t in node.iter("time"):
            parsed = parse_date(t.get("datetime") or page.element_text(t))
            if parsed:
                return parsed
        dates = find_dates(page.element_text(node)[:800])
        if dates:
            return dates[0]
        if node.tag == "article" or node.get("itemscope") is not None:
            break
        prev = node.getprevious()
        if prev is not None and isinstance(prev.tag, str):
            for t in prev.iter("time"):
                parsed = parse_date(t.get("datetime") or page.element_text(t))
                if parsed:
                    return parsed
        node = node.getparent()
    return page.memo(page_date)


def page_date(page: Page) -> date | None:
    """The page's publication date: article/date meta tags, then a schema.org Article's."""
    for meta in page.tree.iter("meta"):
        if (meta.get("property") or meta.get("name") or "").lower() in (
            "article:published_time",
            "date",
            "publish-date",
            "og:published_time",
        ):
            parsed = parse_date(meta.get("content"))
            if parsed:
                return parsed
    for node in page.schema_nodes:
        if any(t.endswith(("Article", "BlogPosting", "PressRelease")) for t in schema_types(node)):
            parsed = parse_date(node.get("datePublished"))
            if parsed:
                return parsed
    return None
