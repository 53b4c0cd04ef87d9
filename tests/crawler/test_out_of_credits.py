"""A job whose account runs out of credits ends at once, and its process exits, instead of idling
until the job's time limit.

Each crawl gets a time limit of 60 s (``CLOSESPIDER_TIMEOUT``): a job that ended for its own
reason, not "the job's time limit (60 s) was reached", ended within a minute.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.accounts import create_account
from db.credits import ledger_sum
from db.models import Account, JobUrl
from tests.crawler.conftest import CrawlResult
from tests.sites.expected import ACME, DUPONT, MUELLER
from tests.sites.runner import SitesServer

pytestmark = [pytest.mark.db, pytest.mark.slow]

TIME_LIMIT = {"CLOSESPIDER_TIMEOUT": "60"}
CEILING = 300  # the crawl process must have exited by then (it is killed and the test fails otherwise)


def poor_account(engine: Engine, credits: int) -> str:
    with Session(engine) as session, session.begin():
        email = f"poor-{os.urandom(3).hex()}@tests.leadscraper.dev"
        return create_account(session, email, plan="free", credits=credits).id


def test_a_job_whose_account_runs_dry_mid_crawl_fails_out_of_credits_and_exits(
    crawl: Callable[..., CrawlResult], sites: SitesServer, engine: Engine
) -> None:
    account_id = poor_account(engine, credits=4)  # 2 credits a URL: two of the three sites
    urls = " ".join(sites.url(site.host) for site in (ACME, MUELLER, DUPONT))
    result = crawl(f"urls={urls}", "depth=1", f"account={account_id}", settings=TIME_LIMIT, timeout=CEILING)
    assert result.returncode == 1, result.stderr[-3000:]  # the job failed
    job = result.job
    assert job is not None
    assert job.status == "failed"
    assert job.failure_reason == (
        "Out of credits after 2 of 3 URLs; 1 URL(s) were not crawled. Partial results are kept."
    )
    assert (job.successful_urls, job.credits_used) == (2, 4)
    with Session(engine) as session:
        account = session.get(Account, account_id)
        assert account is not None and account.credit_balance == 0 == ledger_sum(session, account_id)
        # the URL it could not pay for ends out_of_credits, free, not held by the process that ended
        rows = session.scalars(select(JobUrl).where(JobUrl.job_id == job.id)).all()
        assert sorted((r.status, r.outcome, r.credits_charged, r.claimed_by is None) for r in rows) == [
            ("done", "ok", 2, False),
            ("done", "ok", 2, False),
            ("failed", "out_of_credits", 0, True),
        ]


def test_a_job_that_spends_the_last_credits_on_its_last_url_completes_and_exits(
    crawl: Callable[..., CrawlResult], sites: SitesServer, engine: Engine
) -> None:
    account_id = poor_account(engine, credits=4)  # exactly the two sites
    urls = " ".join(sites.url(site.host) for site in (ACME, MUELLER))
    result = crawl(f"urls={urls}", "depth=1", f"account={account_id}", settings=TIME_LIMIT, timeout=CEILING)
    assert result.returncode == 0, result.stderr[-3000:]
    job = result.job
    assert job is not None
    assert job.status == "completed"
    assert job.failure_reason is None  # not "the job's time limit (60 s) was reached"
    assert (job.processed_urls, job.successful_urls, job.credits_used) == (2, 2, 4)
    with Session(engine) as session:
        account = session.get(Account, account_id)
        assert account is not None and account.credit_balance == 0 == ledger_sum(session, account_id)
