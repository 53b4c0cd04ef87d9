"""Staff sentences: "Meet Jane Doe, our worship director", "Rachel Kim is our Youth Pastor"."""

from __future__ import annotations

import re
from functools import lru_cache

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
# Where an introduction turns to the role: ", our" / " is our" / " is the" after a name, or "our"
# before a title and a name ("our Children's Ministry Director, Emily Carter").
_TURN = re.compile(rf"(?P<after_name>,\s+{_OUR}|\s+{_IS}\s+(?:{_OUR}|the))\s+|\b{_OUR}\s+")
_NAME_AT = re.compile(_NAME_RUN)
# Where a title read from prose ends: "Senior Pastor since 2009", "directrice depuis 2010".
_TITLE_END = re.compile(
    r"\s(?:since|for|at|in|and|who|with|from|here|seit|bei|und|der|die|das|in|depuis|chez|et|qui|"
    r"dans|desde|en|y|que|sinds|bij|van|voor)\b.*$"
)
_CLAUSE_END = re.compile(r"[,.;:!?()]")
_WINDOW = 80  # characters read on either side of the turn: a name and a title are short
# Lower-case substrings one of which every introduction contains (before the regex is tried).
_TURN_WORDS = ("our ", "unser", "notre ", "nuestr", "onze ", " is the ", " as the ", " been the ")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_MAX_TITLE_WORDS = 6


def _name(run: str) -> str | None:
    """The person's name at the end of the words before the turn ("Meet Jennifer Alvarez")."""
    tokens = run.split()
    for k in range(len(tokens) - 1):
        name = clean_person_name(" ".join(tokens[k:]))
        if name and has_given_name(name):
            return name
    return None


def _name_from_start(run: str) -> str | None:
    """The person's name at the start of a run of capitalised words ("Markus Huber den Betrieb")."""
    tokens = run.split()
    for k in range(len(tokens), 1, -1):
        name = clean_person_name(" ".join(tokens[:k]))
        if name and has_given_name(name):
            return name
    return None


def _title(text: str, english: bool) -> str | None:
    text = _TITLE_END.sub("", text.strip())
    words = text.split()
    if not words or len(words) > _MAX_TITLE_WORDS:
        return None
    title = is_job_title(text)
    if title and english and text == text.lower():
        # English capitalises every word of a title ("Worship Director"); French, German,
        # Spanish and Dutch only the first ("Directrice commerciale"), as is_job_title does
        title = shown_title(title.lower())
    return title


@lru_cache(maxsize=4096)  # pure; a site repeats its boilerplate prose on every page
def _sentence_people(sentence: str, english: bool) -> tuple[tuple[str, str], ...]:
    found: list[tuple[str, str]] = []
    for m in _TURN.finditer(sentence):
        after = sentence[m.end() : m.end() + _WINDOW]
        if m.group("after_name"):  # "Jane Doe, our worship director", "Rachel Kim is our Youth Pastor"
            name = _name(" ".join(sentence[max(0, m.start() - _WINDOW) : m.start()].split()[-5:]))
            title = _title(_CLAUSE_END.split(after, 1)[0], english) if name else None
            if name and title:
                found.append((name, title))
            continue
        # "our office manager, Linda Parker", "unsere Geschäftsführerin Anna Roth"
        if not _NAME_AT.search(after):
            continue  # "our customers", "unsere Produkte": nobody is named
        words = after.split(" ")[: _MAX_TITLE_WORDS + 5]
        for k in range(1, min(_MAX_TITLE_WORDS, len(words)) + 1):
            if not words[k - 1] or not words[k : k + 1] or not words[k][:1].isupper():
                continue  # a name starts with a capital: only there can the title end
            # the name first: cheaper to read than a title, and most capitals start none
            run = _NAME_AT.match(" ".join(words[k:]))
            name = _name_from_start(run.group(0)) if run else None
            title = _title(" ".join(words[:k]).rstrip(","), english) if name else None
            if name and title:
                found.append((name, title))
                break
    return tuple(found)


def staff_sentences(walk: PageLines) -> list[tuple[int, str, str]]:
    """(line index, name, title) of the company's people that prose introduces by their role.

    Only with a known given name, a job title, and a possessive ("our", "unsere", "notre",
    "nuestra", "onze") or "is the": a sentence that merely mentions a name and a title ("says
    Mark Evans, CEO of ...") is no introduction. Quotations and testimonials are skipped.
    """
    out: list[tuple[int, str, str]] = []
    lang = (walk.page.lang or "en").lower()
    english = lang.startswith("en")
    for i, line in enumerate(walk.lines):
        text = line.text
        if len(text) < 20 or len(text) > 1500:
            continue
        low = text.casefold()
        if not any(word in low for word in _TURN_WORDS) or text.startswith(QUOTE_STARTS):
            continue  # substring tests first: most prose has no possessive before a title
        people = [p for sentence in _SENTENCE_END.split(text) for p in _sentence_people(sentence, english)]
        if not people or TESTIMONIAL_RE.search(text):
            continue  # '"...", says Mark Evans, our client': a quotation's speaker is no introduction
        seen: set[str] = set()
        for name, title in people:
            if name not in seen:
                seen.add(name)
                out.append((i, name, title))
    return out
