"""Role headings over lists of names: "General Chairs" then two names, "Vorstand" then the board."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from crawler.extract.people.names import clean_person_name, has_given_name, is_job_title, singular_title
from crawler.extract.people.vocabulary import AT_OR_DIGITS_RE, CREDIT_LABEL_RE, LIST_ITEM_SEP_RE, NOT_TITLE_RE
from crawler.extract.people.walk import PageLines

__all__ = ["HEADING_TAGS", "ListedName", "role_lists"]

HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_MAX_ITEMS = 80  # lines read after a heading: a committee is long, a page section isn't endless
_INTRO_CHARS = 40  # a line this long before the first name is the section's intro, not an item


@dataclass(frozen=True)
class ListedName:
    """A name under a role heading: its line, the name, and the title the heading (or the item) gives."""

    idx: int
    name: str
    title: str


def _is_heading(owner: Any) -> bool:
    return owner is not None and owner.tag in HEADING_TAGS


def _heading_title(text: str) -> str | None:
    """The title a role heading gives each name under it ("Programme Chairs" -> "Programme Chair")."""
    if len(text) > 60 or clean_person_name(text) or NOT_TITLE_RE.search(text) or ":" in text.rstrip(":"):
        return None
    return is_job_title(singular_title(text.rstrip(": ")))


def _item(text: str) -> tuple[str, str | None, str | None] | None:
    """(name, own title, label) of one list item, or None when it isn't one.

    "Maria Rossi", "Maria Rossi, Politecnico di Milano", "Ewa Nowak (University of Warsaw)",
    "Jonas Lindqvist – KTH", "Fußball: Karl-Heinz Brandt" (a label, which the heading's title
    takes on), "Jugendwart: Lukas Berger" (a title of its own).
    """
    name = clean_person_name(text)
    if name:
        return name, None, None
    m = LIST_ITEM_SEP_RE.search(text)
    if not m or m.start() == 0:
        return None
    left, sep, right = text[: m.start()], m.group(0).strip(), text[m.end() :].strip()
    if sep == ":":
        name = clean_person_name(right)
        if not name or len(left) > 40 or CREDIT_LABEL_RE.search(left):
            return None
        own = is_job_title(left)
        return name, own, None if own else left.strip()
    name = clean_person_name(left)
    if not name or len(right) > 120:
        return None
    return name, is_job_title(right.rstrip(")")), None


_ITEM_SPLIT_RE = re.compile(r"\s*;\s*|(?<=\)),\s*")
_NAMES_SPLIT_RE = re.compile(r"\s*,\s*|\s+(?:and|und|et|y|en|&)\s+")


def _items(text: str) -> list[tuple[str, str | None, str | None]]:
    """The list items of one line: one, or several run together ("Maria Rossi (Politecnico di
    Milano), Mei Tanaka (University of Tokyo)"; "Anna Berg, KTH; Louis Martin, Sorbonne";
    "Anna Berg, Louis Martin and Peter Novak")."""
    for splitter in (_ITEM_SPLIT_RE, _NAMES_SPLIT_RE):
        parts = [p for p in splitter.split(text) if p]
        if len(parts) > 1:
            items = [_item(p) for p in parts]
            if all(items) and (
                splitter is _ITEM_SPLIT_RE
                or all(i and i[1:] == (None, None) and has_given_name(i[0]) for i in items)
            ):
                return [i for i in items if i]
    item = _item(text)
    return [item] if item else []


def role_lists(walk: PageLines) -> list[ListedName]:
    """Names listed under a heading that names their role, each with that role as title.

    The section under the heading (up to the next heading of the same or a higher rank) must be
    a list of names -- an intro line, contact lines and affiliations aside -- and at least half
    of those names must start with a known given name: a heading over product names or news
    items is no committee.
    """
    lines = walk.lines
    out: list[ListedName] = []
    n = len(lines)
    i = 0
    while i < n:
        line = lines[i]
        owner = line.owner
        if not _is_heading(owner):
            i += 1
            continue
        title = _heading_title(line.text)
        if not title:
            i += 1
            continue
        rank = owner.tag
        items: list[tuple[int, str, str | None, str | None]] = []
        j = i + 1
        while j < n and j <= i + _MAX_ITEMS:
            text, own_owner = lines[j].text, lines[j].owner
            found = _items(text) if len(text) <= 400 else []
            if not found and text.endswith(":") and len(text) <= 40 and j + 1 < n:
                # "<strong>Fußball:</strong> Karl-Heinz Brandt": the label is a line of its own
                found = _items(f"{text} {lines[j + 1].text}")
                if found:
                    j += 1
            if _is_heading(own_owner) and (own_owner.tag <= rank or not found):
                break
            if found:
                items.extend((j, *item) for item in found)
            elif AT_OR_DIGITS_RE.search(text) and len(text) < 80:
                pass  # a contact line of the item above ("Tel. 089 ...", "anna@...")
            elif items and text.startswith("(") and text.endswith(")"):
                pass  # "<strong>Anna Kowalczyk</strong> (University of Warsaw)"
            elif not items and len(text) >= _INTRO_CHARS:
                pass
            else:
                break
            j += 1
        known = sum(1 for item in items if has_given_name(item[1]))
        if items and known >= 1 and 2 * known >= len(items):
            for idx, name, own, label in items:
                out.append(ListedName(idx, name, own or (f"{title} {label}" if label else title)))
        i = j if items else i + 1
    return out
