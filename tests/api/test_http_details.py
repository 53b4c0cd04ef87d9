"""HTTP details a client sees: headers, 204s, OPTIONS, strict JSON types, rate-limit buckets, payloads."""

from __future__ import annotations

import http.client
import re
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from db.accounts import create_account
from db.models import Export, Job, Lead, OutboxEvent, Webhook
from db.outbox import (
    CREDIT_LOW,
    JOB_COMPLETED,
    JOB_FAILED,
    LEAD_QUALIFIED,
    TEST_EVENT,
    job_event_data,
    lead_qualified_data,
    record_credit_low,
)
from db.types import utcnow
from tests.api.conftest import Caller

pytestmark = pytest.mark.db
README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture
def server(app: Flask) -> Iterator[int]:
    """The app on werkzeug's HTTP server, as `make run` serves it (the server adds its own headers)."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd.server_address[1]
    finally:
        httpd.shutdown()
        thread.join()


def _request(port: int, method: str, path: str, headers: dict[str, str] | None = None) -> Any:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(method, path, headers=headers or {})
    response = conn.getresponse()
    response.body = response.read()
    conn.close()
    return response


def test_export_download_has_one_charset_and_one_date(
    server: int, caller: Caller, db: Session, tmp_path: Path
) -> None:
    file = tmp_path / "export.csv"
    file.write_text("email\r\nzoë@acme-robotics.com\r\n", encoding="utf-8")
    export = Export(
        account_id=caller.account_id,
        format="csv",
        filters={},
        fields=[],
        status="completed",
        created_at=utcnow(),
        expires_at=utcnow() + timedelta(hours=1),
        download_token="t0ken",
        file_path=str(file),
    )
    db.add(export)
    db.commit()
    response = _request(server, "GET", f"/v1/exports/{export.id}/download?token=t0ken")
    assert response.status == 200
    assert response.body == file.read_bytes()
    assert response.headers.get_all("Content-Type") == ["text/csv; charset=utf-8"]
    assert len(response.headers.get_all("Date")) == 1
    assert response.headers["Content-Disposition"] == f"attachment; filename={export.id}.csv"


def test_options_is_204_with_allow_and_no_body(server: int) -> None:
    response = _request(server, "OPTIONS", "/v1/leads/lead_x")
    assert response.status == 204
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "PATCH", "DELETE", "OPTIONS"}
    assert response.body == b""
    assert response.headers.get("Content-Type") is None
    missing = _request(server, "OPTIONS", "/v1/nowhere")
    assert missing.status == 404 and missing.headers["Content-Type"] == "application/json"


def test_every_204_has_no_body_and_no_content_type(
    server: int, client: FlaskClient, caller: Caller, make_lead: Callable[..., Lead], db: Session
) -> None:
    lead = make_lead(caller.account_id)
    hook = Webhook(
        account_id=caller.account_id,
        url="https://hooks.acme-robotics.com/in",
        events=["job.completed"],
        secret="whsec_x",
        is_active=True,
        created_at=utcnow(),
    )
    db.add(hook)
    db.commit()
    key = client.post("/v1/api-keys", headers=caller.headers, json={"name": "spare", "scopes": ["read"]})
    sup = client.post(
        "/v1/suppressions", headers=caller.headers, json={"kind": "domain", "value": "x.example"}
    )
    sched = client.post(
        "/v1/schedules",
        headers=caller.headers,
        json={"cron": "0 6 * * 1", "urls": ["https://acme-robotics.com/"]},
    )
    paths = [
        f"/v1/leads/{lead.id}",
        f"/v1/webhooks/{hook.id}",
        f"/v1/api-keys/{key.get_json()['id']}",
        f"/v1/suppressions/{sup.get_json()['id']}",
        f"/v1/schedules/{sched.get_json()['id']}",
    ]
    for path in paths:
        response = _request(server, "DELETE", path, caller.headers)
        assert response.status == 204, (path, response.body)
        assert response.body == b"", path
        assert response.headers.get("Content-Type") is None, path
        assert response.headers["X-RateLimit-Remaining"]  # still a counted request


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"qualify_leads": "yes"}, "options.qualify_leads"),
        ({"extract_emails": 1}, "options.extract_emails"),
        ({"extract_phones": "false"}, "options.extract_phones"),
        ({"extract_social": None}, "options.extract_social"),
        ({"depth": "2"}, "options.depth"),
    ],
)
def test_body_booleans_and_numbers_must_be_json_booleans_and_numbers(
    client: FlaskClient, caller: Caller, options: dict[str, Any], field: str
) -> None:
    body = {"type": "single", "urls": ["https://acme-robotics.com/"], "options": options}
    response = client.post("/v1/scrape", headers=caller.headers, json=body)
    assert response.status_code == 400
    assert response.get_json()["error"]["details"]["field"] == field


def test_a_real_boolean_is_accepted(client: FlaskClient, caller: Caller) -> None:
    body = {"type": "single", "urls": ["https://acme-robotics.com/"], "options": {"qualify_leads": False}}
    response = client.post("/v1/scrape", headers=caller.headers, json=body)
    # Valid: it gets as far as scheduling (the test app's scrapyd is unreachable on purpose).
    assert response.status_code == 503
    assert response.get_json()["error"]["details"]["field"] == "scrapyd"


def test_export_filter_numbers_are_json_numbers(client: FlaskClient, caller: Caller) -> None:
    ok = client.post(
        "/v1/leads/export", headers=caller.headers, json={"format": "csv", "filters": {"score_min": 70}}
    )
    assert ok.status_code == 200
    loose = client.post(
        "/v1/leads/export", headers=caller.headers, json={"format": "csv", "filters": {"score_min": "70"}}
    )
    assert loose.status_code == 400
    assert loose.get_json()["error"]["details"]["field"] == "filters.score_min"
    # in the query string every value is text: GET /v1/leads?score_min=70 stays as documented
    assert client.get("/v1/leads?score_min=70", headers=caller.headers).status_code == 200


def test_unknown_routes_count_against_the_keys_account_not_the_address(
    client: FlaskClient, make_caller: Callable[..., Caller]
) -> None:
    caller = make_caller(rate_limit=40)
    first = client.get("/v1/nothing-here", headers=caller.headers)
    second = client.post("/v1/jobz", headers=caller.headers)
    assert (first.status_code, second.status_code) == (404, 404)
    assert first.headers["X-RateLimit-Limit"] == second.headers["X-RateLimit-Limit"] == "40"
    assert (first.headers["X-RateLimit-Remaining"], second.headers["X-RateLimit-Remaining"]) == ("39", "38")
    routed = client.get("/v1/jobs", headers=caller.headers)
    assert routed.headers["X-RateLimit-Remaining"] == "37"  # one bucket for everything the key sends
    # The per-address bucket of callers without a valid key was not touched by any of it.
    anonymous = client.get("/v1/nothing-here")
    assert anonymous.status_code == 404
    assert anonymous.headers["X-RateLimit-Limit"] == "300"
    assert anonymous.headers["X-RateLimit-Remaining"] == "299"
    bad_key = client.get("/v1/nothing-here", headers={"Authorization": "Bearer ls_not_a_key"})
    assert bad_key.status_code == 404  # a route that does not exist is a 404 with any key
    assert bad_key.headers["X-RateLimit-Remaining"] == "298"


def _readme_events() -> dict[str, str]:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### Events and payloads") :]
    section = section[: section.index("\n### ", 5)]
    assert "`data.job_id` is always present" in section
    rows = {}
    for line in section.splitlines():
        found = re.match(r"\| `([a-z]+\.[a-z]+)` \|[^|]*\|(.*)\|$", line)
        if found:
            rows[found.group(1)] = found.group(2)
    return rows


def _documented(cell: str) -> set[str]:
    names = set()
    for group in re.findall(r"`([^`]+)`", cell):
        names.update(n.split(":")[0].strip() for n in group.split(","))
    return names


def test_every_event_carries_what_readme_promises(
    client: FlaskClient,
    caller: Caller,
    db: Session,
    make_job: Callable[..., Job],
    make_lead: Callable[..., Lead],
) -> None:
    done = make_job(caller.account_id, status="completed", completed_at=utcnow())
    failed = make_job(
        caller.account_id, status="failed", completed_at=utcnow(), failure_reason="all URLs failed"
    )
    lead = make_lead(caller.account_id, job_id=done.id, lead_score=80, lead_status="hot")
    account = create_account(db, "credits@acme-robotics.com", plan="pro", credits=10)
    credit = record_credit_low(db, account.id, 10, 10_000, done.id)
    db.commit()
    hook = Webhook(
        account_id=caller.account_id,
        url="https://hooks.acme-robotics.com/in",
        events=["job.completed"],
        secret="whsec_x",
        is_active=True,
        created_at=utcnow(),
    )
    db.add(hook)
    db.commit()
    assert client.post(f"/v1/webhooks/{hook.id}/test", headers=caller.headers).status_code == 202
    test_event = db.scalars(
        select(OutboxEvent).where(
            OutboxEvent.event_type == TEST_EVENT, OutboxEvent.account_id == caller.account_id
        )
    ).one()
    payloads = {
        JOB_COMPLETED: job_event_data(done),
        JOB_FAILED: job_event_data(failed),
        LEAD_QUALIFIED: lead_qualified_data(lead, None, utcnow()),
        CREDIT_LOW: credit.payload["data"],
        TEST_EVENT: test_event.payload["data"],
    }
    rows = _readme_events()
    assert set(rows) == set(payloads)
    for event, data in payloads.items():
        assert "job_id" in data, event  # "data.job_id is always present"
        documented = _documented(rows[event])
        if event == JOB_FAILED:  # "the same, plus status and failure_reason"
            documented |= _documented(rows[JOB_COMPLETED])
        assert documented == set(data), event
    assert payloads[TEST_EVENT]["job_id"] is None and payloads[TEST_EVENT]["webhook_id"] == hook.id
