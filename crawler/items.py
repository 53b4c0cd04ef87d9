"""The spider → pipeline contract: one ``PageItem`` per crawled HTML page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from crawler.extract.facts import PageFacts


@dataclass
class PageItem:
    """What one page of one job yielded, and what each pipeline learnt from it for the next.

    ``facts`` is the extractors' output. ``LeadMergePipeline`` fills ``leads`` with the lead
    candidates built from it (merged with the ones earlier pages of the same run produced),
    ``company_record`` with what the run knows of the company beyond its leads (its own profiles,
    its postal address: ``pipelines.merge.CompanyRecord``), ``identities`` with the candidate each
    identity key written on this page now names, and ``company_name`` with the company's best name
    so far. ``QualifyPipeline`` sets ``qualification`` (the company's, after this page) and
    ``rescored`` (other candidates of the company whose score this page changed).
    ``StorePipeline`` writes all of it.
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
    company_name: str | None = None
    identities: dict[str, Any] = field(default_factory=dict)
    qualification: Any = None
    rescored: list[Any] = field(default_factory=list)
