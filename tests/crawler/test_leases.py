"""A crawl whose store lags behind it keeps the URLs it finished until their outcome is written:
another process must not take them over (and crawl them again) meanwhile."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from db.credits import estimate_credits, reserve_job_credits
from db.jobs import claim_job_urls, create_job
from db.models import Job, JobUrl
from db.types import utcnow
from tests.crawler.conftest import CrawlResult
from tests.sites.expected import ACME
from tests.sites.runner import SitesServer

pytestmark = [pytest.mark.db, pytest.mark.slow]

LEASE_SECONDS = 5
# How long the store is kept from writing: several leases, so a lease nobody renews expires in it.
STALL_SECONDS = 4 * LEASE_SECONDS


def _store_waiting_on(engine: Engine, table: str) -> bool:
    """True while some other session waits for a lock on ``table`` (the crawl's store, here)."""
    with engine.connect() as conn:
        waiting = conn.execute(
            text("SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = CAST(:t AS regclass)"),
            {"t": table},
        ).scalar()
    return bool(waiting)


def test_a_finished_url_stays_leased_while_the_store_is_behind(
    crawl: Callable[..., CrawlResult], sites: SitesServer, engine: Engine, account_id: str
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("the store is held back with a PostgreSQL table lock")
    seed = f"/?run={os.urandom(4).hex()}"  # this test's own fetches in the sites' request log
    with Session(engine) as session, session.begin():
        job = create_job(session, account_id, "single", [sites.url(ACME.host, seed)], {"depth": 1})
        assert reserve_job_credits(session, account_id, job.id, estimate_credits(1, job.options))
        job_id = job.id

    # The store's first write of a flush is the companies; a lock that lets readers through but no
    # writer holds every flush back, the seed's outcome with it, while the crawl itself goes on.
    logged = len(sites.requests())  # the crawl's requests are the ones after these
    holder = engine.connect()
    holder.begin()
    holder.execute(text("LOCK TABLE companies IN EXCLUSIVE MODE"))
    with ThreadPoolExecutor(1) as pool:
        running = pool.submit(
            crawl,
            f"job_id={job_id}",
            env={"LEADSCRAPER_LEASE_SECONDS": str(LEASE_SECONDS), "LEADSCRAPER_PROGRESS_INTERVAL": "0.2"},
            settings={"LEADSCRAPER_STORE_INTERVAL": "0.3"},
        )
        try:
            deadline = time.monotonic() + 120
            while not _store_waiting_on(engine, "companies"):
                assert not running.done(), running.result().stderr[-3000:]
                assert time.monotonic() < deadline, "the crawl's store never tried to write"
                time.sleep(0.1)
            # Watched until the crawl has fetched nothing for two leases (its one seed is finished
            # by then, and a lease nobody renewed since has run out), and for at least STALL_SECONDS.
            watched_from = time.monotonic()
            while True:
                with Session(engine) as session:
                    row = session.scalars(select(JobUrl).where(JobUrl.job_id == job_id)).one()
                    assert row.status == "claimed", row.status
                    assert row.lease_expires_at is not None and row.lease_expires_at > utcnow(), (
                        "the lease of a URL whose outcome is not written yet ran out"
                    )
                    # what a second spider process of the job would get
                    assert claim_job_urls(session, job_id, 10, worker="another-process") == []
                    session.rollback()
                quiet = time.time() - max(r["ts"] for r in sites.requests()[logged:])
                if quiet >= 2 * LEASE_SECONDS and time.monotonic() - watched_from >= STALL_SECONDS:
                    break
                assert time.monotonic() - watched_from < 180, "the crawl never stopped fetching"
                time.sleep(0.5)
        finally:
            holder.rollback()
            holder.close()
        result = running.result(timeout=180)

    assert result.returncode == 0, result.stderr[-3000:]
    with Session(engine) as session:
        job_row = session.get(Job, job_id)
        assert job_row is not None and job_row.status == "completed"
        [row] = session.scalars(select(JobUrl).where(JobUrl.job_id == job_id)).all()
        assert row.status == "done" and row.claimed_by != "another-process"
        assert job_row.leads_found > 0
    fetched = [r for r in sites.requests()[logged:] if r["host"] == ACME.host and r["path"] == seed]
    assert len(fetched) == 1, fetched  # crawled once: nobody took the URL over
