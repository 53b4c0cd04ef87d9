"""How senior a job title is: an executive, a senior decision maker, or neither (en/de/fr)."""

# ruff: noqa: E501  (multilingual vocabulary regexes read better unwrapped than split mid-alternation)

from __future__ import annotations

import re

__all__ = ["decision_maker_level"]

_NOT_DECIDING = re.compile(
    r"\bboard member\b|\bmember of the board\b|\badvisory board\b|\badvisor\b|\bbeirat\b|\baufsichtsrat\b|"
    r"\bassistant\b|\bassistent(?:in)?\b|\bassistenz\b|\bsecretary\b|\bsekretär(?:in)?\b|\bintern\b|"
    r"\bpraktikant(?:in)?\b|\bstagiaire\b|\bconseil d['’]administration\b|\badministrat(?:eur|rice)\b",
    re.I,
)
_SENIOR_FIRST = re.compile(r"\bvice[- ]president\b|\b[se]?vp\b|\bvice-président", re.I)
_EXECUTIVE = re.compile(
    r"\b(?:ceo|cto|cfo|coo|cmo|cro|cio|cpo|cso|chro|cdo)\b|\bchief [\w ]{2,30}officer\b|\b(?:co-?)?founder\b|"
    r"\bowner\b|\bpresident\b|\bmanaging (?:director|partner)\b|\bgeneral manager\b|\bproprietor\b|"
    r"gesch(?:ä|ae)ftsf(?:ü|ue)hrer(?:in)?\b|\binhaber(?:in)?\b|(?:mit)?gr(?:ü|ue)nder(?:in)?\b|"
    r"\bvorstand(?:svorsitzende[rn]?)?\b|\bvorstandsmitglied\b|\b(?:co-?)?fondat(?:eur|rice)\b|"
    r"\bg(?:é|e)rant(?:e)?\b|\bpr(?:é|e)sident(?:e)?\b|\bpdg\b|\bdirect(?:eur|rice) g(?:é|e)n(?:é|e)ral(?:e)?\b|"
    r"\bpropriétaire\b",
    re.I,
)
_SENIOR = re.compile(
    r"\bhead of\b|\bdirector\b|\bdirekt(?:or|orin)\b|leiter(?:in)?\b|\bprokurist(?:in)?\b|"
    r"\bdirect(?:eur|rice)\b|\bresponsable\b|\bchef (?:de|d['’])\b|\bbereichsleit|\babteilungsleit|\bpartner\b",
    re.I,
)


def decision_maker_level(title: str | None) -> str | None:
    """``executive`` (C-level, founder, owner, president, managing director, Geschäftsführer,
    gérant, PDG), ``senior`` (VP, head, director, Leiter, directeur) or ``None``.

    Board members, advisors and assistants of executives are not decision makers, whatever
    title words they carry.
    """
    if not title:
        return None
    if _NOT_DECIDING.search(title):
        return None
    if _SENIOR_FIRST.search(title) and not re.search(r"\b(?:ceo|founder|owner)\b", title, re.I):
        return "senior"
    if _EXECUTIVE.search(title):
        return "executive"
    if _SENIOR.search(title):
        return "senior"
    return None
