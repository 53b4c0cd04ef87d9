"""LeadMergePipeline: one lead candidate per contact and run, whatever page it was seen on."""

from __future__ import annotations

from typing import Any

from crawler.extract.leads import LeadCandidate, lead_candidates
from crawler.items import PageItem

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


class LeadMergePipeline:
    """Builds lead candidates from a page's facts and merges them with earlier pages of the run.

    The identity rule (DESIGN.md) decides what is the same contact; the same contact seen on
    another page gains that page as a sighting and fills its gaps (name, title, phone, profiles).
    Merging with leads of earlier jobs happens in the store pipeline, by the same identity key.
    ``item.leads`` gets the (shared, updated) candidates this page contributed to.
    The best company name per domain is kept in ``company_names``.
    """

    def __init__(self, crawler: Any) -> None:
        self.stats = crawler.stats
        self.candidates: dict[str, LeadCandidate] = {}
        self.people: dict[tuple[str, str], LeadCandidate] = {}
        self.company_names: dict[str, tuple[int, str]] = {}

    @classmethod
    def from_crawler(cls, crawler: Any) -> LeadMergePipeline:
        pipeline = cls(crawler)
        crawler.leadscraper_merge = pipeline  # the store pipeline reads company names from here
        return pipeline

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageItem):
            return item
        company = item.facts.company
        if company and company.name:
            rank = NAME_RANK.get(company.evidence.method, 5)
            best = self.company_names.get(item.company_domain)
            if best is None or rank < best[0]:
                self.company_names[item.company_domain] = (rank, company.name)
        merged: list[LeadCandidate] = []
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
            self.candidates[known.identity_key] = known
            for key in known.previous_keys:
                self.candidates[key] = known
            if known.person_key:
                self.people.setdefault(known.person_key, known)
            if all(c is not known for c in merged):
                merged.append(known)
        item.leads = merged
        return item

    def _same_person(self, candidate: LeadCandidate) -> LeadCandidate | None:
        """An earlier candidate of the same named person at the same company, if they can be one."""
        key = candidate.person_key
        known = self.people.get(key) if key else None
        if known is not None and known.can_absorb(candidate):
            return known
        return None

    def company_name(self, domain: str) -> str | None:
        best = self.company_names.get(domain)
        return best[1] if best else None
