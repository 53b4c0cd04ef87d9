"""End to end: the API schedules the `leads` spider on a real scrapyd, which crawls the local test sites."""

from __future__ import annotations

import time
from typing import Any

import pytest
from flask.testing import FlaskClient

from api.scrapyd.client import ScrapydClient
from pipelines.scoring import status_for
from tests.api.conftest import Caller
from tests.sites.expected import SITES

pytestmark = [pytest.mark.db, pytest.mark.slow]


def poll(
    client: FlaskClient, caller: Caller, job_id: str, until: Any, timeout: float = 180
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    job: dict[str, Any] = {}
    while time.monotonic() < deadline:
        job = client.get(f"/v1/jobs/{job_id}", headers=caller.headers).get_json()
        if until(job):
            return job
        time.sleep(0.5)
    raise AssertionError(f"job never reached the expected state: {job}")


def all_leads(client: FlaskClient, caller: Caller, query: str) -> list[dict[str, Any]]:
    leads: list[dict[str, Any]] = []
    cursor = ""
    while True:
        body = client.get(f"/v1/leads?{query}&limit=100{cursor}", headers=caller.headers).get_json()
        leads.extend(body["data"])
        if not body["pagination"]["has_more"]:
            return leads
        cursor = f"&cursor={body['pagination']['next_cursor']}"


def test_crawl_to_completed_and_read_the_planted_leads(
    live_client: FlaskClient, caller: Caller, test_sites: Any
) -> None:
    acme = SITES["acme-robotics.com"]
    body = {"type": "bulk", "urls": [test_sites.url(acme.host)], "options": {"depth": 1}}
    created = live_client.post("/v1/scrape", headers=caller.headers, json=body)
    assert created.status_code == 201, created.get_json()
    job_id = created.get_json()["id"]

    job = poll(live_client, caller, job_id, lambda j: j["status"] not in ("pending", "processing"))
    assert job["status"] == "completed", job
    assert job["processed_urls"] == job["successful_urls"] == 1 and job["progress_percentage"] == 100
    assert job["leads_found"] > 0 and job["credits_used"] > 0 and job["completed_at"]

    leads = all_leads(live_client, caller, f"job_id={job_id}")
    emails = {lead["email"] for lead in leads if lead["email"]}
    planted = {lead.email for lead in acme.leads_at_depth(1) if lead.email}
    assert len(planted) >= 6  # the ground truth is not silently empty
    assert planted <= emails, planted - emails
    assert job["leads_found"] == len(leads)
    marcus = next(lead for lead in leads if lead["email"] == "marcus.okafor@acme-robotics.com")
    assert marcus["phone"] == "+15125550163" and marcus["full_name"] == "Marcus Okafor"
    # qualify_leads defaults to true: every stored lead is scored, its status follows the score
    assert all(isinstance(lead["lead_score"], int) for lead in leads), leads
    assert all(lead["lead_status"] == status_for(lead["lead_score"]) for lead in leads)
    assert 0 <= marcus["lead_score"] <= 100
    detail = live_client.get(f"/v1/leads/{marcus['id']}", headers=caller.headers).get_json()
    assert detail["source_url"].startswith("http://acme-robotics.com") and detail["job_id"] == job_id

    account = live_client.get("/v1/account", headers=caller.headers).get_json()
    usage = live_client.get("/v1/credits/usage", headers=caller.headers).get_json()["data"]
    assert account["credits"]["balance"] == sum(t["amount"] for t in usage) == 1000 - job["credits_used"]


def test_cancel_a_running_job_keeps_its_partial_leads(
    live_client: FlaskClient, caller: Caller, test_sites: Any, scrapyd_node: Any
) -> None:
    slow = [test_sites.url("brokenwidgets.net", path) for path in ("/slow", "/drip")]
    body = {"type": "bulk", "urls": [test_sites.url("acme-robotics.com"), *slow], "options": {"depth": 1}}
    created = live_client.post("/v1/scrape", headers=caller.headers, json=body)
    assert created.status_code == 201, created.get_json()
    job_id = created.get_json()["id"]

    # acme's site is done (its URL processed) while /slow and /drip still hang: cancel then
    running = poll(
        live_client,
        caller,
        job_id,
        lambda j: j["status"] == "processing" and j["processed_urls"] >= 1 and j["leads_found"] > 0,
    )
    assert running["processed_urls"] < running["total_urls"]
    cancelled = live_client.post(f"/v1/jobs/{job_id}/cancel", headers=caller.headers)
    assert cancelled.status_code == 200
    assert cancelled.get_json()["status"] == "cancelled"
    assert cancelled.get_json()["message"] == "Job cancelled successfully. Partial results saved."

    job = live_client.get(f"/v1/jobs/{job_id}", headers=caller.headers).get_json()
    assert job["status"] == "cancelled" and job["progress_percentage"] < 100
    leads = all_leads(live_client, caller, f"job_id={job_id}")
    assert any(lead["email"] == "sales@acme-robotics.com" for lead in leads)
    again = live_client.post(f"/v1/jobs/{job_id}/cancel", headers=caller.headers)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "conflict"

    # scrapyd's process ends too (cancel.json), well before /slow and /drip would have finished.
    client = ScrapydClient([scrapyd_node.auth_url])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if job_id in {j["id"] for j in client.list_jobs(scrapyd_node.url)["finished"]}:
            break
        time.sleep(0.5)
    else:
        raise AssertionError("scrapyd job still running after cancel")
    assert live_client.get(f"/v1/jobs/{job_id}", headers=caller.headers).get_json()["status"] == "cancelled"
