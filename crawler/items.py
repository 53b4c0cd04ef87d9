"""The spider → pipeline contract: one ``PageItem`` per crawled HTML page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from crawler.extract.facts import PageFacts


@dataclass
class PageItem:
    """What one page of one job yielded.

    ``facts`` is the extractors' output; ``leads`` is filled by ``LeadMergePipeline`` with the lead
    candidates built from it (merged with the ones earlier pages of the same run produced), and
    ``company_record`` with what the run knows of the company beyond its leads (its own profiles,
    its postal address: ``pipelines.merge.CompanyRecord``).
    """

    job_id: str
    account_id: str
    job_url_id: int | None
    url: str
    depth: int
    facts: PageFacts
    company_domain: str
    fetched_with: str = "http"  # http | browser
    leads: list[Any] = field(default_factory=list)
    company_record: Any = None
