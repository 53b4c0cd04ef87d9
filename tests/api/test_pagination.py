"""Keyset cursors: every list, every sort and order, stable while rows are inserted."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient

from db.models import Job, Lead
from tests.api.conftest import Caller
from tests.api.test_errors import assert_error

pytestmark = pytest.mark.db


def walk(client: FlaskClient, caller: Caller, path: str, limit: int) -> list[dict]:
    items: list[dict] = []
    cursor = None
    sep = "&" if "?" in path else "?"
    for _ in range(100):
        url = f"{path}{sep}limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(url, headers=caller.headers).get_json()
        assert len(body["data"]) <= limit
        items.extend(body["data"])
        if not body["pagination"]["has_more"]:
            assert body["pagination"]["next_cursor"] is None
            return items
        cursor = body["pagination"]["next_cursor"]
    raise AssertionError("pagination did not end")


@pytest.fixture
def many_leads(caller: Caller, make_lead: Callable[..., Lead]) -> list[Lead]:
    base = datetime(2026, 2, 1, tzinfo=UTC)
    leads = []
    companies = ["Acme", "acme", "Beta", None, "Zeta", "Gamma", None]
    for i in range(23):
        leads.append(
            make_lead(
                caller.account_id,
                company_name=companies[i % len(companies)],
                lead_score=None if i % 5 == 0 else (i * 7) % 100,
                # ties on purpose: several leads share a timestamp, a score and a company
                created_at=base + timedelta(minutes=i // 3),
            )
        )
    return leads


def expected_order(leads: list[Lead], sort: str, order: str) -> list[str]:
    def key(lead: Lead) -> tuple:
        if sort == "created_at":
            return (lead.created_at, lead.id)
        if sort == "score":
            return (-1 if lead.lead_score is None else lead.lead_score, lead.id)
        return ((lead.company_name or "").lower(), lead.id)

    return [lead.id for lead in sorted(leads, key=key, reverse=order == "desc")]


@pytest.mark.parametrize("sort", ["created_at", "score", "company"])
@pytest.mark.parametrize("order", ["asc", "desc"])
def test_every_sort_pages_completely_and_in_order(
    client: FlaskClient, caller: Caller, many_leads: list[Lead], sort: str, order: str
) -> None:
    items = walk(client, caller, f"/v1/leads?sort={sort}&order={order}", limit=4)
    assert [i["id"] for i in items] == expected_order(many_leads, sort, order)


def test_default_limit_is_50_and_order_desc(client: FlaskClient, caller: Caller, make_lead: Callable) -> None:
    for _ in range(55):
        make_lead(caller.account_id)
    body = client.get("/v1/leads", headers=caller.headers).get_json()
    assert len(body["data"]) == 50 and body["pagination"]["has_more"]
    times = [x["created_at"] for x in body["data"]]
    assert times == sorted(times, reverse=True)


def test_stable_under_inserts(client: FlaskClient, caller: Caller, make_lead: Callable[..., Lead]) -> None:
    old = [make_lead(caller.account_id, created_at=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=i))
           for i in range(6)]  # fmt: skip
    first = client.get("/v1/leads?limit=3", headers=caller.headers).get_json()
    for _ in range(5):  # new leads arrive while the client pages
        make_lead(caller.account_id)
    cursor = first["pagination"]["next_cursor"]
    second = client.get(f"/v1/leads?limit=3&cursor={cursor}", headers=caller.headers).get_json()
    seen = [x["id"] for x in first["data"] + second["data"]]
    assert seen == [lead.id for lead in reversed(old)]
    assert not second["pagination"]["has_more"]


def test_jobs_keys_and_usage_lists_page(
    client: FlaskClient, caller: Caller, make_job: Callable[..., Job]
) -> None:
    jobs = [make_job(caller.account_id) for _ in range(5)]
    assert [j["id"] for j in walk(client, caller, "/v1/jobs", 2)] == [j.id for j in reversed(jobs)]
    for n in range(4):
        client.post("/v1/api-keys", headers=caller.headers, json={"name": f"k{n}", "scopes": ["read"]})
    keys = walk(client, caller, "/v1/api-keys", 2)
    assert len(keys) == 5 and len({k["id"] for k in keys}) == 5
    assert len(walk(client, caller, "/v1/credits/usage", 1)) == 1


def test_cursor_of_another_sort_is_refused(
    client: FlaskClient, caller: Caller, many_leads: list[Lead]
) -> None:
    cursor = client.get("/v1/leads?limit=2&sort=score", headers=caller.headers).get_json()["pagination"][
        "next_cursor"
    ]
    response = client.get(f"/v1/leads?limit=2&sort=company&cursor={cursor}", headers=caller.headers)
    assert_error(response, 400, "invalid_request", "cursor")
    response = client.get(f"/v1/jobs?cursor={cursor}", headers=caller.headers)
    assert_error(response, 400, "invalid_request", "cursor")
