"""A job that spends an account's last credits ends and gives its scrapyd slot back at once; the
job's scrapyd log has Scrapy's full log, as every scrapyd job's does."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from api.scrapyd.client import ScrapydClient
from tests.api.conftest import Caller
from tests.api.test_crawl_e2e import poll

pytestmark = [pytest.mark.db, pytest.mark.slow]


def test_a_job_that_spends_the_last_credits_ends_and_frees_its_scrapyd_slot(
    live_client: FlaskClient, make_caller: Callable[..., Caller], test_sites: Any, scrapyd_node: Any
) -> None:
    # a free account with the estimate of two URLs and not a credit more (and room to poll)
    caller = make_caller(plan="free", credits=4, rate_limit=10_000)
    urls = [test_sites.url("acme-robotics.com"), test_sites.url("mueller-maschinenbau.de")]
    body = {"type": "bulk", "urls": urls, "options": {"depth": 1}}
    created = live_client.post("/v1/scrape", headers=caller.headers, json=body)
    assert created.status_code == 201, created.get_json()
    job_id = created.get_json()["id"]

    job = poll(live_client, caller, job_id, lambda j: j["status"] not in ("pending", "processing"))
    assert job["status"] == "completed", job
    assert job["failure_reason"] is None
    assert (job["successful_urls"], job["credits_used"]) == (2, 4)
    account = live_client.get("/v1/account", headers=caller.headers).get_json()
    assert account["credits"]["balance"] == 0

    client = ScrapydClient([scrapyd_node.auth_url])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        jobs = client.list_jobs(scrapyd_node.url)
        if job_id in {j["id"] for j in jobs["finished"]}:
            break
        time.sleep(0.5)
    else:
        raise AssertionError(f"the spider process of {job_id} still holds its slot: {jobs}")
    assert job_id not in {j["id"] for j in jobs["running"] + jobs["pending"]}

    # scrapyd's log of the job keeps Scrapy's INFO log and the progress lines (logged, not printed
    # to the process's stderr, which scrapyd would copy into its own log as errors)
    log = (scrapyd_node.workdir / "logs" / "leadscraper" / "leads" / f"{job_id}.log").read_text()
    assert "[scrapy.core.engine] INFO: Spider opened" in log
    assert "[leads] INFO: " in log and " 2/2 URLs done" in log
    assert "Warning" not in log
    assert "URLs done" not in (scrapyd_node.workdir / "scrapyd.log").read_text()
