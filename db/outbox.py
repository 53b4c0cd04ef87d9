"""The transactional outbox: webhook events written in the same transaction as the change causing them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db.models import Job, JobStatus, Lead, OutboxEvent
from db.types import utcnow

JOB_COMPLETED = "job.completed"
JOB_FAILED = "job.failed"
LEAD_QUALIFIED = "lead.qualified"
CREDIT_LOW = "credit.low"
COMPANY_SIGNAL_DETECTED = "company.signal_detected"
# The documented events, the only ones an endpoint can subscribe to.
EVENT_TYPES = (JOB_COMPLETED, JOB_FAILED, LEAD_QUALIFIED, CREDIT_LOW, COMPANY_SIGNAL_DETECTED)
# Sent to one endpoint on request (POST /v1/webhooks/{id}/test); never fanned out.
TEST_EVENT = "webhook.test"
QUALIFIED_SCORE = 70  # spec: "New lead qualified (score ≥ 70)"
CREDIT_LOW_FRACTION = 0.2  # spec: "Credit balance below 20%" (of the plan's monthly credits)


def iso(value: datetime | None) -> str | None:
    """The API's timestamp form: ``2026-02-10T10:38:23Z``."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def envelope(event_type: str, data: dict[str, Any], at: datetime | None = None) -> dict[str, Any]:
    """``{"event", "timestamp", "data"}``: the body every webhook request carries."""
    return {"event": event_type, "timestamp": iso(at or utcnow()), "data": data}


def record_event(
    session: Session, account_id: str, event_type: str, data: dict[str, Any], *, at: datetime | None = None
) -> OutboxEvent:
    """Add one event to the outbox in the caller's transaction: it exists exactly if the change commits."""
    event = _event(account_id, event_type, data, at or utcnow())
    session.add(event)
    session.flush()
    return event


def _event(account_id: str, event_type: str, data: dict[str, Any], at: datetime) -> OutboxEvent:
    return OutboxEvent(
        account_id=account_id, event_type=event_type, payload=envelope(event_type, data, at), created_at=at
    )


def job_event_data(job: Job, outcome_counts: dict[str, int] | None = None) -> dict[str, Any]:
    """``job.completed`` data as the API documents it, plus how many URLs ended with each outcome
    code; ``job.failed`` adds status and failure_reason."""
    data: dict[str, Any] = {
        "job_id": job.id,
        "type": job.type,
        "total_urls": job.total_urls,
        "successful_urls": job.successful_urls,
        "failed_urls": job.failed_urls,
        "leads_found": job.leads_found,
        "credits_used": job.credits_used,
        "outcome_counts": dict(outcome_counts or {}),
        "completed_at": iso(job.completed_at),
    }
    if job.status == JobStatus.FAILED:
        data["status"] = JobStatus.FAILED.value
        data["failure_reason"] = job.failure_reason
    return data


def record_job_finished(
    session: Session, job_id: str, outcome_counts: dict[str, int] | None = None
) -> OutboxEvent | None:
    """``job.completed`` or ``job.failed`` for a job that just reached that status (cancelled: nothing)."""
    session.flush()
    job = session.scalars(select(Job).where(Job.id == job_id).execution_options(populate_existing=True)).one()
    event_type = {JobStatus.COMPLETED: JOB_COMPLETED, JobStatus.FAILED: JOB_FAILED}.get(JobStatus(job.status))
    if event_type is None:
        return None
    return record_event(
        session, job.account_id, event_type, job_event_data(job, outcome_counts), at=job.completed_at
    )


def credit_low_crossed(balance_before: int, balance_after: int, monthly_credits: int) -> bool:
    """True when a debit takes the balance from at/above 20% of the monthly credits to below it."""
    if monthly_credits <= 0:
        return False
    threshold = monthly_credits * CREDIT_LOW_FRACTION
    return balance_before >= threshold > balance_after


def record_credit_low(
    session: Session, account_id: str, balance: int, monthly_credits: int, job_id: str | None
) -> OutboxEvent:
    data = {
        "account_id": account_id,
        "job_id": job_id,
        "balance": balance,
        "monthly_credits": monthly_credits,
        "threshold": int(monthly_credits * CREDIT_LOW_FRACTION),
        "percentage": round(100 * balance / monthly_credits, 1) if monthly_credits else 0,
    }
    return record_event(session, account_id, CREDIT_LOW, data)


def lead_qualified_data(lead: Lead, job_id: str | None, at: datetime) -> dict[str, Any]:
    return {
        "lead_id": lead.id,
        "job_id": job_id or lead.job_id,
        "email": lead.email,
        "phone": lead.phone,
        "full_name": lead.full_name,
        "job_title": lead.job_title,
        "company_name": lead.company_name,
        "lead_score": lead.lead_score,
        "lead_status": lead.lead_status,
        "qualification_notes": lead.qualification_notes,
        "source_url": lead.source_url,
        "email_status": lead.email_status,
        # a guessed address travels apart from ``email``, marked as what it is
        "email_guess": lead.email_guess if lead.email is None else None,
        "qualified_at": iso(at),
    }


def record_lead_qualified(
    session: Session, account_id: str, lead_ids: Iterable[str], *, job_id: str | None = None
) -> list[OutboxEvent]:
    """``lead.qualified`` once per lead, the first time its score is ≥ 70.

    ``qualified_event_at`` marks a lead as announced; the conditional UPDATE makes the marker and the
    event one step, so concurrent writers (several spiders on one account) announce a lead once.
    """
    ids = sorted(set(lead_ids))
    if not ids:
        return []
    session.flush()
    events: list[OutboxEvent] = []
    for start in range(0, len(ids), 500):
        now = utcnow()
        # One statement marks the chunk's leads and returns those it marked: a lead another writer
        # marked first (its row lock held, then committed) no longer matches and is not returned.
        marked = session.scalars(
            update(Lead)
            .where(
                Lead.account_id == account_id,
                Lead.id.in_(ids[start : start + 500]),
                Lead.lead_score >= QUALIFIED_SCORE,
                Lead.qualified_event_at.is_(None),
            )
            .values(qualified_event_at=now)
            .returning(Lead)
            .execution_options(synchronize_session=False, populate_existing=True)
        ).all()
        for lead in sorted(marked, key=lambda lead: lead.id):
            events.append(_event(account_id, LEAD_QUALIFIED, lead_qualified_data(lead, job_id, now), now))
    if events:
        session.add_all(events)
        session.flush()
    return events
