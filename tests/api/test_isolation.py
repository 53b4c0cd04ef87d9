"""Tenant isolation: another account's ids are 404 everywhere, change nothing, and no list, count,
filter or side effect ever crosses from one account to another."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.credits import debit_job_credits
from db.leads import upsert_companies
from db.models import Company, Job, Lead, Suppression, Webhook
from tests.api.conftest import Caller
from tests.api.test_errors import assert_error

pytestmark = pytest.mark.db


@dataclass
class Owned:
    """One of everything an account can own, each reachable by id."""

    caller: Caller
    job: str
    lead: str
    lead_email: str
    company: str
    key: str
    webhook: str
    delivery: str
    export: str
    suppression: str
    schedule: str


@pytest.fixture
def owned(
    client: FlaskClient,
    make_caller: Callable[..., Caller],
    make_job: Callable[..., Job],
    make_lead: Callable[..., Lead],
    db: Session,
) -> Owned:
    owner = make_caller()
    job = make_job(owner.account_id, status="processing")
    assert debit_job_credits(db, owner.account_id, job.id, 3)
    db.commit()
    email = f"{uuid.uuid4().hex[:8]}@owner-corp.example"
    companies = upsert_companies(db, owner.account_id, {"owner-corp.example": "Owner Corp"}, job_id=job.id)
    db.commit()
    lead = make_lead(
        owner.account_id,
        email=email,
        job_id=job.id,
        seen_in=[job.id],
        company_name="Owner Corp",
        company_domain="owner-corp.example",
        company_id=companies["owner-corp.example"],
    )
    hook = Webhook(
        account_id=owner.account_id,
        url="https://hooks.owner-corp.example/in",
        events=["job.completed"],
        secret="whsec_c2VjcmV0c2VjcmV0c2VjcmV0",
        is_active=True,
    )
    db.add(hook)
    db.commit()
    delivery = client.post(f"/v1/webhooks/{hook.id}/test", headers=owner.headers)
    assert delivery.status_code == 202, delivery.get_json()
    export = client.post(
        "/v1/leads/export", headers=owner.headers, json={"format": "csv", "filters": {"job_id": job.id}}
    )
    assert export.status_code == 200
    suppression = client.post(
        "/v1/suppressions", headers=owner.headers, json={"kind": "domain", "value": "blocked.example"}
    )
    assert suppression.status_code == 201
    schedule = client.post(
        "/v1/schedules",
        headers=owner.headers,
        json={"cron": "0 6 * * 1", "urls": ["https://owner-corp.example/"], "status": "paused"},
    )
    assert schedule.status_code == 201, schedule.get_json()
    return Owned(
        owner,
        job.id,
        lead.id,
        email,
        companies["owner-corp.example"],
        owner.key_id,
        hook.id,
        delivery.get_json()["id"],
        export.get_json()["export_id"],
        suppression.get_json()["id"],
        schedule.get_json()["id"],
    )


def attempts(o: Owned, own_webhook: str) -> list[tuple[str, str, dict[str, Any] | None]]:
    """Every operation that takes an id, aimed at the owner's objects."""
    return [
        ("GET", f"/v1/jobs/{o.job}", None),
        ("POST", f"/v1/jobs/{o.job}/cancel", None),
        ("GET", f"/v1/jobs/{o.job}/urls", None),
        ("GET", f"/v1/leads/{o.lead}", None),
        ("PATCH", f"/v1/leads/{o.lead}", {"tags": ["stolen"], "custom_notes": "mine now"}),
        ("POST", f"/v1/leads/{o.lead}/verify", None),
        ("DELETE", f"/v1/leads/{o.lead}", None),
        ("GET", f"/v1/companies/{o.company}", None),
        ("DELETE", f"/v1/api-keys/{o.key}", None),
        ("GET", f"/v1/exports/{o.export}", None),
        ("GET", f"/v1/webhooks/{o.webhook}", None),
        ("DELETE", f"/v1/webhooks/{o.webhook}", None),
        ("POST", f"/v1/webhooks/{o.webhook}/test", None),
        ("GET", f"/v1/webhooks/{o.webhook}/deliveries", None),
        ("POST", f"/v1/webhooks/{o.webhook}/deliveries/{o.delivery}/redeliver", None),
        # The intruder's own webhook with the owner's delivery id.
        ("POST", f"/v1/webhooks/{own_webhook}/deliveries/{o.delivery}/redeliver", None),
        ("GET", f"/v1/suppressions/{o.suppression}", None),
        ("DELETE", f"/v1/suppressions/{o.suppression}", None),
        ("GET", f"/v1/schedules/{o.schedule}", None),
        ("PATCH", f"/v1/schedules/{o.schedule}", {"status": "active", "cron": "* * * * *"}),
        ("DELETE", f"/v1/schedules/{o.schedule}", None),
    ]


# Routes with an id that are not account-scoped on purpose, and why.
NOT_ACCOUNT_SCOPED = {
    # Authorised by the signed token in its URL, not by a key; a wrong token is 404 for anyone.
    ("GET", "/v1/exports/{export_id}/download"),
}


