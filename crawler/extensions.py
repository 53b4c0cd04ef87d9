"""JobProgress: keeps the job row live, obeys cancels, ends the job and prints the crawl's summary.
GarbageCollection: the collector tuned for a crawl's heap."""

from __future__ import annotations

import gc
import json
import logging
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from sqlalchemy import select
from twisted.internet import task
from twisted.internet.threads import deferToThread

from crawler.netguard import describe_allowlist
from crawler.resolver import installed_resolver
from crawler.signals import JOB_STATUS_STAT, CrawlSignal
from db import jobs as jobdb
from db.engine import session_scope
from db.eta import CompletionEstimator, JobMeasure, measure
from db.jobs import CrawlStop
from db.models import JobStatus, Lead, LeadSighting
from db.types import utcnow

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings
    from sqlalchemy.orm import Session

    from crawler.jobrun import JobRun, Seed

logger = logging.getLogger(__name__)
SUMMARY_ROWS = 50
# Spider close reasons that mean a limit ended the job, and how to say so.
LIMIT_REASONS = {
    "closespider_timeout": lambda s: (
        f"the job's time limit ({s.getint('CLOSESPIDER_TIMEOUT')} s) was reached"
    ),
    "memusage_exceeded": lambda s: (
        f"the crawl's memory limit ({s.getint('MEMUSAGE_LIMIT_MB')} MB) was reached"
    ),
}


def log_reaches_console(settings: BaseSettings, level: int) -> bool:
    """True when Scrapy's log shows records of ``level`` on the console (stderr, no log file)."""
    if not settings.getbool("LOG_ENABLED") or settings.get("LOG_FILE"):
        return False
    configured = settings.get("LOG_LEVEL")
    if isinstance(configured, int):
        return configured <= level
    return logging.getLevelNamesMapping().get(str(configured).upper(), logging.DEBUG) <= level


def crawl_stop(reason: str, settings: BaseSettings) -> tuple[CrawlStop, str]:
    """Why the crawl stopped, in the job lifecycle's terms, from a stop or spider close reason."""
    if reason in LIMIT_REASONS:
        return CrawlStop.LIMIT, LIMIT_REASONS[reason](settings)
    if reason in (CrawlStop.FINISHED, CrawlStop.CANCELLED, CrawlStop.OUT_OF_CREDITS):
        return CrawlStop(reason), ""
    return CrawlStop.INTERRUPTED, reason


