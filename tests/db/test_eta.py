"""The estimated completion: the first guess from the account's finished jobs, then replayed on the
ticks of recorded bulk jobs, on the tail rule, and read from a job's URL rows."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db.accounts import create_account
from db.eta import (
    ASSUMED_OPEN,
    HISTORY_JOBS,
    CompletionEstimator,
    JobMeasure,
    PastJob,
    Tick,
    estimate_first,
    estimated_duration,
    first_guess,
    measure,
    past_jobs,
)
from db.jobs import DEFAULT_OPTIONS, claim_job_urls, create_job, heartbeat, start_job
from db.models import Job, JobStatus, JobUrl, JobUrlStatus
from db.types import utcnow

RECORDED = Path(__file__).parent.parent / "fixtures" / "eta"


def finished_job(
    session: Session,
    account_id: str,
    spans: list[tuple[float, float]],
    *,
    depth: int = 1,
    store_lag: float = 1.0,
    processes: int = 1,
) -> Job:
    """A completed job of the account, an hour ago, whose URLs were claimed and finished at these
    seconds after its submission, on ``processes`` spider processes."""
    job = create_job(
        session, account_id, "bulk", [f"https://h{i}.example.org/" for i in range(len(spans))], {}
    )
    created = utcnow() - timedelta(hours=1)
    rows = session.scalars(select(JobUrl).where(JobUrl.job_id == job.id).order_by(JobUrl.position)).all()
    for row, (claim, end) in zip(rows, spans, strict=True):
        row.status = JobUrlStatus.DONE
        row.pages_crawled = 4
        row.started_at = created + timedelta(seconds=claim)
        row.finished_at = created + timedelta(seconds=end)
    job.options = {**job.options, "depth": depth}
    job.status = JobStatus.COMPLETED
    job.created_at = created
    job.started_at = created + timedelta(seconds=min(c for c, _ in spans))
    job.completed_at = created + timedelta(seconds=max(e for _, e in spans) + store_lag)
    job.scrapyd_jobs = [{"node": f"http://node{i}:6800", "jobid": job.id} for i in range(processes)]
    session.flush()
    return job


def guessed(session: Session, account_id: str, urls: int, depth: int = 1) -> float:
    """The estimated_completion a new job gets at submission, in seconds after its creation."""
    job = create_job(
        session, account_id, "bulk", [f"https://n{i}.example.org/" for i in range(urls)], {"depth": depth}
    )
    assert job.estimated_completion is not None
    return (job.estimated_completion - job.created_at).total_seconds()


def new_account(session: Session) -> str:
    return create_account(session, f"eta-{utcnow().timestamp()}@tests.leadscraper.dev", credits=100).id


@pytest.mark.db
def test_an_account_without_finished_jobs_gets_the_rough_guess(session: Session) -> None:
    account = new_account(session)
    rough = estimated_duration(40, {**DEFAULT_OPTIONS, "depth": 2}).total_seconds()
    assert guessed(session, account, 40, depth=2) == pytest.approx(rough)


@pytest.mark.db
def test_the_first_guess_is_what_the_account_s_finished_job_measured_scaled_to_the_new_size(
    session: Session,
) -> None:
    account = new_account(session)
    # 300 URLs: claimed 100 at a time from 2 s after submission, each done 5 s after its claim;
    # stored 1 s after the last: an 18 s job with 100 URLs open at once
    finished_job(session, account, [(2 + 5 * (i // 100), 7 + 5 * (i // 100)) for i in range(300)])
    assert guessed(session, account, 300) == pytest.approx(18.0)
    assert guessed(session, account, 600) == pytest.approx(2 + 30 + 1)  # twice the waves
    # three URLs: open at once, no shorter than one URL takes
    assert guessed(session, account, 3) == pytest.approx(2 + 5 + 1)
    # a job of another depth, another account's job: not this job's history
    assert guessed(session, account, 300, depth=3) == pytest.approx(
        estimated_duration(300, {**DEFAULT_OPTIONS, "depth": 3}).total_seconds()
    )
    assert guessed(session, new_account(session), 300) == pytest.approx(
        estimated_duration(300, DEFAULT_OPTIONS).total_seconds()
    )
    # on two spider processes each takes half the URLs
    two = estimate_first(session, account, 600, DEFAULT_OPTIONS, processes=2).total_seconds()
    assert two == pytest.approx(18.0)


@pytest.mark.db
def test_several_finished_jobs_pool_their_measurements(session: Session) -> None:
    account = new_account(session)
    # an old small job whose URLs took 1 s, then a large one whose URLs took 4 s, 50 open at once
    finished_job(session, account, [(1, 2) for _ in range(5)])
    finished_job(session, account, [(1 + 4 * (i // 50), 5 + 4 * (i // 50)) for i in range(500)])
    # 1,000 URLs: at the pace of the large job, whose URLs are nearer in number
    assert guessed(session, account, 1000) == pytest.approx(1 + 80 + 1, rel=0.02)


@pytest.mark.db
def test_only_the_finished_jobs_nearest_in_size_are_read(session: Session) -> None:
    account = new_account(session)
    finished_job(session, account, [(2 + 5 * (i // 100), 7 + 5 * (i // 100)) for i in range(300)])
    for _ in range(HISTORY_JOBS):
        finished_job(session, account, [(1, 2) for _ in range(5)])
    assert sorted(job.urls for job in past_jobs(session, account, 1, 5)) == [5] * HISTORY_JOBS
    assert 300 in [job.urls for job in past_jobs(session, account, 1, 300)]
    assert len(past_jobs(session, account, 1, 300)) == HISTORY_JOBS


def test_a_job_smaller_than_what_a_process_holds_does_not_limit_a_larger_one() -> None:
    # ten URLs, all claimed at 1 s, taking 1..10 s: the process held every one, so how many it can
    # hold was not measured; a 1,000-URL job is assumed to have ASSUMED_OPEN open at once
    past = PastJob(
        urls=10,
        processes=1,
        start_lag=1.0,
        claiming=0.0,
        crawl=10.0,
        store_lag=1.0,
        durations=tuple(float(d) for d in range(1, 11)),
    )
    assert past.held_all
    expected = 1 + 1000 * 5.5 / ASSUMED_OPEN + 1
    assert first_guess(1000, DEFAULT_OPTIONS, 1, [past]).total_seconds() == pytest.approx(expected)
    # a job of the same size: as long as that one
    assert first_guess(10, DEFAULT_OPTIONS, 1, [past]).total_seconds() == pytest.approx(12.0)


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


@pytest.mark.db
def test_a_url_another_process_crawled_counts_before_its_store_writes_it(session: Session) -> None:
    job = create_job(
        session, new_account(session), "bulk", [f"https://m{i}.example.org/" for i in range(4)], {}
    )
    assert start_job(session, job.id)
    now = utcnow()
    mine = claim_job_urls(session, job.id, 2, worker="a", now=now - timedelta(seconds=8))
    theirs = claim_job_urls(session, job.id, 2, worker="b", now=now - timedelta(seconds=8))
    ids = [row.id for row in theirs]
    # b's tick: one of its URLs was crawled 3 s ago (5 pages); a row b does not hold is left alone
    heartbeat(session, job.id, ids, worker="b", crawled={ids[0]: (now - timedelta(seconds=3), 5)})
    heartbeat(session, job.id, [], worker="b", crawled={mine[0].id: (now, 9)})
    session.expire_all()
    assert session.get(JobUrl, mine[0].id).crawled_at is None  # type: ignore[union-attr]
    marked = session.get(JobUrl, ids[0])
    assert marked is not None and marked.status == JobUrlStatus.CLAIMED and marked.pages_crawled == 5
    started = session.get(Job, job.id).started_at  # type: ignore[union-attr]
    assert started is not None
    state = JobMeasure()
    tick = measure(session, job.id, started, now, state, unwritten={mine[1].id: (2.0, 1)})
    assert (tick.processed, tick.written, tick.pages) == (2, 0, 6)
    assert sorted(tick.durations) == pytest.approx([2.0, 5.0])
    assert sorted(tick.open_ages) == pytest.approx([8.0, 8.0])
    # once b's store writes it, it is not measured twice
    session.execute(
        update(JobUrl).where(JobUrl.id == ids[0]).values(status=JobUrlStatus.DONE, finished_at=utcnow())
    )
    again = measure(session, job.id, started, utcnow(), state, unwritten={mine[1].id: (2.0, 1)})
    assert (again.processed, again.written, again.pages, again.durations) == (2, 1, 6, ())


@pytest.mark.db
def test_a_crawled_url_whose_lease_ran_out_is_crawled_afresh(session: Session) -> None:
    """A process that crawled a URL and died before storing it: the next claim starts it over."""
    job = create_job(session, new_account(session), "bulk", ["https://gone.example.org/"], {})
    assert start_job(session, job.id)
    now = utcnow()
    (row,) = claim_job_urls(session, job.id, 1, worker="dead", now=now - timedelta(hours=1))
    heartbeat(session, job.id, [], worker="dead", crawled={row.id: (now - timedelta(minutes=59), 7)})
    session.expire_all()
    (again,) = claim_job_urls(session, job.id, 1, worker="alive", now=now)
    assert (again.id, again.claimed_by, again.crawled_at, again.pages_crawled) == (row.id, "alive", None, 0)
