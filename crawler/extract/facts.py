"""Fact types every extractor returns: a value plus the evidence that shows it on the page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Evidence:
    """Where a fact was seen: how it was extracted and the text or element that shows it.

    ``method`` is one of a small vocabulary shared across extractors, e.g. ``mailto``, ``text``,
    ``obfuscated``, ``cfemail``, ``tel``, ``link``, ``jsonld``, ``microdata``, ``rdfa``, ``card``,
    ``opengraph``, ``title``. ``snippet`` is a short (<= 200 chars) excerpt of the source.
    """

    method: str
    snippet: str = ""


@dataclass(frozen=True)
class EmailFact:
    """A normalized (lower-cased) email address found on a page."""

    email: str
    evidence: Evidence

    def to_dict(self) -> dict[str, Any]:
        return {"email": self.email, "method": self.evidence.method}


@dataclass(frozen=True)
class PhoneFact:
    """A phone number in E.164 and national format, with the region it was parsed for."""

    e164: str
    national: str
    region: str
    evidence: Evidence

    def to_dict(self) -> dict[str, Any]:
        return {
            "e164": self.e164,
            "national": self.national,
            "region": self.region,
            "method": self.evidence.method,
        }


@dataclass(frozen=True)
class SocialFact:
    """A normalized social profile URL. ``kind`` is ``company`` or ``person``."""

    platform: str
    kind: str
    url: str
    evidence: Evidence

    def to_dict(self) -> dict[str, Any]:
        return {"platform": self.platform, "kind": self.kind, "url": self.url, "method": self.evidence.method}


@dataclass(frozen=True)
class PersonFact:
    """A named person with whatever contact points sat in the same block as the name."""

    name: str
    evidence: Evidence
    job_title: str | None = None
    email: str | None = None
    phone: str | None = None  # E.164
    profiles: dict[str, str] = field(default_factory=dict)  # platform -> normalized URL

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "job_title": self.job_title,
            "email": self.email,
            "phone": self.phone,
            "profiles": dict(sorted(self.profiles.items())),
            "method": self.evidence.method,
        }

    def __hash__(self) -> int:  # profiles is a dict; identity is name + contact points
        return hash((self.name, self.job_title, self.email, self.phone, tuple(sorted(self.profiles.items()))))


@dataclass(frozen=True)
class CompanyFact:
    """The company a page belongs to: display name and registered domain."""

    name: str | None
    domain: str
    evidence: Evidence

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "domain": self.domain, "method": self.evidence.method}


@dataclass(frozen=True)
class SignalFact:
    """A buying signal seen on a page (``crawler.extract.signals``): name, where, and how sure.

    ``confidence`` says how direct the evidence is (a valid JobPosting 0.95, an undated funding
    sentence 0.4); scorers count a signal as detected from 0.5 up. ``detail`` holds what the
    evidence states (open role count, funding amount and round, the date it is from); ``reasons``
    the short list of what counted ("JobPosting in JSON-LD", "careers path /jobs/"); ``page_date``
    the date of the page or block it was read from (ISO), when it states one.
    """

    name: str
    url: str
    evidence: Evidence
    confidence: float
    detail: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    reasons: tuple[str, ...] = field(default=(), hash=False, compare=False)
    page_date: str | None = field(default=None, hash=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "url": self.url,
            "method": self.evidence.method,
            "evidence": self.evidence.snippet,
            "confidence": self.confidence,
            "detail": dict(self.detail),
            "reasons": list(self.reasons),
            "page_date": self.page_date,
        }


@dataclass(frozen=True)
class FirmographicFact:
    """One enrichment fact (``crawler.extract.firmographics``): ``employees``, ``location``,
    ``country``, ``industry`` — a value with its evidence and a confidence for how direct it is."""

    name: str
    value: Any
    url: str
    evidence: Evidence
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": self.value,
            "url": self.url,
            "method": self.evidence.method,
            "evidence": self.evidence.snippet,
            "confidence": self.confidence,
        }


@dataclass(frozen=True)
class PostalAddressFact:
    """A postal address the page states for its company (``crawler.extract.address``).

    Parts the page does not state are None (a footer may give postcode and city only); ``country``
    is ISO 3166 alpha-2 when recognised. ``confidence``: structured data 0.95, an ``<address>``
    block or footer 0.8, an imprint or contact page's text 0.7.
    """

    street: str | None
    postal_code: str | None
    city: str | None
    region: str | None
    country: str | None
    url: str
    evidence: Evidence
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "street": self.street,
            "postal_code": self.postal_code,
            "city": self.city,
            "region": self.region,
            "country": self.country,
            "url": self.url,
            "method": self.evidence.method,
            "confidence": self.confidence,
        }


@dataclass
class PageFacts:
    """Everything the extractors found on one page."""

    url: str
    emails: list[EmailFact] = field(default_factory=list)
    phones: list[PhoneFact] = field(default_factory=list)
    socials: list[SocialFact] = field(default_factory=list)
    people: list[PersonFact] = field(default_factory=list)
    company: CompanyFact | None = None
    # filled for lead qualification (pipelines/qualify.py); left out of to_dict, which the
    # contact fixtures compare exactly
    signals: list[SignalFact] = field(default_factory=list)
    firmographics: list[FirmographicFact] = field(default_factory=list)
    # the company's postal addresses on this page, best first (the company record, not a lead's)
    addresses: list[PostalAddressFact] = field(default_factory=list)
    text: str = ""  # visible text, trimmed (QUALIFY_TEXT_CHARS): the LLM scorer's data

    def to_dict(self) -> dict[str, Any]:
        """The comparison form used by the fixture tests (evidence snippets left out)."""
        return {
            "url": self.url,
            "emails": [f.to_dict() for f in self.emails],
            "phones": [f.to_dict() for f in self.phones],
            "socials": [f.to_dict() for f in self.socials],
            "people": [f.to_dict() for f in self.people],
            "company": self.company.to_dict() if self.company else None,
        }
