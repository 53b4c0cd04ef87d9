"""LeadMergePipeline: one lead candidate per contact and run, and one company record per domain."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from crawler.extract.facts import PageFacts, PostalAddressFact
from crawler.extract.leads import (
    LeadCandidate,
    NameMatch,
    join_emails_by_name,
    lead_candidates,
)
from crawler.items import PageItem

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

# Company name evidence, best first.
NAME_RANK = {
    "jsonld": 0,
    "microdata": 0,
    "rdfa": 0,
    "opengraph": 1,
    "application-name": 2,
    "title": 3,
    "logo": 4,
}
MAX_COMPANY_PROFILES = 50  # a site links its own profiles a handful of times; more is noise


@dataclass
class CompanyRecord:
    """What the run has learnt about one company (registered domain) beyond its leads.

    ``profiles`` are the company's own social profiles (``SocialFact.kind == "company"``), keyed by
    normalized URL in first-seen order, each with the page it came from; ``address`` is the best
    postal address stated so far (structured data before an ``<address>`` block or footer before
    an imprint page's text; the first one seen among equals). ``version`` grows with every change,
    so the store writes the record again only when it changed.
    """

    domain: str
    profiles: dict[str, dict[str, str]] = field(default_factory=dict)
    address: PostalAddressFact | None = None
    version: int = 0

    def add(self, facts: PageFacts) -> None:
        for social in facts.socials:
            if social.kind != "company" or social.url in self.profiles:
                continue
            if len(self.profiles) >= MAX_COMPANY_PROFILES:
                break
            self.profiles[social.url] = {
                "platform": social.platform,
                "url": social.url,
                "source_url": facts.url,
            }
            self.version += 1
        for address in facts.addresses:
            if self.address is None or _address_rank(address) > _address_rank(self.address):
                self.address = address
                self.version += 1

    def lead_profiles(self) -> dict[str, str]:
        """The first profile per platform: what a company-level lead carries."""
        out: dict[str, str] = {}
        for profile in self.profiles.values():
            out.setdefault(profile["platform"], profile["url"])
        return out


def _address_rank(address: PostalAddressFact) -> tuple[float, int]:
    parts = sum(1 for p in (address.street, address.postal_code, address.city, address.country) if p)
    return address.confidence, parts


class LeadMergePipeline:
    """Builds lead candidates from a page's facts and merges them with earlier pages of the run.

    The identity rule (README.md, Leads) decides what is the same contact; the same contact seen
    on another page gains that page as a sighting and fills its gaps (name, title, phone,
    profiles). A named person is the same person as an earlier candidate of the same company with
    the same folded name (unless their emails or phones differ), and a person without an email is
    joined with an address seen on another page whose local part spells their full name when
    nobody else's could be it (``jane.doe@``, ``jdoe@``); the better identity key wins (email,
    phone, profile, name) and the store folds leads stored under the others into it. Merging with
    leads of earlier jobs happens in the store pipeline, by the same identity keys.
    ``item.leads`` gets the (shared, updated) candidates this page contributed to,
    ``item.company_record`` the company's record (``CompanyRecord``), ``item.identities`` the
    candidate each identity key written on this page names now (updates of the index
    ``candidates``, which the later pipelines keep a copy of) and ``item.company_name`` the best
    company name of the domain so far (kept in ``company_names``).
    """

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.candidates: dict[str, LeadCandidate] = {}
        self.people: dict[tuple[str, str], LeadCandidate] = {}
        self.domain_people: dict[str, dict[tuple[str, str], LeadCandidate]] = {}  # the same, by domain
        # nameless personal addresses per domain, which a person named later may turn out to own
        self.unnamed: dict[str, dict[str, LeadCandidate]] = {}
        self.company_names: dict[str, tuple[int, str]] = {}
        self.companies: dict[str, CompanyRecord] = {}
        self.written: set[str] = set()  # identity keys written into ``candidates`` on this page

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LeadMergePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageItem):
            return item
        company = item.facts.company
        if company and company.name:
            rank = NAME_RANK.get(company.evidence.method, 5)
            best = self.company_names.get(item.company_domain)
            if best is None or rank < best[0]:
                self.company_names[item.company_domain] = (rank, company.name)
        record = self.companies.setdefault(item.company_domain, CompanyRecord(item.company_domain))
        record.add(item.facts)
        item.company_record = record
        merged: list[LeadCandidate] = []
        self.written = set()
        for candidate in lead_candidates(item.facts, item.company_domain):
            known = self.candidates.get(candidate.identity_key) or self._same_person(candidate)
            if known is None:
                self.stats.inc_value("leadscraper/merge/new")
                known = candidate
            elif known.identity_key == candidate.identity_key:
                known.merge(candidate)
                self.stats.inc_value("leadscraper/merge/merged")
            else:
                known.absorb(candidate)  # same person under another key (a name, a phone)
                self.stats.inc_value("leadscraper/merge/rekeyed")
            self._absorb_namesake(known)
            self._register(known)
            if all(c is not known for c in merged):
                merged.append(known)
        item.leads = merged
        item.identities = {key: self.candidates[key] for key in self.written}
        item.company_name = self.company_name(item.company_domain)
        return item

    def _put(self, key: str, known: LeadCandidate) -> None:
        self.candidates[key] = known
        self.written.add(key)

    def _register(self, known: LeadCandidate) -> None:
        self._put(known.identity_key, known)
        for key in known.previous_keys:
            self._put(key, known)
        person = known.person_key
        if person:
            registered = self.people.get(person)
            if registered is None or not self.is_current(registered):
                self.people[person] = known
                self.domain_people.setdefault(known.company_domain, {})[person] = known
        unnamed = self.unnamed.setdefault(known.company_domain, {})
        if known.email and not known.full_name and known.contact_type == "personal":
            unnamed[known.email] = known
        elif known.email:
            unnamed.pop(known.email, None)

    def is_current(self, candidate: LeadCandidate) -> bool:
        """False for a candidate another one absorbed (its key now names that one)."""
        return self.candidates.get(candidate.identity_key) is candidate

    def _absorb_namesake(self, known: LeadCandidate) -> None:
        """A candidate that just gained a name may be a person the run already holds under another
        key (a name-only sighting, then a nameless address, then a card with both): one lead."""
        person = known.person_key
        other = self.people.get(person) if person else None
        if other is None or other is known or not self.is_current(other) or not known.can_absorb(other):
            return
        known.absorb(other)
        self._put(other.identity_key, known)
        self.stats.inc_value("leadscraper/merge/rekeyed")

    def _same_person(self, candidate: LeadCandidate) -> LeadCandidate | None:
        """An earlier candidate of the same person, if they can be one: the same named person at
        the same company, or a person and an address elsewhere on the site that spells their name."""
        key = candidate.person_key
        known = self.people.get(key) if key else None
        if known is not None and known.can_absorb(candidate):
            return known
        if candidate.contact_type != "personal" or bool(candidate.email) == bool(candidate.full_name):
            return None
        domain = candidate.company_domain
        nameless = [
            p for p in self.domain_people.get(domain, {}).values() if not p.email and self.is_current(p)
        ]
        names = [p.full_name for p in nameless if p.full_name]
        if candidate.full_name:  # a person without an address: one seen alone elsewhere?
            unnamed = {e: c for e, c in self.unnamed.get(domain, {}).items() if self.is_current(c)}
            names = list(dict.fromkeys([candidate.full_name, *names]))
            email = join_emails_by_name(names, list(unnamed), NameMatch.FULL).get(candidate.full_name)
            owner = unnamed.get(email) if email else None
        else:  # an address alone: the person seen without one elsewhere?
            joined = join_emails_by_name(names, [candidate.email or ""], NameMatch.FULL)
            owners = [p for p in nameless if p.full_name in joined]
            owner = owners[0] if len(owners) == 1 else None
        return owner if owner is not None and owner.can_absorb(candidate) else None

    def company_name(self, domain: str) -> str | None:
        best = self.company_names.get(domain)
        return best[1] if best else None
