"""The job lifecycle: every status change of a job and of its URLs — create, start, claim under a
lease, progress, cancel, complete, fail, reap — happens here, whoever asks for it (the spider's
JobProgress extension, the API's cancel, the worker's reaper)."""

from __future__ import annotations

import os
import socket
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from db.credits import estimate_credits, release_job_credits
from db.eta import estimate_first
from db.leads import job_lead_count
from db.models import (
    JOB_FINAL_STATUSES,
    JOB_OPEN_STATUSES,
    Job,
    JobStatus,
    JobUrl,
    JobUrlStatus,
    UrlOutcome,
)
from db.outbox import record_job_finished
from db.types import utcnow

DEFAULT_OPTIONS: dict[str, Any] = {
    "depth": 1,
    "extract_emails": True,
    "extract_phones": True,
    "extract_social": True,
    "qualify_leads": True,
    "render_js": "auto",
}
# How long a claim holds without renewal (the spider renews its claims every progress tick, and
# passes its own LEADSCRAPER_LEASE_SECONDS), and how long a processing job may go without a
# heartbeat before the reaper fails it (the worker passes LEADSCRAPER_STALE_JOB_MINUTES).
DEFAULT_LEASE = timedelta(seconds=600)
DEFAULT_STALE_AFTER = timedelta(minutes=15)
OPEN_URL_STATUSES = (JobUrlStatus.PENDING, JobUrlStatus.CLAIMED)
CANCELLED_REASON = "not crawled: the job was cancelled"
OUT_OF_CREDITS_REASON = "not crawled: the account's credits ran out"
OUT_OF_CREDITS_PREFIX = "Out of credits"  # how an out-of-credits job's failure_reason begins


class CrawlStop(StrEnum):
    """Why a spider process stopped working on a job (``end_crawl`` turns it into a status)."""

    FINISHED = "finished"
    """Its share of the job is done: nothing left it could claim."""
    CANCELLED = "cancelled"
    """The job was cancelled (the cancel already gave it its status)."""
    OUT_OF_CREDITS = "insufficient_credits"
    """The account cannot pay for the job's next URL."""
    LIMIT = "limit"
    """The job's time limit or the process's memory limit was reached."""
    INTERRUPTED = "interrupted"
    """Anything else stopped the process (a shutdown signal, an engine error)."""


def create_job(
    session: Session,
    account_id: str,
    job_type: str,
    urls: Sequence[str],
    options: dict[str, Any] | None = None,
    *,
    source: str = "api",
    idempotency_key: str | None = None,
    request_hash: str | None = None,
) -> Job:
    """Store a job and one ``JobUrl`` row per URL (bulk insert), in the caller's transaction."""
    opts = {**DEFAULT_OPTIONS, **(options or {})}
    # E-mail verification is part of qualifying leads unless the job says otherwise.
    opts.setdefault("verify_emails", bool(opts["qualify_leads"]))
    job = Job(
        account_id=account_id,
        type=job_type,
        status=JobStatus.PENDING,
        options=opts,
        source=source,
        total_urls=len(urls),
        credits_estimated=estimate_credits(len(urls), opts),
        idempotency_key=idempotency_key,
        request_hash=request_hash,
        created_at=utcnow(),
    )
    job.estimated_completion = job.created_at + estimate_first(session, account_id, len(urls), opts)
    session.add(job)
    session.flush()
    if urls:
        session.execute(
            insert(JobUrl),
            [
                {"job_id": job.id, "position": i, "url": u, "status": JobUrlStatus.PENDING}
                for i, u in enumerate(urls)
            ],
        )
    return job


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim_job_urls(
    session: Session,
    job_id: str,
    limit: int,
    *,
    worker: str | None = None,
    now: datetime | None = None,
    lease: timedelta = DEFAULT_LEASE,
) -> list[JobUrl]:
    """Claim up to ``limit`` pending (or lease-expired) URLs of a job for this process.

    On PostgreSQL the rows are locked with ``FOR UPDATE SKIP LOCKED`` so several spider processes
    can work one job without taking the same URL. SQLite has no row locks and its SELECT runs before
    the write lock is taken, so two processes can read the same open rows: there each row is taken
    by an UPDATE that repeats the open condition, and a row another process took first is skipped.
    """
    now = now or utcnow()
    still_open = (JobUrl.status == JobUrlStatus.PENDING) | (
        (JobUrl.status == JobUrlStatus.CLAIMED) & (JobUrl.lease_expires_at < now)
    )
    stmt = select(JobUrl).where(JobUrl.job_id == job_id, still_open).order_by(JobUrl.position).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        rows = list(session.scalars(stmt.with_for_update(skip_locked=True)))
    else:
        rows = []
        for row in session.scalars(stmt).all():
            taken = session.execute(
                update(JobUrl)
                .where(JobUrl.id == row.id, still_open)
                .values(status=JobUrlStatus.CLAIMED)
                .execution_options(synchronize_session=False)
            )
            if taken.rowcount == 1:  # type: ignore[attr-defined]
                rows.append(row)
    for row in rows:
        row.status = JobUrlStatus.CLAIMED
        row.claimed_by = worker or worker_name()
        row.lease_expires_at = now + lease
        row.started_at = row.started_at or now
        if row.crawled_at is not None:  # crawled by a process that died before storing it
            row.crawled_at, row.pages_crawled = None, 0
    session.flush()
    return rows


