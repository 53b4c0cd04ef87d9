"""Names and job titles: is this line a person's name, a title, or both ("Max Müller, CEO")?"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from crawler.extract.people.vocabulary import (
    DEGREE_SUFFIX_RE,
    FIRST_NAMES,
    HONORIFIC_RE,
    INITIAL_RE,
    NAME_CHARS_RE,
    NAME_TITLE_SEP_RE,
    NOT_TITLE_RE,
    PARTICLES,
    STOPWORDS,
    TITLE_ACRONYM_RE,
    TITLE_GLUE_WORDS,
    TITLE_LABEL_RE,
    TITLE_WORD_RE,
    WEAK_TITLE_WORDS,
    WHITESPACE_RE,
)

__all__ = [
    "clean_person_name",
    "email_matches_name",
    "fold",
    "has_given_name",
    "is_job_title",
    "name_key",
    "shown_title",
    "singular_title",
    "split_name_title",
]


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    return "".join(c for c in text if not unicodedata.combining(c))


def _is_cap_word(token: str) -> bool:
    """Jean-Luc, O'Brien, d'Alembert, McDonald, Müller-Lüdenscheidt: each part starts upper case."""
    if not NAME_CHARS_RE.match(token) or (token.isupper() and len(token) > 1):
        return False
    for piece in token.split("-"):
        if not piece:
            return False
        if len(piece) > 2 and piece[1] in "'’" and piece[0].islower():
            piece = piece[2:]  # d'Alembert: the letter after the apostrophe counts
        if not piece[0].isupper():
            return False
    return True


# Both are pure functions of the text, asked about the same lines on every page of a site (headers,
# footers, team blocks) and about the same words by several readers of one page: cached.
@lru_cache(maxsize=16384)
def clean_person_name(text: str, *, strict: bool = True) -> str | None:
    """A person's name from a short line ("Dr. Anna Schmidt" -> "Anna Schmidt"), or None.

    Two to five words: capitalised (accents, hyphens and apostrophes allowed), with name particles
    (von, van, de, da, le, ...) and initials in between; none of them a page or title word. With
    ``strict`` off (structured data: the markup already says it is a name), lower case is fine.
    """
    text = WHITESPACE_RE.sub(" ", text).strip(" \t,;:·|–—-•*")
    if not text or len(text) > 60 or any(c.isdigit() for c in text) or "@" in text:
        return None
    text = DEGREE_SUFFIX_RE.sub("", HONORIFIC_RE.sub("", text)).strip(" ,")
    tokens = text.split(" ")
    if not 2 <= len(tokens) <= 5:
        return None
    long_tokens = [t for t in tokens if len(t) > 2]
    if long_tokens and all(t.isupper() for t in long_tokens):
        tokens = [t.lower() if t.lower() in PARTICLES else t.title() for t in tokens]  # ANNA SCHMIDT
    caps = 0
    for i, tok in enumerate(tokens):
        low = tok.lower().strip(".")
        if low in STOPWORDS or TITLE_WORD_RE.fullmatch(tok) or TITLE_ACRONYM_RE.fullmatch(tok):
            return None
        if tok.lower() in PARTICLES and 0 < i < len(tokens) - 1:
            if tok.lower() in ("den", "der") and tokens[i - 1].lower() not in PARTICLES:
                return None  # van den Berg, von der Leyen; alone, German's article ("Huber den Betrieb")
            continue  # von, van der, de la: only between first and last name
        if INITIAL_RE.match(tok) and 0 < i < len(tokens) - 1:
            continue
        if _is_cap_word(tok):
            caps += 1
            continue
        if not strict and NAME_CHARS_RE.match(tok):
            caps += 1
            continue
        return None
    if caps < 2:
        return None
    return " ".join(tokens)


@lru_cache(maxsize=16384)
def is_job_title(text: str) -> str | None:
    """The cleaned job title if ``text`` reads as one ("Head of Sales", "Geschäftsführerin"), else None."""
    text = TITLE_LABEL_RE.sub("", WHITESPACE_RE.sub(" ", text).strip(" \t,;·|–—-•*"))
    # a bracket that wraps the whole line goes ("(Prokuristin)"), one that closes a part stays
    # ("Rechtsanwältin (Syndikusrechtsanwältin)")
    while text[:1] == "(" and text.endswith(")") and text.count("(") == 1:
        text = text[1:-1].strip()
    text = text.lstrip("(").strip() if text.count("(") > text.count(")") else text
    text = text.rstrip(")").strip() if text.count(")") > text.count("(") else text
    if text.endswith(".") and len(text.rsplit(" ", 1)[-1]) > 4:
        text = text[:-1]  # "Sophie Dupont, gérante." ends a sentence, not an abbreviation
    if not text or len(text) > 90 or len(text.split()) > 12 or ":" in text:
        return None
    if not (TITLE_ACRONYM_RE.search(text) or TITLE_WORD_RE.search(text)):
        return None
    if NOT_TITLE_RE.search(text) or re.search(r"\d{2,}", text):
        return None
    only_weak = not TITLE_ACRONYM_RE.search(text) and all(
        m.group(0).lower() in WEAK_TITLE_WORDS for m in TITLE_WORD_RE.finditer(text)
    )
    if only_weak and any(
        w.islower() and w not in TITLE_GLUE_WORDS and not TITLE_WORD_RE.fullmatch(w) for w in text.split()
    ):
        return None
    if text[-1] in ".!?" and len(text.split()) > 4:
        return None  # a sentence that happens to mention a director
    first = text.split(" ", 1)[0]
    if first.isalpha() and first.islower():
        text = text[0].upper() + text[1:]  # "…, directrice commerciale" is shown as a title elsewhere
    return text


def split_name_title(line: str) -> tuple[str, str] | None:
    """("Max Müller", "CEO") from "Max Müller, CEO" / "Max Müller – CEO" / "Max Müller (CEO)"."""
    if len(line) > 140:
        return None
    for m in NAME_TITLE_SEP_RE.finditer(line):
        if m.start() == 0:
            continue
        name = clean_person_name(line[: m.start()])
        if not name:
            continue
        title = is_job_title(line[m.end() :].rstrip(")").strip())
        if title:
            return name, title
    # inline spans glued by a space: "Luca Bianchi CTO", "Anna Schmidt Vertriebsleiterin"
    tokens = line.split()
    if not tokens or fold(tokens[0].split("-")[0]) not in FIRST_NAMES:
        return None  # without punctuation between them, only a known given name tells where a name starts
    for k in range(2, min(5, len(tokens))):
        name = clean_person_name(" ".join(tokens[:k]))
        if name:
            title = is_job_title(" ".join(tokens[k:]))
            if title and (title[0].isupper() or TITLE_ACRONYM_RE.match(title)):
                return name, title
    return None


def name_key(name: str) -> str:
    folded = fold(name).replace("-", " ").replace("’", "").replace("'", "")
    return " ".join(t for t in folded.split() if len(t.strip(".")) > 1)


def email_matches_name(email: str, name: str) -> bool:
    local = fold(email.split("@", 1)[0]).replace("ae", "a").replace("oe", "o").replace("ue", "u")
    tokens = [t.replace("ae", "a").replace("oe", "o").replace("ue", "u") for t in name_key(name).split()]
    tokens = [re.sub(r"[^a-z]", "", t) for t in tokens if t not in PARTICLES]
    if len(tokens) < 2:
        return False
    first, last = tokens[0], tokens[-1]
    parts = re.split(r"[._\-]", local)
    return (len(last) >= 3 and last in local) or (len(first) >= 3 and (local == first or parts[0] == first))


def has_given_name(name: str) -> bool:
    """Does the name start with a known given name ("Priya Raman", "Jean-Luc Picard", "J. Anna Roth")?"""
    for token in name.split():
        if INITIAL_RE.match(token):
            continue
        return fold(token.split("-")[0]) in FIRST_NAMES
    return False


# Plural endings of role headings ("General Chairs", "Managing Directors", "Rechtsanwälte").
_PLURALS = (
    (
        re.compile(
            r"(?i)(chair|director|partner|officer|manager|founder|member|trustee|organi[sz]er|"
            r"consultant|engineer|associate|advis[eo]r|editor|owner|representative)s$"
        ),
        r"\1",
    ),
    (re.compile(r"(?i)anwälte$"), "anwalt"),
    (re.compile(r"(?i)(in)nen$"), r"\1"),
)


def singular_title(title: str) -> str:
    """The title one member of a role heading holds: "General Chairs" -> "General Chair"."""
    for pattern, repl in _PLURALS:
        title = pattern.sub(repl, title)
    return title


def shown_title(title: str) -> str:
    """A title read from prose, written as a card shows it: "office manager" -> "Office Manager"."""
    if any(c.isupper() for c in title):
        return title
    return " ".join(w if w in TITLE_GLUE_WORDS else w[:1].upper() + w[1:] for w in title.split())
