"""StorePipeline: batched upserts of companies, leads and sightings, off Scrapy's reactor thread."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from twisted.internet import defer, reactor, task
from twisted.internet.threads import deferToThread

from crawler.extract.leads import (
    DEDICATED_PROFILE_COLUMNS,
    LeadCandidate,
    identity_rank,
    person_identity,
    person_name_key,
)
from crawler.items import PageItem
from crawler.jobrun import Seed
from crawler.signals import CrawlSignal
from db import jobs as jobdb
from db.credits import charge_urls, url_price
from db.engine import session_scope
from db.leads import (
    add_sightings,
    attach_company_profiles,
    fold_many,
    named_people,
    upsert_companies,
    upsert_leads,
)
from db.models import Job, JobUrlStatus, UrlOutcome
from db.outbox import record_lead_qualified
from db.privacy import remember_people
from db.signal_history import apply_signal_history
from db.types import utcnow
from pipelines.qualify import rescore_stored_leads
from pipelines.scoring import Weights

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from crawler.jobrun import JobRun
    from pipelines.scoring import CompanyQualification

logger = logging.getLogger(__name__)


@dataclass
class Batch:
    """One flush: plain rows copied on the reactor thread, written in a worker thread."""

    job_id: str
    account_id: str
    credits_per_url: int
    companies: dict[str, str | None] = field(default_factory=dict)
    leads: list[dict[str, Any]] = field(default_factory=list)
    sightings: list[tuple[str, str, str]] = field(default_factory=list)  # identity_key, url, method
    seeds: list[tuple[Seed, set[str]]] = field(default_factory=list)  # finished seed, its leads' keys
    rekeys: list[tuple[str, set[str]]] = field(default_factory=list)  # new key, keys it replaces
    # domain -> the company's signals/enrichment/score/notes (CompanyQualification.company_row)
    qualifications: dict[str, dict[str, Any]] = field(default_factory=dict)
    # domain -> what the site states about the company: own profiles, postal address (company_details)
    details: dict[str, dict[str, Any]] = field(default_factory=dict)
    versions: dict[str, int] = field(default_factory=dict)  # the company records' versions in details
    # domain -> every signal's best sighting so far (CompanyQualification.found): merged into history
    found: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # domains whose site crawl finished whole in this batch: signals it did not find have ended
    complete: set[str] = field(default_factory=set)
    # domain -> its qualification, to rescore its stored leads when its signals change
    qualified: dict[str, CompanyQualification] = field(default_factory=dict)
    # people named beside suppressed contacts since the last flush (JobRun.suppressed_people)
    suppressed_people: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    taken_at: float = 0.0  # time.monotonic() when the flush took it


class StorePipeline:
    """Writes leads in batches (``LEADSCRAPER_STORE_BATCH`` leads or every
    ``LEADSCRAPER_STORE_INTERVAL`` seconds) in a thread, so a slow database never stalls downloads.

    Each flush is one transaction: companies (every company a page of the batch belongs to, with
    its own profiles and address when they changed), then leads (merged with earlier jobs' leads by
    identity key), their sightings, the company's profiles onto its role leads, then the outcome
    and credit charge of every seed URL that has finished (``SEED_FINISHED``) — a seed's leads are
    always written before, or with, its outcome. Company names, qualifications, records and the
    merge's identity index come with the items; after each flush ``BATCH_STORED`` says what was
    written. The job's first lead is written at once (with its domain's other leads, not the other
    sites'); after it, the leads, sightings and company of a domain one of this process's seeds
    still crawls wait for that seed's end (every page of the site can change them: written once
    instead of after every page, half the rows on the simulated web), and the close writes
    whatever still waits. When a charge fails for lack of
    credits the job stops (``JOB_STOPPING``) and the engine closes the spider (reason
    ``insufficient_credits``). On close, the last flush is followed by ``STORE_CLOSED``.
    """

    def __init__(self, crawler: Crawler, batch_size: int, interval: float) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.batch_size = batch_size
        self.interval = interval
        # keyed by object identity: a merge may re-key a candidate between two flushes
        self.dirty: dict[int, LeadCandidate] = {}
        self.sightings: dict[tuple[int, str], tuple[LeadCandidate, str]] = {}
        self.seed_keys: dict[int, set[str]] = {}
        # companies a page was stored for since the last flush, their records and the versions written
        self.company_domains: set[str] = set()
        self.company_records: dict[str, Any] = {}
        self.written_versions: dict[str, int] = {}
        self.finished: list[Seed] = []  # seeds whose outcome is for the next flush
        self.company_names: dict[str, str | None] = {}
        self.qualifications: dict[str, CompanyQualification] = {}
        # identity key -> the candidate it names now (the merge's index, from item.identities)
        self.identities: dict[str, LeadCandidate] = {}
        self.run: JobRun | None = None
        self.weights = Weights()  # from_crawler reads LEADSCRAPER_SCORE_WEIGHTS
        self.flushing: defer.Deferred[Any] | None = None
        self.lead_flushed = False  # a page with leads has been flushed at once (the first lead)
        self.first_domain: str | None = None  # that page's company domain
        # people this crawl saw beside suppressed contacts (those known at the job's start never
        # pass ValidatePipeline): their leads already buffered are not written
        self.learned_people: set[str] = set()
        # After the first lead, a company's leads wait while a seed of its domain still crawls:
        # every page of the site can change them (merges, rescoring), and written once they are
        # written about half as often. ``held``: how many of ``dirty`` the last flush left waiting.
        self.holding = False
        self.held = 0
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        pipeline = cls(
            crawler,
            crawler.settings.getint("LEADSCRAPER_STORE_BATCH"),
            crawler.settings.getfloat("LEADSCRAPER_STORE_INTERVAL"),
        )
        pipeline.weights = Weights.from_json(crawler.settings.get("LEADSCRAPER_SCORE_WEIGHTS"))
        crawler.signals.connect(pipeline.job_opened, signal=CrawlSignal.JOB_OPENED)
        crawler.signals.connect(pipeline.seed_finished, signal=CrawlSignal.SEED_FINISHED)
        crawler.signals.connect(pipeline.company_refined, signal=CrawlSignal.COMPANY_REFINED)
        return pipeline

    def job_opened(self, run: JobRun) -> None:
        self.run = run

    def seed_finished(self, seed: Seed) -> None:
        self.finished.append(seed)

    def company_refined(self, domain: str, qualification: CompanyQualification) -> None:
        self.qualifications[domain] = qualification

    def open_spider(self, spider: Any = None) -> None:
        self.loop = task.LoopingCall(self.flush)
        self.loop.start(self.interval, now=False).addErrback(
            lambda f: logger.error("store loop stopped: %s", f.getTraceback())
        )

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageItem):
            return item
        domain = item.company_domain
        self.company_domains.add(domain)
        if item.company_record is not None:
            self.company_records[domain] = item.company_record
        self.company_names[domain] = item.company_name
        if item.qualification is not None:
            self.qualifications[domain] = item.qualification
        self.identities.update(item.identities)
        keys = self.seed_keys.setdefault(item.job_url_id or -1, set())
        for candidate in item.leads:
            self.dirty[id(candidate)] = candidate
            keys.add(candidate.identity_key)
            method = next((m for u, m in candidate.sightings if u == item.url), "text")
            self.sightings.setdefault((id(candidate), item.url), (candidate, method))
        for candidate in item.rescored:  # their score changed: written again with the next flush
            self.dirty[id(candidate)] = candidate
        self.stats.inc_value("leadscraper/store/pages")
        if len(self.dirty) - self.held >= self.batch_size:
            self.flush()
        elif item.leads and not self.lead_flushed:
            # The first lead is what a user waits for: written now, not at the next interval.
            self.lead_flushed = True
            self.first_domain = domain
            self._flush_now()
        return item

    def _flush_now(self) -> None:
        """Flush on the reactor's next turn (this page's item is buffered by then), or right after
        the flush in progress."""
        if self.flushing is None:
            task.deferLater(reactor, 0, self.flush)  # flush() reports its own errors
        else:
            self.flushing.addBoth(self._flush_after)

    def _flush_after(self, result: Any) -> Any:
        self.flush()  # the finished flush has cleared ``flushing`` (its own callback ran first)
        return result

    def flush(self, final: bool = False) -> defer.Deferred[Any]:
        """Write what is buffered and ready (``final``: everything); flushes never overlap (a busy one
        is chained)."""
        if self.flushing is not None:
            return self.flushing
        batch = self._take_batch(final)
        if batch is None:
            return defer.succeed(None)
        batch.taken_at = time.monotonic()
        d = deferToThread(self._write, batch)
        d.addCallbacks(self._written, self._write_failed, callbackArgs=(batch,), errbackArgs=(batch,))

        def done(result: Any) -> Any:
            self.flushing = None
            return result

        d.addBoth(done)
        self.flushing = d
        return d

    def _take_batch(self, final: bool = False) -> Batch | None:
        run = self.run
        if run is None:
            return None
        if (
            not self.dirty
            and not self.sightings
            and not self.finished
            and not self.company_domains
            and not run.suppressed_people
        ):
            return None
        finished, self.finished = self.finished, []
        batch = Batch(job_id=run.job_id, account_id=run.account_id, credits_per_url=run.credits_per_url)
        identities = self.identities

        def current(candidate: LeadCandidate) -> LeadCandidate:
            # a candidate another absorbed is written as that one (the merge re-keyed it there)
            return identities.get(candidate.identity_key, candidate)

        def current_key(key: str) -> str:
            known = identities.get(key)
            return known.identity_key if known is not None else key

        # the domains whose leads wait: a seed of theirs still crawls, none finished in this batch;
        # the batch of the job's first lead writes that lead's domain only (the others' half-read
        # sites would be written twice, their people re-keyed and folded when their e-mails turn up)
        waiting: set[str] = set()
        if (self.holding or self.lead_flushed) and not final:
            waiting = {seed.domain for seed in run.seeds.values()} - {seed.domain for seed in finished}
            if not self.holding and self.first_domain is not None:
                waiting.discard(self.first_domain)
        held: dict[int, LeadCandidate] = {}
        held_sightings: dict[tuple[int, str], tuple[LeadCandidate, str]] = {}
        ready = list(self.dirty.items())
        ready_sightings = self.sightings
        if waiting:
            held = {k: c for k, c in ready if current(c).company_domain in waiting}
            ready = [(k, c) for k, c in ready if k not in held]
            held_sightings = {
                k: v for k, v in self.sightings.items() if current(v[0]).company_domain in waiting
            }
            ready_sightings = {k: v for k, v in self.sightings.items() if k not in held_sightings}
        held_domains = self.company_domains & waiting
        batch.suppressed_people, run.suppressed_people = run.suppressed_people, {}
        for people in batch.suppressed_people.values():
            self.learned_people |= people
        live = {id(c): c for c in (current(c) for _, c in ready)}
        if self.learned_people:
            # a person of a suppressed contact the buffer had before a page showed them beside it
            live = {k: c for k, c in live.items() if not suppressed_person(c, self.learned_people)}
        domains = (self.company_domains - held_domains) | {c.company_domain for c in live.values()}
        for domain in sorted(domains):
            batch.companies[domain] = self.company_names.get(domain)
            qualification = self.qualifications.get(domain)
            if qualification is not None:
                batch.qualifications[domain] = qualification.company_row()
            record = self.company_records.get(domain)
            if record is not None and record.version > self.written_versions.get(domain, 0):
                batch.details[domain] = company_details(record)
                batch.versions[domain] = record.version
        for candidate in live.values():
            batch.leads.append(lead_row(candidate, run.job_id, batch.companies[candidate.company_domain]))
        sightings = {
            (current(c).identity_key, url): method for (_, url), (c, method) in ready_sightings.items()
        }
        batch.sightings = [(key, url, method) for (key, url), method in sightings.items()]
        batch.rekeys = [(c.identity_key, set(c.previous_keys)) for c in live.values() if c.previous_keys]
        # a seed's leads by their current keys: a name seen on one page and re-keyed onto its email
        # on another is one lead of the seed, not two
        batch.seeds = [
            (seed, {current_key(key) for key in self.seed_keys.pop(seed.url_id, set())}) for seed in finished
        ]
        # a seed that read its site whole (done, not stopped by the page cap) has seen every signal
        # (and no other seed of the domain still reads it here: what it has not found yet may come)
        crawling = {seed.domain for seed in run.seeds.values()}
        batch.complete = {
            seed.domain
            for seed, keys in batch.seeds
            if seed.domain in self.qualifications
            and seed.domain not in crawling
            and seed.outcome(len(keys))[2] in (UrlOutcome.OK, UrlOutcome.NO_CONTACTS)
        }
        for domain in sorted(domains | batch.complete):
            qualification = self.qualifications.get(domain)
            if qualification is not None:
                batch.found[domain] = qualification.found
                batch.qualified[domain] = qualification
        self.dirty, self.sightings, self.company_domains = held, held_sightings, held_domains
        self.held = len(held)
        self.holding = self.holding or bool(batch.leads)
        self.stats.max_value("leadscraper/store/held_max", len(held))
        return batch

    def _write(self, batch: Batch) -> list[int]:
        """The database work of one flush (worker thread). Returns the seed ids it could not charge."""
        with session_scope() as session:
            company_ids = upsert_companies(
                session,
                batch.account_id,
                batch.companies,
                batch.qualifications,
                details=batch.details,
                job_id=batch.job_id,
            )
            for row in batch.leads:
                row["company_id"] = company_ids.get(row["company_domain"])
            renamed = match_known_people(session, batch)
            # a row that took a stored lead's key takes its earlier keys along
            fold_many(session, batch.account_id, [(renamed.get(new, new), old) for new, old in batch.rekeys])
            lead_ids = upsert_leads(session, batch.account_id, batch.leads)
            for old_key, new_key in renamed.items():
                lead_ids.setdefault(old_key, lead_ids[new_key])
            rescored = self._signal_history(session, batch)
            attach_company_profiles(session, company_ids.values())
            add_sightings(
                session,
                [
                    {"lead_id": lead_ids[key], "job_id": batch.job_id, "source_url": url, "method": method}
                    for key, url, method in batch.sightings
                    if key in lead_ids
                ],
            )
            if batch.suppressed_people:
                remember_people(session, batch.account_id, batch.suppressed_people, person_identity)
            unpaid = charge_seeds(session, batch)
            jobdb.finish_job_urls(
                session,
                [seed_outcome(seed, keys, batch.credits_per_url, unpaid) for seed, keys in batch.seeds],
            )
            # lead.qualified for this batch's leads now scored ≥ 70 and never announced; last, so it
            # sees scores written anywhere in this transaction, and commits or rolls back with them.
            record_lead_qualified(
                session, batch.account_id, [*lead_ids.values(), *rescored], job_id=batch.job_id
            )
            jobdb.refresh_job_progress(session, batch.job_id)
        return unpaid

    def _signal_history(self, session: Any, batch: Batch) -> list[str]:
        """Merge the batch's signals into its companies' history (``company.signal_detected`` for
        each that opened on a re-crawl); a company whose signals opened or ended has all its stored
        leads rescored, those this crawl did not find again too. Returns the rescored lead ids."""
        if not batch.found and not batch.complete:
            return []
        job = session.get(Job, batch.job_id)
        changes = apply_signal_history(
            session,
            batch.account_id,
            batch.found,
            batch.complete,
            job_id=batch.job_id,
            job_created_at=job.created_at if job is not None else None,
            now=utcnow(),
        )
        ids: list[str] = []
        for change in changes:
            qualification = batch.qualified.get(change.domain)
            if qualification is not None:
                ids += rescore_stored_leads(
                    session, batch.account_id, change.domain, qualification, self.weights
                )
            self.stats.inc_value("leadscraper/store/signals_opened", len(change.opened))
            self.stats.inc_value("leadscraper/store/signals_ended", len(change.ended))
        return ids

    def _written(self, unpaid: list[int], batch: Batch) -> None:
        for domain, version in batch.versions.items():
            self.written_versions[domain] = max(version, self.written_versions.get(domain, 0))
        self.stats.inc_value("leadscraper/store/leads_written", len(batch.leads))
        self.stats.inc_value("leadscraper/store/flushes")
        # how long the batches take to write (taken → written, reactor time): a flush in progress
        # holds every outcome finished meanwhile back until the next one
        ms = round((time.monotonic() - batch.taken_at) * 1000)
        self.stats.inc_value("leadscraper/store/flush_ms", ms)
        self.stats.max_value("leadscraper/store/flush_ms_max", ms)
        self.stats.max_value("leadscraper/store/flush_leads_max", len(batch.leads))
        self.stats.max_value("leadscraper/store/flush_seeds_max", len(batch.seeds))
        self.crawler.signals.send_catch_log(signal=CrawlSignal.BATCH_STORED, batch=batch, unpaid=unpaid)
        if unpaid:
            logger.warning("out of credits: %d crawled URL(s) could not be charged; stopping", len(unpaid))
            reason = jobdb.CrawlStop.OUT_OF_CREDITS
            self.crawler.signals.send_catch_log(signal=CrawlSignal.JOB_STOPPING, reason=reason)
            if self.crawler.engine is not None:
                deferred_from_coro(self.crawler.engine.close_spider_async(reason=reason))

    def _write_failed(self, failure: Any, batch: Batch) -> None:
        # Keep the rows: put them back so the next flush retries them instead of losing leads.
        logger.error("storing %d leads failed, will retry: %s", len(batch.leads), failure.getErrorMessage())
        self.stats.inc_value("leadscraper/store/flush_errors")
        self.finished[:0] = [seed for seed, _ in batch.seeds]
        for row in batch.leads:
            candidate = self.identities.get(row["identity_key"])
            if candidate is not None:
                self.dirty.setdefault(id(candidate), candidate)
        for key, url, method in batch.sightings:
            candidate = self.identities.get(key)
            if candidate is not None:
                self.sightings.setdefault((id(candidate), url), (candidate, method))
        for seed, keys in batch.seeds:
            self.seed_keys.setdefault(seed.url_id, set()).update(keys)
        self.company_domains |= set(batch.companies)

    def has_pending(self) -> bool:
        return bool(
            self.dirty or self.sightings or self.company_domains or self.finished or self.flushing is not None
        )

    async def close_spider(self, spider: Any = None) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        for _ in range(5):  # a failed write is retried a few times before giving up
            if self.flushing is not None:
                await maybe_deferred_to_future(self.flushing)
            await maybe_deferred_to_future(self.flush(final=True))
            if not self.has_pending():
                break
        await self.crawler.signals.send_catch_log_async(signal=CrawlSignal.STORE_CLOSED)


def suppressed_person(candidate: LeadCandidate, suppressed: set[str]) -> bool:
    """A personal lead without an email whose person a suppression is for (``person:`` keys)."""
    return (
        candidate.contact_type == "personal"
        and candidate.email is None
        and bool(candidate.full_name)
        and person_identity(candidate.full_name or "", candidate.company_domain) in suppressed
    )


def seed_outcome(seed: Seed, lead_keys: set[str], per_url: int, unpaid: Sequence[int] = ()) -> dict[str, Any]:
    """A finished seed URL's ``job_urls`` row update: status, outcome, charge, page and lead counts.

    A crawled URL the credits could not cover ends ``out_of_credits``, free; its leads are kept.
    """
    status, reason, code = seed.outcome(len(lead_keys))
    charged = seed_price(seed, lead_keys, per_url)
    if seed.url_id in unpaid:
        status, code, charged = JobUrlStatus.FAILED, UrlOutcome.OUT_OF_CREDITS, 0
        reason = "crawled, but the account's credits ran out before it could be paid; its leads are kept"
    return jobdb.url_outcome(
        seed.url_id,
        status,
        reason=reason,
        outcome=code,
        credits_charged=charged,
        last_error=seed.last_error,
        http_status=seed.http_status,
        pages_crawled=seed.pages_ok,
        pages_failed=seed.pages_failed,
        pages_rendered=seed.pages_rendered,
        leads_found=len(lead_keys),
    )


def seed_price(seed: Seed, lead_keys: set[str], per_url: int) -> int:
    """What a finished seed costs: the URL's price when it was crawled, nothing when it failed."""
    if seed.outcome(len(lead_keys))[0] != JobUrlStatus.DONE:
        return 0
    return url_price(per_url, rendered=seed.rendered)