def renew_leases(
    session: Session,
    url_ids: Iterable[int],
    now: datetime | None = None,
    lease: timedelta = DEFAULT_LEASE,
    *,
    worker: str | None = None,
) -> None:
    """Extend the leases of claimed URLs (only those ``worker`` holds, when given)."""
    ids = list(url_ids)
    if ids:
        held = JobUrl.status == JobUrlStatus.CLAIMED
        if worker is not None:
            held &= JobUrl.claimed_by == worker
        session.execute(
            update(JobUrl).where(JobUrl.id.in_(ids), held).values(lease_expires_at=(now or utcnow()) + lease)
        )


def heartbeat(
    session: Session,
    job_id: str,
    claimed: Iterable[int],
    lease: timedelta = DEFAULT_LEASE,
    *,
    worker: str | None = None,
    crawled: Mapping[int, tuple[datetime, int]] | None = None,
) -> Job | None:
    """A running spider's tick: its claims renewed, the URLs it has crawled since the last tick
    marked so (``mark_crawled``), the job's heartbeat set; returns the job row."""
    renew_leases(session, claimed, lease=lease, worker=worker)
    if crawled:
        mark_crawled(session, crawled, worker=worker)
    session.execute(update(Job).where(Job.id == job_id).values(heartbeat_at=utcnow()))
    return session.get(Job, job_id)


def mark_crawled(
    session: Session, crawled: Mapping[int, tuple[datetime, int]], *, worker: str | None = None
) -> None:
    """Record that claimed URLs were crawled (url id → when the crawl ended, pages read) while their
    outcomes wait for the store; only rows still claimed (by ``worker``, when given) change."""
    held = JobUrl.status == JobUrlStatus.CLAIMED
    if worker is not None:
        held &= JobUrl.claimed_by == worker
    rows = [
        {"id": url_id, "crawled_at": at, "pages_crawled": pages} for url_id, (at, pages) in crawled.items()
    ]
    # a row whose status changed since is skipped; the session's objects are not synchronised
    session.execute(update(JobUrl).where(held).execution_options(synchronize_session=None), rows)


def url_outcome(
    url_id: int,
    status: JobUrlStatus,
    *,
    reason: str | None = None,
    outcome: UrlOutcome | None = None,
    credits_charged: int = 0,
    last_error: str | None = None,
    http_status: int | None = None,
    pages_crawled: int = 0,
    pages_failed: int = 0,
    pages_rendered: int = 0,
    leads_found: int = 0,
) -> dict[str, Any]:
    """One URL's outcome (``done``: crawled, ``failed`` or ``refused`` with a reason, and its
    outcome code and charge), as ``finish_job_urls`` records it."""
    return {
        "id": url_id,
        "status": status,
        "reason": reason,
        "outcome": outcome,
        "credits_charged": credits_charged,
        "last_error": last_error,
        "http_status": http_status,
        "pages_crawled": pages_crawled,
        "pages_failed": pages_failed,
        "pages_rendered": pages_rendered,
        "leads_found": leads_found,
        "lease_expires_at": None,
    }


def finish_job_urls(session: Session, outcomes: Sequence[dict[str, Any]]) -> None:
    """Record many URLs' outcomes (``url_outcome`` rows) in one executemany UPDATE by primary key."""
    if outcomes:
        now = utcnow()
        session.execute(update(JobUrl), [{**row, "finished_at": now} for row in outcomes])


