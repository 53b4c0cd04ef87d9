"""Turn one page's facts into lead candidates keyed by the identity rule (README.md, Leads)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum
from typing import Any

from crawler.extract.facts import PageFacts
from crawler.extract.mailboxes import is_role_email

# Profile platforms with a lead column of their own (the rest stay in ``social_profiles``).
DEDICATED_PROFILE_COLUMNS = {"linkedin": "linkedin_url", "twitter": "twitter_url", "facebook": "facebook_url"}
# Extraction methods from best to worst evidence; a merge keeps the value with the better method.
METHOD_RANK = {
    "jsonld": 0,
    "microdata": 0,
    "rdfa": 0,
    "card": 1,
    "imprint": 1,
    "mailto": 2,
    "tel": 2,
    "cfemail": 2,
    "text": 3,
    "obfuscated": 3,
    "link": 3,
}


class IdentityRank(IntEnum):
    """How strongly an identity key names a contact, best first: a merge keeps the better key."""

    EMAIL = 0
    """The normalized email address itself."""
    PHONE = 1
    """``phone:<E.164>|<company domain>``: a direct line of the company's person (or its main line)."""
    PROFILE = 2
    """``profile:<person profile URL>``: a person known only by a social profile."""
    PERSON = 3
    """``person:<folded name>|<company domain>``: a named person of the company, no contact point."""


def identity_rank(key: str) -> IdentityRank:
    """The rank of an identity key (see ``IdentityRank``)."""
    if key.startswith("phone:"):
        return IdentityRank.PHONE
    if key.startswith("profile:"):
        return IdentityRank.PROFILE
    if key.startswith("person:"):
        return IdentityRank.PERSON
    return IdentityRank.EMAIL


def person_identity(name: str, company_domain: str) -> str:
    """The identity key of a named person without any contact point: folded name + company domain."""
    return f"person:{person_name_key(name)}|{company_domain}"


@dataclass
class LeadCandidate:
    """One contact as seen on one or more pages; ``identity_key`` decides what merges with what.

    Identity (README.md, Leads): the normalized email; without email, ``phone:<E.164>|<company
    domain>``; without either, ``profile:<person profile URL>``; a named person without any of
    them, ``person:<folded name>|<company domain>`` (``IdentityRank``). When a better key turns
    up for the same person the candidate is re-keyed and the old key kept in ``previous_keys``.
    """

    identity_key: str
    contact_type: str  # personal | role
    company_domain: str
    email: str | None = None
    phone: str | None = None
    phone_national: str | None = None
    full_name: str | None = None
    job_title: str | None = None
    profiles: dict[str, str] = field(default_factory=dict)
    # (source_url, method) for every page this candidate was seen on
    sightings: list[tuple[str, str]] = field(default_factory=list)
    name_rank: int = 99
    # keys this contact was known by before a merge re-keyed it (e.g. phone-keyed, then its email
    # turned up): the store folds leads stored under them into this one
    previous_keys: set[str] = field(default_factory=set)
    # set by QualifyPipeline from the company's evidence and this contact's own facts; None
    # (qualify_leads off) leaves a stored lead's qualification untouched
    lead_score: int | None = None
    lead_status: str | None = None
    qualification_notes: str | None = None
    signals_detected: list[str] = field(default_factory=list)
    enrichment_data: dict[str, Any] = field(default_factory=dict)
    signals: list[dict[str, Any]] = field(default_factory=list)  # the signals' proof
    score_breakdown: list[dict[str, Any]] = field(default_factory=list)  # the score's line items
    enriched_at: datetime | None = None
    # set by ReachPipeline (pipelines/reach.py): the verification of ``email``
    # (``crawler.verify.EmailVerification``) and, for a person without an address, a guessed one
    # (``crawler.verify.EmailGuess``), which is never ``email`` and never an identity; None: none
    email_verification: Any = None
    email_guess: Any = None

    @property
    def person_key(self) -> tuple[str, str] | None:
        """(folded name, company domain): the same named person of the same company."""
        if not self.full_name or self.contact_type != "personal":
            return None
        return person_name_key(self.full_name), self.company_domain

    def can_absorb(self, other: LeadCandidate) -> bool:
        """True when ``other`` may be the same person: no two different emails, no two phones."""
        if self.email and other.email and self.email != other.email:
            return False
        return not (self.phone and other.phone and self.phone != other.phone and self.email != other.email)

    def absorb(self, other: LeadCandidate) -> None:
        """Merge another candidate of the same person; the better identity key wins (email, then
        phone, profile, name), the other one is kept in ``previous_keys`` for the store's fold."""
        if identity_rank(other.identity_key) < identity_rank(self.identity_key):
            self.previous_keys.add(self.identity_key)
            self.identity_key = other.identity_key
        elif other.identity_key != self.identity_key:
            self.previous_keys.add(other.identity_key)
        self.previous_keys |= other.previous_keys
        self.previous_keys.discard(self.identity_key)
        self.merge(other)

    def merge(self, other: LeadCandidate) -> None:
        """Fold another sighting of the same contact into this one: fill gaps, prefer better evidence."""
        if other.full_name and (not self.full_name or other.name_rank < self.name_rank):
            self.full_name, self.name_rank = other.full_name, other.name_rank
            self.job_title = other.job_title or self.job_title
        elif other.job_title and not self.job_title:
            self.job_title = other.job_title
        if other.phone and not self.phone:
            self.phone, self.phone_national = other.phone, other.phone_national
        self.email = self.email or other.email
        for platform, url in other.profiles.items():
            self.profiles.setdefault(platform, url)
        for sighting in other.sightings:
            if sighting not in self.sightings:
                self.sightings.append(sighting)
        if self.full_name and self.contact_type == "role" and self.email and not is_role_email(self.email):
            self.contact_type = "personal"


