"""Every endpoint that takes an id answers 404 for another account's object, and lists never leak."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from db.models import Job, Lead
from tests.api.conftest import Caller
from tests.api.test_errors import assert_error

pytestmark = pytest.mark.db


def test_another_accounts_ids_are_404_everywhere(
    client: FlaskClient,
    make_caller: Callable[..., Caller],
    make_job: Callable[..., Job],
    make_lead: Callable[..., Lead],
) -> None:
    owner, intruder = make_caller(), make_caller()
    job = make_job(owner.account_id, status="processing")
    lead = make_lead(owner.account_id, job_id=job.id, seen_in=[job.id], company_name="Owner Corp")
    attempts = [
        ("GET", f"/v1/jobs/{job.id}", None),
        ("POST", f"/v1/jobs/{job.id}/cancel", None),
        ("GET", f"/v1/leads/{lead.id}", None),
        ("PATCH", f"/v1/leads/{lead.id}", {"tags": ["stolen"]}),
        ("DELETE", f"/v1/leads/{lead.id}", None),
        ("DELETE", f"/v1/api-keys/{owner.key_id}", None),
    ]
    for method, path, body in attempts:
        response = client.open(path, method=method, headers=intruder.headers, json=body)
        error = assert_error(response, 404, "not_found")
        assert job.id not in str(error["details"]) or method == "GET"
    # Nothing changed for the owner.
    assert client.get(f"/v1/jobs/{job.id}", headers=owner.headers).get_json()["status"] == "processing"
    assert client.get(f"/v1/leads/{lead.id}", headers=owner.headers).get_json()["tags"] == []
    assert client.get("/v1/account", headers=owner.headers).status_code == 200
    # Lists and filters of the intruder see nothing of the owner's.
    for path in (
        "/v1/jobs",
        "/v1/leads",
        f"/v1/leads?job_id={job.id}",
        "/v1/leads?search=owner",
        "/v1/api-keys",
    ):
        data = client.get(path, headers=intruder.headers).get_json()["data"]
        assert all(item["id"] not in (job.id, lead.id, owner.key_id) for item in data), path
    usage = client.get("/v1/credits/usage", headers=intruder.headers).get_json()["data"]
    assert all(t["job_id"] != job.id for t in usage)
