"""A schedule's runs crawl for real on scrapyd, and the second run's leads merge into the first's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from api.scrapyd.client import ScrapydClient
from api.worker.runner import Worker
from db.models import Schedule
from tests.api.conftest import Caller
from tests.api.test_crawl_e2e import all_leads, poll
from tests.api.test_schedules import Clock, no_schedules_left  # noqa: F401 - autouse fixture

pytestmark = [pytest.mark.db, pytest.mark.slow]


def test_each_tick_is_a_real_crawl_and_leads_merge(
    live_client: FlaskClient,
    caller: Caller,
    scrapyd_node: Any,
    test_sites: Any,
    database_url: str,
    db: Session,
) -> None:
    first_tick = datetime(2031, 3, 3, 6, 0, tzinfo=UTC)
    schedule = Schedule(
        account_id=caller.account_id,
        cron="0 * * * *",
        type="bulk",
        urls=[test_sites.url("acme-robotics.com")],
        options={"depth": 1, "qualify_leads": False},
        status="active",
        next_run_at=first_tick,
        created_at=first_tick - timedelta(days=1),
    )
    db.add(schedule)
    db.commit()
    clock = Clock(first_tick)
    worker = Worker(database_url, clock=clock, scrapyd=ScrapydClient([scrapyd_node.auth_url]))

    job_ids = []
    for _hour in range(2):
        assert worker.schedules() == 1
        db.expire_all()
        job_id = db.get(Schedule, schedule.id).last_job_id  # type: ignore[union-attr]
        assert job_id and job_id not in job_ids
        job = poll(live_client, caller, job_id, lambda j: j["status"] not in ("pending", "processing"))
        assert job["status"] == "completed" and job["source"] == "schedule" and job["leads_found"] > 0, job
        job_ids.append(job_id)
        if len(job_ids) == 1:
            first_leads = {lead["id"] for lead in all_leads(live_client, caller, "")}
        clock.now += timedelta(hours=1)

    # The second run found the same people: no new leads, each seen by both jobs.
    assert {lead["id"] for lead in all_leads(live_client, caller, "")} == first_leads
    again = {lead["id"] for lead in all_leads(live_client, caller, f"job_id={job_ids[1]}")}
    assert again and again <= first_leads
    listed = live_client.get("/v1/jobs?limit=100", headers=caller.headers).get_json()["data"]
    assert {j["id"] for j in listed if j["source"] == "schedule"} == set(job_ids)
