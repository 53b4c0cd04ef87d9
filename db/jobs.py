"""Jobs and their URLs: creation, claiming under a lease, per-URL outcomes and progress counters."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from db.models import JOB_FINAL_STATUSES, Job, JobUrl
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
RENDER_SURCHARGE = 1  # credits added to a URL whose pages needed the browser
# How long a claim holds without renewal; the spider renews its claims every progress tick.
LEASE = timedelta(seconds=float(os.environ.get("LEADSCRAPER_LEASE_SECONDS", "600")))


def estimate_credits(url_count: int, options: dict[str, Any]) -> int:
    """DESIGN.md: URLs x (1 + 1 if ``qualify_leads``), + 1 a URL when ``render_js`` is ``always``.

    With ``render_js: auto`` the browser surcharge is only known as pages turn out to need it.
    """
    surcharge = RENDER_SURCHARGE if options.get("render_js") == "always" else 0
    return url_count * (credits_per_url(options) + surcharge)


def credits_per_url(options: dict[str, Any]) -> int:
    return 1 + (1 if options.get("qualify_leads", True) else 0)


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
    job = Job(
        account_id=account_id,
        type=job_type,
        status="pending",
        options=opts,
        source=source,
        total_urls=len(urls),
        credits_estimated=estimate_credits(len(urls), opts),
        idempotency_key=idempotency_key,
        request_hash=request_hash,
        created_at=utcnow(),
    )
    job.estimated_completion = job.created_at + estimated_duration(len(urls), opts)
    session.add(job)
    session.flush()
    if urls:
        session.execute(
            insert(JobUrl),
            [{"job_id": job.id, "position": i, "url": u, "status": "pending"} for i, u in enumerate(urls)],
        )
    return job


def estimated_duration(url_count: int, options: dict[str, Any]) -> timedelta:
    """A rough, honest guess: ~5 s per page, pages per site growing with depth, 16 sites at a time."""
    pages_per_site = {1: 4, 2: 12, 3: 25}.get(int(options.get("depth", 1)), 4)
    waves = max(1, -(-url_count // 16))
    return timedelta(seconds=10 + waves * pages_per_site * 2)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim_job_urls(
    session: Session, job_id: str, limit: int, *, worker: str | None = None, now: datetime | None = None
) -> list[JobUrl]:
    """Claim up to ``limit`` pending (or lease-expired) URLs of a job for this process.

    On PostgreSQL the rows are locked with ``FOR UPDATE SKIP LOCKED`` so several spider processes
    can work one job without taking the same URL; SQLite serialises writers, which gives the same.
    """
    now = now or utcnow()
    stmt = (
        select(JobUrl)
        .where(
            JobUrl.job_id == job_id,
            (JobUrl.status == "pending") | ((JobUrl.status == "claimed") & (JobUrl.lease_expires_at < now)),
        )
        .order_by(JobUrl.position)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    rows = list(session.scalars(stmt))
    for row in rows:
        row.status = "claimed"
        row.claimed_by = worker or worker_name()
        row.lease_expires_at = now + LEASE
        row.started_at = row.started_at or now
    session.flush()
    return rows


def renew_leases(session: Session, url_ids: Iterable[int], now: datetime | None = None) -> None:
    ids = list(url_ids)
    if ids:
        session.execute(
            update(JobUrl)
            .where(JobUrl.id.in_(ids), JobUrl.status == "claimed")
            .values(lease_expires_at=(now or utcnow()) + LEASE)
        )


def url_outcome(
    url_id: int,
    status: str,
    *,
    reason: str | None = None,
    http_status: int | None = None,
    pages_crawled: int = 0,
    pages_failed: int = 0,
    pages_rendered: int = 0,
    leads_found: int = 0,
) -> dict[str, Any]:
    """One URL's outcome (``done``: crawled, ``failed`` or ``refused`` with a reason), as
    ``finish_job_urls`` records it."""
    return {
        "id": url_id,
        "status": status,
        "reason": reason,
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
    from db.leads import job_lead_count

    counts = dict(
        session.execute(
            select(JobUrl.status, func.count()).where(JobUrl.job_id == job_id).group_by(JobUrl.status)
        ).all()
    )
    pages = session.scalar(
        select(func.coalesce(func.sum(JobUrl.pages_crawled), 0)).where(JobUrl.job_id == job_id)
    )
    done = counts.get("done", 0)
    failed = counts.get("failed", 0) + counts.get("refused", 0)
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


def start_job(session: Session, job_id: str) -> bool:
    """Mark a pending job processing; False when it already ended (cancelled before it started)."""
    now = utcnow()
    result = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status.in_(("pending", "processing")))
        .values(status="processing", started_at=func.coalesce(Job.started_at, now), heartbeat_at=now)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def finish_job(session: Session, job_id: str, status: str, reason: str | None = None) -> bool:
    """Move a job to a final status once; False if another process (or a cancel) ended it first."""
    assert status in JOB_FINAL_STATUSES
    result = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status.in_(("pending", "processing")))
        .values(status=status, failure_reason=reason, completed_at=utcnow())
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        return False
    # The unused part of the reservation comes back with the final status, in one transaction.
    from db.accounts import release_job_credits

    release_job_credits(session, job_id)
    # job.completed / job.failed (cancelled: none) commit or roll back with the status change.
    record_job_finished(session, job_id)
    return True


def open_url_count(session: Session, job_id: str, *, exclude_worker: str | None = None) -> int:
    """URLs of a job still waiting or held by another process (``exclude_worker``'s own excluded)."""
    stmt = select(func.count()).where(JobUrl.job_id == job_id, JobUrl.status.in_(("pending", "claimed")))
    if exclude_worker is not None:
        stmt = stmt.where((JobUrl.status == "pending") | (JobUrl.claimed_by != exclude_worker))
    return int(session.scalar(stmt) or 0)


def held_by_others(session: Session, job_id: str, worker: str | None, now: datetime | None = None) -> bool:
    """True while another live process holds an unexpired lease on a URL of the job."""
    stmt = select(JobUrl.id).where(
        JobUrl.job_id == job_id, JobUrl.status == "claimed", JobUrl.lease_expires_at >= (now or utcnow())
    )
    if worker:
        stmt = stmt.where(JobUrl.claimed_by != worker)
    return session.scalar(stmt.limit(1)) is not None


STALE_AFTER = timedelta(minutes=float(os.environ.get("LEADSCRAPER_STALE_JOB_MINUTES", "15")))


def reap_stale_jobs(
    session: Session, now: datetime | None = None, stale_after: timedelta = STALE_AFTER
) -> list[str]:
    """Fail jobs whose crawl died: processing, no heartbeat for ``stale_after``, no live lease.

    A spider killed outright (SIGKILL, a lost node) cannot end its job; without this the job would
    stay ``processing`` for ever. Its crawled URLs were charged with their outcome, so nothing is
    charged twice, what it stored stays, and the rest of the reservation is refunded by
    ``finish_job``. A job can still be resumed later with ``scrapy crawl leads -a job_id=...``
    while it is processing; once reaped, it is final.
    """
    now = now or utcnow()
    cutoff = now - stale_after
    stale = session.scalars(
        select(Job.id).where(
            Job.status == "processing",
            func.coalesce(Job.heartbeat_at, Job.started_at, Job.created_at) < cutoff,
        )
    ).all()
    reaped = []
    for job_id in stale:
        if held_by_others(session, job_id, None, now):
            continue
        refresh_job_progress(session, job_id)
        reason = (
            f"the crawl stopped reporting progress for more than {int(stale_after.total_seconds() // 60)} "
            "minutes (its process died); partial results are kept"
        )
        if finish_job(session, job_id, "failed", reason):
            reaped.append(job_id)
    return reaped


def fail_open_urls(session: Session, job_id: str, reason: str) -> int:
    """End every URL of a job still pending or claimed as failed (a job limit stopped the crawl)."""
    result = session.execute(
        update(JobUrl)
        .where(JobUrl.job_id == job_id, JobUrl.status.in_(("pending", "claimed")))
        .values(status="failed", reason=reason, finished_at=utcnow(), lease_expires_at=None)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