def _template(path: str) -> str:
    return re.sub(
        r"/(job|lead|comp|key|export|webhook|dlv|sup|sched)_[0-9A-Za-z]+",
        lambda m: "/{" + m.group(1) + "}",
        path,
    )


def test_every_route_with_an_id_is_covered(client: FlaskClient, owned: Owned) -> None:
    """A new route taking an id must be added to ``attempts`` (or to NOT_ACCOUNT_SCOPED with a reason)."""
    spec = client.get("/v1/openapi.json").get_json()
    documented = {
        (method.upper(), path)
        for path, ops in spec["paths"].items()
        if "{" in path
        for method in ops
        if method != "parameters"
    }
    names = {"job": "job_id", "lead": "lead_id", "comp": "company_id", "key": "key_id", "export": "export_id",
             "webhook": "webhook_id", "dlv": "delivery_id", "sup": "suppression_id",
             "sched": "schedule_id"}  # fmt: skip
    covered = {
        (method, re.sub(r"\{(\w+)\}", lambda m: "{" + names[m.group(1)] + "}", _template(path)))
        for method, path, _ in attempts(owned, "webhook_x")
    }
    covered |= NOT_ACCOUNT_SCOPED
    assert documented - covered == set()


def test_another_accounts_ids_are_404_and_change_nothing(
    client: FlaskClient, owned: Owned, make_caller: Callable[..., Caller], db: Session
) -> None:
    intruder = make_caller()
    own_hook = Webhook(
        account_id=intruder.account_id,
        url="https://hooks.intruder.example/in",
        events=["job.completed"],
        secret="whsec_aW50cnVkZXJpbnRydWRlcg==",
        is_active=True,
    )
    db.add(own_hook)
    db.commit()
    for method, path, body in attempts(owned, own_hook.id):
        response = client.open(path, method=method, headers=intruder.headers, json=body)
        error = assert_error(response, 404, "not_found")
        # Indistinguishable from an id that exists nowhere: same code, same details shape.
        unknown = re.sub(
            r"(job|lead|comp|key|export|webhook|dlv|sup|sched)_[0-9A-Za-z]+$", r"\1_00000000000000", path
        )
        if unknown != path:
            other = client.open(unknown, method=method, headers=intruder.headers, json=body)
            assert_error(other, 404, "not_found")
            assert set(other.get_json()["error"]["details"]) == set(error["details"]), path

    o, h = owned, owned.caller.headers
    job = client.get(f"/v1/jobs/{o.job}", headers=h).get_json()
    assert job["status"] == "processing"
    lead = client.get(f"/v1/leads/{o.lead}", headers=h).get_json()
    assert lead["tags"] == [] and lead["custom_notes"] is None
    company = client.get(f"/v1/companies/{o.company}", headers=h).get_json()
    assert company["lead_count"] == 1 and [x["id"] for x in company["leads"]] == [o.lead]
    assert client.get("/v1/api-keys", headers=h).status_code == 200  # the key was not revoked
    assert client.get(f"/v1/exports/{o.export}", headers=h).status_code == 200
    hook = client.get(f"/v1/webhooks/{o.webhook}", headers=h).get_json()
    assert hook["is_active"] is True
    deliveries = client.get(f"/v1/webhooks/{o.webhook}/deliveries", headers=h).get_json()["data"]
    assert [d["id"] for d in deliveries] == [o.delivery] and deliveries[0]["attempts"] == 0
    assert client.get(f"/v1/suppressions/{o.suppression}", headers=h).status_code == 200
    # neither deleted nor resumed nor re-timed by the intruder's DELETE and PATCH
    schedule = client.get(f"/v1/schedules/{o.schedule}", headers=h)
    assert schedule.status_code == 200
    assert schedule.get_json()["status"] == "paused" and schedule.get_json()["next_run_at"] is None
    assert schedule.get_json()["cron"] == "0 6 * * 1"


