"""JobProgress: keeps the job row live, obeys cancels, ends the job and prints the crawl's summary."""

from __future__ import annotations

import logging
import sys
from collections import Counter
from typing import Any

from scrapy import signals
from scrapy.utils.defer import maybe_deferred_to_future
from sqlalchemy import select, update
from twisted.internet import task
from twisted.internet.threads import deferToThread

from db import jobs as jobdb
from db.accounts import release_job_credits
from db.engine import session_scope
from db.models import Job, JobUrl, Lead, LeadSighting
from db.types import utcnow

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


class JobProgress:
    """Every ``LEADSCRAPER_PROGRESS_INTERVAL`` seconds: renews this process's URL leases, reads the
    job row, logs a progress line and stops the crawl if the job was cancelled. When the spider
    closes it gives the job its final status — unless another process still holds URLs of it — and
    prints a summary of the leads the job stored (``LEADSCRAPER_SUMMARY``: off with ``0``).
    """

    def __init__(self, crawler: Any, interval: float, summary: bool) -> None:
        self.crawler = crawler
        self.interval = interval
        self.summary = summary
        self.loop: task.LoopingCall | None = None
        self.polling = False

    @classmethod
    def from_crawler(cls, crawler: Any) -> JobProgress:
        ext = cls(
            crawler,
            crawler.settings.getfloat("LEADSCRAPER_PROGRESS_INTERVAL"),
            crawler.settings.getbool("LEADSCRAPER_SUMMARY", True),
        )
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Any) -> None:
        self.loop = task.LoopingCall(self.tick)
        self.loop.start(self.interval, now=False)

    def tick(self) -> None:
        run = getattr(self.crawler.spider, "run", None)
        if run is None or self.polling:
            return
        self.polling = True
        claimed = [s.url_id for s in run.seeds.values() if not s.finished]
        d = deferToThread(self._poll, run.job_id, claimed)
        d.addCallbacks(
            self._on_snapshot, lambda f: logger.warning("progress poll failed: %s", f.getErrorMessage())
        )
        d.addBoth(lambda _: setattr(self, "polling", False))

    def _poll(self, job_id: str, claimed: list[int]) -> dict[str, Any]:
        with session_scope() as session:
            jobdb.renew_leases(session, claimed)
            session.execute(update(Job).where(Job.id == job_id).values(heartbeat_at=utcnow()))
            job = session.get(Job, job_id)
            assert job is not None
            return {
                "status": job.status,
                "processed": job.processed_urls,
                "total": job.total_urls,
                "failed": job.failed_urls,
                "pages": job.pages_crawled,
                "leads": job.leads_found,
            }

    def _report(self, snap: dict[str, Any]) -> None:
        stats = self.crawler.stats
        logger.info(
            "progress: %(processed)d/%(total)d URLs, %(failed)d failed, %(leads)d leads",
            snap,
            extra={"job": snap},
        )
        errors = sum(v for k, v in stats.get_stats().items() if k.startswith("leadscraper/page_failed/"))
        pages = stats.get_value("leadscraper/pages_parsed", 0)
        print(
            f"[leads] {pages} pages crawled, {snap['leads']} leads found, {errors} page errors, "
            f"{snap['processed']}/{snap['total']} URLs done",
            file=sys.stderr,
            flush=True,
        )

    def _on_snapshot(self, snap: dict[str, Any]) -> None:
        self._report(snap)
        if snap["status"] == "cancelled":
            spider = self.crawler.spider
            logger.info("job was cancelled: stopping, partial results are kept")
            spider.close_job_early("cancelled")

    async def spider_closed(self, spider: Any, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        run = getattr(spider, "run", None)
        if run is None:
            return
        # A last progress line with the final counts: a crawl shorter than the interval shows one
        # too, and a longer one ends with what its store wrote last (pipelines close before this).
        try:
            self._report(await maybe_deferred_to_future(deferToThread(self._poll, run.job_id, [])))
        except Exception as exc:
            logger.warning("progress poll failed: %s", exc)
        try:
            result = await maybe_deferred_to_future(
                deferToThread(self._finish, run, reason, getattr(spider, "worker", None))
            )
        except Exception:
            logger.exception("finishing job %s failed", run.job_id)
            return
        self._print_summary(result)

    def _finish(self, run: Any, reason: str, worker: str | None) -> dict[str, Any]:
        """Decide the job's final status (worker thread)."""
        stop = run.stop_reason or reason
        with session_scope() as session:
            # URLs this process claimed but never finished go back to the pool for others.
            if worker:
                session.execute(
                    update(JobUrl)
                    .where(
                        JobUrl.job_id == run.job_id, JobUrl.status == "claimed", JobUrl.claimed_by == worker
                    )
                    .values(status="pending", claimed_by=None, lease_expires_at=None)
                )
            job = jobdb.refresh_job_progress(session, run.job_id)
            assert job is not None
            others = jobdb.open_url_count(session, run.job_id)
            if job.status in ("pending", "processing") and stop != "cancelled":
                if stop == "insufficient_credits":
                    jobdb.finish_job(
                        session,
                        job.id,
                        "failed",
                        f"Out of credits after {job.processed_urls} of {job.total_urls} URLs; "
                        f"{others} URL(s) were not crawled. Partial results are kept.",
                    )
                elif stop == "finished" and others == 0:
                    if job.total_urls and job.successful_urls == 0:
                        jobdb.finish_job(session, job.id, "failed", _all_failed_reason(session, job))
                    else:
                        jobdb.finish_job(session, job.id, "completed")
                elif stop in LIMIT_REASONS and not jobdb.held_by_others(session, job.id, worker):
                    why = LIMIT_REASONS[stop](self.crawler.settings)
                    cut = jobdb.fail_open_urls(session, job.id, f"not crawled: {why}")
                    job = jobdb.refresh_job_progress(session, job.id)
                    assert job is not None
                    status = "completed" if job.successful_urls else "failed"
                    jobdb.finish_job(
                        session,
                        job.id,
                        status,
                        f"{why}; {cut} URL(s) were not crawled. Partial results are kept.",
                    )
                elif stop != "finished" and not jobdb.held_by_others(session, job.id, worker):
                    jobdb.finish_job(
                        session, job.id, "failed", f"crawl interrupted ({stop}); partial results are kept"
                    )
            if job.status not in ("pending", "processing") and not jobdb.held_by_others(
                session, job.id, worker
            ):
                # a cancelled job's URLs finished after the cancel were charged from the balance;
                # whatever is left of its reservation goes back now (a no-op when already released)
                release_job_credits(session, job.id)
            session.flush()
            session.refresh(job)
            return {"job": job, "leads": self._summary_rows(session, job.id) if self.summary else []}

    @staticmethod
    def _summary_rows(session: Any, job_id: str) -> list[Lead]:
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
        print("", file=out)
        print(f"Read them with: GET /v1/leads?job_id={job.id}", file=out)
        out.flush()


def _all_failed_reason(session: Any, job: Job) -> str:
    reasons = Counter(
        r or "unknown"
        for r in session.scalars(select(JobUrl.reason).where(JobUrl.job_id == job.id).limit(1000))
    )
    common = "; ".join(f"{reason} ({n})" for reason, n in reasons.most_common(3))
    return f"all {job.total_urls} URL(s) failed: {common}"
