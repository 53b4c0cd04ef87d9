"""GET /v1/jobs/:id (live progress), GET /v1/jobs (filters), POST /v1/jobs/:id/cancel (409 once ended)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from flask.testing import FlaskClient

from db.models import Job, Lead
from db.types import utcnow
from tests.api.conftest import Caller
from tests.api.test_errors import assert_error

pytestmark = pytest.mark.db

SPEC_JOB_FIELDS = {
    "id", "type", "status", "total_urls", "processed_urls", "successful_urls", "failed_urls", "leads_found",
    "credits_used", "created_at", "started_at", "estimated_completion", "progress_percentage",
}  # fmt: skip


def test_job_status_has_every_spec_field(
    client: FlaskClient, caller: Caller, make_job: Callable[..., Job]
) -> None:
    started = utcnow() - timedelta(seconds=60)
    job = make_job(
        caller.account_id, status="processing", urls=[f"https://s{i}.example.org" for i in range(100)],
        processed_urls=45, successful_urls=42, failed_urls=3, leads_found=127, credits_used=68,
        started_at=started,
    )  # fmt: skip
    data = client.get(f"/v1/jobs/{job.id}", headers=caller.headers).get_json()
    assert set(data) >= SPEC_JOB_FIELDS
    assert data["progress_percentage"] == 45 and data["total_urls"] == 100 and data["leads_found"] == 127
    assert data["status"] == "processing" and data["credits_estimated"] == 200
    assert data["created_at"].endswith("Z") and data["started_at"].endswith("Z")
    assert data["estimated_completion"] > data["started_at"]
    assert data["options"]["depth"] == 1 and data["options"]["qualify_leads"] is True


def test_list_filters_by_status_and_type(
    client: FlaskClient, caller: Caller, make_job: Callable[..., Job]
) -> None:
    done = make_job(caller.account_id, status="completed", completed_at=utcnow())
    single = make_job(caller.account_id, status="pending", job_type="single")
    failed = make_job(caller.account_id, status="failed", job_type="sitemap")

    def listed(query: str) -> list[str]:
        response = client.get(f"/v1/jobs?{query}", headers=caller.headers)
        assert response.status_code == 200
        return [j["id"] for j in response.get_json()["data"]]

    assert listed("") == [failed.id, single.id, done.id]  # newest first
    assert listed("status=completed") == [done.id]
    assert listed("type=single") == [single.id]
    assert listed("status=failed&type=sitemap") == [failed.id]
    assert listed("status=failed&type=bulk") == []
    item = client.get("/v1/jobs?status=completed&limit=20", headers=caller.headers).get_json()["data"][0]
    assert {
        "id",
        "type",
        "status",
        "total_urls",
        "leads_found",
        "credits_used",
        "created_at",
        "completed_at",
    } <= set(item)
    assert_error(client.get("/v1/jobs?type=crawl", headers=caller.headers), 400, "invalid_request", "type")


@pytest.mark.parametrize("status", ["pending", "processing"])
def test_cancel_keeps_partial_results(
    client: FlaskClient,
    caller: Caller,
    make_job: Callable[..., Job],
    make_lead: Callable[..., Lead],
    status: str,
) -> None:
    job = make_job(caller.account_id, status=status, processed_urls=1, leads_found=1,
                   scrapyd_jobs=[{"node": "http://127.0.0.1:9", "jobid": "gone"}])  # fmt: skip
    lead = make_lead(caller.account_id, job_id=job.id)
    response = client.post(f"/v1/jobs/{job.id}/cancel", headers=caller.headers)
    assert response.status_code == 200
    assert response.get_json() == {
        "id": job.id,
        "status": "cancelled",
        "processed_urls": 1,
        "leads_found": 1,
        "message": "Job cancelled successfully. Partial results saved.",
    }
    data = client.get(f"/v1/jobs/{job.id}", headers=caller.headers).get_json()
    assert data["status"] == "cancelled" and data["completed_at"]
    leads = client.get(f"/v1/leads?job_id={job.id}", headers=caller.headers).get_json()["data"]
    assert [x["id"] for x in leads] == [lead.id]


@pytest.mark.parametrize("status", ["completed", "failed", "cancelled"])
def test_cancel_of_an_ended_job_is_409(
    client: FlaskClient, caller: Caller, make_job: Callable[..., Job], status: str
) -> None:
    job = make_job(caller.account_id, status=status)
    error = assert_error(
        client.post(f"/v1/jobs/{job.id}/cancel", headers=caller.headers), 409, "conflict", "status"
    )
    assert error["details"]["status"] == status


def test_unknown_job_is_404(client: FlaskClient, caller: Caller) -> None:
    assert_error(client.get("/v1/jobs/job_nope", headers=caller.headers), 404, "not_found")
    assert_error(client.post("/v1/jobs/job_nope/cancel", headers=caller.headers), 404, "not_found")