def refresh_job_progress(session: Session, job_id: str) -> Job | None:
    """Recount a job's counters from its ``JobUrl`` and sighting rows (several processes may share a job)."""
    counts = dict(
        session.execute(
            select(JobUrl.status, func.count()).where(JobUrl.job_id == job_id).group_by(JobUrl.status)
        ).all()
    )
    pages = session.scalar(
        select(func.coalesce(func.sum(JobUrl.pages_crawled), 0)).where(JobUrl.job_id == job_id)
    )
    done = counts.get(JobUrlStatus.DONE, 0)
    failed = counts.get(JobUrlStatus.FAILED, 0) + counts.get(JobUrlStatus.REFUSED, 0)
    values: dict[str, Any] = {
        "processed_urls": done + failed,
        "successful_urls": done,
        "failed_urls": failed,
        "pages_crawled": int(pages or 0),
        "leads_found": job_lead_count(session, job_id),
        "heartbeat_at": utcnow(),
    }
    session.execute(update(Job).where(Job.id == job_id).values(**values))
    return session.get(Job, job_id)


def launch_accepted(session: Session, job_id: str) -> bool:
    """A crawler node took the job and has a free slot for it: ``processing`` at progress 0.

    Its spider process takes seconds to start, and a client polling ``while status ==
    'processing'`` must not read that gap as the end. ``heartbeat_at`` stays empty until the spider
    itself starts (``start_job``), which is how the reaper tells a launch that never started from a
    crawl that died. False when the job is no longer pending (its spider was quicker, or a cancel).
    """
    result = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == JobStatus.PENDING)
        .values(status=JobStatus.PROCESSING, started_at=func.coalesce(Job.started_at, utcnow()))
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def count_urls_with_reason(session: Session, job_id: str, reason: str) -> int:
    """How many of a job's URLs ended with this reason (e.g. the crawler's no-browser note), alone
    or among the notes of a URL's reason (``stopped at the page cap ...; <note>``)."""
    stmt = select(func.count()).where(
        JobUrl.job_id == job_id, JobUrl.reason.contains(reason, autoescape=True)
    )
    return int(session.scalar(stmt) or 0)


def start_job(session: Session, job_id: str) -> bool:
    """A spider process starts on a job: processing, with its first heartbeat; False when the job
    already ended (cancelled, or reaped because this start came too late)."""
    now = utcnow()
    result = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status.in_(JOB_OPEN_STATUSES))
        .values(status=JobStatus.PROCESSING, started_at=func.coalesce(Job.started_at, now), heartbeat_at=now)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def finish_job(session: Session, job_id: str, status: JobStatus, reason: str | None = None) -> bool:
    """Move a job to a final status once; False if another process (or a cancel) ended it first."""
    return _end_job(session, job_id, status, failure_reason=reason)


def cancel_job(session: Session, job_id: str) -> bool:
    """Cancel a pending or processing job; False when it had already ended.

    Its spiders see the status at their next progress tick and stop; what they stored stays. The
    unused reservation comes back now; URLs a spider still finishes are charged from the balance.
    """
    if not _end_job(session, job_id, JobStatus.CANCELLED, cancel_requested_at=utcnow()):
        return False
    # URLs no spider holds end now; those a spider holds end when it finishes or lets them go
    end_open_urls(session, job_id, UrlOutcome.CANCELLED, CANCELLED_REASON, statuses=(JobUrlStatus.PENDING,))
    return True


def _end_job(session: Session, job_id: str, status: JobStatus, **values: Any) -> bool:
    assert status in JOB_FINAL_STATUSES
    result = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status.in_(JOB_OPEN_STATUSES))
        .values(status=status, completed_at=utcnow(), **values)
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        return False
    # The unused part of the reservation comes back with the final status, in one transaction.
    release_job_credits(session, job_id)
    # job.completed / job.failed (cancelled: none) commit or roll back with the status change.
    record_job_finished(session, job_id, outcome_counts(session, job_id))
    return True


