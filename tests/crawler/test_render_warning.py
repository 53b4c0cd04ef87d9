"""A crawl without a browser on a script-built site: the job through the API warns and says how to fix it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine

from api import create_app
from db.accounts import create_api_key
from db.engine import session_factory
from tests.crawler.conftest import CrawlResult
from tests.sites.expected import ACME, HELIO
from tests.sites.runner import SitesServer

pytestmark = [pytest.mark.db, pytest.mark.slow]

NO_BROWSER_WARNING = (
    "1 URL(s) have pages that build their content with JavaScript, and the crawler had no browser to "
    "render them: they were read as plain HTML and may miss contacts. Install Chromium on the crawler "
    "nodes (Debian/Ubuntu: apt-get install chromium) or set PLAYWRIGHT_CHROMIUM_EXECUTABLE, then submit "
    "those URLs again."
)


def test_a_job_that_needed_a_browser_and_had_none_shows_a_warning(
    crawl: Callable[..., CrawlResult],
    sites: SitesServer,
    engine: Engine,
    database_url: str,
    account_id: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PLAYWRIGHT_CHROMIUM_EXECUTABLE", "/nonexistent/chromium")
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", "/nonexistent")
    urls = f"{sites.url(HELIO.host, '/contact')} {sites.url(ACME.host)}"  # a JS shell and a static site
    result = crawl(f"urls={urls}", "depth=1", f"account={account_id}")
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.job is not None
    with session_factory(engine).begin() as session:
        _, key = create_api_key(session, account_id, "render warning")
    client = create_app({"DATABASE_URL": database_url, "TESTING": True}).test_client()
    job = client.get(f"/v1/jobs/{result.job.id}", headers={"Authorization": f"Bearer {key}"}).get_json()
    assert job["warnings"] == [NO_BROWSER_WARNING], job
    listed = client.get("/v1/jobs", headers={"Authorization": f"Bearer {key}"}).get_json()["data"]
    assert [j["warnings"] for j in listed] == [[NO_BROWSER_WARNING]]


def test_a_static_crawl_has_no_warning(
    crawl: Callable[..., CrawlResult], sites: SitesServer, engine: Engine, database_url: str, account_id: str
) -> None:
    result = crawl(f"urls={sites.url(ACME.host)}", "depth=1", f"account={account_id}")
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.job is not None and result.job.status == "completed"
    with session_factory(engine).begin() as session:
        _, key = create_api_key(session, account_id, "no warning")
    client = create_app({"DATABASE_URL": database_url, "TESTING": True}).test_client()
    job = client.get(f"/v1/jobs/{result.job.id}", headers={"Authorization": f"Bearer {key}"}).get_json()
    assert job["status"] == "completed" and job["warnings"] == []