def charge_seeds(session: Any, batch: Batch) -> list[int]:
    """Charge the batch's crawled seed URLs; returns the ids of those the credits could not cover.

    A URL that fails costs nothing; the prices and the charging are db/credits.py's.
    """
    prices = [
        (seed.url_id, price)
        for seed, keys in batch.seeds
        if (price := seed_price(seed, keys, batch.credits_per_url))
    ]
    return charge_urls(session, batch.account_id, batch.job_id, prices)


def match_known_people(session: Any, batch: Batch) -> dict[str, str]:
    """Join this batch's named people with the same people stored by earlier jobs.

    The same person is a personal lead with the same folded name at the same company whose email
    and phone do not contradict the row's (two different addresses are two people, namesakes at
    two companies never meet). Of a row and the stored leads of its person the best identity key
    wins (email, then phone, profile, name: ``IdentityRank``): a row holding it folds the stored
    leads into itself (a re-key, ``batch.rekeys``: a name-only lead whose email turns up); a row
    with a weaker key takes the best stored lead's key (a person seen again without the address
    they were stored with) and the other stored leads fold into that one. Returns
    ``{batch key: stored key}`` for rows that took a stored key.
    """
    people = [r for r in batch.leads if r["contact_type"] == "personal" and r["full_name"]]
    if not people:
        return {}
    stored: dict[tuple[str, str], list[tuple[str, str | None, str | None]]] = {}
    for key, name, email, phone, domain in named_people(
        session, batch.account_id, [r["company_domain"] for r in people]
    ):
        stored.setdefault((person_name_key(name), domain), []).append((key, email, phone))
    renamed: dict[str, str] = {}
    taken = {r["identity_key"] for r in batch.leads}
    for row in people:
        own = row["identity_key"]
        same = [
            (key, email, phone)
            for key, email, phone in stored.get(
                (person_name_key(row["full_name"]), row["company_domain"]), []
            )
            if key != own and _same_contact(row["email"], row["phone"], email, phone)
        ]
        if not same:
            continue
        best = min(same, key=lambda match: identity_rank(match[0]))
        if identity_rank(best[0]) >= identity_rank(own):
            batch.rekeys.append((own, {key for key, _, _ in same}))
            continue
        if best[0] in taken:
            continue  # another row of this batch is that lead already
        renamed[own] = row["identity_key"] = best[0]
        taken.add(best[0])
        others = {
            key
            for key, email, phone in same
            if key != best[0] and _same_contact(best[1], best[2], email, phone)
        }
        if others:
            batch.rekeys.append((best[0], others))
    return renamed


