"""GET /v1/account and GET /v1/credits/usage: backed by the ledger, whose sum equals the balance."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from db.credits import add_credits, debit_job_credits, ledger_sum
from db.models import CreditTransaction, Job
from tests.api.conftest import Caller
from tests.api.test_errors import assert_error

pytestmark = pytest.mark.db


def test_account_matches_spec_and_ledger(
    client: FlaskClient, make_caller: Callable[..., Caller], make_job: Callable[..., Job], db: Session
) -> None:
    caller = make_caller(plan="pro", credits=5000)
    job = make_job(caller.account_id)
    assert debit_job_credits(db, caller.account_id, job.id, 3750)
    db.commit()
    data = client.get("/v1/account", headers=caller.headers).get_json()
    assert set(data) >= {"id", "email", "full_name", "plan", "credits", "subscription", "created_at"}
    assert data["id"] == caller.account_id and data["plan"] == "pro"
    assert data["credits"] == {"balance": 1250, "total_purchased": 5000, "total_used": 3750}
    assert data["credits"]["balance"] == ledger_sum(db, caller.account_id)
    assert set(data["subscription"]) == {
        "status",
        "current_period_start",
        "current_period_end",
        "monthly_credits",
    }
    assert data["subscription"]["status"] == "active" and data["subscription"]["monthly_credits"] == 10000
    assert data["rate_limit_per_hour"] == 10000


def test_usage_lists_the_ledger(
    client: FlaskClient, caller: Caller, make_job: Callable[..., Job], db: Session
) -> None:
    job = make_job(caller.account_id)
    debit_job_credits(db, caller.account_id, job.id, 2)
    debit_job_credits(db, caller.account_id, job.id, 3)  # amends the job's one usage row
    db.commit()
    data = client.get("/v1/credits/usage", headers=caller.headers).get_json()
    usage = [t for t in data["data"] if t["type"] == "usage"]
    assert usage == [
        {
            "id": usage[0]["id"],
            "amount": -5,
            "type": "usage",
            "description": f"Scraping job #{job.id}",
            "job_id": job.id,
            "created_at": usage[0]["created_at"],
        }
    ]
    purchase = next(t for t in data["data"] if t["type"] == "purchase")
    assert purchase["amount"] == 1000 and purchase["description"] == "Credit purchase - Pro Plan"
    balance = client.get("/v1/account", headers=caller.headers).get_json()["credits"]["balance"]
    assert sum(t["amount"] for t in data["data"]) == balance == 995


def test_usage_date_filters_and_pages(client: FlaskClient, caller: Caller, db: Session) -> None:
    for day in range(1, 6):
        add_credits(db, caller.account_id, day, "grant", f"day {day}")
        db.flush()
        row = db.query(CreditTransaction).filter_by(description=f"day {day}").one()
        row.created_at = datetime(2026, 3, day, 12, tzinfo=UTC)
    db.commit()
    query = "start_date=2026-03-02&end_date=2026-03-05T00:00:00Z"
    data = client.get(f"/v1/credits/usage?{query}", headers=caller.headers).get_json()
    assert [t["amount"] for t in data["data"]] == [4, 3, 2]
    first = client.get(f"/v1/credits/usage?{query}&limit=2", headers=caller.headers).get_json()
    assert [t["amount"] for t in first["data"]] == [4, 3] and first["pagination"]["has_more"]
    cursor = first["pagination"]["next_cursor"]
    second = client.get(
        f"/v1/credits/usage?{query}&limit=2&cursor={cursor}", headers=caller.headers
    ).get_json()
    assert [t["amount"] for t in second["data"]] == [2]
    assert second["pagination"] == {"has_more": False, "next_cursor": None}
    grants = client.get("/v1/credits/usage?type=grant", headers=caller.headers).get_json()["data"]
    assert len(grants) == 5


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("start_date=last-week", "start_date"),
        ("end_date=2026-02-30", "end_date"),
        ("start_date=2026-03-05&end_date=2026-03-01", "start_date"),
        ("type=gift", "type"),
        ("limit=1000", "limit"),
    ],
)
def test_usage_validation(client: FlaskClient, caller: Caller, query: str, field: str) -> None:
    assert_error(
        client.get(f"/v1/credits/usage?{query}", headers=caller.headers), 400, "invalid_request", field
    )
