"""Turn one page's facts into lead candidates keyed by the identity rule of DESIGN.md."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from crawler.extract.emails import is_role_email
from crawler.extract.facts import PageFacts

# Which profile platforms map onto the spec's dedicated lead columns.
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


@dataclass
class LeadCandidate:
    """One contact as seen on one or more pages; ``identity_key`` decides what merges with what.

    Identity (DESIGN.md): the normalized email; without email, ``phone:<E.164>|<company domain>``;
    without either, ``profile:<person profile URL>``.
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
    enriched_at: datetime | None = None

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
        """Merge another candidate of the same person; the email-keyed identity wins."""
        if other.email and not self.email:
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

    People come first (a person's email, phone and profiles form one lead); then emails no person
    claimed; then phones that neither a person nor an email lead holds (a company line).
    """
    url = facts.url
    by_key: dict[str, LeadCandidate] = {}
    phones_by_e164 = {p.e164: p for p in facts.phones}
    claimed_phones: set[str] = set()

    def add(candidate: LeadCandidate) -> None:
        existing = by_key.get(candidate.identity_key)
        if existing is None:
            by_key[candidate.identity_key] = candidate
        else:
            existing.merge(candidate)

    for person in facts.people:
        phone_fact = phones_by_e164.get(person.phone) if person.phone else None
        national = phone_fact.national if phone_fact else None
        if person.phone and national is None:
            national = _national(person.phone)
        person_profiles = {k: v for k, v in person.profiles.items()}
        if person.email:
            key = person.email
            kind = "role" if is_role_email(person.email) else "personal"
        elif person.phone:
            key = f"phone:{person.phone}|{company_domain}"
            kind = "personal"
        elif person_profiles:
            key = "profile:" + sorted(person_profiles.values())[0]
            kind = "personal"
        else:
            continue  # a name with no way to reach it is not a lead
        if person.phone:
            claimed_phones.add(person.phone)
        add(
            LeadCandidate(
                identity_key=key,
                contact_type=kind,
                company_domain=company_domain,
                email=person.email,
                phone=person.phone,
                phone_national=national,
                full_name=person.name,
                job_title=person.job_title,
                profiles=person_profiles,
                sightings=[(url, person.evidence.method)],
                name_rank=METHOD_RANK.get(person.evidence.method, 5),
            )
        )

    for email in facts.emails:
        if email.email in by_key:
            by_key[email.email].sightings.append((url, email.evidence.method))
            continue
        add(
            LeadCandidate(
                identity_key=email.email,
                contact_type="role" if is_role_email(email.email) else "personal",
                company_domain=company_domain,
                email=email.email,
                sightings=[(url, email.evidence.method)],
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
