"""QualifyPipeline: per-company evidence, lead scores that converge, and the LLM refinement off-thread."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from twisted.internet import defer
from twisted.internet.threads import deferToThread

from crawler.extract.leads import LeadCandidate
from crawler.items import PageItem
from crawler.signals import CrawlSignal
from db.engine import session_scope
from db.llm_cache import cached_answer, store_answer
from db.models import Company, Lead
from db.outbox import record_lead_qualified
from pipelines.llm import (
    LlmConfig,
    LlmError,
    apply_answer,
    build_messages,
    cache_key,
    complete,
    fallback,
    parse_answer,
)
from pipelines.members import CompanyMembers
from pipelines.scoring import (
    CompanyEvidence,
    CompanyQualification,
    LeadFeatures,
    Weights,
    features_of_row,
    qualify_company,
    score_lead,
    write_score,
)

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from crawler.jobrun import JobRun
    from pipelines.store import Batch

logger = logging.getLogger(__name__)


class QualifyPipeline:
    """Scores every lead candidate from its company's evidence so far and its own facts.

    Evidence (signals, enrichment facts, page text) accumulates per company domain. When a page
    changes what the company is worth, every live candidate of that company is rescored and handed
    to the store on the item (``item.rescored``), so a lead stored from the home page before the
    careers page was crawled is rewritten with the better score: scores converge within the run.
    The store writes the company's row from ``item.qualification``.

    With ``LLM_MODEL`` set, once the store has written the batch holding a company's finished seed
    (``BATCH_STORED``), one LLM call per company runs in a worker thread; its answer (or the
    built-in score with a note, on any failure) is written in its own transaction to the company
    and all its leads, and announced (``COMPANY_REFINED``). When the store has closed
    (``STORE_CLOSED``) the companies not refined yet are, and the close waits for every call.
    Answers are cached by content hash (``llm_answers``).

    The job option ``qualify_leads=false`` switches all of it off for that job. Settings:
    ``LEADSCRAPER_SCORE_WEIGHTS``, ``LLM_MODEL``, ``LLM_TIMEOUT``, ``LLM_MAX_RETRIES``, ``LLM_API_BASE``.
    """

    def __init__(self, crawler: Crawler, weights: Weights, llm: LlmConfig | None) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.weights = weights
        self.llm = llm
        self.companies: dict[str, CompanyEvidence] = {}
        self.qualified: dict[str, CompanyQualification] = {}
        self.refined: dict[str, CompanyQualification] = {}  # LLM answers (or fallbacks), final
        self.members = CompanyMembers()
        self.requested: set[str] = set()
        self.pending: list[defer.Deferred[Any]] = []
        self.run: JobRun | None = None
        self.enabled = True

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> QualifyPipeline:
        settings = crawler.settings
        pipeline = cls(
            crawler,
            Weights.from_json(settings.get("LEADSCRAPER_SCORE_WEIGHTS")),
            LlmConfig.from_settings(settings),
        )
        crawler.signals.connect(pipeline.job_opened, signal=CrawlSignal.JOB_OPENED)
        if pipeline.llm is not None:
            crawler.signals.connect(pipeline.batch_stored, signal=CrawlSignal.BATCH_STORED)
            crawler.signals.connect(pipeline.store_closed, signal=CrawlSignal.STORE_CLOSED)
        return pipeline

    def job_opened(self, run: JobRun) -> None:
        self.run = run
        self.enabled = bool(run.options.get("qualify_leads", True))

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageItem) or not self.enabled:
            return item
        domain = item.company_domain
        evidence = self.companies.setdefault(domain, CompanyEvidence(domain))
        evidence.add(item.facts)
        self.members.add(item)
        before = self.qualified.get(domain)
        company = self.refined.get(domain) or qualify_company(evidence, self.weights)
        self.qualified[domain] = company
        item.qualification = company
        changed = before is None or before.fingerprint != company.fingerprint
        now = datetime.now(UTC)
        for candidate in item.leads:
            self._apply(candidate, company, now)
        if changed:
            others = [c for c in self.members.live(domain) if all(c is not own for own in item.leads)]
            for candidate in others:
                self._apply(candidate, company, now)
            if others:
                item.rescored.extend(c for c in others if all(c is not r for r in item.rescored))
                self.stats.inc_value("leadscraper/qualify/rescored", len(others))
        self.stats.inc_value("leadscraper/qualify/pages")
        return item

    def _apply(self, candidate: LeadCandidate, company: CompanyQualification, now: datetime) -> None:
        write_score(candidate, score_lead(company, features_of(candidate), self.weights), now)

    # -- LLM refinement ---------------------------------------------------------------------------

    def batch_stored(self, batch: Batch, unpaid: list[int]) -> None:
        for seed, _ in batch.seeds:
            self._request(seed.domain, batch.account_id, batch.job_id)

    def _request(self, domain: str, account_id: str, job_id: str) -> None:
        if self.llm is None or domain in self.requested or domain not in self.qualified:
            return
        self.requested.add(domain)
        evidence = self.companies[domain]
        builtin = qualify_company(evidence, self.weights)
        d = deferToThread(
            refine_company,
            self.llm,
            self.weights,
            account_id,
            job_id,
            domain,
            evidence.data(),
            evidence.trimmed_text(),
            evidence.content_hash(),
            builtin,
            self.stats,
        )
        d.addCallback(self._refined, domain)
        d.addErrback(lambda f: logger.error("LLM refinement of %s failed: %s", domain, f.getTraceback()))
        self.pending.append(d)

    def _refined(self, company: CompanyQualification, domain: str) -> None:
        # Later pages of this company (rare: its seed has finished) keep the refined company part.
        self.refined[domain] = company
        self.qualified[domain] = company
        now = datetime.now(UTC)
        for candidate in self.members.live(domain):
            self._apply(candidate, company, now)
        self.crawler.signals.send_catch_log(
            signal=CrawlSignal.COMPANY_REFINED, domain=domain, qualification=company
        )

    def store_closed(self) -> defer.Deferred[Any]:
        """The store has written everything: refine the companies not refined yet, and wait for all."""
        if self.run is not None:
            for domain in list(self.qualified):
                self._request(domain, self.run.account_id, self.run.job_id)
        return defer.DeferredList(self.pending, consumeErrors=True)


def features_of(candidate: LeadCandidate) -> LeadFeatures:
    return LeadFeatures(
        contact_type=candidate.contact_type,
        email=candidate.email,
        phone=candidate.phone,
        full_name=candidate.full_name,
        job_title=candidate.job_title,
        has_profile=bool(candidate.profiles),
        email_status=candidate.email_verification.status.value if candidate.email_verification else None,
    )


def refine_company(
    config: LlmConfig,
    weights: Weights,
    account_id: str,
    job_id: str,
    domain: str,
    data: dict[str, Any],
    text: str,
    content_hash: str,
    builtin: CompanyQualification,
    stats: Any = None,
) -> CompanyQualification:
    """Ask the LLM (or its cache) about one company and write the outcome (worker thread).

    Any failure — transport, timeout, malformed or out-of-range answer, even the cache — gives
    the built-in qualification with a note saying why; the leads are stored already either way.
    """

    def count(name: str) -> None:
        if stats is not None:
            stats.inc_value(f"leadscraper/qualify/llm_{name}")

    key = cache_key(config, content_hash)
    try:
        with session_scope() as session:
            answer = cached_answer(session, key)
        if answer is not None:
            count("cache_hits")
        else:
            count("calls")
            answer = parse_answer(complete(config, build_messages(data, text)))
            with session_scope() as session:
                store_answer(session, key, config.model, content_hash, answer)
        company = apply_answer(builtin, answer, weights)
    except LlmError as exc:
        count("fallbacks")
        logger.warning("LLM scoring of %s failed (%s); using the built-in score", domain, exc)
        company = fallback(builtin, str(exc))
    except Exception as exc:  # never lose a qualification to an unexpected error: fall back
        count("fallbacks")
        logger.exception("LLM scoring of %s failed", domain)
        company = fallback(builtin, type(exc).__name__)
    write_company_qualification(account_id, job_id, domain, company, content_hash, weights)
    return company


def write_company_qualification(
    account_id: str,
    job_id: str | None,
    domain: str,
    company: CompanyQualification,
    content_hash: str | None,
    weights: Weights,
) -> list[str]:
    """Write a company's qualification and rescore all its stored leads, in one transaction."""
    now = datetime.now(UTC)
    with session_scope() as session:
        row = session.scalars(
            select(Company).where(Company.account_id == account_id, Company.domain == domain)
        ).one_or_none()
        if row is not None:
            for key, value in company.company_row().items():
                setattr(row, key, value)
            row.content_hash = content_hash
            row.enriched_at = now
        ids = rescore_stored_leads(session, account_id, domain, company, weights, now)
        # lead.qualified (webhooks) for leads this answer lifted to >= 70, in the same transaction
        record_lead_qualified(session, account_id, ids, job_id=job_id)
    return ids


def rescore_stored_leads(
    session: Session,
    account_id: str,
    domain: str,
    company: CompanyQualification,
    weights: Weights,
    now: datetime | None = None,
) -> list[str]:
    """Score every stored lead of the company from its qualification; returns their ids."""
    now = now or datetime.now(UTC)
    leads: Iterable[Lead] = session.scalars(
        select(Lead).where(Lead.account_id == account_id, Lead.company_domain == domain)
    )
    ids = []
    for lead in leads:
        write_score(lead, score_lead(company, features_of_row(lead), weights), now)
        ids.append(lead.id)
    return ids