def _same_contact(
    email: str | None, phone: str | None, other_email: str | None, other_phone: str | None
) -> bool:
    """No two different emails, no two different phones (unless the emails agree): may be one person."""
    if email and other_email and email != other_email:
        return False
    return not (phone and other_phone and phone != other_phone and email != other_email)


def company_details(record: Any) -> dict[str, Any]:
    """What the store writes of a company record (``pipelines.merge.CompanyRecord``): its own
    profiles with their source pages, and its postal address."""
    address = record.address
    return {
        "profiles": list(record.profiles.values()),
        "address": None
        if address is None
        else {
            "street": address.street,
            "postal_code": address.postal_code,
            "city": address.city,
            "region": address.region,
            "country": address.country,
            "source_url": address.url,
        },
    }


def lead_row(candidate: LeadCandidate, job_id: str, company_name: str | None) -> dict[str, Any]:
    """The ``leads`` table row of a candidate (first sighting decides source URL and job)."""
    profiles = dict(sorted(candidate.profiles.items()))
    return {
        "identity_key": candidate.identity_key,
        "contact_type": candidate.contact_type,
        "email": candidate.email,
        "phone": candidate.phone,
        "phone_national": candidate.phone_national,
        "full_name": candidate.full_name,
        "job_title": candidate.job_title,
        "company_name": company_name,
        "company_domain": candidate.company_domain,
        **{column: profiles.get(platform) for platform, column in DEDICATED_PROFILE_COLUMNS.items()},
        "social_profiles": profiles,
        "source_url": candidate.sightings[0][0] if candidate.sightings else None,
        "job_id": job_id,
        "lead_score": candidate.lead_score,
        "lead_status": candidate.lead_status,
        "qualification_notes": candidate.qualification_notes,
        "signals_detected": list(candidate.signals_detected),
        "enrichment_data": dict(candidate.enrichment_data),
        "signals": [dict(s) for s in candidate.signals],
        "score_breakdown": [dict(c) for c in candidate.score_breakdown],
        "enriched_at": candidate.enriched_at,
        **verification_columns(candidate),
    }


def verification_columns(candidate: LeadCandidate) -> dict[str, Any]:
    """The verification of the candidate's address and its guessed one, as ``leads`` columns (all
    None when the job did not verify: the stored values then stay, ``db.leads.upsert_leads``)."""
    verified = candidate.email_verification
    guess = candidate.email_guess
    return {
        "email_status": verified.status.value if verified else None,
        "email_checks": [check.to_dict() for check in verified.checks] if verified else None,
        "verified_at": verified.verified_at if verified else None,
        "email_guess": guess.to_dict() if guess is not None and not candidate.email else None,
    }