class JobProgress:
    """Every ``LEADSCRAPER_PROGRESS_INTERVAL`` seconds: renews this process's URL leases (for
    ``LEADSCRAPER_LEASE_SECONDS``: the seeds it crawls and those whose outcome its store has not
    written yet), marks the URLs it crawled since the last tick (their outcomes still wait for the
    store) so every process's estimate counts them, reads the job row, updates its
    ``estimated_completion`` from what the crawl measured (``db.eta``), logs a progress line and
    stops the crawl if the job was cancelled. When the spider closes, db/jobs.py ``end_crawl``
    gives the job its final status — unless another process still holds URLs of it — and a
    summary of the leads the job stored is printed (``LEADSCRAPER_SUMMARY``: off with ``0``).

    Learns the job from ``JOB_OPENED`` and an early stop's reason from ``JOB_STOPPING``.
    """

    def __init__(
        self, crawler: Crawler, interval: float, summary: bool, lease: timedelta, print_progress: bool
    ) -> None:
        self.crawler = crawler
        self.interval = interval
        self.summary = summary
        self.lease = lease
        self.print_progress = print_progress
        self.run: JobRun | None = None
        self.stop_reason: str | None = None
        self.cancelled = False
        self.loop: task.LoopingCall | None = None
        self.polling = False
        # the job's estimated completion, from what each tick measures (read in the poll thread)
        self.estimator = CompletionEstimator()
        self.measured = JobMeasure()
        # seeds this process finished whose outcome the store has not written yet: the estimate
        # counts them now (a busy store can lag many seconds behind the crawl)
        self.unwritten: dict[int, tuple[float, int]] = {}
        # when each of them ended (epoch seconds), until a tick has marked its row crawled: so the
        # other processes of the job count it too (db/jobs.py ``mark_crawled``)
        self.unmarked: dict[int, float] = {}
        self.trace = ""  # LEADSCRAPER_ETA_TRACE: a file that gets every tick and estimate (benchmarks)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> JobProgress:
        settings = crawler.settings
        ext = cls(
            crawler,
            settings.getfloat("LEADSCRAPER_PROGRESS_INTERVAL"),
            settings.getbool("LEADSCRAPER_SUMMARY", True),
            timedelta(seconds=settings.getfloat("LEADSCRAPER_LEASE_SECONDS")),
            settings.getbool("LEADSCRAPER_CONSOLE") and not log_reaches_console(settings, logging.INFO),
        )
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.job_opened, signal=CrawlSignal.JOB_OPENED)
        crawler.signals.connect(ext.job_stopping, signal=CrawlSignal.JOB_STOPPING)
        ext.trace = settings.get("LEADSCRAPER_ETA_TRACE", "")
        crawler.signals.connect(ext.seed_finished, signal=CrawlSignal.SEED_FINISHED)
        crawler.signals.connect(ext.batch_stored, signal=CrawlSignal.BATCH_STORED)
        return ext

    def spider_opened(self, spider: Spider) -> None:
        self.loop = task.LoopingCall(self.tick)
        self.loop.start(self.interval, now=False)

    def job_opened(self, run: JobRun) -> None:
        self.run = run

    def job_stopping(self, reason: str) -> None:
        self.stop_reason = self.stop_reason or reason

    def seed_finished(self, seed: Seed) -> None:
        ended = seed.finished_at or seed.claimed_at
        self.unwritten[seed.url_id] = (max(0.0, ended - seed.claimed_at), seed.pages_ok)
        self.unmarked[seed.url_id] = ended

    def batch_stored(self, batch: Any, unpaid: list[int]) -> None:
        # batch: the store pipeline's Batch (the crawler does not import its pipelines)
        for seed, _keys in batch.seeds:
            self.unwritten.pop(seed.url_id, None)
            self.unmarked.pop(seed.url_id, None)

    def tick(self) -> None:
        run = self.run
        if run is None or self.polling:
            return
        self.polling = True
        # A finished seed stays this process's until the store has written its outcome: a store
        # that lags the crawl by more than a lease would otherwise let another process take the
        # URL over and crawl it again.
        claimed = [*run.claimed_url_ids(), *self.unwritten]
        crawled = {
            url_id: (datetime.fromtimestamp(ended, UTC), self.unwritten[url_id][1])
            for url_id, ended in self.unmarked.items()
        }
        self.unmarked = {}  # a failed poll leaves them unmarked: only the others' estimates miss them
        d = deferToThread(self._poll, run.job_id, claimed, dict(self.unwritten), run.worker or None, crawled)
        d.addCallbacks(
            self._on_snapshot, lambda f: logger.warning("progress poll failed: %s", f.getErrorMessage())
        )
        d.addBoth(lambda _: setattr(self, "polling", False))

    def _poll(
        self,
        job_id: str,
        claimed: list[int],
        unwritten: dict[int, tuple[float, int]] | None = None,
        worker: str | None = None,
        crawled: dict[int, tuple[datetime, int]] | None = None,
    ) -> dict[str, Any]:
        with session_scope() as session:
            job = jobdb.heartbeat(session, job_id, claimed, self.lease, worker=worker, crawled=crawled)
            assert job is not None
            if job.status == JobStatus.PROCESSING and job.started_at is not None:
                now = utcnow()
                tick = measure(session, job_id, job.started_at, now, self.measured, unwritten or {})
                eta = self.estimator.observe(tick)
                if self.trace:
                    with open(self.trace, "a", encoding="utf-8") as out:
                        out.write(json.dumps({**tick.as_dict(), "eta": eta, "pid": os.getpid()}) + "\n")
                if eta is not None:
                    job.estimated_completion = job.started_at + timedelta(seconds=eta)
            return {
                "status": job.status,
                "processed": job.processed_urls,
                "total": job.total_urls,
                "failed": job.failed_urls,
                "pages": job.pages_crawled,
                "leads": job.leads_found,
            }

    def _report(self, snap: dict[str, Any]) -> None:
        """One progress line, in one format: logged, and printed when the log does not reach the
        console (the quiet default of ``scrapy crawl``, or a log file)."""
        stats = self.crawler.stats
        assert stats is not None and self.crawler.spider is not None
        errors = sum(v for k, v in stats.get_stats().items() if k.startswith("leadscraper/page_failed/"))
        pages = stats.get_value("leadscraper/pages_parsed", 0)
        line = (
            f"{pages} pages crawled, {snap['leads']} leads found, {errors} page errors, "
            f"{snap['processed']}/{snap['total']} URLs done"
        )
        spider = self.crawler.spider
        spider.logger.info(line, extra={"job": snap})
        if self.print_progress:
            print(f"[{spider.name}] {line}", file=sys.stderr, flush=True)

    def _on_snapshot(self, snap: dict[str, Any]) -> None:
        self._report(snap)
        if snap["status"] == JobStatus.CANCELLED and not self.cancelled:
            self.cancelled = True
            logger.info("job was cancelled: stopping, partial results are kept")
            self.crawler.signals.send_catch_log(signal=CrawlSignal.JOB_STOPPING, reason=CrawlStop.CANCELLED)
            if self.crawler.engine is not None:
                deferred_from_coro(self.crawler.engine.close_spider_async(reason=CrawlStop.CANCELLED))

    async def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        run = self.run
        if run is None:
            return
        # A last progress line with the final counts: a crawl shorter than the interval shows one
        # too, and a longer one ends with what its store wrote last (pipelines close before this).
        try:
            self._report(await maybe_deferred_to_future(deferToThread(self._poll, run.job_id, [])))
        except Exception as exc:
            logger.warning("progress poll failed: %s", exc)
        stop, detail = crawl_stop(self.stop_reason or reason, self.crawler.settings)
        try:
            result = await maybe_deferred_to_future(deferToThread(self._finish, run, stop, detail))
        except Exception:
            logger.exception("finishing job %s failed", run.job_id)
            return
        self.crawler.stats.set_value(JOB_STATUS_STAT, str(result["job"].status))  # the exit code
        self._print_summary(result)

    def _finish(self, run: JobRun, stop: CrawlStop, detail: str) -> dict[str, Any]:
        """End this process's part of the job (worker thread); returns the job and its summary rows."""
        with session_scope() as session:
            job = jobdb.end_crawl(session, run.job_id, run.worker, stop, detail)
            return {"job": job, "leads": self._summary_rows(session, job.id) if self.summary else []}

    @staticmethod
    def _summary_rows(session: Session, job_id: str) -> list[Lead]:
        lead_ids = select(LeadSighting.lead_id).where(LeadSighting.job_id == job_id).distinct()
        return list(
            session.scalars(
                select(Lead)
                .where(Lead.id.in_(lead_ids))
                .order_by(Lead.company_domain, Lead.email, Lead.id)
                .limit(SUMMARY_ROWS)
            )
        )

    def _print_summary(self, result: dict[str, Any]) -> None:
        job, leads = result["job"], result["leads"]
        if not self.summary:
            return
        out = sys.stdout
        print("", file=out)
        print(
            f"Job {job.id}: {job.status}" + (f" - {job.failure_reason}" if job.failure_reason else ""),
            file=out,
        )
        print(
            f"  URLs: {job.processed_urls}/{job.total_urls} processed, {job.successful_urls} ok, "
            f"{job.failed_urls} failed; pages crawled: {job.pages_crawled}; leads: {job.leads_found}; "
            f"credits used: {job.credits_used}",
            file=out,
        )
        if leads:
            print("", file=out)
            header = ("email", "phone", "name", "title", "company")
            rows = [
                (
                    lead.email or "",
                    lead.phone or "",
                    lead.full_name or "",
                    lead.job_title or "",
                    lead.company_name or lead.company_domain or "",
                )
                for lead in leads
            ]
            widths = [min(40, max(len(h), *(len(r[i]) for r in rows))) for i, h in enumerate(header)]
            print("  " + "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)), file=out)
            for row in rows:
                print("  " + "  ".join(c[:w].ljust(w) for c, w in zip(row, widths, strict=True)), file=out)
            if job.leads_found > len(leads):
                print(f"  ... and {job.leads_found - len(leads)} more", file=out)
        resolver = installed_resolver()
        if resolver is not None:  # which addresses this crawl could reach, and how to allow more
            policy = resolver.policy
            print(
                f"  private networks allowed ({policy.setting}): {describe_allowlist(policy.allow)}", file=out
            )
        print("", file=out)
        print(f"Read them with: GET /v1/leads?job_id={job.id}", file=out)
        out.flush()


class GarbageCollection:
    """Tunes the crawl process's cyclic garbage collector for a heap that only grows.

    A crawl keeps hundreds of thousands of live objects (the merge's leads and company records,
    queued requests, Scrapy's components) and allocates a few hundred more per page. With Python's
    thresholds (700, 10, 10) the collector ran ~5,000 times in a 1,000-site job and walked the whole
    heap 39 times: 25 s of a 92 s crawl, every second of it holding the GIL the reactor thread
    needs (``bench.web``, bench/RESULTS.md section 7). So when the engine starts, the objects that
    live as long as the process are frozen out of all later collections (``gc.freeze``), and the
    youngest generation is collected every ``LEADSCRAPER_GC_THRESHOLD`` allocations (0: Python's
    thresholds, nothing frozen). When the engine stops both are undone: a process that runs more
    than one crawl (the tests) gets its collector back as it was.

    Stats: ``leadscraper/gc/threshold``, ``leadscraper/gc/frozen`` (objects), and for the crawl
    ``leadscraper/gc/collections/<generation>`` and ``leadscraper/gc/ms`` (time spent collecting).
    """

    def __init__(self, crawler: Crawler, threshold: int) -> None:
        self.stats = crawler.stats
        self.threshold = threshold
        self.saved: tuple[int, int, int] | None = None
        self.collections = [0, 0, 0]
        self.seconds = 0.0
        self.started = 0.0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> GarbageCollection:
        ext = cls(crawler, crawler.settings.getint("LEADSCRAPER_GC_THRESHOLD"))
        crawler.signals.connect(ext.engine_started, signal=signals.engine_started)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)  # before the stats dump
        crawler.signals.connect(ext.engine_stopped, signal=signals.engine_stopped)
        return ext

    def engine_started(self) -> None:
        self.saved = gc.get_threshold()
        if self.threshold > 0:
            gc.collect()  # what start-up left behind is garbage, not state to keep forever
            gc.freeze()
            gc.set_threshold(self.threshold, *self.saved[1:])
        self.stats.set_value("leadscraper/gc/threshold", gc.get_threshold()[0])
        self.stats.set_value("leadscraper/gc/frozen", gc.get_freeze_count())
        gc.callbacks.append(self._measure)

    def spider_closed(self, spider: Spider) -> None:
        for generation, count in enumerate(self.collections):
            self.stats.set_value(f"leadscraper/gc/collections/{generation}", count)
        self.stats.set_value("leadscraper/gc/ms", round(self.seconds * 1000))

    def engine_stopped(self) -> None:
        if self.saved is None:
            return
        if self._measure in gc.callbacks:
            gc.callbacks.remove(self._measure)
        if self.threshold > 0:
            gc.unfreeze()
            gc.set_threshold(*self.saved)
        self.saved = None

    def _measure(self, phase: str, info: dict[str, int]) -> None:
        # runs inside the collector, in whichever thread allocated: two calls per collection
        if phase == "start":
            self.started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self.started
            self.collections[info["generation"]] += 1
