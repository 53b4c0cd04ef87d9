"""Data protection: suppressions erase a person's leads and keep them out of lists, exports and webhooks;
leads show where they were collected; retention purges leads not seen again."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.worker.retention import Maintenance, retention_days
from api.worker.runner import Worker
from crawler.extract.leads import person_identity
from db.engine import session_factory
from db.models import Job, Lead, LeadSighting, OutboxEvent, Suppression, WebhookDelivery
from db.outbox import record_lead_qualified
from db.privacy import erase_all_suppressed
from db.types import utcnow
from tests.api.conftest import Caller
from tests.api.test_errors import assert_error
from tests.api.test_webhook_delivery import ALLOW, Receiver, _webhook, receiver  # noqa: F401 - fixture

pytestmark = pytest.mark.db


def _lead_ids(db: Session, account_id: str) -> set[str]:
    db.commit()  # end the read transaction: see what the app committed (objects stay loaded)
    return set(db.scalars(select(Lead.id).where(Lead.account_id == account_id)))


def _sightings(db: Session, lead_id: str) -> int:
    return db.scalar(select(func.count()).where(LeadSighting.lead_id == lead_id)) or 0


def test_suppressing_an_email_erases_every_lead_and_sighting_of_it(
    client: FlaskClient,
    make_caller: Callable[..., Caller],
    make_job: Callable[..., Job],
    make_lead: Callable[..., Lead],
    db: Session,
) -> None:
    owner, other = make_caller(), make_caller()
    job = make_job(owner.account_id)
    person = make_lead(owner.account_id, email="jane.doe@acme-robotics.com", seen_in=[job.id, job.id])
    keep = make_lead(owner.account_id, email="john@acme-robotics.com", seen_in=[job.id])
    same_elsewhere = make_lead(other.account_id, email="jane.doe@acme-robotics.com")
    response = client.post(
        "/v1/suppressions",
        headers=owner.headers,
        json={"kind": "email", "value": "  Jane.Doe@ACME-Robotics.com ", "reason": "GDPR erasure request"},
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["value"] == "jane.doe@acme-robotics.com"
    assert body["kind"] == "email" and body["reason"] == "GDPR erasure request"
    assert body["id"].startswith("sup_") and body["erased"] == {"leads": 1}
    assert _lead_ids(db, owner.account_id) == {keep.id}
    assert _sightings(db, person.id) == 0 and _sightings(db, keep.id) == 1
    assert _lead_ids(db, other.account_id) == {same_elsewhere.id}  # another account's list is its own
    assert_error(client.get(f"/v1/leads/{person.id}", headers=owner.headers), 404, "not_found")

    # Idempotent: the same value again is the same suppression, answered 200.
    again = client.post(
        "/v1/suppressions",
        headers=owner.headers,
        json={"kind": "email", "value": "JANE.DOE@acme-robotics.com"},
    )
    assert again.status_code == 200
    assert again.get_json()["id"] == body["id"] and again.get_json()["erased"] == {"leads": 0}
    assert db.scalar(select(func.count()).where(Suppression.account_id == owner.account_id)) == 1


def test_suppressing_a_person_s_email_erases_them_named_without_it_too(
    client: FlaskClient, caller: Caller, make_lead: Callable[..., Lead], db: Session
) -> None:
    acme = "acme-robotics.com"
    jane = make_lead(
        caller.account_id, email="jane.doe@acme-robotics.com", full_name="Jane Doe", company_domain=acme
    )
    # the same person without her address: a name on a team page (with a direct line here)
    named = make_lead(
        caller.account_id, email=None, full_name="Dr. Jane  Doe", phone="+15125550100", company_domain=acme
    )
    namesake = make_lead(
        caller.account_id, email="j.doe@acme-robotics.com", full_name="Jane Doe", company_domain=acme
    )
    elsewhere = make_lead(caller.account_id, email=None, full_name="Jane Doe", company_domain="beta-labs.io")
    response = client.post(
        "/v1/suppressions",
        headers=caller.headers,
        json={"kind": "email", "value": "jane.doe@acme-robotics.com"},
    )
    assert response.status_code == 201 and response.get_json()["erased"] == {"leads": 2}
    assert _lead_ids(db, caller.account_id) == {namesake.id, elsewhere.id}  # another address, another company
    assert jane.id not in _lead_ids(db, caller.account_id) and named.id not in _lead_ids(
        db, caller.account_id
    )
    row = db.scalars(select(Suppression).where(Suppression.account_id == caller.account_id)).one()
    assert row.people == ["person:jane doe|acme-robotics.com"]
    # one stored later by a crawl that began before the suppression: the maintenance erases it
    late = make_lead(caller.account_id, email=None, full_name="Jane Doe", company_domain=acme)
    with session_factory(db.get_bind()).begin() as session:
        assert erase_all_suppressed(session, person_identity) >= 1
    assert _lead_ids(db, caller.account_id) == {namesake.id, elsewhere.id}
    assert late.id not in _lead_ids(db, caller.account_id)


def test_suppressing_a_domain_erases_its_addresses_subdomains_and_company_contacts(
    client: FlaskClient, caller: Caller, make_lead: Callable[..., Lead], db: Session
) -> None:
    at_domain = make_lead(caller.account_id, email="ceo@acme-robotics.com")
    at_subdomain = make_lead(caller.account_id, email="ops@eu.acme-robotics.com")
    phone_only = make_lead(
        caller.account_id, email=None, phone="+14155550100", company_domain="acme-robotics.com"
    )
    look_alike = make_lead(caller.account_id, email="ceo@notacme-robotics.com")
    elsewhere = make_lead(caller.account_id, email="ceo@globex.example")
    response = client.post(
        "/v1/suppressions", headers=caller.headers, json={"kind": "domain", "value": "WWW.Acme-Robotics.com."}
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["value"] == "acme-robotics.com"
    assert response.get_json()["erased"] == {"leads": 3}
    assert _lead_ids(db, caller.account_id) == {look_alike.id, elsewhere.id}
    assert {at_domain.id, at_subdomain.id, phone_only.id}.isdisjoint(_lead_ids(db, caller.account_id))


def test_phone_suppression_is_normalized_to_e164(
    client: FlaskClient, caller: Caller, make_lead: Callable[..., Lead], db: Session
) -> None:
    lead = make_lead(caller.account_id, email=None, phone="+14155550100")
    response = client.post(
        "/v1/suppressions", headers=caller.headers, json={"kind": "phone", "value": "+1 (415) 555-0100"}
    )
    assert response.status_code == 201
    assert response.get_json()["value"] == "+14155550100"
    assert lead.id not in _lead_ids(db, caller.account_id)


@pytest.mark.parametrize(
    "body, field",
    [
        ({"kind": "email", "value": "not-an-address"}, "value"),
        ({"kind": "email", "value": "a@b"}, "value"),
        ({"kind": "domain", "value": "acme robotics.com"}, "value"),
        ({"kind": "domain", "value": "a_b.example"}, "value"),
        ({"kind": "phone", "value": "0415 555 0100"}, "value"),
        ({"kind": "name", "value": "Jane"}, "kind"),
        ({"kind": "email"}, "value"),
        ({"kind": "email", "value": "a@acme-robotics.com", "extra": 1}, "extra"),
    ],
)
def test_invalid_suppressions_are_refused_by_field(
    client: FlaskClient, caller: Caller, body: dict[str, Any], field: str
) -> None:
    error = assert_error(
        client.post("/v1/suppressions", headers=caller.headers, json=body), 400, "invalid_request"
    )
    assert error["details"]["field"] == field


def test_list_get_and_lift(client: FlaskClient, caller: Caller) -> None:
    created = []
    for i in range(5):
        response = client.post(
            "/v1/suppressions",
            headers=caller.headers,
            json={"kind": "email", "value": f"p{i}@acme-robotics.com"},
        )
        created.append(response.get_json()["id"])
    client.post(
        "/v1/suppressions", headers=caller.headers, json={"kind": "domain", "value": "globex.example"}
    )
    seen: list[str] = []
    cursor = None
    while True:
        query = "/v1/suppressions?kind=email&limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(query, headers=caller.headers).get_json()
        seen += [s["id"] for s in page["data"]]
        assert all(s["kind"] == "email" for s in page["data"])
        cursor = page["pagination"]["next_cursor"]
        if not page["pagination"]["has_more"]:
            break
    assert seen == list(reversed(created))  # newest first, each once
    one = client.get(f"/v1/suppressions/{created[0]}", headers=caller.headers).get_json()
    assert one["value"] == "p0@acme-robotics.com"
    assert client.delete(f"/v1/suppressions/{created[0]}", headers=caller.headers).status_code == 204
    assert_error(client.get(f"/v1/suppressions/{created[0]}", headers=caller.headers), 404, "not_found")
    assert_error(client.delete(f"/v1/suppressions/{created[0]}", headers=caller.headers), 404, "not_found")


def _suppress_behind_the_apis_back(db: Session, account_id: str, kind: str, value: str) -> None:
    """A suppression added while a crawl was storing the lead: the row exists, the lead too."""
    db.add(Suppression(account_id=account_id, kind=kind, value=value, reason="race"))
    db.commit()


def test_lists_and_exports_skip_suppressed_contacts_at_read_time(
    client: FlaskClient,
    caller: Caller,
    make_lead: Callable[..., Lead],
    db: Session,
    tmp_path: Path,
    database_url: str,
) -> None:
    gone_email = make_lead(caller.account_id, email="jane@acme-robotics.com", company_name="Acme")
    gone_domain = make_lead(caller.account_id, email="bob@globex.example", company_name="Globex")
    gone_phone = make_lead(caller.account_id, email=None, phone="+14155550100", company_name="Phone Co")
    kept = make_lead(caller.account_id, email="kim@initech.example", company_name="Initech")
    _suppress_behind_the_apis_back(db, caller.account_id, "email", "jane@acme-robotics.com")
    _suppress_behind_the_apis_back(db, caller.account_id, "domain", "globex.example")
    _suppress_behind_the_apis_back(db, caller.account_id, "phone", "+14155550100")

    listed = client.get("/v1/leads?limit=100", headers=caller.headers).get_json()["data"]
    assert [lead["id"] for lead in listed] == [kept.id]

    created = client.post("/v1/leads/export", headers=caller.headers, json={"format": "json"}).get_json()
    # A worker with maintenance off: the export itself must leave them out.
    worker = Worker(database_url, allow=(), directory=tmp_path)
    worker.maintain.last_run = utcnow() + timedelta(days=1)
    worker.run_until_idle()
    status = client.get(f"/v1/exports/{created['export_id']}", headers=caller.headers).get_json()
    assert status["status"] == "completed" and status["total_leads"] == 1
    url = urlsplit(status["download_url"])
    rows = json.loads(client.get(f"{url.path}?{url.query}").data)
    assert [r["id"] for r in rows] == [kept.id]
    assert {gone_email.id, gone_domain.id, gone_phone.id} <= _lead_ids(db, caller.account_id)

    # The worker's maintenance pass then erases what slipped past the suppressions.
    sweeper = Worker(database_url, allow=(), directory=tmp_path, retention_days=0)
    sweeper.run_until_idle()
    assert _lead_ids(db, caller.account_id) == {kept.id}


def test_lead_qualified_events_of_a_suppressed_lead_are_never_delivered(
    caller: Caller,
    make_lead: Callable[..., Lead],
    db: Session,
    receiver: Receiver,  # noqa: F811 - the fixture
    database_url: str,
    tmp_path: Path,
    engine: Any,
) -> None:
    hook = _webhook(db, caller.account_id, receiver.url("/hook"), ["lead.qualified"])
    hot = make_lead(caller.account_id, email="jane@acme-robotics.com", lead_score=90, lead_status="hot")
    fine = make_lead(caller.account_id, email="kim@initech.example", lead_score=85, lead_status="hot")
    with session_factory(engine)() as session:
        record_lead_qualified(session, caller.account_id, [hot.id, fine.id])
        session.commit()
    # Opt-out arrives after the events were written but before the worker sends them.
    _suppress_behind_the_apis_back(db, caller.account_id, "email", "jane@acme-robotics.com")
    worker = Worker(database_url, allow=ALLOW, directory=tmp_path, timeout=3)
    worker.maintain.last_run = utcnow() + timedelta(days=1)  # only the delivery-time check acts
    worker.run_until_idle()
    sent = [json.loads(r.body)["data"] for r in receiver.at("/hook")]
    assert [d["lead_id"] for d in sent] == [fine.id]
    assert all("jane@" not in json.dumps(d) for d in sent)
    db.commit()
    payloads = [
        p
        for (p,) in db.execute(select(OutboxEvent.payload).where(OutboxEvent.account_id == caller.account_id))
    ]
    assert all("jane@acme-robotics.com" not in json.dumps(p) for p in payloads)  # no copy left behind
    assert db.scalar(select(func.count()).where(WebhookDelivery.webhook_id == hook.id)) == 1
    assert hot.id not in _lead_ids(db, caller.account_id)


def test_erasure_through_the_api_drops_pending_lead_events(
    client: FlaskClient, caller: Caller, make_lead: Callable[..., Lead], db: Session, engine: Any
) -> None:
    hot = make_lead(caller.account_id, email="jane@acme-robotics.com", lead_score=90, lead_status="hot")
    with session_factory(engine)() as session:
        record_lead_qualified(session, caller.account_id, [hot.id])
        session.commit()
    response = client.post(
        "/v1/suppressions", headers=caller.headers, json={"kind": "email", "value": "jane@acme-robotics.com"}
    )
    assert response.get_json()["erased"] == {"leads": 1}
    db.commit()
    assert db.scalar(select(func.count()).where(OutboxEvent.account_id == caller.account_id)) == 0


def test_lead_details_show_where_and_when_it_was_collected(
    client: FlaskClient,
    caller: Caller,
    make_job: Callable[..., Job],
    make_lead: Callable[..., Lead],
    db: Session,
) -> None:
    first, second = make_job(caller.account_id), make_job(caller.account_id)
    lead = make_lead(caller.account_id, job_id=first.id, seen_in=[first.id, second.id])
    rows = list(
        db.scalars(select(LeadSighting).where(LeadSighting.lead_id == lead.id).order_by(LeadSighting.id))
    )
    rows[0].seen_at = utcnow() - timedelta(days=3)
    db.commit()
    body = client.get(f"/v1/leads/{lead.id}", headers=caller.headers).get_json()
    assert body["sightings_total"] == 2
    assert [s["job_id"] for s in body["sightings"]] == [second.id, first.id]  # newest first
    assert set(body["sightings"][0]) == {"source_url", "method", "job_id", "seen_at"}
    assert body["sightings"][0]["source_url"] == "https://acme-robotics.com/team"
    assert body["last_seen_at"] == body["sightings"][0]["seen_at"]
    listed = client.get("/v1/leads", headers=caller.headers).get_json()["data"][0]
    assert "sightings" not in listed  # lists stay light


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def test_retention_purges_leads_not_seen_within_the_period(
    caller: Caller,
    make_caller: Callable[..., Caller],
    make_job: Callable[..., Job],
    make_lead: Callable[..., Lead],
    db: Session,
    engine: Any,
) -> None:
    job = make_job(caller.account_id)
    now = utcnow()
    stale = make_lead(caller.account_id, seen_in=[job.id])
    fresh_again = make_lead(caller.account_id, seen_in=[job.id, job.id])  # old sighting + a recent one
    never_seen_old = make_lead(caller.account_id, created_at=now - timedelta(days=40))
    never_seen_new = make_lead(caller.account_id)
    other = make_caller()
    other_stale = make_lead(other.account_id, seen_in=[job.id])
    for lead in (stale, other_stale):
        for s in db.scalars(select(LeadSighting).where(LeadSighting.lead_id == lead.id)):
            s.seen_at = now - timedelta(days=31)
    first, _second = db.scalars(
        select(LeadSighting).where(LeadSighting.lead_id == fresh_again.id).order_by(LeadSighting.id)
    )
    first.seen_at = now - timedelta(days=90)
    db.commit()

    clock = Clock(now)
    maintenance = Maintenance(session_factory(engine), days=30, clock=clock, interval=timedelta(hours=1))
    assert maintenance() >= 3  # the purge spans every account (earlier tests may have old leads)
    assert _lead_ids(db, caller.account_id) == {fresh_again.id, never_seen_new.id}
    assert _lead_ids(db, other.account_id) == set()
    assert _sightings(db, stale.id) == 0
    assert never_seen_old.id not in _lead_ids(db, caller.account_id)

    # At most once an hour; a month later, the rest has aged out too.
    clock.now = now + timedelta(minutes=30)
    assert maintenance() == 0
    clock.now = now + timedelta(days=31)
    assert maintenance() >= 2  # the purge spans every account: earlier tests' leads age out too
    assert _lead_ids(db, caller.account_id) == set()


def test_retention_is_off_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LEADSCRAPER_RETENTION_DAYS", raising=False)
    assert retention_days() is None
    assert retention_days("") is None and retention_days("0") is None
    assert retention_days("30") == 30
    with pytest.raises(ValueError):
        retention_days("-1")