def test_lists_counts_and_filters_never_include_another_account(
    client: FlaskClient, owned: Owned, make_caller: Callable[..., Caller]
) -> None:
    intruder = make_caller()
    h = intruder.headers
    foreign = {
        owned.job,
        owned.lead,
        owned.company,
        owned.key,
        owned.webhook,
        owned.export,
        owned.suppression,
        owned.schedule,
    }
    for path in (
        "/v1/jobs",
        "/v1/jobs?status=processing",
        "/v1/leads",
        "/v1/leads?search=owner",
        f"/v1/leads?search={owned.lead_email}",
        f"/v1/leads?company_id={owned.company}",
        "/v1/companies",
        "/v1/companies?search=owner",
        "/v1/companies?domain=owner-corp.example",
        f"/v1/companies?job_id={owned.job}",
        "/v1/api-keys",
        "/v1/webhooks",
        "/v1/suppressions",
        "/v1/schedules",
        "/v1/credits/usage",
    ):
        response = client.get(path, headers=h)
        assert response.status_code == 200, path
        page = response.get_json()
        ids = {item["id"] for item in page["data"]}
        assert ids.isdisjoint(foreign), path
        assert all(item.get("job_id") != owned.job for item in page["data"]), path
    assert [k["id"] for k in client.get("/v1/api-keys", headers=h).get_json()["data"]] == [intruder.key_id]
    # job_id of another account's job: exactly what an unknown job id gives (empty), never a leak.
    for theirs_path, unknown_path in (
        (f"/v1/leads?job_id={owned.job}", "/v1/leads?job_id=job_00000000000000"),
        (f"/v1/companies?job_id={owned.job}", "/v1/companies?job_id=job_00000000000000"),
    ):
        theirs = client.get(theirs_path, headers=h)
        unknown = client.get(unknown_path, headers=h)
        assert theirs.status_code == unknown.status_code == 200
        assert (
            theirs.get_json()
            == unknown.get_json()
            == {
                "data": [],
                "pagination": {"has_more": False, "next_cursor": None},
            }
        )
    # the owner sees its own company through the same filters
    mine = client.get(f"/v1/companies?job_id={owned.job}", headers=owned.caller.headers).get_json()
    assert [c["id"] for c in mine["data"]] == [owned.company]
    # Credits: the intruder's ledger and totals are its own purchase only.
    usage = client.get("/v1/credits/usage", headers=h).get_json()["data"]
    assert [t["type"] for t in usage] == ["purchase"]
    credits = client.get("/v1/account", headers=h).get_json()["credits"]
    assert credits == {"balance": 1000, "total_purchased": 1000, "total_used": 0}
    owner_credits = client.get("/v1/account", headers=owned.caller.headers).get_json()["credits"]
    assert owner_credits["total_used"] == 3 and owner_credits["balance"] == 997


def test_side_effects_never_cross_accounts(
    client: FlaskClient, owned: Owned, make_caller: Callable[..., Caller], db: Session
) -> None:
    intruder = make_caller()
    h = intruder.headers
    # Suppressing the owner's contact in my account erases nothing of the owner's.
    for kind, value in (("email", owned.lead_email), ("domain", "owner-corp.example")):
        response = client.post("/v1/suppressions", headers=h, json={"kind": kind, "value": value})
        assert response.status_code == 201
        assert response.get_json()["erased"] == {"leads": 0}
    assert client.get(f"/v1/leads/{owned.lead}", headers=owned.caller.headers).status_code == 200
    assert client.get(f"/v1/companies/{owned.company}", headers=owned.caller.headers).status_code == 200
    # ... and the owner's suppression does not hide my leads at the same domain.
    db.add(
        Lead(
            account_id=intruder.account_id,
            identity_key="email:x@blocked.example",
            email="x@blocked.example",
            company_domain="blocked.example",
        )
    )
    db.commit()
    listed = client.get("/v1/leads", headers=h).get_json()["data"]
    assert [lead["email"] for lead in listed] == ["x@blocked.example"]
    # An export filtered by the owner's job id exports none of the owner's leads.
    export = client.post(
        "/v1/leads/export", headers=h, json={"format": "json", "filters": {"job_id": owned.job}}
    )
    assert export.status_code == 200
    # Cancelling and deleting by the owner's ids did nothing (checked above); the owner's rows are intact.
    assert db.scalar(select(func.count()).where(Suppression.account_id == owned.caller.account_id)) == 1
    assert db.scalar(select(func.count()).where(Lead.account_id == owned.caller.account_id)) == 1
    assert db.scalar(select(func.count()).where(Company.account_id == owned.caller.account_id)) == 1
    # Names unique per account are not unique across accounts: same suppression in both is fine.
    again = client.post("/v1/suppressions", headers=h, json={"kind": "domain", "value": "blocked.example"})
    assert again.status_code == 201
    assert client.get(f"/v1/leads/{owned.lead}", headers=owned.caller.headers).status_code == 200


def test_export_built_for_one_account_holds_none_of_anothers(
    client: FlaskClient, owned: Owned, make_caller: Callable[..., Caller], database_url: str, tmp_path: Any
) -> None:
    from urllib.parse import urlsplit

    from api.worker.runner import Worker

    intruder = make_caller()
    created = client.post(
        "/v1/leads/export",
        headers=intruder.headers,
        json={"format": "json", "filters": {"job_id": owned.job}},
    ).get_json()
    Worker(database_url, allow=(), directory=tmp_path, retention_days=0).run_until_idle()
    status = client.get(f"/v1/exports/{created['export_id']}", headers=intruder.headers).get_json()
    assert status["status"] == "completed" and status["total_leads"] == 0
    url = urlsplit(status["download_url"])
    assert client.get(f"{url.path}?{url.query}").get_json() == []
    # The owner's export, built by the same worker, holds exactly the owner's lead.
    mine = client.get(f"/v1/exports/{owned.export}", headers=owned.caller.headers).get_json()
    assert mine["total_leads"] == 1