def end_crawl(session: Session, job_id: str, worker: str | None, stop: CrawlStop, detail: str = "") -> Job:
    """A spider process stopped working on a job: decide the job's final status, if it has one yet.

    The URLs this process claimed but never finished go back to the pool for other processes. Then,
    unless other live processes still hold URLs of the job, it ends: ``completed`` when its URLs are
    done and one was crawled, ``failed`` when all failed, the credits ran out, or the process was
    interrupted; a time or memory limit (``detail`` says which) fails the URLs it left and the job
    is ``completed`` if it crawled one. A cancelled job keeps its status. Returns the job row.
    """
    if worker:
        session.execute(
            update(JobUrl)
            .where(
                JobUrl.job_id == job_id, JobUrl.status == JobUrlStatus.CLAIMED, JobUrl.claimed_by == worker
            )
            .values(status=JobUrlStatus.PENDING, claimed_by=None, lease_expires_at=None)
        )
    job = refresh_job_progress(session, job_id)
    assert job is not None
    others = open_url_count(session, job_id)
    if job.status in JOB_OPEN_STATUSES and stop != CrawlStop.CANCELLED:
        if stop == CrawlStop.OUT_OF_CREDITS:
            reason = (
                f"{OUT_OF_CREDITS_PREFIX} after {job.processed_urls} of {job.total_urls} URLs; "
                f"{others} URL(s) were not crawled. Partial results are kept."
            )
            if not held_by_others(session, job.id, worker):
                # before the status, so job.failed counts them among the outcomes
                end_open_urls(session, job.id, UrlOutcome.OUT_OF_CREDITS, OUT_OF_CREDITS_REASON)
                refresh_job_progress(session, job.id)
            finish_job(session, job.id, JobStatus.FAILED, reason)
        elif stop == CrawlStop.FINISHED and others == 0:
            if job.total_urls and job.successful_urls == 0:
                finish_job(session, job.id, JobStatus.FAILED, _all_failed_reason(session, job))
            else:
                finish_job(session, job.id, JobStatus.COMPLETED)
        elif stop == CrawlStop.LIMIT and not held_by_others(session, job.id, worker):
            cut = end_open_urls(session, job.id, UrlOutcome.NOT_CRAWLED, f"not crawled: {detail}")
            job = refresh_job_progress(session, job.id)
            assert job is not None
            status = JobStatus.COMPLETED if job.successful_urls else JobStatus.FAILED
            finish_job(
                session, job.id, status, f"{detail}; {cut} URL(s) were not crawled. Partial results are kept."
            )
        elif stop != CrawlStop.FINISHED and not held_by_others(session, job.id, worker):
            left = f"not crawled: the crawl was interrupted ({detail})"
            end_open_urls(session, job.id, UrlOutcome.NOT_CRAWLED, left)
            refresh_job_progress(session, job.id)
            finish_job(
                session, job.id, JobStatus.FAILED, f"crawl interrupted ({detail}); partial results are kept"
            )
    if job.status not in JOB_OPEN_STATUSES and not held_by_others(session, job.id, worker):
        # URLs let go of by the spiders that saw the job end (a cancel, the credits) end with it
        if end_open_urls(session, job.id, *_left_over(job)):
            refresh_job_progress(session, job.id)
        # a cancelled job's URLs finished after the cancel were charged from the balance;
        # whatever is left of its reservation goes back now (a no-op when already released)
        release_job_credits(session, job.id)
    session.flush()
    session.refresh(job)
    return job


def _left_over(job: Job) -> tuple[UrlOutcome, str]:
    """The outcome and reason of a final job's URLs that no spider will crawl any more."""
    if job.status == JobStatus.CANCELLED:
        return UrlOutcome.CANCELLED, CANCELLED_REASON
    if (job.failure_reason or "").startswith(OUT_OF_CREDITS_PREFIX):
        return UrlOutcome.OUT_OF_CREDITS, OUT_OF_CREDITS_REASON
    return UrlOutcome.NOT_CRAWLED, "not crawled: the job ended first"


def _all_failed_reason(session: Session, job: Job) -> str:
    reasons = Counter(
        r or "unknown"
        for r in session.scalars(select(JobUrl.reason).where(JobUrl.job_id == job.id).limit(1000))
    )
    common = "; ".join(f"{reason} ({n})" for reason, n in reasons.most_common(3))
    return f"all {job.total_urls} URL(s) failed: {common}"


def open_url_count(session: Session, job_id: str, *, exclude_worker: str | None = None) -> int:
    """URLs of a job still waiting or held by another process (``exclude_worker``'s own excluded)."""
    stmt = select(func.count()).where(JobUrl.job_id == job_id, JobUrl.status.in_(OPEN_URL_STATUSES))
    if exclude_worker is not None:
        stmt = stmt.where((JobUrl.status == JobUrlStatus.PENDING) | (JobUrl.claimed_by != exclude_worker))
    return int(session.scalar(stmt) or 0)


