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
        merged = []
        for candidate in lead_candidates(item.facts, item.company_domain):
            known = self.candidates.get(candidate.identity_key)
            if known is None:
                self.candidates[candidate.identity_key] = candidate
                self.stats.inc_value("leadscraper/merge/new")
                merged.append(candidate)
            else:
                known.merge(candidate)
                self.stats.inc_value("leadscraper/merge/merged")
                merged.append(known)
        item.leads = merged
        return item

    def company_name(self, domain: str) -> str | None:
        best = self.company_names.get(domain)
        return best[1] if best else None
