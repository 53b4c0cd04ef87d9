"""When a job ends before its URLs were all crawled, each URL left ends with the code saying why, for
free, and the job.completed / job.failed payloads count the outcomes as they end."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.accounts import create_account
from db.jobs import (
    CrawlStop,
    cancel_job,
    claim_job_urls,
    count_urls_with_reason,
    create_job,
    end_crawl,
    finish_job_urls,
    outcome_counts,
    reap_stale_jobs,
    start_job,
    url_outcome,
)
from db.models import Job, JobUrl, JobUrlStatus, OutboxEvent, UrlOutcome
from db.types import utcnow

pytestmark = pytest.mark.db

URLS = [f"https://s{i}.example.org/" for i in range(3)]


def _running_job(session: Session) -> Job:
    """A processing job of three URLs: the first crawled (ok) by worker ``w1``, which holds the second."""
    account = create_account(session, f"{uuid.uuid4().hex[:10]}@acme-robotics.com", credits=100)
    job = create_job(session, account.id, "bulk", URLS)
    assert start_job(session, job.id)
    first, _held = sorted(claim_job_urls(session, job.id, 2, worker="w1"), key=lambda r: r.position)
    finish_job_urls(
        session, [url_outcome(first.id, JobUrlStatus.DONE, outcome=UrlOutcome.OK, credits_charged=2)]
    )
    session.flush()
    return job


def _ends(session: Session, job_id: str) -> list[tuple[str, str | None, int, str | None]]:
    rows = session.scalars(select(JobUrl).where(JobUrl.job_id == job_id).order_by(JobUrl.position))
    return [(r.status, r.outcome, r.credits_charged, r.reason) for r in rows]


def _payload_counts(session: Session, job: Job) -> dict[str, int]:
    event = session.scalars(select(OutboxEvent).where(OutboxEvent.account_id == job.account_id)).one()
    return dict(event.payload["data"]["outcome_counts"])


def test_out_of_credits_ends_the_urls_left_out_of_credits_before_the_job_fails(session: Session) -> None:
    job = _running_job(session)
    ended = end_crawl(session, job.id, "w1", CrawlStop.OUT_OF_CREDITS)
    assert ended.status == "failed"
    assert _ends(session, job.id) == [
        ("done", "ok", 2, None),
        ("failed", "out_of_credits", 0, "not crawled: the account's credits ran out"),
        ("failed", "out_of_credits", 0, "not crawled: the account's credits ran out"),
    ]
    assert (ended.processed_urls, ended.failed_urls) == (3, 2)
    # the job.failed event already counts them
    assert _payload_counts(session, job) == {"ok": 1, "out_of_credits": 2} == outcome_counts(session, job.id)


def test_an_interrupted_crawl_ends_its_urls_not_crawled(session: Session) -> None:
    job = _running_job(session)
    ended = end_crawl(session, job.id, "w1", CrawlStop.INTERRUPTED, "SIGTERM")
    assert ended.status == "failed"
    left = ("failed", "not_crawled", 0, "not crawled: the crawl was interrupted (SIGTERM)")
    assert _ends(session, job.id) == [("done", "ok", 2, None), left, left]
    assert _payload_counts(session, job) == {"not_crawled": 2, "ok": 1}


def test_a_reaped_job_ends_its_urls_not_crawled(session: Session) -> None:
    job = _running_job(session)
    session.execute(
        JobUrl.__table__.update().where(JobUrl.job_id == job.id).values(lease_expires_at=utcnow())
    )
    # other tests' jobs in this database may be stale at that hour too: this one must be among them
    assert job.id in reap_stale_jobs(session, now=utcnow() + timedelta(hours=1))
    left = ("failed", "not_crawled", 0, "not crawled: the crawl process died")
    assert _ends(session, job.id) == [("done", "ok", 2, None), left, left]
    assert _payload_counts(session, job) == {"not_crawled": 2, "ok": 1}


def test_the_url_a_spider_held_at_a_cancel_ends_cancelled_when_it_lets_go(session: Session) -> None:
    job = _running_job(session)
    assert cancel_job(session, job.id)
    # the unclaimed URL ends at once; the held one stays the spider's
    assert [e[1] for e in _ends(session, job.id)] == ["ok", None, "cancelled"]
    end_crawl(session, job.id, "w1", CrawlStop.CANCELLED)
    assert (
        _ends(session, job.id)[1:] == [("failed", "cancelled", 0, "not crawled: the job was cancelled")] * 2
    )
    assert outcome_counts(session, job.id) == {"cancelled": 2, "ok": 1}


def test_a_note_counts_alone_or_among_a_urls_notes(session: Session) -> None:
    job = _running_job(session)
    rows = session.scalars(select(JobUrl).where(JobUrl.job_id == job.id).order_by(JobUrl.position)).all()
    note = "install Chromium (50% of sites_need it)"  # LIKE's wildcards are plain characters here
    rows[0].reason = f"stopped at the page cap (40 pages a site); {note}"
    rows[1].reason = note
    rows[2].reason = "install Chromium (50 of sites need it)"
    session.flush()
    assert count_urls_with_reason(session, job.id, note) == 2
