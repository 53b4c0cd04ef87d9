"""A realistic export: 100,000 leads, CSV / JSON / JSON Lines whose content is exactly what the filters
select, accents intact, formulas neutralised, and a download nobody else can open.

Peak memory against the row count is measured by ``bench/exports.py`` (no timing or memory
assertions here: the test machines are shared and noisy).
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask.testing import FlaskClient
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from api.worker.runner import Worker
from db.models import Export, Lead, Suppression
from db.types import new_id, utcnow
from tests.api.conftest import Caller

pytestmark = [pytest.mark.db, pytest.mark.slow]
N = 100_000  # seeded in one bulk insert: a few seconds on SQLite and PostgreSQL
COMPANIES = ("Société Générale Électronique", "Acme Robotics", "Müller & Søn GmbH")
FILTERS = {"score_min": 40, "score_max": 90, "search": "Müller"}  # + a created_at window, below
CSV_FIELDS = ["id", "email", "full_name", "company_name", "phone", "lead_score", "lead_status"]
SUPPRESSED = "p30002@acme-robotics.com"  # would match the filters: suppression wins


@dataclass(frozen=True)
class Seeded:
    rows: list[dict[str, Any]]
    window: tuple[datetime, datetime]

    def expected(self) -> list[dict[str, Any]]:
        """The filters, applied in Python to what was inserted: the oracle, independent of the API."""
        after, before = self.window
        return [
            r
            for r in self.rows
            if r["lead_score"] is not None
            and FILTERS["score_min"] <= r["lead_score"] <= FILTERS["score_max"]
            and after <= r["created_at"] < before
            and any("müller" in (r[c] or "").lower() for c in ("email", "company_name", "full_name", "phone"))
            and r["email"] != SUPPRESSED
        ]


def _row(account_id: str, i: int, base: datetime) -> dict[str, Any]:
    score = None if i % 23 == 0 else i % 101
    name = f"Zoë Ñúñez-Łukasz {i}"
    if i % 997 == 0:
        name = f'=HYPERLINK("http://evil.example/{i}","click")'
    elif i % 991 == 0:
        name = "@SUM(A1:A9)"
    elif i % 983 == 0:
        name = "-2+3"
    return {
        "id": new_id("lead"),
        "account_id": account_id,
        "identity_key": f"email:p{i}@acme-robotics.com",
        "contact_type": "personal",
        "email": f"p{i}@acme-robotics.com",
        "phone": f"+3314{i:07d}" if i % 5 == 0 else None,
        "full_name": name,
        "company_name": COMPANIES[i % 3],
        "lead_score": score,
        "lead_status": None if score is None else "hot" if score >= 70 else "warm" if score >= 40 else "cold",
        "social_profiles": {},
        "signals_detected": ["hiring", "recent_funding"] if i % 2 else [],
        "enrichment_data": {"location": "Zürich"} if i % 7 == 0 else {},
        "tags": [],
        "created_at": base + timedelta(seconds=30 * i),
        "updated_at": base,
    }


def _seed(db: Session, account_id: str, n: int) -> list[dict[str, Any]]:
    base = utcnow().replace(microsecond=0) - timedelta(days=40)
    rows = [_row(account_id, i, base) for i in range(n)]
    for start in range(0, n, 20_000):
        db.connection().execute(Lead.__table__.insert(), rows[start : start + 20_000])
    db.commit()
    return rows


@pytest.fixture(scope="module")
def seeded(database_url: str) -> Iterator[tuple[Caller, Caller, Seeded]]:
    """The account with N leads, and a stranger whose own leads would match the same filters."""
    from db.accounts import SCOPES, create_account, create_api_key
    from db.engine import get_engine, session_factory

    with session_factory(get_engine(database_url))() as db:
        callers = []
        for _ in range(2):
            account = create_account(db, f"{uuid.uuid4().hex[:12]}@acme-robotics.com", plan="pro")
            row, key = create_api_key(db, account.id, "export key", SCOPES, None)
            db.commit()
            callers.append(Caller(account.id, key, row.id, {"Authorization": f"Bearer {key}"}))
        owner, stranger = callers
        rows = _seed(db, owner.account_id, N)
        _seed(db, stranger.account_id, 3_000)
        db.add(Suppression(account_id=owner.account_id, kind="email", value=SUPPRESSED, reason="opt-out"))
        db.commit()
        window = (rows[10_000]["created_at"], rows[90_000]["created_at"])
        yield owner, stranger, Seeded(rows, window)


@pytest.fixture
def worker(database_url: str, tmp_path: Path) -> Worker:
    return Worker(database_url, allow=(), directory=tmp_path / "exports")


def _filters(seeded: Seeded) -> dict[str, Any]:
    after, before = seeded.window
    return {
        **FILTERS,
        "created_after": after.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "created_before": before.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def _sql_ids(db: Session, account_id: str, seeded: Seeded) -> set[str]:
    """The same filters written out as plain SQL (not through the API's filter_leads)."""
    after, before = seeded.window
    pattern = "%müller%"
    return set(
        db.scalars(
            select(Lead.id).where(
                Lead.account_id == account_id,
                Lead.lead_score.between(FILTERS["score_min"], FILTERS["score_max"]),
                Lead.created_at >= after,
                Lead.created_at < before,
                or_(*(func.lower(c).like(pattern) for c in (Lead.email, Lead.company_name, Lead.full_name))),
                ~select(Suppression.id)
                .where(
                    and_(
                        Suppression.account_id == Lead.account_id,
                        Suppression.kind == "email",
                        Suppression.value == Lead.email,
                    )
                )
                .exists(),
            )
        )
    )


def _export(client: FlaskClient, caller: Caller, worker: Worker, body: dict[str, Any]) -> tuple[dict, bytes]:
    created = client.post("/v1/leads/export", headers=caller.headers, json=body)
    assert created.status_code == 200, created.get_json()
    worker.run_until_idle()
    status = client.get(f"/v1/exports/{created.get_json()['export_id']}", headers=caller.headers).get_json()
    assert status["status"] == "completed", status
    url = urlsplit(status["download_url"])
    download = client.get(f"{url.path}?{url.query}")
    assert download.status_code == 200
    return status, download.get_data()


def test_filtered_csv_and_json_of_100k_leads_are_exactly_the_filtered_rows(
    client: FlaskClient, seeded: tuple[Caller, Caller, Seeded], worker: Worker, db: Session
) -> None:
    owner, stranger, data = seeded
    expected = data.expected()
    by_id = {r["id"]: r for r in expected}
    assert 10_000 < len(expected) < N // 2  # a real selection, neither empty nor everything
    assert _sql_ids(db, owner.account_id, data) == set(by_id)  # the oracle agrees with plain SQL
    filters = _filters(data)

    # CSV: header + one row per selected lead, oldest first, nothing else.
    status, raw = _export(client, owner, worker, {"format": "csv", "filters": filters, "fields": CSV_FIELDS})
    assert status["total_leads"] == len(expected)
    text = raw.decode("utf-8")  # strict: any broken byte fails here
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == CSV_FIELDS
    body = rows[1:]
    assert [r[0] for r in body] == [r["id"] for r in expected]  # same ids, same order, none twice
    quoted = 0
    for cells in body:
        lead = by_id[cells[0]]
        name = lead["full_name"]
        if name[0] in "=+-@":
            assert cells[2] == "'" + name  # a spreadsheet shows it as text, never runs it
            quoted += 1
        else:
            assert cells[2] == name  # accents intact: Zoë Ñúñez-Łukasz
        assert cells[1] == lead["email"] and cells[3] == lead["company_name"] == "Müller & Søn GmbH"
        assert cells[4] == (lead["phone"] or "")  # E.164 phones are numbers: never prefixed
        assert int(cells[5]) == lead["lead_score"] and cells[6] == lead["lead_status"]
    assert quoted > 0 and not any(c.startswith(("=", "-", "@")) for r in body for c in r)
    assert all(not c.startswith("+") or c[1:].isdigit() for r in body for c in r)
    assert SUPPRESSED not in text and "Zoë Ñúñez-Łukasz" in text

    # JSON: one valid array with every field, the same leads.
    status, raw = _export(client, owner, worker, {"format": "json", "filters": filters})
    items = json.loads(raw.decode("utf-8"))
    assert isinstance(items, list) and status["total_leads"] == len(items) == len(expected)
    assert [d["id"] for d in items] == [r["id"] for r in expected]
    for item in items:
        lead = by_id[item["id"]]
        assert item["full_name"] == lead["full_name"]  # JSON is not a spreadsheet: kept verbatim
        assert item["company_name"] == "Müller & Søn GmbH" and item["lead_score"] == lead["lead_score"]
        assert item["signals_detected"] == lead["signals_detected"]
        assert item["enrichment_data"] == lead["enrichment_data"]
    assert "Zürich" in raw.decode("utf-8")  # written as UTF-8, not \u escapes

    # The stranger's export with the same filters: their own leads only, none of the owner's.
    _status, raw = _export(
        client, stranger, worker, {"format": "jsonl", "filters": filters, "fields": ["id"]}
    )
    theirs = {json.loads(line)["id"] for line in raw.decode("utf-8").splitlines()}
    assert theirs == _sql_ids(db, stranger.account_id, data) and not theirs & set(by_id)


def test_unfiltered_json_lines_of_100k_leads(
    client: FlaskClient, seeded: tuple[Caller, Caller, Seeded], worker: Worker
) -> None:
    owner, _stranger, data = seeded
    fields = ["id", "full_name", "company_name", "lead_score"]
    status, raw = _export(client, owner, worker, {"format": "jsonl", "fields": fields})
    lines = raw.decode("utf-8").splitlines()
    everything = [r for r in data.rows if r["email"] != SUPPRESSED]
    assert status["total_leads"] == len(lines) == len(everything) == N - 1
    parsed = [json.loads(line) for line in lines]  # every line valid JSON on its own
    assert [p["id"] for p in parsed] == [r["id"] for r in everything]
    assert all(list(p) == fields for p in parsed)
    assert {p["company_name"] for p in parsed} == set(COMPANIES)
    assert parsed[1]["full_name"] == "Zoë Ñúñez-Łukasz 1"


def test_the_download_is_refused_to_anyone_without_its_token(
    client: FlaskClient,
    seeded: tuple[Caller, Caller, Seeded],
    worker: Worker,
    make_caller: Callable[..., Caller],
    db: Session,
) -> None:
    owner, stranger, data = seeded
    status, _raw = _export(client, owner, worker, {"format": "csv", "filters": _filters(data)})
    export_id = status["export_id"]
    url = urlsplit(status["download_url"])
    token = parse_qs(url.query)["token"][0]
    theirs, _raw = _export(client, stranger, worker, {"format": "csv", "fields": ["email"]})
    their_token = parse_qs(urlsplit(theirs["download_url"]).query)["token"][0]

    def download(query: str, headers: dict[str, str] | None = None) -> int:
        return client.get(f"{url.path}{query}", headers=headers or {}).status_code

    # Another account: cannot see the export, and neither its key nor its own token opens the file.
    assert client.get(f"/v1/exports/{export_id}", headers=stranger.headers).status_code == 404
    assert download("", stranger.headers) == 400  # a key is no substitute for the token
    assert download(f"?token={their_token}", stranger.headers) == 404
    assert download(f"?token={their_token}") == 404
    assert client.get(f"/v1/exports/{export_id}", headers=make_caller().headers).status_code == 404
    # Wrong tokens: altered by one character, truncated, empty.
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in (altered, token[:-1], token[1:], ""):
        assert download(f"?token={bad}") in (400, 404), bad
    assert download(f"?token={token}") == 200  # the real one still works
    # Expired (the worker has not purged the file yet): refused all the same.
    db.execute(
        update(Export).where(Export.id == export_id).values(expires_at=utcnow() - timedelta(seconds=1))
    )
    db.commit()
    assert download(f"?token={token}") == 404
    assert download(f"?token={token}", owner.headers) == 404
