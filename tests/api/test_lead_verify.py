"""POST /v1/leads/{id}/verify against the loopback DNS and SMTP servers, the e-mail filters of
GET /v1/leads, and the verdicts and guesses in exports."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from api import create_app
from api.worker.runner import Worker
from crawler.verify import VerifierConfig
from db.models import Lead, OutboxEvent
from pipelines.scoring import (
    SCORE_FIELDS,
    CompanyQualification,
    Contribution,
    LeadFeatures,
    Weights,
    score_lead,
)
from tests.api.conftest import UNREACHABLE_SCRAPYD, Caller
from tests.api.test_errors import assert_error
from tests.api.test_exports import _export
from tests.verify.conftest import ALLOW, HELO, MAIL_FROM
from tests.verify.servers import MailServers

pytestmark = [pytest.mark.db, pytest.mark.net]

MakeLead = Callable[..., Lead]


@pytest.fixture(scope="module")
def mail() -> Iterator[MailServers]:
    servers = MailServers()
    try:
        yield servers
    finally:
        servers.close()


@pytest.fixture
def app(database_url: str, mail: MailServers) -> Flask:
    mail.reset()
    verifier = VerifierConfig(
        nameservers=("127.0.0.1",),
        dns_port=mail.dns_port,
        smtp_probe=True,
        smtp_port=mail.smtp_port,
        helo_name=HELO,
        mail_from=MAIL_FROM,
        connect_timeout=5.0,
        budget_seconds=20.0,
        max_probes_per_host_per_second=1000.0,
        allowlist=ALLOW,
    )
    return create_app(
        {
            "DATABASE_URL": database_url,
            "TESTING": True,
            "SCRAPYD_URLS": [UNREACHABLE_SCRAPYD],
            "VERIFIER_CONFIG": verifier,
        }
    )


@pytest.fixture
def worker(database_url: str, tmp_path: Path) -> Worker:
    return Worker(database_url, allow=(), directory=tmp_path / "exports")


def checks(body: dict[str, Any]) -> dict[str, str]:
    return {c["check"]: c["result"] for c in body["email_checks"]}


def test_verify_rechecks_a_leads_address_and_stores_the_verdict(
    client: FlaskClient, caller: Caller, make_lead: MakeLead, mail: MailServers
) -> None:
    lead = make_lead(caller.account_id, email="anna.schmidt@acme.example", full_name="Anna Schmidt")

    response = client.post(f"/v1/leads/{lead.id}/verify", headers=caller.headers)

    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["email_status"] == "deliverable"
    assert checks(body) == {
        "syntax": "valid",
        "dns": "mx",
        "disposable": "no",
        "role": "no",
        "smtp": "accepted",
        "catch_all": "no",
    }
    assert body["verified_at"].endswith("Z")
    assert body["email_guess"] is None
    stored = client.get(f"/v1/leads/{lead.id}", headers=caller.headers).get_json()
    assert (stored["email_status"], stored["verified_at"]) == ("deliverable", body["verified_at"])
    assert mail.smtp.data == 0

    gone = make_lead(caller.account_id, email="nobody@acme.example")
    rejected = client.post(f"/v1/leads/{gone.id}/verify", headers=caller.headers).get_json()
    assert rejected["email_status"] == "undeliverable"
    assert checks(rejected)["smtp"] == "rejected"


def test_verify_guesses_a_persons_missing_address_without_making_it_their_email(
    client: FlaskClient, caller: Caller, make_lead: MakeLead
) -> None:
    for name, email in (
        ("Anna Schmidt", "anna.schmidt@acme.example"),
        ("Lena Fischer", "lena.fischer@acme.example"),
    ):
        make_lead(caller.account_id, email=email, full_name=name, company_domain="acme.example")
    jonas = make_lead(caller.account_id, email=None, full_name="Jonas Weber", company_domain="acme.example")

    response = client.post(f"/v1/leads/{jonas.id}/verify", headers=caller.headers)

    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["email"] is None
    assert body["email_status"] is None
    guess = body["email_guess"]
    assert (guess["address"], guess["pattern"]) == ("jonas.weber@acme.example", "first.last")
    assert sorted(guess["basis"]) == ["anna.schmidt@acme.example", "lena.fischer@acme.example"]
    assert 0.5 < guess["confidence"] <= 1.0
    assert guess["verification"]["email_status"] == "deliverable"

    guessed = client.get("/v1/leads?has_email=guess", headers=caller.headers).get_json()["data"]
    assert [lead["id"] for lead in guessed] == [jonas.id]
    with_email = client.get("/v1/leads?has_email=true", headers=caller.headers).get_json()["data"]
    assert sorted(lead["full_name"] for lead in with_email) == ["Anna Schmidt", "Lena Fischer"]
    assert client.get("/v1/leads?has_email=false", headers=caller.headers).get_json()["data"] == []


def test_no_guess_is_a_conflict_and_changes_nothing(
    client: FlaskClient, caller: Caller, make_lead: MakeLead
) -> None:
    lonely = make_lead(caller.account_id, email=None, full_name="Jonas Weber", company_domain="acme.example")
    make_lead(
        caller.account_id,
        email="anna.schmidt@acme.example",
        full_name="Anna Schmidt",
        company_domain="acme.example",
    )
    role = make_lead(caller.account_id, email=None, contact_type="role", phone="+4930123456")

    one_known = client.post(f"/v1/leads/{lonely.id}/verify", headers=caller.headers)
    no_name = client.post(f"/v1/leads/{role.id}/verify", headers=caller.headers)

    assert one_known.status_code == 409
    assert one_known.get_json()["error"]["code"] == "conflict"
    assert one_known.get_json()["error"]["details"] == {
        "field": "email",
        "reason": "too few of the company's addresses follow one pattern to guess from",
    }
    assert no_name.status_code == 409
    assert no_name.get_json()["error"]["details"]["reason"] == (
        "the lead has no email and no name to guess one from"
    )
    stored = client.get(f"/v1/leads/{lonely.id}", headers=caller.headers).get_json()
    assert stored["email_guess"] is None


def test_verify_is_account_scoped_and_needs_the_write_scope(
    client: FlaskClient, caller: Caller, make_caller: Callable[..., Caller], make_lead: MakeLead
) -> None:
    lead = make_lead(caller.account_id, email="anna.schmidt@acme.example")
    stranger = make_caller()
    reader = make_caller(scopes=("read",))
    theirs = make_lead(reader.account_id, email="lena.fischer@acme.example")

    foreign = client.post(f"/v1/leads/{lead.id}/verify", headers=stranger.headers)
    read_only = client.post(f"/v1/leads/{theirs.id}/verify", headers=reader.headers)

    assert foreign.status_code == 404
    assert foreign.get_json()["error"]["code"] == "not_found"
    assert read_only.status_code == 403
    assert read_only.get_json()["error"]["code"] == "forbidden"
    assert client.get(f"/v1/leads/{lead.id}", headers=caller.headers).get_json()["email_status"] is None


@pytest.mark.parametrize(
    ("query", "field"),
    [("email_status=bouncy", "email_status"), ("has_email=maybe", "has_email"), ("has_email=", "has_email")],
)
def test_bad_email_filters_are_refused(client: FlaskClient, caller: Caller, query: str, field: str) -> None:
    response = client.get(f"/v1/leads?{query}", headers=caller.headers)

    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid_request"
    assert error["details"]["field"] == field


def test_exports_filter_on_email_and_carry_the_guess_apart_from_email(
    client: FlaskClient, caller: Caller, make_lead: MakeLead, worker: Worker
) -> None:
    guess = {"address": "jonas.weber@acme.example", "pattern": "first.last", "confidence": 0.9, "basis": []}
    make_lead(
        caller.account_id, email="anna.schmidt@acme.example", full_name="Anna Schmidt", email_status="risky"
    )
    make_lead(caller.account_id, email=None, full_name="Jonas Weber", email_guess=guess)

    _, guessed = _export(
        client,
        caller,
        worker,
        {"format": "csv", "filters": {"has_email": "guess"}, "fields": ["full_name", "email", "email_guess"]},
    )
    _, risky = _export(
        client, caller, worker, {"format": "json", "filters": {"has_email": True, "email_status": "risky"}}
    )

    rows = list(csv.DictReader(io.StringIO(guessed.get_data(as_text=True))))
    assert [(r["full_name"], r["email"]) for r in rows] == [("Jonas Weber", "")]
    assert json.loads(rows[0]["email_guess"]) == guess
    leads = json.loads(risky.get_data(as_text=True))
    assert [(lead["email"], lead["email_status"], lead["email_guess"]) for lead in leads] == [
        ("anna.schmidt@acme.example", "risky", None)
    ]


def crawl_scored(**facts: Any) -> dict[str, Any]:
    """A lead's score columns as a crawl writes them: a hiring company, the lead's own facts."""
    company = CompanyQualification(
        points=10,
        signals=["hiring"],
        notes=["Company signals: hiring (careers page)."],
        enrichment={"industry": "Software", "confidence_score": 0.8},
        evidence=[],
        contributions=[Contribution("hiring", 10, "hiring (careers page)", "signal")],
        proof=[{"name": "hiring", "url": "https://acme.example/careers"}],
    )
    features = LeadFeatures(contact_type="personal", **facts)
    result = score_lead(company, features, Weights())
    return {name: getattr(result, name) for name in SCORE_FIELDS}


def test_verify_scores_the_lead_again_for_its_new_status(
    client: FlaskClient, caller: Caller, make_lead: MakeLead, db: Any
) -> None:
    anna = {"email": "anna.schmidt@acme.example", "full_name": "Anna Schmidt", "job_title": "CTO"}
    lead = make_lead(caller.account_id, **anna, **crawl_scored(**anna))
    before = client.get(f"/v1/leads/{lead.id}", headers=caller.headers).get_json()

    body = client.post(f"/v1/leads/{lead.id}/verify", headers=caller.headers).get_json()

    assert body["email_status"] == "deliverable"
    lines = {line["key"]: line["points"] for line in body["score_breakdown"]}
    assert lines["deliverable_email"] == Weights().deliverable_email and lines["hiring"] == 10
    assert (
        before["lead_score"] < 70 <= body["lead_score"] == before["lead_score"] + Weights().deliverable_email
    )
    assert body["lead_score"] == sum(line["points"] for line in body["score_breakdown"])
    assert body["qualification_notes"].startswith("Anna Schmidt, CTO: decision maker")
    assert "Company signals: hiring (careers page)." in body["qualification_notes"]
    assert f"Score {body['lead_score']} ({body['lead_status']}): " in body["qualification_notes"]
    assert f"Score {before['lead_score']} (" not in body["qualification_notes"]
    assert body["signals_detected"] == ["hiring"] and body["enrichment_data"]["industry"] == "Software"
    client.post(f"/v1/leads/{lead.id}/verify", headers=caller.headers)  # again: announced once
    db.commit()
    events = db.scalars(select(OutboxEvent).where(OutboxEvent.account_id == caller.account_id)).all()
    assert [(e.event_type, e.payload["data"]["lead_id"]) for e in events] == [("lead.qualified", lead.id)]

    # an address the crawl found deliverable that now bounces loses its points, and more
    gone = {"email": "nobody@acme.example", "full_name": "No Body"}
    bounced = make_lead(caller.account_id, **gone, **crawl_scored(**gone, email_status="deliverable"))
    rejected = client.post(f"/v1/leads/{bounced.id}/verify", headers=caller.headers).get_json()
    assert rejected["email_status"] == "undeliverable"
    keys = [line["key"] for line in rejected["score_breakdown"]]
    assert "undeliverable_email" in keys and "deliverable_email" not in keys
    assert rejected["lead_score"] < bounced.lead_score  # type: ignore[operator]

    # a lead no job scored (qualification off) stays unscored
    plain = make_lead(caller.account_id, email="plain.person@acme.example")
    assert (
        client.post(f"/v1/leads/{plain.id}/verify", headers=caller.headers).get_json()["lead_score"] is None
    )


def test_misconfigured_score_weights_are_a_clear_503_and_change_nothing(
    client: FlaskClient, caller: Caller, make_lead: MakeLead, monkeypatch: pytest.MonkeyPatch
) -> None:
    anna = {"email": "anna.schmidt@acme.example", "full_name": "Anna Schmidt", "job_title": "CTO"}
    lead = make_lead(caller.account_id, **anna, **crawl_scored(**anna))
    monkeypatch.setenv("LEADSCRAPER_SCORE_WEIGHTS", '{"hirring": 25}')
    response = client.post(f"/v1/leads/{lead.id}/verify", headers=caller.headers)
    assert_error(response, 503, "service_unavailable")
    assert "hirring" in response.get_json()["error"]["message"]
    stored = client.get(f"/v1/leads/{lead.id}", headers=caller.headers).get_json()
    assert stored["email_status"] is None and stored["lead_score"] == lead.lead_score
