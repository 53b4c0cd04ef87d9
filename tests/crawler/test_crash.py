"""A crawl killed with SIGKILL mid-job: nothing charged twice, no lead lost or duplicated, and the job
either resumes to completion or is reaped as failed, with the balance equal to the ledger throughout."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from db.credits import estimate_credits, ledger_sum, reserve_job_credits
from db.jobs import create_job, reap_stale_jobs
from db.models import Account, Job, JobUrl
from db.types import utcnow
from tests.conftest import REPO_ROOT
from tests.crawler.conftest import CrawlResult
from tests.crawler.test_crawl import assert_leads_match
from tests.sites.expected import ACME, DUPONT, MUELLER
from tests.sites.runner import SitesServer

pytestmark = [pytest.mark.db, pytest.mark.slow]
SITES = (ACME, MUELLER, DUPONT)


def _bulk_urls(sites: SitesServer, gate: str) -> list[str]:
    # The three company sites plus two slow pages held at the test sites' gate until the crawl is
    # killed: the kill lands while URLs are still open, however slow the machine. Released, they
    # still hang (headers, then silence; one byte a second) past a short download timeout.
    slow = [sites.url("brokenwidgets.net", f"{p}?hold={gate}") for p in ("/slow", "/drip")]
    return [sites.url(s.host) for s in SITES] + slow


@pytest.fixture
def gate(sites: SitesServer) -> Iterator[str]:
    token = os.urandom(4).hex()
    yield token
    sites.release(token)


def _start_crawl(sites: SitesServer, database_url: str, job_id: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "LEADSCRAPER_RESOLVE": ",".join(f"{h}=127.0.0.1" for h in sites.hosts),
        "LEADSCRAPER_ALLOW_PRIVATE_NETWORKS": "127.0.0.1/32",
        "LEADSCRAPER_PROGRESS_INTERVAL": "0.5",
        "LEADSCRAPER_LEASE_SECONDS": "2",
    }
    cmd = [
        sys.executable,
        "-m",
        "scrapy",
        "crawl",
        "leads",
        "-a",
        f"job_id={job_id}",
        "-s",
        "DOWNLOAD_TIMEOUT=300",  # the held pages must not fail before the kill
        "-s",
        "RETRY_TIMES=0",
        "-s",
        "LEADSCRAPER_CLAIM_BATCH=5",
        "-s",
        "LEADSCRAPER_STORE_INTERVAL=0.3",
    ]
    return subprocess.Popen(
        cmd, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _done_count(engine: Engine, job_id: str) -> int:
    with Session(engine) as session:
        return int(
            session.scalar(select(func.count()).where(JobUrl.job_id == job_id, JobUrl.status == "done")) or 0
        )


def _kill_after_first_urls(proc: subprocess.Popen[str], engine: Engine, job_id: str) -> int:
    """SIGKILL the crawl once it has finished a URL; the URLs done when it died (read after death:
    it may finish more between the check and the kill)."""
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and _done_count(engine, job_id) < 1 and proc.poll() is None:
        time.sleep(0.2)
    proc.kill()  # SIGKILL: no close handlers, no final flush
    _, stderr = proc.communicate(timeout=30)
    done = _done_count(engine, job_id)
    assert done >= 1, f"the crawl finished no URL before the kill: {stderr[-3000:]}"
    return done


def _wait_for_leases_to_expire(engine: Engine, job_id: str) -> None:
    """Until no URL of the job is leased any more: the dead process's claims are free to take."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with Session(engine) as session:
            leased = session.scalar(
                select(func.count()).where(
                    JobUrl.job_id == job_id, JobUrl.status == "claimed", JobUrl.lease_expires_at >= utcnow()
                )
            )
        if leased == 0:
            return
        time.sleep(0.2)
    raise AssertionError("the dead process's leases never expired")


def _new_api_job(engine: Engine, account_id: str, urls: list[str]) -> str:
    with Session(engine) as session, session.begin():
        job = create_job(session, account_id, "bulk", urls, {"depth": 1})
        assert reserve_job_credits(session, account_id, job.id, estimate_credits(len(urls), job.options))
        return job.id


def _assert_books_balance(engine: Engine, account_id: str) -> None:
    with Session(engine) as session:
        account = session.get(Account, account_id)
        assert account is not None and account.credit_balance == ledger_sum(session, account_id)


def test_a_killed_crawl_resumes_without_double_charges_or_duplicate_leads(
    crawl: Callable[..., CrawlResult],
    sites: SitesServer,
    engine: Engine,
    database_url: str,
    account_id: str,
    gate: str,
) -> None:
    urls = _bulk_urls(sites, gate)
    job_id = _new_api_job(engine, account_id, urls)
    proc = _start_crawl(sites, database_url, job_id)
    done = _kill_after_first_urls(proc, engine, job_id)
    sites.release(gate)
    with Session(engine) as session:
        job = session.get(Job, job_id)
        assert job is not None and job.status == "processing"  # nobody could end it
        assert job.credits_used == 2 * done  # each finished URL charged exactly once
    _assert_books_balance(engine, account_id)

    _wait_for_leases_to_expire(engine, job_id)
    resumed = crawl(
        f"job_id={job_id}",
        settings={"DOWNLOAD_TIMEOUT": "3", "RETRY_TIMES": "0"},
        env={"LEADSCRAPER_LEASE_SECONDS": "2"},
    )
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    with Session(engine) as session:
        job = session.get(Job, job_id)
        assert job is not None and job.status == "completed"
        statuses = dict(
            session.execute(
                select(JobUrl.status, func.count()).where(JobUrl.job_id == job_id).group_by(JobUrl.status)
            ).all()
        )
        assert statuses == {"done": 3, "failed": 2}  # every URL accounted for, once
        assert job.credits_used == 2 * 3
        assert job.credits_reserved == job.credits_used  # the rest was refunded
    for site in SITES:
        assert_leads_match(engine, account_id, site, site.leads_at_depth(1))  # no duplicates, none lost
    _assert_books_balance(engine, account_id)


def test_a_killed_crawl_nobody_resumes_is_reaped_as_failed_and_refunded(
    sites: SitesServer, engine: Engine, database_url: str, account_id: str, gate: str
) -> None:
    urls = _bulk_urls(sites, gate)
    job_id = _new_api_job(engine, account_id, urls)
    proc = _start_crawl(sites, database_url, job_id)
    done = _kill_after_first_urls(proc, engine, job_id)
    with Session(engine) as session, session.begin():
        # earlier tests' jobs in this database may be stale by then too: only this one is asserted
        assert job_id not in reap_stale_jobs(session, utcnow() + timedelta(minutes=1))  # not stale yet
        assert job_id in reap_stale_jobs(session, utcnow() + timedelta(hours=1))
    with Session(engine) as session:
        job = session.get(Job, job_id)
        assert job is not None and job.status == "failed"
        assert job.failure_reason and "stopped reporting progress" in job.failure_reason
        assert job.credits_used == 2 * done
        assert job.credits_reserved == job.credits_used  # unused reservation refunded
    _assert_books_balance(engine, account_id)
