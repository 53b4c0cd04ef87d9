"""Lead exports: request, worker-built CSV/JSON/JSONL files, filters, fields, escaping, signed download."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient
from sqlalchemy import insert
from sqlalchemy.orm import Session

from api.worker.runner import Worker
from db.models import Lead
from db.types import new_id, utcnow
from tests.api.conftest import Caller

pytestmark = pytest.mark.db
MANY = 2_500  # more than two worker batches


@pytest.fixture
def worker(database_url: str, tmp_path: Path) -> Worker:
    return Worker(database_url, allow=(), directory=tmp_path / "exports")


def _bulk_leads(db: Session, account_id: str, n: int) -> None:
    base = utcnow() - timedelta(days=1)
    rows = [
        {
            "id": new_id("lead"),
            "account_id": account_id,
            "identity_key": f"email:p{i}@acme-robotics.com",
            "contact_type": "personal",
            "email": f"p{i}@acme-robotics.com",
            "full_name": f"Person {i}",
            "company_name": "Acme Robotics",
            "lead_score": i % 100,
            "lead_status": "hot" if i % 100 >= 70 else ("warm" if i % 100 >= 40 else "cold"),
            "social_profiles": {},
            "signals_detected": ["hiring"],
            "enrichment_data": {},
            "tags": [],
            "created_at": base + timedelta(seconds=i),
            "updated_at": base,
        }
        for i in range(n)
    ]
    db.execute(insert(Lead), rows)
    db.commit()


def _export(client: FlaskClient, caller: Caller, worker: Worker, body: dict[str, Any]) -> tuple[dict, Any]:
    created = client.post("/v1/leads/export", headers=caller.headers, json=body)
    assert created.status_code == 200, created.get_json()
    started = created.get_json()
    assert started["status"] == "processing" and started["export_id"].startswith("export_")
    assert started["estimated_completion"].endswith("Z")
    worker.run_until_idle()
    status = client.get(f"/v1/exports/{started['export_id']}", headers=caller.headers).get_json()
    assert status["status"] == "completed", status
    url = urlsplit(status["download_url"])
    download = client.get(f"{url.path}?{url.query}")  # no API key: the URL is signed
    assert download.status_code == 200
    return status, download


def test_csv_of_many_leads_with_filters_and_fields(
    client: FlaskClient, caller: Caller, db: Session, worker: Worker
) -> None:
    _bulk_leads(db, caller.account_id, MANY)
    body = {
        "format": "csv",
        "filters": {"score_min": 70, "status": "hot"},
        "fields": ["email", "full_name", "lead_score", "signals_detected"],
    }
    status, download = _export(client, caller, worker, body)
    expected = sum(1 for i in range(MANY) if i % 100 >= 70)
    assert status["total_leads"] == expected and status["expires_at"].endswith("Z")
    assert download.mimetype == "text/csv" and download.mimetype_params.get("charset") == "utf-8"
    assert "attachment" in download.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(download.get_data(as_text=True))))
    assert rows[0] == ["email", "full_name", "lead_score", "signals_detected"]
    assert len(rows) == expected + 1
    assert all(int(r[2]) >= 70 for r in rows[1:])
    assert rows[1][3] == '["hiring"]'
    assert len({r[0] for r in rows[1:]}) == expected  # no row twice across batches


def test_csv_cells_cannot_become_formulas_but_numbers_stay_numbers(
    client: FlaskClient, caller: Caller, make_lead: Callable[..., Lead], worker: Worker
) -> None:
    make_lead(
        caller.account_id,
        full_name='=HYPERLINK("http://evil")',
        company_name="+1 Corp",
        job_title="-2+3",
        custom_notes="@SUM(A1)",
        phone="+14155550100",
        phone_national="\t(415) 555-0100",
        email="ünïcødé@acme-robotics.com",
        tags=["=cmd|' /C calc'!A0", "vip"],
    )
    make_lead(caller.account_id, custom_notes="-12.50", job_title="+", tags=["q1-campaign", "high-priority"])
    body = {
        "format": "csv",
        "fields": [
            "email",
            "full_name",
            "company_name",
            "job_title",
            "custom_notes",
            "phone",
            "phone_national",
            "tags",
        ],
    }
    _status, download = _export(client, caller, worker, body)
    text = download.get_data().decode("utf-8")
    [_header, first, second] = list(csv.reader(io.StringIO(text)))
    assert first == [
        "ünïcødé@acme-robotics.com",
        '\'=HYPERLINK("http://evil")',
        "'+1 Corp",
        "'-2+3",
        "'@SUM(A1)",
        "+14155550100",  # an E.164 phone is a number, never a formula: CRMs import it as is
        "'\t(415) 555-0100",
        "'=cmd|' /C calc'!A0; vip",  # tags as a readable list, guarded like any text
    ]
    assert second[3:6] == ["'+", "-12.50", ""]
    assert second[7] == "q1-campaign; high-priority"


def test_json_array_and_json_lines_with_all_fields(
    client: FlaskClient, caller: Caller, db: Session, worker: Worker
) -> None:
    _bulk_leads(db, caller.account_id, 1_200)
    status, download = _export(client, caller, worker, {"format": "json", "filters": {"search": "Person 11"}})
    data = json.loads(download.get_data())
    assert download.mimetype == "application/json"
    names = {d["full_name"] for d in data}
    assert names == {f"Person {i}" for i in range(1_200) if str(i).startswith("11")}
    assert {"id", "email", "lead_score", "lead_status", "created_at", "tags"} <= set(data[0])
    assert status["total_leads"] == len(data)
    status, download = _export(client, caller, worker, {"format": "jsonl", "fields": ["email"]})
    lines = download.get_data(as_text=True).splitlines()
    assert len(lines) == 1_200 and json.loads(lines[0]).keys() == {"email"}
    assert download.mimetype == "application/x-ndjson"


def test_empty_export_is_valid(client: FlaskClient, caller: Caller, worker: Worker) -> None:
    _status, download = _export(client, caller, worker, {"format": "json", "filters": {"score_min": 100}})
    assert json.loads(download.get_data()) == []
    _status, download = _export(client, caller, worker, {"format": "csv", "fields": ["email"]})
    assert download.get_data(as_text=True) == "email\r\n"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"format": "xlsx"}, "format"),
        ({}, "format"),
        ({"format": "csv", "fields": ["email", "password_hash"]}, "fields[1]"),
        ({"format": "csv", "fields": []}, "fields"),
        ({"format": "csv", "filters": {"score_min": 101}}, "filters.score_min"),
        ({"format": "csv", "filters": {"colour": "red"}}, "filters.colour"),
    ],
)
def test_invalid_export_requests(client: FlaskClient, caller: Caller, body: dict, field: str) -> None:
    response = client.post("/v1/leads/export", headers=caller.headers, json=body)
    assert response.status_code == 400
    assert response.get_json()["error"]["details"]["field"] == field


def test_downloads_need_the_token_and_expire(
    client: FlaskClient, caller: Caller, make_caller: Callable[..., Caller], database_url: str, tmp_path: Path
) -> None:
    now = [utcnow()]
    worker = Worker(database_url, allow=(), directory=tmp_path, clock=lambda: now[0])
    status, _download = _export(client, caller, worker, {"format": "csv"})
    url = urlsplit(status["download_url"])
    assert client.get(url.path).status_code == 400  # no token
    assert client.get(f"{url.path}?token=wrong").status_code == 404
    stranger = make_caller()
    assert client.get(f"/v1/exports/{status['export_id']}", headers=stranger.headers).status_code == 404
    now[0] += timedelta(hours=25)
    worker.run_until_idle()  # deletes the expired file
    assert not any(tmp_path.iterdir())
    assert client.get(f"{url.path}?{url.query}").status_code == 404
    later = client.get(f"/v1/exports/{status['export_id']}", headers=caller.headers).get_json()
    assert later["status"] == "expired" and later["download_url"] is None


TRICKY = [
    "+14155550100",
    "-12.50",
    "+1 Corp",
    "-",
    "=1+1",
    "@x",
    "\tx",
    "\rx",
    'say "hi", then\nleave',
    "+49 (30) 123",
    "plain",
    "",
    None,
]


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
def test_postgresql_and_portable_writers_are_byte_identical(
    fmt: str, caller: Caller, make_lead: Callable[..., Lead], db: Session, tmp_path: Path
) -> None:
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("the PostgreSQL writer runs on PostgreSQL only")
    from api.worker import exports
    from db.models import Export

    for i, value in enumerate(TRICKY):
        make_lead(
            caller.account_id,
            full_name=value,
            phone=value if value is None or len(value) <= 20 else None,
            custom_notes=value,
            tags=[t for t in (value, "vip", "a b") if t] if i % 2 else [],
            signals_detected=["hiring"] if i % 3 else [],
        )
    export = Export(account_id=caller.account_id, format=fmt, filters={}, fields=[], status="processing")
    outputs = []
    for writer in (exports._write_pg, exports._write_portable):
        out = io.StringIO(newline="")
        assert writer(db, export, list(exports.EXPORT_FIELDS), out) == len(TRICKY)
        outputs.append(out.getvalue())
    assert outputs[0] == outputs[1]
    assert ("+14155550100" in outputs[0]) and (
        "'=1+1" in outputs[0] if fmt == "csv" else "'=1+1" not in outputs[0]
    )
