"""Hosts that never answer cost one robots.txt attempt; Retry-After is waited for, within bounds."""

from __future__ import annotations

import itertools
import re
import socket
import threading
from collections.abc import Callable, Iterator
from email.utils import formatdate

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from crawler.middlewares import retry_after_seconds
from db.models import JobUrl
from tests.crawler.conftest import CrawlResult
from tests.sites.expected import BROKEN
from tests.sites.runner import SitesServer


class Silent:
    """A TCP port that accepts connections, counts them and never answers (a hanging host)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.connections: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections.append(conn)  # kept open, never answered

    def close(self) -> None:
        self.sock.close()
        for conn in self.connections:
            conn.close()


@pytest.fixture
def silent() -> Iterator[Silent]:
    server = Silent()
    yield server
    server.close()


def closed_port() -> int:
    """A port bound on 127.0.0.1 by nobody who listens: connections to it are refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _rows(engine: Engine, job_id: str) -> dict[str, JobUrl]:
    with Session(engine) as session:
        return {u.url: u for u in session.scalars(select(JobUrl).where(JobUrl.job_id == job_id))}


def _stat(result: CrawlResult, name: str) -> int:
    match = re.search(rf"'{re.escape(name)}': (\d+)", result.stderr)
    return int(match.group(1)) if match else 0


@pytest.mark.db
@pytest.mark.slow
def test_a_host_whose_robots_txt_hangs_or_refuses_ends_its_seed_at_once(
    crawl: Callable[..., CrawlResult], sites: SitesServer, engine: Engine, account_id: str, silent: Silent
) -> None:
    hanging = f"http://hanging.example.org:{silent.port}/"
    refusing = f"http://refusing.example.org:{closed_port()}/"
    resolve = ",".join(
        [f"{host}=127.0.0.1" for host in sites.hosts]
        + ["hanging.example.org=127.0.0.1", "refusing.example.org=127.0.0.1"]
    )
    before = len(sites.requests(BROKEN.host))
    result = crawl(
        f"urls={hanging} {refusing} {sites.url(BROKEN.host, '/contact')}",
        "depth=1",
        f"account={account_id}",
        settings={"DOWNLOAD_TIMEOUT": "2", "RETRY_TIMES": "2"},
        env={"LEADSCRAPER_RESOLVE": resolve},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.job is not None
    rows = _rows(engine, result.job.id)
    assert rows[hanging].status == "failed"
    assert rows[hanging].reason == "timeout: no complete answer within 2 s"
    assert rows[refusing].status == "failed"
    assert rows[refusing].reason == "connection refused"
    assert rows[sites.url(BROKEN.host, "/contact")].status == "done"
    # robots.txt was asked once of each dead host, and their home pages never
    assert len(silent.connections) == 1
    assert _stat(result, "leadscraper/robots_unreachable/hosts") == 2
    assert _stat(result, "leadscraper/robots_unreachable/requests_failed") == 2
    # every request but the two dead robots.txt reached the live site
    live = len(sites.requests(BROKEN.host)[before:])
    assert _stat(result, "downloader/request_count") == live + 2
    assert _stat(result, "retry/count") == 0


@pytest.mark.db
@pytest.mark.slow
def test_retry_after_holds_the_site_and_retries_stay_bounded(
    crawl: Callable[..., CrawlResult], sites: SitesServer, engine: Engine, account_id: str
) -> None:
    before = len(sites.requests(BROKEN.host))
    url = sites.url(BROKEN.host, "/flaky")  # always 503 with Retry-After: 1
    result = crawl(f"urls={url}", "depth=1", f"account={account_id}", settings={"RETRY_TIMES": "2"})
    assert result.returncode == 1, result.stderr[-3000:]  # its only URL failed: the job failed
    assert result.job is not None
    assert _rows(engine, result.job.id)[url].reason == "HTTP 503"
    answers = [r for r in sites.requests(BROKEN.host)[before:] if r["path"] == "/flaky"]
    assert len(answers) == 1 + 2  # first try + RETRY_TIMES
    gaps = [b["ts"] - a["ts"] for a, b in itertools.pairwise(answers)]
    assert min(gaps) >= 0.95, gaps  # each retry waited the second the site asked for
    assert _stat(result, "leadscraper/retry_after/waited") == 2


@pytest.mark.db
@pytest.mark.slow
def test_a_retry_after_beyond_the_bound_fails_the_page_at_once(
    crawl: Callable[..., CrawlResult], sites: SitesServer, engine: Engine, account_id: str
) -> None:
    before = len(sites.requests(BROKEN.host))
    url = sites.url(BROKEN.host, "/flaky")
    result = crawl(
        f"urls={url}",
        "depth=1",
        f"account={account_id}",
        settings={"RETRY_TIMES": "2", "LEADSCRAPER_MAX_RETRY_AFTER": "0.5"},
    )
    assert result.returncode == 1, result.stderr[-3000:]
    assert result.job is not None
    assert _rows(engine, result.job.id)[url].reason == "HTTP 503"
    assert len([r for r in sites.requests(BROKEN.host)[before:] if r["path"] == "/flaky"]) == 1
    assert _stat(result, "leadscraper/retry_after/too_long") == 1


def test_retry_after_reads_seconds_and_http_dates() -> None:
    now = 1_800_000_000.0
    assert retry_after_seconds(b"120", now) == 120.0
    assert retry_after_seconds(" 7 ", now) == 7.0
    assert retry_after_seconds(formatdate(now + 30, usegmt=True), now) == 30.0
    assert retry_after_seconds(formatdate(now - 30, usegmt=True), now) == 0.0
    assert retry_after_seconds(b"soon", now) is None
    assert retry_after_seconds(b"-5", now) is None
    assert retry_after_seconds(None, now) is None
