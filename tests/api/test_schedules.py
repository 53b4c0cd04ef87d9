"""Schedules: the API, and the worker starting the right runs at the right ticks on a controllable clock."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from api.scrapyd.client import ScrapydClient
from api.worker.runner import Worker
from db.models import Account, Job, Schedule, ScheduleRun
from db.schedules import next_tick
from tests.api.conftest import Caller
from tests.api.test_errors import assert_error

pytestmark = pytest.mark.db

URLS = ["https://acme-robotics.com/", "https://mueller-maschinenbau.de/"]


class StubScrapyd(ScrapydClient):
    """Accepts every job at once and remembers it; no crawl runs."""

    def __init__(self) -> None:
        super().__init__(["http://stub-scrapyd:6800"])
        self.started: list[str] = []
        self.lock = threading.Lock()

    def schedule_spread(self, spider: str, **kwargs: Any) -> list[dict[str, str]]:
        with self.lock:
            self.started.append(kwargs["job_id"])
        return [{"node": self.urls[0], "jobid": kwargs["job_id"]}]


@pytest.fixture(autouse=True)
def no_schedules_left(db: Session) -> Iterator[None]:
    """Workers see every account's schedules: each test starts and ends without any."""
    db.execute(delete(Schedule))
    db.commit()
    yield
    db.rollback()
    db.execute(delete(Schedule))
    db.commit()


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


# -- the API ------------------------------------------------------------------------------------


def test_create_list_pause_resume_delete(
    client: FlaskClient, caller: Caller, make_caller: Callable[..., Caller]
) -> None:
    body = {
        "name": "Weekly",
        "cron": "0 6 * * 1",
        "urls": URLS,
        "options": {"depth": 2, "qualify_leads": False},
    }
    created = client.post("/v1/schedules", headers=caller.headers, json=body)
    assert created.status_code == 201, created.get_json()
    schedule = created.get_json()
    assert schedule["status"] == "active" and schedule["type"] == "bulk" and schedule["total_urls"] == 2
    assert schedule["options"]["depth"] == 2 and schedule["options"]["qualify_leads"] is False
    next_run = datetime.fromisoformat(schedule["next_run_at"].replace("Z", "+00:00"))
    assert next_run.weekday() == 0 and (next_run.hour, next_run.minute) == (6, 0)
    assert next_run > datetime.now(UTC)

    listed = client.get("/v1/schedules", headers=caller.headers).get_json()
    assert [s["id"] for s in listed["data"]] == [schedule["id"]]
    url = f"/v1/schedules/{schedule['id']}"
    assert client.get(url, headers=caller.headers).get_json()["cron"] == "0 6 * * 1"

    paused = client.patch(url, headers=caller.headers, json={"status": "paused"}).get_json()
    assert paused["status"] == "paused" and paused["next_run_at"] is None
    before = datetime.now(UTC)
    resumed = client.patch(url, headers=caller.headers, json={"status": "active", "cron": "*/5 * * * *"})
    after = datetime.now(UTC)
    assert resumed.status_code == 200, resumed.get_json()
    assert resumed.get_json()["cron"] == "*/5 * * * *"
    # the new cron's first tick after the change (the request may straddle a five-minute boundary)
    resumed_at = datetime.fromisoformat(resumed.get_json()["next_run_at"].replace("Z", "+00:00"))
    assert resumed_at in {next_tick("*/5 * * * *", before), next_tick("*/5 * * * *", after)}
    assert resumed_at.minute % 5 == 0 and resumed_at.second == 0

    other = make_caller()
    assert_error(client.get(url, headers=other.headers), 404, "not_found")
    assert_error(client.delete(url, headers=other.headers), 404, "not_found")
    assert client.delete(url, headers=caller.headers).status_code == 204
    assert_error(client.get(url, headers=caller.headers), 404, "not_found")


@pytest.mark.parametrize(
    "body",
    [
        {"cron": "every monday", "urls": URLS},
        {"cron": "0 6 * * 1 2027", "urls": URLS},
        {"cron": "0 6 * * 1", "urls": []},
        {"cron": "0 6 * * 1", "urls": ["ftp://acme-robotics.com/"]},
        {"cron": "0 6 * * 1", "urls": URLS, "options": {"depth": 9}},
        {"cron": "0 6 * * 1", "urls": URLS, "type": "single"},
    ],
)
def test_invalid_schedules_are_refused(client: FlaskClient, caller: Caller, body: dict[str, Any]) -> None:
    assert_error(client.post("/v1/schedules", headers=caller.headers, json=body), 400, "invalid_request")


# -- the worker, on a controllable clock --------------------------------------------------------


def _schedule(
    db: Session, account_id: str, cron: str, start: datetime, *, status: str = "active"
) -> Schedule:
    schedule = Schedule(
        account_id=account_id,
        cron=cron,
        type="bulk",
        urls=URLS,
        options={"depth": 1, "qualify_leads": True},
        status=status,
        next_run_at=next_tick(cron, start) if status == "active" else None,
        created_at=start,
    )
    db.add(schedule)
    db.commit()
    return schedule


