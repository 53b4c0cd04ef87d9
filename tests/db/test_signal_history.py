"""The signal-history merge: first and last seen, ended by a complete crawl only, reopened when back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.accounts import create_account
from db.models import Company, OutboxEvent
from db.outbox import COMPANY_SIGNAL_DETECTED
from db.signal_history import apply_signal_history, merge_history
from db.types import utcnow

T1, T2, T3 = (datetime(2026, 11, d, 12, tzinfo=UTC) for d in (1, 2, 3))
HIRING = {"name": "hiring", "url": "https://a.example/careers", "confidence": 0.9}
PRICING = {"name": "has_pricing_page", "url": "https://a.example/pricing", "confidence": 0.9}
WEAK = {"name": "recent_funding", "url": "https://a.example/news", "confidence": 0.4}


def test_first_seen_stays_last_seen_moves_and_new_ones_open() -> None:
    first, opened, ended = merge_history([], [PRICING, WEAK], T1, complete=True)
    assert [e["name"] for e in opened] == ["has_pricing_page"]  # the weak one is evidence, not a signal
    assert ended == []
    second, opened, ended = merge_history(first, [HIRING, PRICING, WEAK], T2, complete=False)
    by_name = {e["name"]: e for e in second}
    assert by_name["has_pricing_page"]["first_seen_at"] == "2026-11-01T12:00:00Z"
    assert by_name["has_pricing_page"]["last_seen_at"] == "2026-11-02T12:00:00Z"
    assert [e["name"] for e in opened] == ["hiring"]
    assert [e["name"] for e in second] == ["has_pricing_page", "hiring", "recent_funding"]


def test_only_a_complete_crawl_ends_a_signal_and_a_return_reopens_it() -> None:
    first, _, _ = merge_history([], [HIRING, PRICING], T1, complete=True)
    partial, opened, ended = merge_history(first, [HIRING], T2, complete=False)
    assert opened == [] and ended == []
    assert {e["name"]: e["ended_at"] for e in partial} == {"has_pricing_page": None, "hiring": None}
    done, opened, ended = merge_history(partial, [HIRING], T2, complete=True)
    assert ended == ["has_pricing_page"] and opened == []
    assert {e["name"]: e["ended_at"] for e in done} == {
        "has_pricing_page": "2026-11-02T12:00:00Z",
        "hiring": None,
    }
    again, opened, ended = merge_history(done, [HIRING], T3, complete=True)
    assert ended == []  # ended once, not again
    back, opened, _ = merge_history(again, [HIRING, PRICING], T3, complete=True)
    assert [e["name"] for e in opened] == ["has_pricing_page"]
    pricing = next(e for e in back if e["name"] == "has_pricing_page")
    assert pricing["ended_at"] is None and pricing["first_seen_at"] == "2026-11-01T12:00:00Z"


@pytest.mark.db
def test_a_signal_this_job_ended_and_found_again_is_not_announced_twice(session: Session) -> None:
    """Two seeds of one site in one job (two processes): the one that reads it without the careers
    page ends ``hiring``, the other finds it. The signal was never gone: no second announcement;
    its leads are still rescored for it. A later job that finds it after an end announces it."""
    account_id = create_account(session, f"sig-{utcnow().timestamp()}@tests.leadscraper.dev", credits=10).id
    company = Company(account_id=account_id, domain="a.example", name="A", created_at=T1)
    company.signals, _, _ = merge_history([], [HIRING, PRICING], T1, complete=True)
    session.add(company)
    session.flush()

    def crawl(found: list[dict], complete: bool, job_at: datetime, at: datetime) -> list[str]:
        changes = apply_signal_history(
            session,
            account_id,
            {"a.example": found} if found else {},
            {"a.example"} if complete else set(),
            job_id="job_x",
            job_created_at=job_at,
            now=at,
        )
        return [e["name"] for change in changes for e in change.opened]

    def announced() -> list[str]:
        return [
            e.payload["data"]["signal"]
            for e in session.scalars(
                select(OutboxEvent).where(
                    OutboxEvent.account_id == account_id, OutboxEvent.event_type == COMPANY_SIGNAL_DETECTED
                )
            )
        ]

    job = T2 - timedelta(minutes=1)
    assert crawl([PRICING], True, job, T2) == []  # the blog seed: hiring ended
    assert crawl([HIRING, PRICING], False, job, T2 + timedelta(seconds=5)) == ["hiring"]  # rescored
    assert announced() == []
    # a later job reads the site without it, the next one finds it again: that is news
    assert crawl([PRICING], True, T3 - timedelta(minutes=1), T3) == []
    later = T3 + timedelta(days=1)
    assert crawl([HIRING, PRICING], True, later - timedelta(minutes=1), later) == ["hiring"]
    assert announced() == ["hiring"]
