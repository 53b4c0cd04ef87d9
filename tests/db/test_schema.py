"""The migrations build the models' schema and the shared queries keep their invariants."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.accounts import create_account
from db.credits import debit_job_credits, ledger_sum
from db.jobs import claim_job_urls, create_job, finish_job_urls, refresh_job_progress, url_outcome
from db.models import Account, Base, JobUrl

pytestmark = pytest.mark.db


def test_migrations_match_models(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_debits_never_overdraw_and_ledger_matches_balance(session: Session) -> None:
    account = create_account(session, "ledger@acme-robotics.com", plan="free", credits=5)
    job = create_job(session, account.id, "bulk", ["https://a.example.org"] * 3)
    assert debit_job_credits(session, account.id, job.id, 2)
    assert debit_job_credits(session, account.id, job.id, 2)
    assert not debit_job_credits(session, account.id, job.id, 2)  # only 1 left
    session.refresh(account)
    assert account.credit_balance == 1
    assert ledger_sum(session, account.id) == 1


def test_claims_are_exclusive_and_progress_is_recounted(session: Session) -> None:
    account = create_account(session, "claims@acme-robotics.com", credits=100)
    job = create_job(session, account.id, "bulk", [f"https://site{i}.example.org" for i in range(5)])
    first = claim_job_urls(session, job.id, 3, worker="a")
    second = claim_job_urls(session, job.id, 3, worker="b")
    assert [u.position for u in first] == [0, 1, 2]
    assert [u.position for u in second] == [3, 4]
    finish_job_urls(
        session,
        [
            url_outcome(first[0].id, "done", pages_crawled=4, leads_found=2),
            url_outcome(first[1].id, "failed", reason="HTTP 500"),
        ],
    )
    refreshed = refresh_job_progress(session, job.id)
    assert refreshed is not None
    assert (refreshed.processed_urls, refreshed.successful_urls, refreshed.failed_urls) == (2, 1, 1)
    assert refreshed.pages_crawled == 4
    statuses = session.scalars(select(JobUrl.status).where(JobUrl.job_id == job.id).order_by(JobUrl.position))
    assert list(statuses) == ["done", "failed", "claimed", "claimed", "claimed"]
    assert session.get(Account, account.id) is not None


def test_reservation_is_consumed_then_the_rest_refunded(session: Session) -> None:
    from db.credits import charge_job_credits, release_job_credits, reserve_job_credits
    from db.models import CreditTransaction, Job

    account = create_account(session, "reserve@acme-robotics.com", credits=10)
    job = create_job(session, account.id, "bulk", ["https://a.example.org"] * 3)
    assert reserve_job_credits(session, account.id, job.id, 6)
    assert not reserve_job_credits(session, account.id, job.id, 6)  # 4 left
    assert charge_job_credits(session, account.id, job.id, 2)  # from the reservation
    assert charge_job_credits(session, account.id, job.id, 3)  # rendered: 3, reservation has 4
    assert charge_job_credits(session, account.id, job.id, 3)  # 1 reserved + 2 from the balance
    session.refresh(account)
    session.refresh(job)
    assert (job.credits_reserved, job.credits_used, account.credit_balance) == (6, 8, 2)
    assert release_job_credits(session, job.id) == 0  # everything reserved was used
    job2 = create_job(session, account.id, "bulk", ["https://b.example.org"] * 1)
    assert reserve_job_credits(session, account.id, job2.id, 2)
    assert release_job_credits(session, job2.id) == 2
    assert release_job_credits(session, job2.id) == 0  # at most once
    session.refresh(account)
    assert account.credit_balance == 2 == ledger_sum(session, account.id)
    kinds = [
        t.type for t in session.scalars(select(CreditTransaction).where(CreditTransaction.job_id == job2.id))
    ]
    assert sorted(kinds) == ["refund", "usage"]
    assert session.get(Job, job2.id) is not None