def lead_candidates(facts: PageFacts, company_domain: str) -> list[LeadCandidate]:
    """Lead candidates of one page, one per contact, in order of appearance.

    People come first: a named person is a lead whether or not a contact point sits with the name
    (their email, phone and profiles form one lead). A role address on a person's card (info@) is
    the company's, not theirs; a person without an email takes the page's one address whose local
    part spells their name (``jane.doe@``, ``jdoe@``, ``jane@`` for Jane Doe), when no one else on
    the page could own it. Then emails no person claimed; then phones that neither a person nor an
    email lead holds (a company line).
    """
    url = facts.url
    by_key: dict[str, LeadCandidate] = {}
    phones_by_e164 = {p.e164: p for p in facts.phones}
    claimed_phones: set[str] = set()
    company_name = facts.company.name if facts.company else None
    people = [
        person
        for person in facts.people
        # a "person" named like the company, with nothing to reach, is the company's own name
        if person.email or person.phone or person.profiles or not _names_company(person.name, company_name)
    ]
    own_emails = {person.email for person in people if person.email and not is_role_email(person.email)}
    joined = join_emails_by_name(
        [p.name for p in people if not p.email or is_role_email(p.email)],
        [e.email for e in facts.emails if e.email not in own_emails and not is_role_email(e.email)],
    )

    def add(candidate: LeadCandidate) -> None:
        existing = by_key.get(candidate.identity_key)
        if existing is None:
            by_key[candidate.identity_key] = candidate
        else:
            existing.merge(candidate)

    for person in people:
        phone_fact = phones_by_e164.get(person.phone) if person.phone else None
        national = phone_fact.national if phone_fact else None
        if person.phone and national is None:
            national = _national(person.phone)
        person_profiles = {k: v for k, v in person.profiles.items()}
        email = person.email
        if email and is_role_email(email):
            # the shared mailbox stays a company lead of its own (below, or here if the page's
            # email list lacks it)
            if all(e.email != email for e in facts.emails):
                add(_role_email(email, company_domain, url, person.evidence.method))
            email = None
        email = email or joined.get(person.name)
        if email:
            key = email
        elif person.phone:
            key = f"phone:{person.phone}|{company_domain}"
        elif person_profiles:
            key = "profile:" + sorted(person_profiles.values())[0]
        else:
            key = person_identity(person.name, company_domain)
        if person.phone:
            claimed_phones.add(person.phone)
        add(
            LeadCandidate(
                identity_key=key,
                contact_type="personal",
                company_domain=company_domain,
                email=email,
                phone=person.phone,
                phone_national=national,
                full_name=person.name,
                job_title=person.job_title,
                profiles=person_profiles,
                sightings=[(url, person.evidence.method)],
                name_rank=METHOD_RANK.get(person.evidence.method, 5),
            )
        )

    for email_fact in facts.emails:
        if email_fact.email in by_key:
            by_key[email_fact.email].sightings.append((url, email_fact.evidence.method))
            continue
        if is_role_email(email_fact.email):
            add(_role_email(email_fact.email, company_domain, url, email_fact.evidence.method))
            continue
        add(
            LeadCandidate(
                identity_key=email_fact.email,
                contact_type="personal",
                company_domain=company_domain,
                email=email_fact.email,
                sightings=[(url, email_fact.evidence.method)],
            )
        )

    for phone in facts.phones:
        if phone.e164 in claimed_phones:
            continue
        add(
            LeadCandidate(
                identity_key=f"phone:{phone.e164}|{company_domain}",
                contact_type="role",
                company_domain=company_domain,
                phone=phone.e164,
                phone_national=phone.national,
                sightings=[(url, phone.evidence.method)],
            )
        )
    return list(by_key.values())


