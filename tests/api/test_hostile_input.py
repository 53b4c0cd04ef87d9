"""The hostile-input table: every input that once answered 500 is a 4xx in the error shape.

Each row is one request: text the database cannot store (NUL, lone surrogates) in a body string, a path
id, a query parameter, a cursor or a header; dates whose offset puts them outside the years 1-9999;
cron expressions that never fire; bodies nested past any sane depth; a download token that is not ASCII.
"""

from __future__ import annotations

import base64
import http.client
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from db.models import Export, Job, Lead, Webhook
from db.types import utcnow
from tests.api.conftest import Caller

pytestmark = pytest.mark.db


def _cursor(payload: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def _raw_cursor(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@dataclass(frozen=True)
class Row:
    """One hostile request and the 4xx it must get (``field``: ``details.field``, when it names one)."""

    method: str
    path: str
    status: int = 400
    code: str = "invalid_request"
    field: str | None = None
    json: Any = None
    raw: str | None = None
    headers: dict[str, str] = dataclass_field(default_factory=dict)


URL = "https://acme-robotics.com/"
TABLE: dict[str, Row] = {
    # Bodies nested past any sane depth (RecursionError in the JSON parser or later).
    "body `[` x 100,000": Row("POST", "/v1/scrape", raw="[" * 100_000, field="body"),
    "body: an object nested 5,000 deep": Row(
        "POST", "/v1/scrape", raw='{"a":' * 5000 + "1" + "}" * 5000, field="body"
    ),
    "body: a list nested 5,000 deep": Row("POST", "/v1/scrape", raw="[" * 5000 + "]" * 5000, field="body"),
    "body: tags nested 900 deep": Row(
        "PATCH", "/v1/leads/{lead}", raw='{"tags": ' + "[" * 900 + "]" * 900 + "}"
    ),
    # NUL characters in body strings (PostgreSQL cannot store them).
    "body NUL: scrape urls[0]": Row(
        "POST", "/v1/scrape", json={"type": "single", "urls": [URL + "\x00"]}, field="urls[0]"
    ),
    "body NUL: scrape URL host": Row(
        "POST",
        "/v1/scrape",
        json={"type": "single", "urls": ["https://acme\x00robotics.com/"]},
        field="urls[0]",
    ),
    "body NUL: lead custom_notes": Row(
        "PATCH", "/v1/leads/{lead}", json={"custom_notes": "call\x00back"}, field="custom_notes"
    ),
    "body NUL: lead tags[1]": Row(
        "PATCH", "/v1/leads/{lead}", json={"tags": ["a", "b\x00"]}, field="tags[1]"
    ),
    "body NUL: api key name": Row(
        "POST", "/v1/api-keys", json={"name": "ci\x00", "scopes": ["read"]}, field="name"
    ),
    "body NUL: webhook description": Row(
        "POST",
        "/v1/webhooks",
        json={
            "url": "https://hooks.acme-robotics.com/in",
            "events": ["job.completed"],
            "description": "\x00",
        },
        field="description",
    ),
    "body NUL: suppression reason": Row(
        "POST",
        "/v1/suppressions",
        json={"kind": "email", "value": "jane@acme-robotics.com", "reason": "gdpr\x00"},
        field="reason",
    ),
    "body NUL: schedule name": Row(
        "POST", "/v1/schedules", json={"cron": "0 6 * * 1", "urls": [URL], "name": "weekly\x00"}, field="name"
    ),
    "body NUL: schedule urls[0]": Row(
        "POST", "/v1/schedules", json={"cron": "0 6 * * 1", "urls": [URL + "\x00"]}, field="urls[0]"
    ),
    "body NUL: export filters.search": Row(
        "POST",
        "/v1/leads/export",
        json={"format": "csv", "filters": {"search": "\x00"}},
        field="filters.search",
    ),
    "body NUL: a field name": Row("POST", "/v1/scrape", raw='{"\\u0000": 1}'),
    # Lone surrogates (valid JSON escapes, not valid Unicode text).
    "body surrogate: scrape urls[0]": Row(
        "POST",
        "/v1/scrape",
        raw='{"type": "single", "urls": ["https://acme-robotics.com/\\ud800"]}',
        field="urls[0]",
    ),
    "body surrogate: lead tags[0]": Row(
        "PATCH", "/v1/leads/{lead}", raw='{"tags": ["\\udc80"]}', field="tags[0]"
    ),
    "body surrogate: webhook url": Row(
        "POST",
        "/v1/webhooks",
        raw='{"url": "https://hooks.acme-robotics.com/\\ud800", "events": ["job.completed"]}',
        field="url",
    ),
    "body surrogate: export filters.job_id": Row(
        "POST",
        "/v1/leads/export",
        raw='{"format": "csv", "filters": {"job_id": "\\ud83d"}}',
        field="filters.job_id",
    ),
    "body surrogate: api key name": Row(
        "POST", "/v1/api-keys", raw='{"name": "\\udfff", "scopes": ["read"]}', field="name"
    ),
    # NUL in path ids.
    "path NUL: GET /v1/jobs/{id}": Row("GET", "/v1/jobs/job_%00", field="job_id"),
    "path NUL: POST /v1/jobs/{id}/cancel": Row("POST", "/v1/jobs/%00/cancel", field="job_id"),
    "path NUL: GET /v1/jobs/{id}/urls": Row("GET", "/v1/jobs/job_%00/urls", field="job_id"),
    "path NUL: GET /v1/leads/{id}": Row("GET", "/v1/leads/lead_%00", field="lead_id"),
    "path NUL: PATCH /v1/leads/{id}": Row("PATCH", "/v1/leads/%00", json={"tags": ["a"]}, field="lead_id"),
    "path NUL: POST /v1/leads/{id}/verify": Row("POST", "/v1/leads/%00/verify", field="lead_id"),
    "path NUL: GET /v1/companies/{id}": Row("GET", "/v1/companies/comp_%00", field="company_id"),
    "path NUL: DELETE /v1/api-keys/{id}": Row("DELETE", "/v1/api-keys/key_%00", field="key_id"),
    "path NUL: GET /v1/exports/{id}": Row("GET", "/v1/exports/%00", field="export_id"),
    "path NUL: GET /v1/exports/{id}/download": Row(
        "GET", "/v1/exports/%00/download?token=x", field="export_id"
    ),
    "path NUL: DELETE /v1/webhooks/{id}": Row("DELETE", "/v1/webhooks/%00", field="webhook_id"),
    "path NUL: POST /v1/webhooks/{id}/test": Row("POST", "/v1/webhooks/%00/test", field="webhook_id"),
    "path NUL: GET /v1/webhooks/{id}/deliveries": Row(
        "GET", "/v1/webhooks/wh_%00/deliveries", field="webhook_id"
    ),
    "path NUL: redeliver {delivery_id}": Row(
        "POST", "/v1/webhooks/{webhook}/deliveries/dlv_%00/redeliver", field="delivery_id"
    ),
    "path NUL: GET /v1/suppressions/{id}": Row("GET", "/v1/suppressions/%00", field="suppression_id"),
    "path NUL: PATCH /v1/schedules/{id}": Row(
        "PATCH", "/v1/schedules/%00", json={"name": "x"}, field="schedule_id"
    ),
    # NUL in query parameters.
    "query NUL: leads search": Row("GET", "/v1/leads?search=%00", field="search"),
    "query NUL: leads job_id": Row("GET", "/v1/leads?job_id=job_%00", field="job_id"),
    "query NUL: leads tags": Row("GET", "/v1/leads?tags=%00", field="tags"),
    "query NUL: leads company_id": Row("GET", "/v1/leads?company_id=comp_%00", field="company_id"),
    "query NUL: companies search": Row("GET", "/v1/companies?search=%00", field="search"),
    "query NUL: companies domain": Row("GET", "/v1/companies?domain=acme%00.com", field="domain"),
    # Cursors that decode to what no column holds.
    "cursor: NUL in the id": Row(
        "GET",
        "/v1/jobs?cursor="
        + _cursor({"k": "jobs:created_at:desc", "v": ["2026-01-01T00:00:00+00:00", "\x00"]}),
        field="cursor",
    ),
    "cursor: lone surrogate in the id": Row(
        "GET",
        "/v1/suppressions?cursor="
        + _raw_cursor(b'{"k":"suppressions:created_at:desc","v":["2026-01-01T00:00:00+00:00","\\ud800"]}'),
        field="cursor",
    ),
    "cursor: date out of range": Row(
        "GET",
        "/v1/credits/usage?cursor="
        + _cursor({"k": "credits:created_at:desc", "v": ["9999-12-31T23:59:59-23:59", "t"]}),
        field="cursor",
    ),
    "cursor: an integer past 64 bits": Row(
        "GET",
        "/v1/leads?sort=score&cursor=" + _cursor({"k": "leads:score:desc", "v": [2**70, "lead_x"]}),
        field="cursor",
    ),
    "cursor: 100,000 nested brackets": Row(
        "GET", "/v1/webhooks?cursor=" + _raw_cursor(b"[" * 100_000), field="cursor"
    ),
    # Dates whose offset takes them past the years 1-9999 in UTC.
    "date: created_after 9999-12-31T23:59:59-23:59": Row(
        "GET", "/v1/leads?created_after=9999-12-31T23:59:59-23:59", field="created_after"
    ),
    "date: created_before 0001-01-01T00:00:00+23:59": Row(
        "GET", "/v1/leads?created_before=0001-01-01T00:00:00%2B23:59", field="created_before"
    ),
    "date: credits start_date 0001-01-01T00:00:00+23:59": Row(
        "GET", "/v1/credits/usage?start_date=0001-01-01T00:00:00%2B23:59", field="start_date"
    ),
    "date: api key expires_at 9999-12-31T23:59:59-23:59": Row(
        "POST",
        "/v1/api-keys",
        json={"name": "ci", "scopes": ["read"], "expires_at": "9999-12-31T23:59:59-23:59"},
        field="expires_at",
    ),
    "date: export filters.created_before": Row(
        "POST",
        "/v1/leads/export",
        json={"format": "csv", "filters": {"created_before": "9999-12-31T23:59:59-23:59"}},
        field="filters.created_before",
    ),
    # Cron expressions that parse but never fire.
    "cron: 0 0 30 2 * (30 February)": Row(
        "POST", "/v1/schedules", json={"cron": "0 0 30 2 *", "urls": [URL]}, field="cron"
    ),
    "cron: 0 0 31 4,6,9,11 * on PATCH": Row(
        "PATCH", "/v1/schedules/{schedule}", json={"cron": "0 0 31 4,6,9,11 *"}, field="cron"
    ),
    # The signed download: a token that cannot match answers what a wrong one does.
    "download token: non-ASCII": Row(
        "GET",
        "/v1/exports/{export}/download?token=%C3%A9t%C3%A9",
        status=404,
        code="not_found",
        field="token",
    ),
    "download token: NUL": Row("GET", "/v1/exports/{export}/download?token=%00", field="token"),
    # Headers.
    "header NUL: Idempotency-Key": Row(
        "POST",
        "/v1/scrape",
        json={"type": "single", "urls": [URL]},
        headers={"Idempotency-Key": "a\x00b"},
        field="Idempotency-Key",
    ),
}


@pytest.fixture
def targets(
    client: FlaskClient,
    caller: Caller,
    db: Session,
    make_lead: Callable[..., Lead],
    make_job: Callable[..., Job],
    tmp_path: Path,
) -> dict[str, str]:
    """One object of each kind the rows address, in the caller's account."""
    lead = make_lead(caller.account_id, tags=["priority"])
    job = make_job(caller.account_id)
    # Stored directly: what the webhook URL checks accept is not this table's subject.
    hook = Webhook(
        account_id=caller.account_id,
        url="https://hooks.acme-robotics.com/in",
        events=["job.completed"],
        secret="whsec_test",
        is_active=True,
        created_at=utcnow(),
    )
    file = tmp_path / "export.csv"
    file.write_text("email\r\n", encoding="utf-8")
    export = Export(
        account_id=caller.account_id,
        format="csv",
        filters={},
        fields=[],
        status="completed",
        created_at=utcnow(),
        completed_at=utcnow(),
        expires_at=utcnow() + timedelta(hours=1),
        download_token="t0ken",
        file_path=str(file),
    )
    db.add_all([hook, export])
    db.commit()
    created = client.post("/v1/schedules", headers=caller.headers, json={"cron": "0 6 * * 1", "urls": [URL]})
    assert created.status_code == 201, created.get_json()
    return {
        "lead": lead.id,
        "job": job.id,
        "webhook": hook.id,
        "export": export.id,
        "schedule": created.get_json()["id"],
    }


def send(client: FlaskClient, caller: Caller, row: Row, targets: dict[str, str]) -> Any:
    headers = {**caller.headers, **row.headers}
    kwargs: dict[str, Any] = {}
    if row.json is not None:
        kwargs["data"] = json.dumps(row.json)  # \u0000 escapes, as any JSON client sends a NUL
        headers["Content-Type"] = "application/json"
    elif row.raw is not None:
        kwargs["data"] = row.raw
        headers["Content-Type"] = "application/json"
    return client.open(row.path.format(**targets), method=row.method, headers=headers, **kwargs)


@pytest.mark.parametrize("name", list(TABLE))
def test_hostile_input_is_a_4xx_in_the_error_shape(
    name: str, client: FlaskClient, caller: Caller, targets: dict[str, str]
) -> None:
    row = TABLE[name]
    response = send(client, caller, row, targets)
    assert response.status_code == row.status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"}
    error = body["error"]
    assert error["code"] == row.code
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["details"]["reason"], str) and error["details"]["reason"]
    if row.field is not None:
        assert error["details"]["field"] == row.field


def test_the_table_covers_every_kind_of_place(client: FlaskClient) -> None:
    """Every operation that takes an id is in the table with a NUL id (the spec's ids are all paths)."""
    spec = client.get("/v1/openapi.json").get_json()
    with_ids = {path for path in spec["paths"] if "{" in path}
    rows = {row.path.split("?")[0] for row in TABLE.values() if "%00" in row.path}
    covered = {p for p in with_ids if any(_matches(p, r) for r in rows)}
    assert covered == with_ids


def _matches(template: str, path: str) -> bool:
    parts, given = template.split("/"), path.split("/")
    return len(parts) == len(given) and all(
        p == g or (p.startswith("{") and (g.startswith("{") or "%00" in g))
        for p, g in zip(parts, given, strict=True)
    )


def test_a_token_that_cannot_match_is_the_same_404_as_a_wrong_one(
    client: FlaskClient, caller: Caller, targets: dict[str, str]
) -> None:
    export = targets["export"]
    right = client.get(f"/v1/exports/{export}/download?token=t0ken")
    assert right.status_code == 200
    assert right.get_data() == b"email\r\n"
    answers = [
        client.get(f"/v1/exports/{export}/download?token=%C3%A9t%C3%A9"),  # non-ASCII
        client.get(f"/v1/exports/{export}/download?token=wrong"),
        client.get("/v1/exports/export_01ABSENT/download?token=%C3%A9t%C3%A9"),  # no such export
    ]
    assert {a.status_code for a in answers} == {404}
    assert len({a.get_data() for a in answers}) == 1  # nothing tells an existing export apart


@pytest.fixture
def server(app: Flask) -> Iterator[int]:
    """The app on a real HTTP server (werkzeug's, as `make run` serves it): chunked bodies need one."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd.server_address[1]
    finally:
        httpd.shutdown()
        thread.join()


def _post_chunked(port: int, caller: Caller, body: bytes) -> tuple[int, dict[str, Any]]:
    def chunks() -> Iterator[bytes]:
        for start in range(0, len(body), 64 * 1024):
            yield body[start : start + 64 * 1024]

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(
            "POST",
            "/v1/api-keys",
            body=chunks(),
            headers={**caller.headers, "Content-Type": "application/json", "Transfer-Encoding": "chunked"},
            encode_chunked=True,
        )
        response = conn.getresponse()
        return response.status, json.loads(response.read())
    finally:
        conn.close()


def test_a_chunked_body_past_the_limit_is_413(server: int, caller: Caller) -> None:
    small = json.dumps({"name": "chunked", "scopes": ["read"]}).encode()
    status, body = _post_chunked(server, caller, small)
    assert status == 201, body  # chunked bodies are read whole below the limit
    big = json.dumps({"name": "x" * (5 * 1024 * 1024), "scopes": ["read"]}).encode()  # 5 MiB > 4 MiB
    status, body = _post_chunked(server, caller, big)
    assert status == 413, body
    assert body["error"]["code"] == "invalid_request"
    assert body["error"]["details"]["field"] == "body"
