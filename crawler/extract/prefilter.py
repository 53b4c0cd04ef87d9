"""A cheap test that rules a regex out before it scans a text: the literal words its matches start with.

Case-insensitive scans of a page's text with a dozen alternatives cost tens of microseconds each;
testing a handful of substrings costs well under one. Most keyword patterns of the extractors
match on few pages, so most scans can be skipped without changing a single result: a text that
contains none of a pattern's starts (case-folded) cannot match it.
"""

from __future__ import annotations

import re

__all__ = ["Prefiltered", "literal_starts"]

_ZERO_WIDTH = ("^", r"\b", r"\s*", r"\s+", r"\s?")
_METACHARS = set("[](){}|?*+.^$\\")


def _split_alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of ``pattern`` (``|`` outside groups and classes)."""
    alternatives, depth, start, i = [], 0, 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 1
        elif c == "[":
            i = pattern.index("]", i + 2)  # a class: a "]" right after "[" is literal
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            alternatives.append(pattern[start:i])
            start = i + 1
        i += 1
    alternatives.append(pattern[start:])
    return alternatives


def _group_end(alt: str) -> int:
    """Index just past the group that opens ``alt``."""
    depth, i = 0, 0
    while i < len(alt):
        c = alt[i]
        if c == "\\":
            i += 1
        elif c == "[":
            i = alt.index("]", i + 2)
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError(f"unbalanced group in {alt!r}")


def _alternative_starts(alt: str) -> list[str] | None:
    stripped = True
    while stripped:  # anchors and optional space promise nothing, and take nothing away
        stripped = False
        for prefix in _ZERO_WIDTH:
            if alt.startswith(prefix):
                alt, stripped = alt[len(prefix) :], True
    if alt.startswith("(") and _group_options(alt, 0) is None:
        end = _group_end(alt)
        if end < len(alt) and alt[end] in "?*{":
            return None  # an optional group
        inner = alt[3 if alt.startswith("(?:") else 1 : end - 1]
        if inner.startswith("?"):
            return None  # a look-around or other special group
        starts = literal_starts(inner)
        return None if starts is None else list(starts)
    prefixes = _sequence_prefixes(alt)
    return [p.casefold() for p in prefixes] if all(prefixes) else None


def _group_options(alt: str, i: int) -> tuple[list[str], int] | None:
    """The group opening at ``alt[i]`` as its literal alternatives and its end, if it is one of
    plain literals (``(?:é|e)``); else None."""
    end = i + _group_end(alt[i:])
    inner = alt[i + 3 if alt.startswith("(?:", i) else i + 1 : end - 1]
    if inner.startswith("?"):
        return None
    options = []
    for option in _split_alternatives(inner):
        text = _unescape_literal(option)
        if text is None:
            return None
        options.append(text)
    return options, end


def _unescape_literal(text: str) -> str | None:
    """``text`` as the plain string it matches, or None if it holds any regex syntax."""
    out, i = "", 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text) and not text[i + 1].isalnum():
            out, i = out + text[i + 1], i + 2
        elif c in _METACHARS:
            return None
        else:
            out, i = out + c, i + 1
    return out


def _sequence_prefixes(alt: str, limit: int = 32) -> list[str]:
    """The literal texts one of which every match of ``alt`` starts with: its leading literal
    characters, small classes (``[- ]``) and groups of plain alternatives (``(?:é|e)``) expanded,
    up to the first other construct or optional item."""
    prefixes, i = [""], 0
    while i < len(alt):
        c = alt[i]
        if c == "\\" and i + 1 < len(alt) and not alt[i + 1].isalnum():
            options, j = [alt[i + 1]], i + 2  # an escaped punctuation mark is itself
        elif c == "[":
            j = alt.index("]", i + 2) + 1  # a "]" right after "[" is literal
            body = alt[i + 1 : j - 1]
            if body.startswith("^") or "\\" in body or "-" in body[1:-1]:
                break  # negated, escapes, ranges
            options = list(dict.fromkeys(body))
        elif c == "(":
            group = _group_options(alt, i)
            if group is None:
                break
            options, j = group
        elif c in _METACHARS:
            break
        else:
            options, j = [c], i + 1
        if j < len(alt) and alt[j] in "?*{":
            break  # an optional item ends what is promised: "robots?" promises "robot"
        if len(prefixes) * len(options) > limit:
            break
        prefixes = [p + o for p in prefixes for o in options]
        if j < len(alt) and alt[j] == "+":
            break  # one copy is promised; what follows comes after the repeats
        i = j
    return prefixes


def literal_starts(pattern: str) -> tuple[str, ...] | None:
    """The literal text (case-folded) that every match of ``pattern`` starts with, one per top-level
    alternative (groups opening an alternative are looked into); None when some alternative starts
    with no literal (a class, ``\\w``, an optional group), so nothing can be ruled out cheaply."""
    starts: list[str] = []
    for alt in _split_alternatives(pattern):
        found = _alternative_starts(alt)
        if not found:
            return None
        starts.extend(found)
    return tuple(dict.fromkeys(starts))


class Prefiltered:
    """A compiled regex and its ``literal_starts``: ``search(text, folded)`` is ``regex.search(text)``,
    skipped when ``folded`` (``text.casefold()``, or a case-folded text that contains it) holds none
    of the starts."""

    __slots__ = ("regex", "starts")

    def __init__(self, regex: re.Pattern[str], words: tuple[str, ...] | None = None) -> None:
        """``words``: for a pattern whose alternatives start with no literal, words (lower case)
        that every match contains all the same, given by hand (tests/extract/test_prefilter.py
        checks them against the fixtures)."""
        self.regex = regex
        self.starts = literal_starts(regex.pattern) if words is None else words

    def possible(self, folded: str) -> bool:
        return self.starts is None or any(start in folded for start in self.starts)

    def search(self, text: str, folded: str) -> re.Match[str] | None:
        return self.regex.search(text) if self.possible(folded) else None
