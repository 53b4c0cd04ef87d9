"""The contact points inside a card or block of a page: its mailto, tel and profile links and the
addresses and numbers written in its text, the person's own address first."""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Any

from crawler.extract.deobfuscate import (
    AT_BRACKET,
    AT_HINT_RE,
    AT_WORD,
    DOT_BRACKET,
    DOT_WORD,
    NumberLabel,
    has_phone_label,
    label_kind,
    undo_at_dot,
)
from crawler.extract.emails import normalize_email
from crawler.extract.mailboxes import is_role_email
from crawler.extract.people.names import email_matches_name
from crawler.extract.people.walk import Line, PageLines
from crawler.extract.phones import normalize_phone
from crawler.extract.profiles import PLATFORMS, person_profile

__all__ = ["block_contacts", "card_lines", "has_email"]

# An address in a card's text, "@" or spelled out ("c.martin [at] acme [dot] fr").
_EMAIL_TEXT = re.compile(
    rf"[\w.+\-]+\s*(?:@|{AT_BRACKET}|{AT_WORD})\s*[\w\-]+(?:\s*(?:\.|{DOT_BRACKET}|{DOT_WORD})\s*[\w\-]+)+"
)
_PHONE_TEXT = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\d[\d\s()./\-–]{5,22}\d|\(?0\d[\d\s()./\-–]{5,20}\d"
    r"|\(?[2-9]\d{2}\)?[\s.\-]\d{3}[\s.\-]\d{4})(?![\d])"
)
_DATE_LIKE = re.compile(r"^\d{1,4}[./\-]\d{1,2}[./\-]\d{1,4}$")


def card_lines(walk: PageLines, start: int, end: int) -> list[Line]:
    positions = walk.positions
    return walk.lines[bisect_left(positions, start) : bisect_left(positions, end)]


def has_email(walk: PageLines, start: int, end: int, el: Any) -> bool:
    links = walk.links
    i = bisect_left(walk.link_positions, start)
    while i < len(links) and links[i][0] < end:
        if links[i][1][:7].lower() == "mailto:":
            return True
        i += 1
    return any(AT_HINT_RE.search(t) for t in _range_texts(walk, el, start, end))


def _range_texts(walk: PageLines, el: Any, start: int, end: int) -> list[str]:
    """The card's visible text with inline markup joined as a reader sees it.

    The walk's lines split at spans (to part names from titles), which would also split
    ``c.martin<span>@</span>acme.fr``; contacts are read from page.element_text instead.
    """
    if el is None:
        return [ln.text for ln in card_lines(walk, start, end)]
    s, e = walk.spans.get(el, (0, 0))
    if start <= s and e <= end:
        return [walk.page.element_text(el)]
    out: list[str] = []
    for child in el:
        if not isinstance(child.tag, str):
            continue
        cs, ce = walk.spans.get(child, (0, 0))
        if cs < ce and ce > start and cs < end:
            out.extend(_range_texts(walk, child, start, end))
    # text sitting directly in a partly covered block (flat markup: "<h3>..</h3>Tel: 123<br>")
    out.extend(ln.text for ln in card_lines(walk, start, end) if ln.owner is el)
    return out


def block_contacts(
    walk: PageLines, start: int, end: int, el: Any, name: str, region: str
) -> tuple[str | None, str | None, dict[str, str]]:
    """Email, phone (E.164) and person profiles inside a card or block (positions ``start`` to
    ``end`` of the walk, within element ``el``); the person's own address first. Icon-only links
    count: a link's href is read whatever text it shows."""
    emails: list[str] = []
    phones: list[str] = []
    profiles: dict[str, str] = {}
    links = walk.links
    i = bisect_left(walk.link_positions, start)
    while i < len(links) and links[i][0] < end:
        href = links[i][1]
        i += 1
        low = href[:12].lower()
        if low.startswith("mailto:"):
            e = normalize_email(href.split("?", 1)[0])
            if e:
                emails.append(e)
        elif low.startswith(("tel:", "callto:")):
            parsed = normalize_phone(href.split(":", 1)[1], region)
            if parsed:
                phones.append(parsed[0])
        elif any(d in href.lower() for d in PLATFORMS):
            prof = person_profile(href)
            if prof and prof[0] not in profiles:
                profiles[prof[0]] = prof[1]
    for block in _range_texts(walk, el, start, end):
        for text in block.split("\n"):
            if AT_HINT_RE.search(text):
                for m in _EMAIL_TEXT.finditer(text):
                    e = normalize_email(undo_at_dot(m.group(0)))
                    if e:
                        emails.append(e)
            for m in _PHONE_TEXT.finditer(text):
                raw = m.group(0)
                fax = label_kind(text[max(0, m.start() - 14) : m.start()]) is NumberLabel.FAX
                if fax or _DATE_LIKE.match(raw):
                    continue  # "Fax: +49 ..." is not a number to call; "01.04.2019" is a date
                if not raw.startswith(("+", "00")) and not has_phone_label(text) and len(text) > len(raw) + 6:
                    continue  # a bare national number inside prose is more likely an id or a count
                parsed = normalize_phone(m.group(0), region)
                if parsed:
                    phones.append(parsed[0])
    email = next((e for e in emails if email_matches_name(e, name)), None)
    if email is None:
        email = next((e for e in emails if not is_role_email(e)), emails[0] if emails else None)
    return email, (phones[0] if phones else None), profiles
