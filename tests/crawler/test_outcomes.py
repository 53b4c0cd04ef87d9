"""Every URL of a real crawl ends with one outcome code, read through ``GET /v1/jobs/{id}/urls``,
with the credits it cost: crawled URLs their price, every failed one nothing. And the page cap counts
pages read, not broken links, while broken links have their own bound."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from api import create_app
from db.accounts import SCOPES, create_api_key
from db.jobs import cancel_job
from db.models import Job, JobStatus, JobUrl
from tests.crawler.conftest import CrawlResult
from tests.sites.expected import BROKEN, HELIO
from tests.sites.runner import SitesServer
from tests.sites.site_outcomes import CONFERENCE_BROKEN, CONFERENCE_SPEAKERS

pytestmark = [pytest.mark.db, pytest.mark.slow]

B = BROKEN.host
PRICE = 2  # a crawled URL with qualify_leads (the default)
NO_BROWSER = {
    "PLAYWRIGHT_CHROMIUM_EXECUTABLE": "/nonexistent/chromium",
    "PLAYWRIGHT_BROWSERS_PATH": "/nonexistent",
}


class Api:
    """The REST API on the crawl's database, as the account's own key sees it."""

    def __init__(self, database_url: str, engine: Engine, account_id: str, port: int) -> None:
        self.port = port
        app = create_app(
            {"DATABASE_URL": database_url, "TESTING": True, "SCRAPYD_URLS": ["http://127.0.0.1:9"]}
        )
        self.client: FlaskClient = app.test_client()
        with Session(engine) as session, session.begin():
            _, key = create_api_key(session, account_id, "outcomes", SCOPES)
        self.headers = {"Authorization": f"Bearer {key}"}

    def get(self, path: str) -> Any:
        response = self.client.get(path, headers=self.headers)
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()

    def urls(self, job_id: str, query: str = "") -> dict[str, dict[str, Any]]:
        """Every URL of the job (all pages), keyed by host and path (the test sites' port left out)."""
        found: dict[str, dict[str, Any]] = {}
        cursor = ""
        while True:
            body = self.get(f"/v1/jobs/{job_id}/urls?limit=5{query}{cursor}")
            for row in body["data"]:
                found[row["url"].split("//", 1)[1].replace(f":{self.port}/", "/")] = row
            if not body["pagination"]["has_more"]:
                return found
            cursor = f"&cursor={body['pagination']['next_cursor']}"


@pytest.fixture
def api(database_url: str, engine: Engine, account_id: str, sites: SitesServer) -> Api:
    return Api(database_url, engine, account_id, sites.port)


def test_each_way_a_site_can_end_has_its_outcome_and_charge(
    crawl: Callable[..., CrawlResult],
    sites: SitesServer,
    api: Api,
    account_id: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in NO_BROWSER.items():
        monkeypatch.setenv(name, value)
    broken = ["/card", "/quiet", "/maze/0", "/private/contact", "/forbidden", "/members", "/challenge",
              "/human-check", "/busy", "/slow", "/gone", "/huge", "/file.pdf"]  # fmt: skip
    urls = [sites.url(BROKEN.host, p) for p in broken] + [
        sites.url(HELIO.host, "/contact"),  # needs its scripts run, and no browser is installed
        "http://nowhere.invalid/",
        f"http://{BROKEN.host}:1/",  # nothing listens there
        "http://intranet-wiki.com/",  # mapped to a private address the guard refuses
    ]
    resolve = ",".join([*(f"{host}=127.0.0.1" for host in sites.hosts), "intranet-wiki.com=10.20.30.40"])
    result = crawl(
        f"urls={' '.join(urls)}",
        "depth=1",
        f"account={account_id}",
        settings={"LEADSCRAPER_MAX_PAGES_PER_SITE": "6"},
        env={"LEADSCRAPER_RESOLVE": resolve},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.job is not None and result.job.status == "completed"
    rows = api.urls(result.job.id)
    expected = {
        B + "/card": ("ok", PRICE),
        B + "/quiet": ("no_contacts", PRICE),
        B + "/maze/0": ("page_cap", PRICE),
        B + "/private/contact": ("robots_disallowed", 0),
        B + "/forbidden": ("blocked", 0),
        B + "/members": ("blocked", 0),
        B + "/challenge": ("blocked", 0),
        B + "/human-check": ("blocked", 0),
        B + "/busy": ("rate_limited", 0),
        B + "/slow": ("timeout", 0),
        B + "/gone": ("http_error", 0),
        B + "/huge": ("too_large", 0),
        B + "/file.pdf": ("not_html", 0),
        f"{HELIO.host}/contact": ("needs_browser", 0),
        "nowhere.invalid/": ("dns_failed", 0),
        f"{B}:1/": ("connection_failed", 0),
        "intranet-wiki.com/": ("address_refused", 0),
    }
    assert {path: (row["outcome"], row["credits_charged"]) for path, row in rows.items()} == expected
    assert rows[B + "/card"]["leads_found"] == 1 and rows[B + "/card"]["status"] == "done"
    assert rows[B + "/maze/0"]["reason"] == "stopped at the page cap (6 pages a site)"
    assert rows[B + "/maze/0"]["pages_crawled"] == 6
    assert (rows[B + "/forbidden"]["http_status"], rows[B + "/busy"]["http_status"]) == (403, 429)
    assert rows[B + "/forbidden"]["reason"] == "HTTP 403: the site refused the crawler"
    assert rows[B + "/challenge"]["reason"] == "HTTP 503: a bot challenge (captcha) page instead of the site"
    assert rows[B + "/private/contact"]["status"] == "refused"
    assert rows[B + "/gone"]["last_error"] == f"HTTP 404 ({sites.url(BROKEN.host, '/gone')})"
    needs_browser = rows[f"{HELIO.host}/contact"]
    assert needs_browser["status"] == "failed" and needs_browser["pages_crawled"] == 1
    assert "install Chromium" in needs_browser["reason"]
    # the job's own view: the counts by outcome, and what it cost is what its URLs cost
    job = api.get(f"/v1/jobs/{result.job.id}")
    counts: dict[str, int] = {}
    for outcome, _ in expected.values():
        counts[outcome] = counts.get(outcome, 0) + 1
    assert job["outcome_counts"] == dict(sorted(counts.items()))
    assert job["credits_used"] == 3 * PRICE == sum(row["credits_charged"] for row in rows.values())
    assert (job["successful_urls"], job["failed_urls"]) == (3, 14)
    blocked = api.urls(result.job.id, "&outcome=blocked")
    assert sorted(blocked) == [B + "/challenge", B + "/forbidden", B + "/human-check", B + "/members"]
    assert rows[B + "/human-check"]["reason"] == "a bot challenge (captcha) page instead of the site"


def test_the_page_cap_counts_pages_read_not_broken_links(
    crawl: Callable[..., CrawlResult], sites: SitesServer, api: Api, account_id: str
) -> None:
    # 12 broken links come before the 8 speakers' pages: a cap of 10 that counted requests would
    # read the programme and 9 broken links, and no speaker at all
    result = crawl(
        f"urls={sites.url(BROKEN.host, '/conference')}",
        "depth=1",
        f"account={account_id}",
        settings={"LEADSCRAPER_MAX_PAGES_PER_SITE": "10"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.job is not None
    row = api.urls(result.job.id)[B + "/conference"]
    assert (row["outcome"], row["credits_charged"], row["reason"]) == ("ok", PRICE, None)
    assert (row["pages_crawled"], row["pages_failed"]) == (1 + CONFERENCE_SPEAKERS, CONFERENCE_BROKEN)
    assert row["leads_found"] == CONFERENCE_SPEAKERS
    assert row["last_error"].startswith("HTTP 404 (")


def test_broken_links_have_their_own_bound(
    crawl: Callable[..., CrawlResult], sites: SitesServer, api: Api, account_id: str
) -> None:
    before = len(sites.requests(BROKEN.host))
    result = crawl(
        f"urls={sites.url(BROKEN.host, '/dead-ends')}",
        "depth=1",
        f"account={account_id}",
        settings={"LEADSCRAPER_MAX_PAGES_PER_SITE": "10", "LEADSCRAPER_MAX_FAILED_PAGES_PER_SITE": "3"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.job is not None
    row = api.urls(result.job.id)[B + "/dead-ends"]
    assert (row["outcome"], row["credits_charged"]) == ("page_cap", PRICE)
    assert row["reason"] == "stopped after 3 failed pages (the failed-page cap)"
    fetched = [r["path"] for r in sites.requests(BROKEN.host)[before:] if r["path"].startswith("/dead-ends/")]
    # 9 links start beside the page itself (the cap of 10); each of the first two failures lets
    # one more start; the third failure ends it: 11 of the 30 links were ever requested
    assert len(fetched) == 11 == row["pages_failed"]


def test_a_cancel_ends_the_urls_not_yet_crawled_as_cancelled_and_free(
    crawl: Callable[..., CrawlResult], sites: SitesServer, api: Api, engine: Engine, account_id: str
) -> None:
    urls = [sites.url(BROKEN.host, "/slow")] + [sites.url(BROKEN.host, f"/card?n={n}") for n in range(3)]
    cancelled = threading.Event()

    def cancel_once_started() -> None:
        # the crawl claims one URL at a time, and the first one hangs: cancel once it is claimed
        # (a job is processing a moment before its first claim; a cancel then would end all four)
        for _ in range(600):
            with Session(engine) as session, session.begin():
                job = session.query(Job).filter(Job.account_id == account_id).one_or_none()
                if (
                    job is not None
                    and job.status == JobStatus.PROCESSING
                    and session.query(JobUrl)
                    .filter(JobUrl.job_id == job.id, JobUrl.position == 0, JobUrl.claimed_by.is_not(None))
                    .count()
                ):
                    cancelled.set()
                    cancel_job(session, job.id)
                    return
            threading.Event().wait(0.1)

    canceller = threading.Thread(target=cancel_once_started, daemon=True)
    canceller.start()
    result = crawl(
        f"urls={' '.join(urls)}",
        "depth=1",
        f"account={account_id}",
        settings={"LEADSCRAPER_CLAIM_BATCH": "1", "DOWNLOAD_TIMEOUT": "8", "RETRY_TIMES": "0"},
    )
    canceller.join(timeout=5)
    assert cancelled.is_set()
    assert result.job is not None and result.job.status == "cancelled"
    rows = api.urls(result.job.id)
    assert rows[B + "/slow"]["outcome"] == "timeout"  # the page it was reading ran to its own end
    assert [
        (r["status"], r["outcome"], r["credits_charged"]) for p, r in rows.items() if p != B + "/slow"
    ] == [("failed", "cancelled", 0)] * 3
    assert api.get(f"/v1/jobs/{result.job.id}")["outcome_counts"] == {"cancelled": 3, "timeout": 1}
