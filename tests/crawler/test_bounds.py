"""Bounded crawls: an endless link maze, a job time limit, a gzip bomb, bounded retries and memory."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.models import JobUrl
from tests.crawler.conftest import CrawlResult
from tests.sites.expected import ACME, BROKEN
from tests.sites.runner import SitesServer

pytestmark = [pytest.mark.db, pytest.mark.slow]


def _rows(engine: Engine, job_id: str) -> dict[str, JobUrl]:
    with Session(engine) as session:
        return {
            "/" + u.url.split("/", 3)[3]: u
            for u in session.scalars(select(JobUrl).where(JobUrl.job_id == job_id))
        }


def test_an_endless_link_maze_stops_at_the_page_cap(
    crawl: Callable[..., CrawlResult], sites: SitesServer, engine: Engine, account_id: str
) -> None:
    before = len(sites.requests(BROKEN.host))
    result = crawl(
        f"urls={sites.url(BROKEN.host, '/maze/0')}",
        "depth=3",
        f"account={account_id}",
        settings={"LEADSCRAPER_MAX_PAGES_PER_SITE": "25"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.job is not None and result.job.status == "completed"
    row = _rows(engine, result.job.id)["/maze/0"]
    assert row.status == "done"
    assert (row.reason, row.outcome, row.credits_charged) == (
        "stopped at the page cap (25 pages a site)",
        "page_cap",
        2,
    )
    # the cap counts pages read (maze pages and the site's nav links); the nav's failing links
    # have their own bound (20 by default)
    assert row.pages_crawled == 25
    assert row.pages_failed <= 20
    fetched = {r["path"] for r in sites.requests(BROKEN.host)[before:] if r["path"] != "/robots.txt"}
    assert 25 <= len(fetched) <= 25 + 20
    assert len([p for p in fetched if p.startswith("/maze/")]) >= 10


def test_the_job_time_limit_ends_the_job_with_a_reason_per_url(
    crawl: Callable[..., CrawlResult], sites: SitesServer, engine: Engine, account_id: str
) -> None:
    urls = [
        sites.url(ACME.host, "/contact"),
        sites.url(BROKEN.host, "/slow"),
        sites.url(BROKEN.host, "/drip"),
    ]
    result = crawl(
        f"urls={' '.join(urls)}",
        "depth=1",
        f"account={account_id}",
        settings={
            "CLOSESPIDER_TIMEOUT": "4",
            "DOWNLOAD_TIMEOUT": "60",
            "LEADSCRAPER_MAX_PAGES_PER_SITE": "1",
        },
    )
    assert result.returncode == 0, result.stderr[-3000:]
    job = result.job
    assert job is not None and job.status == "completed"  # one URL was crawled before the limit
    assert job.failure_reason and "time limit (4 s)" in job.failure_reason
    rows = _rows(engine, job.id)
    assert rows["/contact"].status == "done"
    for path in ("/slow", "/drip"):
        assert rows[path].status == "failed"
        assert rows[path].reason == "not crawled: the job's time limit (4 s) was reached"
        assert (rows[path].outcome, rows[path].credits_charged) == ("not_crawled", 0)
    # its links were cut by the page cap of 1
    assert (rows["/contact"].outcome, rows["/contact"].credits_charged) == ("page_cap", 2)
    assert (job.processed_urls, job.successful_urls, job.failed_urls) == (3, 1, 2)
    assert job.credits_used == 2


def test_hostile_pages_keep_memory_bounded_and_retries_few(
    crawl: Callable[..., CrawlResult], sites: SitesServer, engine: Engine, account_id: str
) -> None:
    before = len(sites.requests(BROKEN.host))
    paths = ["/huge", "/huge-nolength", "/bomb", "/error", "/flaky"]
    result = crawl(
        f"urls={' '.join(sites.url(BROKEN.host, p) for p in paths)}",
        "depth=1",
        f"account={account_id}",
        # a timeout long enough for a loaded machine: every answer here is refused for its size or status
        settings={"RETRY_TIMES": "2", "DOWNLOAD_TIMEOUT": "30"},
    )
    assert result.returncode == 1, result.stderr[-3000:]  # no URL could be crawled: the job failed
    assert result.job is not None
    rows = _rows(engine, result.job.id)
    assert "too large" in (rows["/bomb"].reason or ""), rows["/bomb"].reason
    # three 50-200 MB responses, and the process never held one: Scrapy's memusage stat, in MB
    assert 0 < result.stat("memusage/startup") <= result.stat("memusage/max") < 600 * 1024 * 1024
    requests = sites.requests(BROKEN.host)[before:]
    for path in ("/error", "/flaky"):
        assert len([r for r in requests if r["path"] == path]) == 1 + 2  # first try + RETRY_TIMES


def test_the_memory_limit_stops_the_crawl_and_the_job_says_why(
    crawl: Callable[..., CrawlResult], sites: SitesServer, engine: Engine, account_id: str
) -> None:
    """A page streamed without a length fills the process up to the 40 MB download cap: well past a
    150 MB limit, which the process starts under (about 120 MB here). The second URL waits at the
    test sites' gate, so it is still open when Scrapy's memusage extension stops the crawl."""
    gate = f"memory-{account_id[-8:]}"
    urls = [sites.url(BROKEN.host, "/huge-nolength"), sites.url(BROKEN.host, f"/slow?hold={gate}")]
    try:
        result = crawl(
            f"urls={' '.join(urls)}",
            "depth=1",
            f"account={account_id}",
            settings={
                "MEMUSAGE_LIMIT_MB": "150",
                "MEMUSAGE_CHECK_INTERVAL_SECONDS": "0.2",
                "DOWNLOAD_MAXSIZE": str(40 * 1024 * 1024),
                "DOWNLOAD_TIMEOUT": "60",
            },
        )
    finally:
        sites.release(gate)
    assert result.stat("memusage/limit_reached") == 1
    assert result.stat("memusage/startup") < 150 * 1024 * 1024 < result.stat("memusage/max")
    assert "Closing spider (memusage_exceeded)" in result.stderr
    job = result.job
    assert job is not None and job.status == "failed"  # no URL was crawled
    assert job.failure_reason == (
        "the crawl's memory limit (150 MB) was reached; 1 URL(s) were not crawled. Partial results are kept."
    )
    assert result.returncode == 1
    rows = _rows(engine, job.id)
    assert rows[f"/slow?hold={gate}"].status == "failed"
    assert rows[f"/slow?hold={gate}"].reason == "not crawled: the crawl's memory limit (150 MB) was reached"
    assert rows["/huge-nolength"].status == "failed"
    assert (job.processed_urls, job.successful_urls, job.failed_urls, job.credits_used) == (2, 0, 2, 0)
