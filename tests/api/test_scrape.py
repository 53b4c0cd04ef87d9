"""POST /v1/scrape: validation rules, credit check (402), idempotency, scheduling on scrapyd (or 503)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.scrapyd.client import ScrapydClient
from db.models import Job, JobUrl
from tests.api.conftest import Caller
from tests.api.test_errors import assert_error

pytestmark = pytest.mark.db

OK_URL = "https://acme-robotics.com/contact"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"urls": [OK_URL]}, "type"),
        ({"type": "crawl", "urls": [OK_URL]}, "type"),
        ({"type": "bulk"}, "urls"),
        ({"type": "bulk", "urls": []}, "urls"),
        ({"type": "bulk", "urls": OK_URL}, "urls"),
        ({"type": "bulk", "urls": [OK_URL] * 10_001}, "urls"),
        ({"type": "bulk", "urls": ["example.com/contact"]}, "urls[0]"),
        ({"type": "bulk", "urls": [OK_URL, "ftp://example.com/file"]}, "urls[1]"),
        ({"type": "bulk", "urls": ["javascript:alert(1)"]}, "urls[0]"),
        ({"type": "bulk", "urls": ["https://"]}, "urls[0]"),
        ({"type": "bulk", "urls": ["https://exa mple.com/"]}, "urls[0]"),
        ({"type": "bulk", "urls": ["https://example.com:99999/"]}, "urls[0]"),
        ({"type": "bulk", "urls": ["https://example.com/" + "a" * 2100]}, "urls[0]"),
        ({"type": "bulk", "urls": [42]}, "urls[0]"),
        ({"type": "bulk", "urls": ["http://127.0.0.1/admin"]}, "urls[0]"),
        ({"type": "bulk", "urls": ["http://localhost:8080/"]}, "urls[0]"),
        ({"type": "bulk", "urls": ["http://[::1]/"]}, "urls[0]"),
        ({"type": "bulk", "urls": ["http://169.254.169.254/latest/meta-data"]}, "urls[0]"),
        ({"type": "single", "urls": [OK_URL, "https://company.com/about"]}, "urls"),
        ({"type": "bulk", "urls": [OK_URL], "options": {"depth": 0}}, "options.depth"),
        ({"type": "bulk", "urls": [OK_URL], "options": {"depth": 4}}, "options.depth"),
        ({"type": "bulk", "urls": [OK_URL], "options": {"depth": "2"}}, "options.depth"),
        ({"type": "bulk", "urls": [OK_URL], "options": {"depth": 1.5}}, "options.depth"),
        ({"type": "bulk", "urls": [OK_URL], "options": {"qualify_leads": "maybe"}}, "options.qualify_leads"),
        ({"type": "bulk", "urls": [OK_URL], "options": {"turbo": True}}, "options.turbo"),
        ({"type": "bulk", "urls": [OK_URL], "options": []}, "options"),
        ({"type": "bulk", "urls": [OK_URL], "priority": "high"}, "priority"),
    ],
)
def test_validation(
    client: FlaskClient, caller: Caller, body: dict[str, Any], field: str, db: Session
) -> None:
    before = db.scalar(select(Job.id).where(Job.account_id == caller.account_id))
    error = assert_error(
        client.post("/v1/scrape", headers=caller.headers, json=body), 400, "invalid_request", field
    )
    assert error["message"]
    assert db.scalar(select(Job.id).where(Job.account_id == caller.account_id)) == before


def test_missing_protocol_reason_matches_spec(client: FlaskClient, caller: Caller) -> None:
    body = {"type": "single", "urls": ["example.com/contact"]}
    error = assert_error(client.post("/v1/scrape", headers=caller.headers, json=body), 400, "invalid_request")
    assert error["details"]["reason"] == "Missing protocol (http/https)"


def test_insufficient_credits_is_402(
    client: FlaskClient, make_caller: Callable[..., Caller], db: Session
) -> None:
    caller = make_caller(credits=3)
    body = {"type": "bulk", "urls": [OK_URL, "https://company.com/about"]}  # 2 URLs x 2 credits
    error = assert_error(
        client.post("/v1/scrape", headers=caller.headers, json=body), 402, "insufficient_credits"
    )
    assert error["details"]["credits_required"] == 4 and error["details"]["credits_available"] == 3
    assert db.scalar(select(Job.id).where(Job.account_id == caller.account_id)) is None
    body["options"] = {"qualify_leads": False}  # 2 credits: affordable
    # affordable: the job is stored, then scheduling on the test's unreachable scrapyd answers 503
    affordable = client.post("/v1/scrape", headers=caller.headers, json=body)
    assert affordable.status_code == 503, affordable.get_json()
    job_id = affordable.get_json()["error"]["details"]["job_id"]
    assert db.scalar(select(Job.id).where(Job.account_id == caller.account_id)) == job_id


def test_scrapyd_down_keeps_the_job_as_failed_and_answers_503(
    client: FlaskClient, caller: Caller, db: Session
) -> None:
    body = {"type": "bulk", "urls": [OK_URL]}
    response = client.post("/v1/scrape", headers=caller.headers, json=body)
    error = assert_error(response, 503, "service_unavailable")
    job_id = error["details"]["job_id"]
    job = client.get(f"/v1/jobs/{job_id}", headers=caller.headers).get_json()
    assert job["status"] == "failed" and job["failure_reason"].startswith("scheduling failed: ")
    assert client.get("/v1/account", headers=caller.headers).get_json()["credits"]["balance"] == 1000


@pytest.mark.slow
def test_created_job_is_stored_and_scheduled(
    live_client: FlaskClient, caller: Caller, db: Session, scrapyd_node: Any
) -> None:
    body = {"type": "bulk", "urls": ["https://example.com/contact", "https://company.com/about"],
            "options": {"qualify_leads": True}}  # fmt: skip
    response = live_client.post("/v1/scrape", headers=caller.headers, json=body)
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    assert set(data) == {
        "id", "type", "status", "total_urls", "processed_urls", "credits_estimated", "created_at",
        "estimated_completion",
    }  # fmt: skip
    assert data["type"] == "bulk" and data["total_urls"] == 2 and data["credits_estimated"] == 4
    assert data["id"].startswith("job_") and data["estimated_completion"] >= data["created_at"]
    assert response.headers["Location"].endswith(f"/v1/jobs/{data['id']}")
    urls = db.scalars(select(JobUrl.url).where(JobUrl.job_id == data["id"]).order_by(JobUrl.position))
    assert list(urls) == body["urls"]
    job = db.get(Job, data["id"])
    assert job is not None and job.scrapyd_jobs == [{"node": scrapyd_node.url, "jobid": data["id"]}]
    listed = ScrapydClient([scrapyd_node.auth_url]).list_jobs(scrapyd_node.url)
    assert data["id"] in {j["id"] for state in ("pending", "running", "finished") for j in listed[state]}


@pytest.mark.slow
def test_idempotency_key_returns_the_first_job(live_client: FlaskClient, caller: Caller, db: Session) -> None:
    body = {"type": "single", "urls": ["https://example.com/contact"]}
    headers = {**caller.headers, "Idempotency-Key": "retry-me-123"}
    first = live_client.post("/v1/scrape", headers=headers, json=body)
    second = live_client.post("/v1/scrape", headers=headers, json=body)
    assert first.status_code == second.status_code == 201
    assert first.get_json()["id"] == second.get_json()["id"]
    assert second.headers["Idempotent-Replayed"] == "true"
    assert len(list(db.scalars(select(Job.id).where(Job.account_id == caller.account_id)))) == 1
    changed = live_client.post("/v1/scrape", headers=headers, json={**body, "urls": ["https://company.com/"]})
    assert_error(changed, 409, "conflict", "Idempotency-Key")
    other = live_client.post(
        "/v1/scrape", headers={**caller.headers, "Idempotency-Key": "another"}, json=body
    )
    assert other.status_code == 201 and other.get_json()["id"] != first.get_json()["id"]


@pytest.mark.slow
def test_idempotent_retry_after_scrapyd_was_down_creates_a_real_job(
    client: FlaskClient, live_client: FlaskClient, caller: Caller, db: Session, scrapyd_node: Any
) -> None:
    body = {"type": "single", "urls": [OK_URL]}
    headers = {**caller.headers, "Idempotency-Key": "down-then-up"}
    first = assert_error(client.post("/v1/scrape", headers=headers, json=body), 503, "service_unavailable")
    second = assert_error(client.post("/v1/scrape", headers=headers, json=body), 503, "service_unavailable")
    assert first["details"]["job_id"] != second["details"]["job_id"]  # the never-started job freed its key
    # scrapyd is back: the same key now creates a job that is scheduled, not a replay of a failed one
    third = live_client.post("/v1/scrape", headers=headers, json=body)
    assert third.status_code == 201, third.get_json()
    assert "Idempotent-Replayed" not in third.headers
    job_id = third.get_json()["id"]
    assert job_id not in (first["details"]["job_id"], second["details"]["job_id"])
    job = db.get(Job, job_id)
    assert job is not None and job.scrapyd_jobs == [{"node": scrapyd_node.url, "jobid": job_id}]
    replay = live_client.post("/v1/scrape", headers=headers, json=body)
    assert replay.status_code == 201 and replay.get_json()["id"] == job_id
    assert replay.headers["Idempotent-Replayed"] == "true"
