"""JavaScript-rendered sites: ``render_js`` auto/always/never against helio-labs.io and the static sites."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from crawler.browser import INSTALL_HINT, browser_available
from db.models import JobUrl
from tests.crawler.conftest import CrawlResult
from tests.crawler.test_crawl import assert_leads_match, stored_leads
from tests.features import requires
from tests.sites.expected import ACME, HELIO, MUELLER
from tests.sites.runner import SitesServer

pytestmark = [pytest.mark.db, pytest.mark.slow]
needs_browser = requires("Chromium", browser_available, "apt-get install chromium")
# generous: the suite runs on 2 busy cores; only /hang is meant to hit it
FAST_BROWSER = {"PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": "15000"}
HELIO_PATHS = ["/", "/contact", "/team", "/hang"]


def url_rows(engine: Engine, job_id: str) -> dict[str, JobUrl]:
    with Session(engine) as session:
        return {
            "/" + u.url.split("/", 3)[3]: u
            for u in session.scalars(select(JobUrl).where(JobUrl.job_id == job_id))
        }


@needs_browser
def test_auto_renders_the_pages_that_need_it_and_finds_every_contact(
    crawl: Callable[..., CrawlResult], sites: SitesServer, engine: Engine, account_id: str
) -> None:
    urls = " ".join(sites.url(HELIO.host, p) for p in HELIO_PATHS)
    result = crawl(f"urls={urls}", "depth=1", f"account={account_id}", settings=FAST_BROWSER)
    assert result.returncode == 0, result.stderr[-3000:]
    job = result.job
    assert job is not None and job.status == "completed"
    assert_leads_match(engine, account_id, HELIO, HELIO.leads)
    assert result.stat("playwright/browser_count") == 1
    assert result.stderr.count("Starting download handler") == 1  # the driver, once, when first needed
    assert result.stat("leadscraper/pages_fetched_with/browser") == 3
    # the hanging page failed in the browser, not the job: its plain HTML was used and it says why
    rows = url_rows(engine, job.id)
    assert rows["/hang"].status == "done"
    assert rows["/hang"].reason and rows["/hang"].reason.startswith("browser failed: timeout")
    assert result.stat("leadscraper/render_failed") == 1
    # a URL that needed the browser costs one credit more (README: credits)
    assert job.credits_used == 4 * (2 + 1)


def test_never_renders_and_so_finds_none_of_the_script_built_contacts(
    crawl: Callable[..., CrawlResult], sites: SitesServer, engine: Engine, account_id: str
) -> None:
    urls = " ".join(sites.url(HELIO.host, p) for p in HELIO_PATHS)
    result = crawl(f"urls={urls}", "depth=1", "render_js=never", f"account={account_id}")
    assert result.returncode == 0, result.stderr[-3000:]
    assert stored_leads(engine, account_id, HELIO.domain) == {}
    assert result.stat("leadscraper/pages_fetched_with/http") == len(HELIO_PATHS)
    assert "playwright/browser_count" not in result.stats()
    assert "scrapy-playwright" not in result.stderr  # the Playwright driver is not even loaded
    assert result.job is not None and result.job.credits_used == 4 * 2


@needs_browser
def test_static_sites_in_auto_mode_never_start_the_browser(
    crawl: Callable[..., CrawlResult], sites: SitesServer, engine: Engine, account_id: str
) -> None:
    urls = " ".join(sites.url(s.host) for s in (ACME, MUELLER))
    result = crawl(f"urls={urls}", "depth=1", f"account={account_id}")
    assert result.returncode == 0, result.stderr[-3000:]
    pages = len(ACME.pages_at_depth(1)) + len(MUELLER.pages_at_depth(1))
    assert result.stat("leadscraper/pages_fetched_with/http") == pages
    assert "playwright/browser_count" not in result.stats()
    assert "leadscraper/render_requested" not in result.stats()
    # not even Playwright's Node.js driver: it starts with the first rendered page
    assert "Starting download handler" not in result.stderr
    assert_leads_match(engine, account_id, ACME, ACME.leads_at_depth(1))


@needs_browser
def test_always_renders_every_page(
    crawl: Callable[..., CrawlResult], sites: SitesServer, engine: Engine, account_id: str
) -> None:
    result = crawl(
        f"urls={sites.url(ACME.host, '/team')}",
        "depth=1",
        "render_js=always",
        f"account={account_id}",
        settings={**FAST_BROWSER, "LEADSCRAPER_MAX_PAGES_PER_SITE": "3"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stat("leadscraper/pages_fetched_with/browser") == 3
    assert "leadscraper/pages_fetched_with/http" not in result.stats()
    team = {lead.key for lead in ACME.leads if "/team" in lead.paths and lead.full_name}
    assert team <= set(stored_leads(engine, account_id, ACME.domain))


def test_a_browser_that_will_not_start_fails_pages_not_the_job(
    crawl: Callable[..., CrawlResult], sites: SitesServer, engine: Engine, account_id: str, monkeypatch
) -> None:
    monkeypatch.setenv("PLAYWRIGHT_CHROMIUM_EXECUTABLE", "/bin/false")  # "launches", then dies at once
    urls = " ".join(sites.url(HELIO.host, p) for p in ("/contact", "/team"))
    result = crawl(f"urls={urls}", "depth=1", f"account={account_id}", settings=FAST_BROWSER)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.job is not None and result.job.status == "completed"
    assert result.stat("leadscraper/render_failed") == result.stat("leadscraper/render_requested") >= 2
    rows = url_rows(engine, result.job.id)
    assert all(r.status == "done" and (r.reason or "").startswith("browser failed") for r in rows.values())


def test_without_a_browser_the_job_says_how_to_install_one(
    crawl: Callable[..., CrawlResult], sites: SitesServer, engine: Engine, account_id: str, monkeypatch
) -> None:
    monkeypatch.setenv("PLAYWRIGHT_CHROMIUM_EXECUTABLE", "/nonexistent/chromium")
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", "/nonexistent")
    result = crawl(f"urls={sites.url(HELIO.host, '/contact')}", "depth=1", f"account={account_id}")
    assert result.returncode == 1, result.stderr[-3000:]  # its only URL could not be read: failed
    assert INSTALL_HINT in result.stderr
    assert result.job is not None and result.job.status == "failed"
    assert result.job.failure_reason == f"all 1 URL(s) failed: {INSTALL_HINT} (1)"
    row = next(iter(url_rows(engine, result.job.id).values()))
    # its plain HTML was read and held no contact: not ok, and free
    assert (row.status, row.outcome, row.credits_charged) == ("failed", "needs_browser", 0)
    assert row.reason == INSTALL_HINT and row.pages_crawled == 1