def held_by_others(session: Session, job_id: str, worker: str | None, now: datetime | None = None) -> bool:
    """True while another live process holds an unexpired lease on a URL of the job."""
    stmt = select(JobUrl.id).where(
        JobUrl.job_id == job_id,
        JobUrl.status == JobUrlStatus.CLAIMED,
        JobUrl.lease_expires_at >= (now or utcnow()),
    )
    if worker:
        stmt = stmt.where(JobUrl.claimed_by != worker)
    return session.scalar(stmt.limit(1)) is not None


def reap_stale_jobs(
    session: Session,
    now: datetime | None = None,
    stale_after: timedelta = DEFAULT_STALE_AFTER,
    *,
    still_queued: Callable[[Sequence[dict[str, Any]]], bool] | None = None,
) -> list[str]:
    """Fail jobs whose crawl died or never began: processing, no heartbeat for ``stale_after``, no
    live lease.

    A spider killed outright (SIGKILL, a lost node) cannot end its job; without this the job would
    stay ``processing`` for ever. The same holds for a job a node accepted whose spider never
    started (its process failed before it opened the job): no heartbeat at all since the launch.
    Crawled URLs were charged with their outcome, so nothing is charged twice, what was stored
    stays, and the rest of the reservation is refunded by ``finish_job``. A job can still be
    resumed later with ``scrapy crawl leads -a job_id=...`` while it is processing; once reaped,
    it is final. ``still_queued`` (given the job's ``scrapyd_jobs``) spares a job that never started
    because its process still waits in a node's queue: the slot it was promised went to another
    submission, or the node runs fewer processes than ``SCRAPYD_SLOTS_PER_NODE`` says.
    """
    now = now or utcnow()
    cutoff = now - stale_after
    minutes = int(stale_after.total_seconds() // 60)
    stale = session.execute(
        select(Job.id, Job.heartbeat_at, Job.scrapyd_jobs).where(
            Job.status == JobStatus.PROCESSING,
            func.coalesce(Job.heartbeat_at, Job.started_at, Job.created_at) < cutoff,
        )
    ).all()
    reaped = []
    for job_id, heartbeat_at, entries in stale:
        if held_by_others(session, job_id, None, now):
            continue
        if heartbeat_at is None and still_queued is not None and still_queued(entries or []):
            continue
        if heartbeat_at is None:
            reason = (
                f"a crawler node accepted the job but its spider never started within {minutes} minutes "
                "(see that node's log for the job); nothing was crawled"
            )
        else:
            reason = (
                f"the crawl stopped reporting progress for more than {minutes} minutes (its process died); "
                "partial results are kept"
            )
        left = "the spider never started" if heartbeat_at is None else "the crawl process died"
        end_open_urls(session, job_id, UrlOutcome.NOT_CRAWLED, f"not crawled: {left}")
        refresh_job_progress(session, job_id)
        if finish_job(session, job_id, JobStatus.FAILED, reason):
            reaped.append(job_id)
    return reaped


def end_open_urls(
    session: Session,
    job_id: str,
    outcome: UrlOutcome,
    reason: str,
    *,
    statuses: Sequence[JobUrlStatus] = OPEN_URL_STATUSES,
) -> int:
    """End every URL of a job still pending or claimed as failed, for free, with ``outcome``
    (a limit, a cancel or the credits stopped the job before they were crawled)."""
    result = session.execute(
        update(JobUrl)
        .where(JobUrl.job_id == job_id, JobUrl.status.in_(statuses))
        .values(
            status=JobUrlStatus.FAILED,
            outcome=outcome,
            reason=reason,
            finished_at=utcnow(),
            lease_expires_at=None,
        )
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def outcome_counts(session: Session, job_id: str) -> dict[str, int]:
    """How many of a job's URLs ended with each outcome code (codes no URL has are left out)."""
    rows = session.execute(
        select(JobUrl.outcome, func.count())
        .where(JobUrl.job_id == job_id, JobUrl.outcome.is_not(None))
        .group_by(JobUrl.outcome)
    ).all()
    return {str(code): int(n) for code, n in sorted(rows)}
