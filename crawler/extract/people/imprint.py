"""Labelled lines: "Geschäftsführer: Max Müller", "Vertreten durch: ...", "Company Secretary: ..."."""

from __future__ import annotations

import re

from crawler.extract.people.names import clean_person_name, is_job_title, singular_title
from crawler.extract.people.vocabulary import (
    CREDIT_LABEL_RE,
    IMPRINT_LINE_RE,
    IMPRINT_NO_TITLE_RE,
    INNER_REPRESENTED_RE,
    NAME_SPLIT_RE,
    PAREN_RE,
)
from crawler.extract.people.walk import PageLines

__all__ = ["imprint_names", "imprint_people"]


def _singular_title(label: str) -> str | None:
    low = label.lower().strip()
    if IMPRINT_NO_TITLE_RE.match(low):
        m = re.search(r"(geschäftsführer(?:in)?|vorstand|inhaber(?:in)?)$", low)
        return m.group(1).capitalize() if m else None
    label = re.sub(r"^(?:vertretungsberechtigter?n?|alleinige?r?)\s+", "", label.strip(), flags=re.I)
    label = re.sub(r"innen$", "in", label)
    label = re.sub(r"(?i)^vorstände$", "Vorstand", label)
    label = re.sub(r"(?i)^prokuristen$", "Prokurist", label)
    label = re.sub(r"(?i)(director|owner|representative)s$", r"\1", label)
    label = re.sub(r"(?i)^gesch\.-?f(?:ührer)?\.?$", "Geschäftsführer", label)
    return label[:1].upper() + label[1:]


def imprint_names(rest: str, title: str | None) -> list[tuple[str, str | None]]:
    inner = list(INNER_REPRESENTED_RE.finditer(rest))
    if inner:
        rest = rest[inner[-1].end() :]
    if ":" in rest:  # "Represented by the managing directors: A and B"
        prefix, rest = rest.rsplit(":", 1)
        prefix = re.sub(r"^(?:the|den|die|der|les|la|le|l')\s+", "", prefix.strip(), flags=re.I)
        if title is None and is_job_title(prefix):
            title = _singular_title(prefix)
    out: list[tuple[str, str | None]] = []
    for part in NAME_SPLIT_RE.split(rest):
        part = part.strip()
        if not part:
            continue
        own_title = title
        m = PAREN_RE.search(part)
        if m:
            own_title = is_job_title(m.group(1)) or own_title
            part = PAREN_RE.sub("", part).strip()
        name = clean_person_name(part)
        if name:
            out.append((name, own_title))
            continue
        extra = is_job_title(part)
        if extra and out:
            out[-1] = (out[-1][0], extra)  # "Max Müller, Geschäftsführer"
            continue
        if out:
            break
    return out


_TITLE_LABEL_RE = re.compile(r"^(?P<label>[^:]{2,50}?)\s*:\s*(?P<rest>.*)$")


def _title_label(text: str) -> tuple[str, str] | None:
    """("Company Secretary", "Martin Blake") from "Company Secretary: Martin Blake": any job title
    as the label, officers, association boards ("1. Vorsitzende: ..."), a data protection officer.
    Credits ("Fotos: ...") name suppliers, not the company's people."""
    m = _TITLE_LABEL_RE.match(text)
    if not m or CREDIT_LABEL_RE.search(m.group("label")):
        return None
    title = is_job_title(m.group("label"))
    return (singular_title(title), m.group("rest").strip()) if title else None


def imprint_people(walk: PageLines) -> list[tuple[int, str, str | None]]:
    """(position, name, title) of every labelled line naming people, with the names on the next
    lines when the label stands alone ("Vertretungsberechtigte Geschäftsführer:" + two lines)."""
    lines = walk.lines
    found: list[tuple[int, str, str | None]] = []
    for i, line in enumerate(lines):
        text = line.text
        if len(text) > 300 or len(text) < 6:
            continue
        m = IMPRINT_LINE_RE.match(text)
        if m:
            label, rest = m.group("label"), m.group("rest").strip()
            if not m.group("colon") and not label.lower().startswith(
                ("vertreten durch", "represented by", "représenté")
            ):
                continue
            title = _singular_title(label)
        else:
            labelled = _title_label(text) if ":" in text else None
            if labelled is None:
                continue
            title, rest = labelled
        if rest:
            for name, t in imprint_names(rest, title):
                found.append((line.pos, name, t))
            continue
        for j in range(i + 1, min(i + 5, len(lines))):
            if ":" in lines[j].text:
                break  # the next label ("Prokurist: ...", "Registergericht: ...")
            people = imprint_names(lines[j].text, title)
            if not people:
                break
            found.extend((lines[j].pos, name, t) for name, t in people)
    return found
