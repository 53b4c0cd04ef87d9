"""Staff sentences: "Meet Jane Doe, our worship director", "Rachel Kim is our Youth Pastor"."""

from __future__ import annotations

import re

from crawler.extract.people.names import (
    clean_person_name,
    has_given_name,
    is_job_title,
    shown_title,
)
from crawler.extract.people.vocabulary import QUOTE_STARTS, TESTIMONIAL_RE
from crawler.extract.people.walk import PageLines

__all__ = ["staff_sentences"]

# "our" in the five languages; "the" only after a verb ("is the Youth Pastor"): "the" before a
# title and a name is mostly a headline ("The CEO Summit Jane Doe spoke at ...").
_OUR = r"(?:[Oo]ur|[Uu]nser(?:e[rn]?)?|[Nn]otre|[Nn]uestr[oa]|[Oo]nze)"
_IS = (
    r"(?:is|ist|est|es|serves as|has served as|has been|works as|joined (?:us|the team) as|"
    r"arbeitet als|werkt als|trabaja como)"
)
_CAP = r"[A-ZÀ-ÖØ-ÞĀ-Ž][^\W\d_]*(?:['’\-][^\W\d_]+)*"
_NAME_RUN = rf"{_CAP}\.?(?:\s+(?:(?:van|von|de|der|den|da|del|la|le|di|du|ten|ter|y)\s+)*{_CAP}){{1,4}}"
# name first: "Jane Doe, our ...", "Jane Doe is our ...", "Jane Doe is the ..."
_NAME_FIRST = re.compile(rf"(?P<name>{_NAME_RUN})(?:,\s+{_OUR}|\s+{_IS}\s+(?:{_OUR}|the))\s+(?P<title>[^,.;:!?()]+)")
# title first: "our Children's Ministry Director, Emily Carter", "unsere Geschäftsführerin Anna Roth"
_OUR_AT = re.compile(rf"\b{_OUR}\s+")
_NAME_AT = re.compile(_NAME_RUN)
# Where a title read from prose ends: "Senior Pastor since 2009", "directrice depuis 2010".
_TITLE_END = re.compile(
    r"\s(?:since|for|at|in|and|who|with|from|here|seit|bei|und|der|die|das|in|depuis|chez|et|qui|"
    r"dans|desde|en|y|que|sinds|bij|van|voor)\b.*$"
)
_PREFILTER = re.compile(rf"\b{_OUR}\s|\s{_IS}\s+the\s")
_MAX_TITLE_WORDS = 6


def _name(run: str) -> str | None:
    """The person's name at the end of a run of capitalised words ("Meet Jennifer Alvarez")."""
    tokens = run.split()
    for k in range(len(tokens) - 1):
        name = clean_person_name(" ".join(tokens[k:]))
        if name and has_given_name(name):
            return name
    return None


def _title(text: str) -> str | None:
    text = _TITLE_END.sub("", text.strip())
    words = text.split()
    if not words or len(words) > _MAX_TITLE_WORDS:
        return None
    title = is_job_title(text)
    if title and text == text.lower():
        title = title.lower()  # is_job_title capitalised the first word only
    return shown_title(title) if title else None


def _sentence_people(sentence: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for m in _NAME_FIRST.finditer(sentence):
        name, title = _name(m.group("name")), _title(m.group("title"))
        if name and title:
            found.append((name, title))
    for m in _OUR_AT.finditer(sentence):
        words = sentence[m.end() :].split(" ")[: _MAX_TITLE_WORDS + 5]
        for k in range(1, min(_MAX_TITLE_WORDS, len(words)) + 1):
            head = " ".join(words[:k])
            title = _title(head.rstrip(","))
            if not title:
                continue
            after = " ".join(words[k:]).lstrip(", ")
            run = _NAME_AT.match(after)
            name = clean_person_name(run.group(0)) if run else None
            if name and has_given_name(name):
                found.append((name, title))
                break
    return found


def staff_sentences(walk: PageLines) -> list[tuple[int, str, str]]:
    """(line index, name, title) of the company's people that prose introduces by their role.

    Only with a known given name, a job title, and a possessive ("our", "unsere", "notre",
    "nuestra", "onze") or "is the": a sentence that merely mentions a name and a title ("says
    Mark Evans, CEO of ...") is no introduction. Quotations and testimonials are skipped.
    """
    out: list[tuple[int, str, str]] = []
    for i, line in enumerate(walk.lines):
        text = line.text
        if len(text) < 20 or len(text) > 1500 or not _PREFILTER.search(text):
            continue
        if text.startswith(QUOTE_STARTS) or TESTIMONIAL_RE.search(text):
            continue
        seen: set[str] = set()
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            for name, title in _sentence_people(sentence):
                if name not in seen:
                    seen.add(name)
                    out.append((i, name, title))
    return out