def _run_workers(workers: list[Worker]) -> None:
    """One pass of every worker, all at the same moment."""
    barrier = threading.Barrier(len(workers))
    errors: list[BaseException] = []

    def run(worker: Worker) -> None:
        barrier.wait()
        try:
            worker.schedules()
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors


def _ticks(db: Session, schedule_id: str) -> list[datetime]:
    db.expire_all()
    return list(
        db.scalars(
            select(ScheduleRun.tick).where(ScheduleRun.schedule_id == schedule_id).order_by(ScheduleRun.tick)
        )
    )


def test_two_workers_start_each_tick_once(
    database_url: str, db: Session, caller: Caller, client: FlaskClient
) -> None:
    start = datetime(2030, 1, 7, 5, 50, tzinfo=UTC)  # a Monday
    every_quarter = _schedule(db, caller.account_id, "*/15 * * * *", start)
    mondays = _schedule(db, caller.account_id, "0 6 * * 1", start)
    paused = _schedule(db, caller.account_id, "* * * * *", start, status="paused")
    clock = Clock(start)
    scrapyd = StubScrapyd()
    workers = [Worker(database_url, clock=clock, scrapyd=scrapyd) for _ in range(2)]

    while clock.now <= datetime(2030, 1, 7, 6, 31, tzinfo=UTC):
        _run_workers(workers)
        clock.now += timedelta(minutes=1)

    at = lambda h, m: datetime(2030, 1, 7, h, m, tzinfo=UTC)  # noqa: E731
    assert _ticks(db, every_quarter.id) == [at(6, 0), at(6, 15), at(6, 30)]
    assert _ticks(db, mondays.id) == [at(6, 0)]
    assert _ticks(db, paused.id) == []
    runs = db.scalars(
        select(ScheduleRun).join(Schedule).where(Schedule.account_id == caller.account_id)
    ).all()
    assert all(run.job_id for run in runs)
    job_ids = [str(run.job_id) for run in runs]
    assert len(job_ids) == 4 and len(set(job_ids)) == 4
    assert sorted(scrapyd.started) == sorted(job_ids)  # each started on scrapyd once

    # Ordinary jobs: listed by GET /v1/jobs, source "schedule", each estimate reserved like POST /v1/scrape.
    jobs = client.get("/v1/jobs?limit=100", headers=caller.headers).get_json()["data"]
    assert sorted(j["id"] for j in jobs) == sorted(job_ids)
    assert all(
        j["source"] == "schedule" and j["total_urls"] == 2 and j["status"] == "processing" for j in jobs
    )
    assert all(j["credits_estimated"] == 4 for j in jobs)
    account = client.get("/v1/account", headers=caller.headers).get_json()
    assert account["credits"]["balance"] == 1000 - 4 * 4
    db.expire_all()
    schedule = db.get(Schedule, every_quarter.id)
    assert schedule is not None and schedule.next_run_at == at(6, 45) and schedule.last_job_id in job_ids


def test_missed_ticks_run_once_and_a_short_balance_starts_no_job(
    database_url: str, db: Session, make_caller: Callable[..., Caller]
) -> None:
    caller = make_caller(credits=5)  # one run of 2 URLs with qualification costs 4
    start = datetime(2030, 1, 7, 5, 59, tzinfo=UTC)
    schedule = _schedule(db, caller.account_id, "*/15 * * * *", start)
    clock = Clock(datetime(2030, 1, 7, 7, 1, tzinfo=UTC))  # the worker was down for five ticks
    scrapyd = StubScrapyd()
    worker = Worker(database_url, clock=clock, scrapyd=scrapyd)
    assert worker.schedules() == 1
    assert worker.schedules() == 0
    assert _ticks(db, schedule.id) == [datetime(2030, 1, 7, 6, 0, tzinfo=UTC)]
    db.expire_all()
    row = db.get(Schedule, schedule.id)
    assert row is not None and row.next_run_at == datetime(2030, 1, 7, 7, 15, tzinfo=UTC)

    clock.now = datetime(2030, 1, 7, 7, 15, tzinfo=UTC)
    assert worker.schedules() == 0  # 1 credit left: no job, and the reason on the schedule
    db.expire_all()
    row = db.get(Schedule, schedule.id)
    assert row is not None and "insufficient credits" in (row.last_error or "")
    run = db.scalar(
        select(ScheduleRun).where(ScheduleRun.schedule_id == schedule.id, ScheduleRun.tick == clock.now)
    )
    assert run is not None and run.job_id is None and "insufficient credits" in (run.error or "")
    jobs = db.scalars(select(Job).where(Job.account_id == caller.account_id)).all()
    assert len(jobs) == 1 and len(scrapyd.started) == 1
    assert db.get(Account, caller.account_id).credit_balance == 1  # type: ignore[union-attr]
