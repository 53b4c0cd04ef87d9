"""The store pipeline's flush records every finished seed URL and charges the crawled ones: in one
charge when the credits cover the batch, URL by URL when they do not, with the balance always equal
to the ledger and failed URLs free."""

from __future__ import annotations

import secrets
from types import SimpleNamespace

import pytest
from sqlalchemy import Engine, select

from crawler.jobrun import Seed
from db.accounts import create_account
from db.credits import RENDER_SURCHARGE, ledger_sum
from db.engine import session_factory
from db.jobs import claim_job_urls, create_job
from db.models import Account, Job, JobUrl, UrlOutcome
from pipelines.store import Batch, StorePipeline

pytestmark = pytest.mark.db

CREDITS_PER_URL = 2


def _flush(engine: Engine, credits: int) -> tuple[str, str, list[int], list[int]]:
    """A CLI job (no reservation) of four URLs: three crawled (the second needed the browser), the
    last failed; one flush of the store pipeline with all four finished. Returns the account, the
    job, the URL ids in order and the ids the flush could not charge."""
    urls = [f"https://site{i}.acme-robotics.com/" for i in range(4)]
    with session_factory(engine).begin() as session:
        account = create_account(session, f"{secrets.token_hex(6)}@acme-robotics.com", credits=credits)
        job = create_job(session, account.id, "bulk", urls, {})
        rows = sorted(claim_job_urls(session, job.id, 4, worker="test"), key=lambda r: r.url)
        account_id, job_id, ids = account.id, job.id, [r.id for r in rows]
    seeds = [Seed(url_id=i, url=u, domain=u.split("/")[2]) for i, u in zip(ids, urls, strict=True)]
    for seed in seeds[:3]:
        seed.pages_ok, seed.http_status = 3, 200
    seeds[1].rendered, seeds[1].pages_rendered = True, 1
    seeds[3].pages_failed, seeds[3].seed_error = 1, "HTTP 500"
    seeds[3].seed_failure = UrlOutcome.HTTP_ERROR
    batch = Batch(job_id=job_id, account_id=account_id, credits_per_url=CREDITS_PER_URL)
    batch.seeds = [(seed, set()) for seed in seeds]
    unpaid = StorePipeline(SimpleNamespace(stats=None), 100, 1.0)._write(batch)
    return account_id, job_id, ids, unpaid


def _charges(engine: Engine, job_id: str) -> list[tuple[str | None, int]]:
    """Each URL's outcome code and credits charged, in submission order."""
    with session_factory(engine)() as session:
        rows = session.scalars(select(JobUrl).where(JobUrl.job_id == job_id).order_by(JobUrl.position))
        return [(row.outcome, row.credits_charged) for row in rows]


def _state(
    engine: Engine, account_id: str, job_id: str
) -> tuple[int, int, int, dict[int, tuple[str, str | None]]]:
    with session_factory(engine)() as session:
        account = session.get(Account, account_id)
        job = session.get(Job, job_id)
        assert account is not None and job is not None
        outcomes = {
            row.id: (row.status, row.reason)
            for row in session.scalars(select(JobUrl).where(JobUrl.job_id == job_id))
        }
        return account.credit_balance, ledger_sum(session, account_id), job.credits_used, outcomes


def test_a_batch_the_credits_cover_is_charged_in_full_and_failed_urls_are_free(engine: Engine) -> None:
    cost = 3 * CREDITS_PER_URL + RENDER_SURCHARGE  # 7
    account_id, job_id, ids, unpaid = _flush(engine, credits=10)
    assert unpaid == []
    balance, ledger, used, outcomes = _state(engine, account_id, job_id)
    assert (balance, used) == (10 - cost, cost)
    assert ledger == balance
    assert [outcomes[i] for i in ids] == [("done", None)] * 3 + [("failed", "HTTP 500")]
    # no seed found a lead here; the one that needed the browser paid its surcharge
    assert _charges(engine, job_id) == [
        ("no_contacts", 2),
        ("no_contacts", 2 + RENDER_SURCHARGE),
        ("no_contacts", 2),
        ("http_error", 0),
    ]


def test_when_credits_run_short_each_url_that_can_be_paid_is_and_the_rest_are_reported(
    engine: Engine,
) -> None:
    # 2 + 3 + 2 = 7 wanted, 5 held: the first two are paid, the third cannot be
    account_id, job_id, ids, unpaid = _flush(engine, credits=5)
    assert unpaid == [ids[2]]
    balance, ledger, used, outcomes = _state(engine, account_id, job_id)
    assert (balance, used) == (0, 5)
    assert ledger == balance
    # the crawled URL the credits could not cover ends out_of_credits, free
    assert [outcomes[i][0] for i in ids] == ["done", "done", "failed", "failed"]
    assert _charges(engine, job_id) == [
        ("no_contacts", 2),
        ("no_contacts", 2 + RENDER_SURCHARGE),
        ("out_of_credits", 0),
        ("http_error", 0),
    ]