def _role_email(email: str, company_domain: str, url: str, method: str) -> LeadCandidate:
    return LeadCandidate(
        identity_key=email,
        contact_type="role",
        company_domain=company_domain,
        email=email,
        sightings=[(url, method)],
    )


def _names_company(name: str, company_name: str | None) -> bool:
    return bool(company_name) and person_name_key(name) == person_name_key(company_name or "")


# --- an email's local part against a person's name ---------------------------------------------

_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "æ": "ae", "ø": "o", "œ": "oe"})
_NON_ALPHA = re.compile(r"[^a-z]")


def _ascii_forms(word: str) -> set[str]:
    """A name word as a mailbox may spell it: accents dropped, and umlauts as ae/oe/ue or bare."""
    out = set()
    for text in (word.lower().translate(_TRANSLIT), word.lower().replace("ß", "ss")):
        decomposed = unicodedata.normalize("NFKD", text)
        out.add(_NON_ALPHA.sub("", "".join(c for c in decomposed if not unicodedata.combining(c))))
    return {w for w in out if w}


def _initials(parts: list[str]) -> set[str]:
    forms = [sorted(_ascii_forms(p)) for p in parts]
    if len(forms) < 2 or not all(forms):
        return set()
    return {"".join(f[0][0] for f in forms)}


class NameMatch(IntEnum):
    """How well an email's local part spells a person's name."""

    NONE = 0
    """Unrelated (or too short to tell)."""
    PART = 1
    """One name alone: ``jane@`` or ``doe@`` for Jane Doe."""
    FULL = 2
    """First and last name, or an initial and the other name: ``jane.doe@``, ``doejane@``,
    ``jdoe@``, ``j.doe@``, ``janed@``."""


def local_part_match(name: str, email: str) -> NameMatch:
    """How well the local part of ``email`` spells ``name`` (separators and case ignored)."""
    local = _NON_ALPHA.sub("", email.rpartition("@")[0].split("+", 1)[0].lower())
    words = [w for w in _HONORIFICS.sub(" ", name).split() if w.strip(".")]
    if len(local) < 2 or len(words) < 2:
        return NameMatch.NONE
    parts = [p for p in words[0].split("-") if p]
    firsts = _ascii_forms(words[0]) | {f for p in parts for f in _ascii_forms(p)}
    # Jean-Pierre: jp.dupont@
    initials = {f[0] for f in firsts} | _initials(parts)
    # "van der Berg", "de la Cruz": the last name may be several words, glued in the mailbox
    lasts = set().union(*(_ascii_forms("".join(words[i:])) for i in range(1, len(words))))
    lasts |= _ascii_forms(words[-1])
    for last in (w for w in lasts if len(w) >= 2):
        if local in {last + f for f in firsts} | {f + last for f in firsts | initials}:
            return NameMatch.FULL
        if local in {f + last[0] for f in firsts} | {last + i for i in initials}:
            return NameMatch.FULL
    if any(local == w for w in firsts | lasts if len(w) >= 3):
        return NameMatch.PART
    return NameMatch.NONE


def join_emails_by_name(
    names: list[str], emails: list[str], minimum: NameMatch = NameMatch.PART
) -> dict[str, str]:
    """``{name: email}`` for every email whose local part spells exactly one of ``names`` best and
    that name's best match is that email alone (ties join nothing: two Janes, ``jane@``)."""
    scores = {(n, e): local_part_match(n, e) for n in names for e in emails}
    joined: dict[str, str] = {}
    for name in names:
        best = max((scores[name, e] for e in emails), default=NameMatch.NONE)
        if best < minimum:
            continue
        mine = [e for e in emails if scores[name, e] == best]
        if len(mine) != 1:
            continue
        email = mine[0]
        rivals = [n for n in names if n != name and scores[n, email] >= best]
        if not rivals:
            joined[name] = email
    return joined


_HONORIFICS = re.compile(
    r"\b(?:dr|prof|mr|mrs|ms|mme|mlle|herr|frau|dipl\.?-ing|ing|mag)\.?(?=\s)", re.IGNORECASE
)


def person_name_key(name: str) -> str:
    """A name folded for comparison: no titles or honorifics, case or extra spaces."""
    return " ".join(_HONORIFICS.sub(" ", name).split()).casefold()


def _national(e164: str) -> str | None:
    import phonenumbers

    try:
        return phonenumbers.format_number(phonenumbers.parse(e164), phonenumbers.PhoneNumberFormat.NATIONAL)
    except phonenumbers.NumberParseException:
        return None
