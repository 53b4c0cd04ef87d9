"""The estimated completion: replayed on the ticks of recorded bulk jobs, on the tail rule, and read
from a job's URL rows."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from db.accounts import create_account
from db.eta import CompletionEstimator, JobMeasure, Tick, measure
from db.jobs import claim_job_urls, create_job, start_job
from db.models import Job, JobUrl, JobUrlStatus
from db.types import utcnow

RECORDED = Path(__file__).parent.parent / "fixtures" / "eta"


def recorded(name: str) -> tuple[list[Tick], float]:
    """A recorded job: the ticks one of its spider processes measured, and when the job ended
    (seconds after it started)."""
    data = json.loads((RECORDED / name).read_text(encoding="utf-8"))
    return [Tick.from_dict(t) for t in data["ticks"]], data["completed"]


@pytest.mark.parametrize("name", ["bulk_1000_1node.json", "bulk_1000_2nodes.json"])
def test_on_recorded_jobs_the_estimate_is_near_the_end_and_nearer_than_elapsed_times_total_per_done(
    name: str,
) -> None:
    ticks, actual = recorded(name)
    estimator = CompletionEstimator()
    estimates = [(tick, estimator.observe(tick)) for tick in ticks]
    for share in (0.1, 0.5, 0.9):
        tick, eta = next((t, e) for t, e in estimates if t.processed >= share * t.total)
        assert eta is not None
        # within 30 % of the job's length (what it misses is how far the store lags the crawl)
        assert abs(eta - actual) <= 0.3 * actual, (share, tick.at, eta, actual)
        # the old estimate, from the outcomes stored so far, was never nearer at the same moment
        stored = tick.written if tick.written is not None else tick.processed
        linear = tick.at * tick.total / stored if stored else float("inf")
        assert abs(linear - actual) >= abs(eta - actual), (share, linear, eta, actual)


def test_a_url_open_longer_than_most_is_expected_to_last_as_long_as_the_slow_ones() -> None:
    estimator = CompletionEstimator()
    # 18 URLs took 1 s, two (hosts that never answered) 10 s; two are still open, one for 4 s
    durations = (1.0,) * 18 + (10.0, 10.0)
    tick = Tick(
        at=12.0, total=22, pending=0, processed=20, pages=200, open_ages=(4.0, 0.5), durations=durations
    )
    assert estimator.observe(tick) == pytest.approx(12.0 + 6.0)


def test_pending_urls_end_no_earlier_than_their_claim_plus_the_slowest_duration() -> None:
    estimator = CompletionEstimator()
    assert estimator.observe(Tick(at=0.0, total=100, pending=100, processed=0, pages=0)) is None
    # 10 s in: 50 claimed (5 a second), 40 done in 1 s each (10 pages), one of them a 9 s one
    durations = (1.0,) * 39 + (9.0,)
    eta = estimator.observe(
        Tick(
            at=10.0,
            total=100,
            pending=50,
            processed=40,
            pages=400,
            open_ages=(0.5,) * 10,
            durations=durations,
        )
    )
    # the last 50 are claimed by 20 s; the slowest of 50 more takes what the slowest took
    assert eta == pytest.approx(10.0 + 50 / 5.0 + 9.0)


def test_crawled_but_not_stored_is_not_done() -> None:
    estimator = CompletionEstimator()
    estimator.observe(Tick(at=10.0, total=100, pending=0, processed=60, pages=600, written=20))
    assert (
        estimator.observe(Tick(at=30.0, total=100, pending=0, processed=100, pages=1000, written=60)) == 30.0
    )
    done = Tick(at=50.0, total=100, pending=0, processed=100, pages=1000, written=100)
    assert estimator.observe(done) == 50.0


def test_nothing_measured_keeps_the_first_guess() -> None:
    estimator = CompletionEstimator()
    assert (
        estimator.observe(Tick(at=3.0, total=10, pending=2, processed=0, pages=0, open_ages=(3.0,) * 8))
        is None
    )


@pytest.mark.db
def test_measure_reads_counts_ages_and_new_durations(session: Session) -> None:
    account = create_account(session, f"eta-{utcnow().timestamp()}@tests.leadscraper.dev", credits=100)
    job = create_job(session, account.id, "bulk", [f"https://s{i}.example.org/" for i in range(5)], {})
    assert start_job(session, job.id)
    now = utcnow()
    claimed = claim_job_urls(session, job.id, 3, worker="w", now=now - timedelta(seconds=8))
    done = claimed[0]
    session.execute(
        update(JobUrl)
        .where(JobUrl.id == done.id)
        .values(status=JobUrlStatus.DONE, pages_crawled=7, finished_at=now - timedelta(seconds=2))
    )
    started = session.get(Job, job.id).started_at  # type: ignore[union-attr]
    assert started is not None
    state = JobMeasure()
    tick = measure(session, job.id, started, now, state)
    assert (tick.total, tick.pending, tick.processed, tick.pages) == (5, 2, 1, 7)
    assert sorted(tick.open_ages) == pytest.approx([8.0, 8.0])
    assert tick.durations == pytest.approx((6.0,))
    assert measure(session, job.id, started, now, state).durations == ()  # seen once only
    # the caller has finished one of the open URLs (3 s, 4 pages); its row does not say so yet
    busy = measure(session, job.id, started, now, state, unwritten={claimed[1].id: (3.0, 4)})
    assert (busy.processed, busy.written, busy.pages, busy.durations) == (2, 1, 11, (3.0,))
    assert busy.open_ages == pytest.approx((8.0,))
