"""Outbox events are written with the change that causes them, and only when it commits."""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.accounts import create_account
from db.credits import debit_job_credits
from db.engine import session_factory
from db.jobs import claim_job_urls, create_job, finish_job, finish_job_urls, url_outcome
from db.models import JobUrlStatus, Lead, OutboxEvent, UrlOutcome
from db.outbox import record_lead_qualified

pytestmark = pytest.mark.db


def _account(session: Session, **kwargs: object) -> str:
    account = create_account(session, f"{uuid.uuid4().hex[:10]}@acme-robotics.com", **kwargs)  # type: ignore[arg-type]
    session.commit()
    return account.id


def _events(engine: Engine, account_id: str) -> list[OutboxEvent]:
    with session_factory(engine)() as s:
        return list(
            s.scalars(
                select(OutboxEvent).where(OutboxEvent.account_id == account_id).order_by(OutboxEvent.id)
            )
        )


def test_job_completed_payload_is_the_specs(session: Session, engine: Engine) -> None:
    account_id = _account(session, credits=100)
    job = create_job(session, account_id, "bulk", ["https://a.example.org", "https://b.example.org"])
    job.successful_urls, job.failed_urls, job.leads_found = 1, 1, 3
    first, second = sorted(claim_job_urls(session, job.id, 2, worker="test"), key=lambda u: u.position)
    finish_job_urls(
        session,
        [
            url_outcome(first.id, JobUrlStatus.DONE, outcome=UrlOutcome.OK, credits_charged=0),
            url_outcome(second.id, JobUrlStatus.FAILED, reason="HTTP 404", outcome=UrlOutcome.HTTP_ERROR),
        ],
    )
    assert finish_job(session, job.id, "completed")
    assert not finish_job(session, job.id, "failed")  # already final: no second event
    session.commit()
    [event] = _events(engine, account_id)
    assert event.event_type == "job.completed"
    body = event.payload
    assert set(body) == {"event", "timestamp", "data"} and body["event"] == "job.completed"
    assert body["data"] == {
        "job_id": job.id,
        "type": "bulk",
        "total_urls": 2,
        "successful_urls": 1,
        "failed_urls": 1,
        "leads_found": 3,
        "credits_used": 0,
        # how the URLs ended, by outcome code
        "outcome_counts": {"http_error": 1, "ok": 1},
        "completed_at": body["timestamp"],
    }
    assert body["timestamp"].endswith("Z")


def test_job_failed_carries_reason_and_cancelled_emits_nothing(session: Session, engine: Engine) -> None:
    account_id = _account(session, credits=100)
    failed = create_job(session, account_id, "single", ["https://a.example.org"])
    cancelled = create_job(session, account_id, "single", ["https://b.example.org"])
    finish_job(session, failed.id, "failed", "scheduling failed: no node")
    finish_job(session, cancelled.id, "cancelled")
    session.commit()
    [event] = _events(engine, account_id)
    assert event.event_type == "job.failed"
    assert event.payload["data"]["job_id"] == failed.id
    assert event.payload["data"]["failure_reason"] == "scheduling failed: no node"


def test_a_rolled_back_transaction_emits_nothing(session: Session, engine: Engine) -> None:
    account_id = _account(session, plan="starter", credits=1000)
    job = create_job(session, account_id, "bulk", ["https://a.example.org"])
    session.commit()
    assert debit_job_credits(session, account_id, job.id, 900)  # crosses 20% of 1000
    assert finish_job(session, job.id, "completed")
    assert session.scalar(select(OutboxEvent.id).where(OutboxEvent.account_id == account_id))
    session.rollback()  # the process "dies" before commit
    assert _events(engine, account_id) == []


def test_credit_low_once_per_crossing(session: Session, engine: Engine) -> None:
    account_id = _account(session, plan="starter", credits=1000)  # monthly 1000: threshold 200
    job = create_job(session, account_id, "bulk", ["https://a.example.org"])
    session.commit()
    assert debit_job_credits(session, account_id, job.id, 790)  # 210 left: above
    assert debit_job_credits(session, account_id, job.id, 20)  # 190: crosses
    assert debit_job_credits(session, account_id, job.id, 20)  # 170: still below, no new event
    session.commit()
    events = _events(engine, account_id)
    assert [e.event_type for e in events] == ["credit.low"]
    data = events[0].payload["data"]
    assert data["balance"] == 190 and data["monthly_credits"] == 1000 and data["job_id"] == job.id
    assert data["threshold"] == 200


def test_lead_qualified_once_and_only_at_70(session: Session, engine: Engine) -> None:
    account_id = _account(session, credits=10)
    job = create_job(session, account_id, "single", ["https://a.example.org"])
    leads = []
    for score in (85, 70, 69, None):
        lead = Lead(
            account_id=account_id,
            identity_key=f"email:{uuid.uuid4().hex}@acme.test",
            email=f"{uuid.uuid4().hex[:6]}@acme.test",
            full_name="Ada Lovelace",
            company_name="Acme",
            lead_score=score,
            lead_status="hot" if score and score >= 70 else "warm",
            job_id=job.id,
        )
        session.add(lead)
        leads.append(lead)
    session.flush()
    ids = [lead.id for lead in leads]
    assert len(record_lead_qualified(session, account_id, ids, job_id=job.id)) == 2
    assert record_lead_qualified(session, account_id, ids, job_id=job.id) == []  # never twice
    session.commit()
    events = _events(engine, account_id)
    assert {e.payload["data"]["lead_id"] for e in events} == set(ids[:2])
    data = events[0].payload["data"]
    assert data["job_id"] == job.id and data["lead_score"] >= 70 and data["email"]
    assert {"lead_id", "job_id", "email", "full_name", "company_name", "lead_score", "lead_status"} <= set(
        data
    )


def test_two_writers_announce_a_lead_once(session: Session, engine: Engine) -> None:
    # Two spiders of one account store the same lead: the second one's conditional UPDATE waits
    # for the first one's row lock, then finds the lead announced and announces nothing.
    account_id = _account(session, credits=10)
    lead = Lead(
        account_id=account_id,
        identity_key=f"email:{uuid.uuid4().hex}@acme.test",
        email="ada@acme.test",
        lead_score=90,
        lead_status="hot",
    )
    session.add(lead)
    session.commit()
    factory = session_factory(engine)
    with factory() as first:
        assert len(record_lead_qualified(first, account_id, [lead.id])) == 1
        results: list[int] = []

        def second_writer() -> None:
            with factory() as second:
                results.append(len(record_lead_qualified(second, account_id, [lead.id])))
                second.commit()

        thread = threading.Thread(target=second_writer)
        thread.start()
        thread.join(0.5)  # it waits for the first writer's lock (SQLite: for its write transaction)
        first.commit()
        thread.join(30)
    assert results == [0]
    assert [e.payload["data"]["lead_id"] for e in _events(engine, account_id)] == [lead.id]
