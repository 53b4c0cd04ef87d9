"""The network guard: a canary on another loopback address must never be reached.

The suite's allowlist opens 127.0.0.1 (the test sites) and nothing else; the canary listens on
127.0.0.2 and counts every connection it accepts. Crawls try to reach it directly (in every spelling
of the address), through a name that resolves to it, through a redirect from an allowed site, and
through a JavaScript-rendered page; a webhook is aimed at it; and the resolver is fed answers that
change between look-ups. It must count zero.
"""

from __future__ import annotations

import socket
import socketserver
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from crawler.browser import browser_available
from crawler.netguard import (
    Endpoint,
    GuardRefused,
    NetworkPolicy,
    PlatformEndpoints,
    normalize_url,
    parse_allowlist,
)
from crawler.resolver import StaticMapResolver
from db.models import JobUrl
from tests.crawler.conftest import CrawlResult
from tests.features import missing, requires

CANARY_HOST = "127.0.0.2"


class Canary(socketserver.ThreadingTCPServer):
    """Counts accepted connections; answers anything with a tiny page."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, host: str = CANARY_HOST) -> None:
        self.hits = 0
        self.lock = threading.Lock()
        super().__init__((host, 0), _CanaryHandler)

    def verify_request(self, request: object, client_address: object) -> bool:
        with self.lock:
            self.hits += 1
        return True


class _CanaryHandler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 45\r\n\r\n")
        self.wfile.write(b"<p>canary: mail me at canary@leak.example</p>")


@pytest.fixture
def canary() -> Iterator[Canary]:
    try:
        server = Canary()
    except OSError as exc:  # pragma: no cover - 127.0.0.2 is on lo on every Linux
        missing("a second loopback address", f"cannot listen on {CANARY_HOST}: {exc}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _redirector(canary_url: str) -> ThreadingHTTPServer:
    """An allowed site (127.0.0.1) that redirects to the canary or loads it from a page's scripts."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            if self.path == "/redirect":
                self.send_response(302)
                self.send_header("Location", canary_url + "/after-redirect")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if self.path == "/robots.txt":
                body = b"User-agent: *\nAllow: /\n"
                ctype = "text/plain"
            else:
                body = f"""<!DOCTYPE html><html><head><title>Gateway</title>
<script src="{canary_url}/script.js"></script>
<link rel="stylesheet" href="{canary_url}/style.css"></head>
<body><div id="root"></div><img src="{canary_url}/pixel.png">
<iframe src="{canary_url}/frame"></iframe>
<script>
  fetch('{canary_url}/fetch').catch(function () {{}});
  try {{ new WebSocket('{canary_url.replace("http", "ws")}/ws'); }} catch (e) {{}}
  navigator.sendBeacon && navigator.sendBeacon('{canary_url}/beacon', 'x');
  var x = new XMLHttpRequest(); x.open('GET', '{canary_url}/xhr'); x.send();
</script></body></html>""".encode()
                ctype = "text/html; charset=utf-8"
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _url_rows(engine: Engine, job_id: str) -> list[JobUrl]:
    with Session(engine) as session:
        rows = list(session.scalars(select(JobUrl).where(JobUrl.job_id == job_id).order_by(JobUrl.position)))
        for row in rows:
            session.expunge(row)
        return rows


@pytest.mark.db
@pytest.mark.slow
def test_crawls_never_reach_the_canary_directly_by_name_or_through_redirects(
    crawl: Callable[..., CrawlResult], canary: Canary, engine: Engine, account_id: str
) -> None:
    port = canary.server_address[1]
    gateway = _redirector(f"http://{CANARY_HOST}:{port}")
    try:
        seeds = [
            f"http://{CANARY_HOST}:{port}/",
            f"http://2130706434:{port}/",  # 127.0.0.2 as one decimal number
            f"http://0x7f000002:{port}/",
            f"http://0177.0.0.2:{port}/",
            f"http://127.2:{port}/",
            f"http://[::ffff:127.0.0.2]:{port}/",
            f"http://[::127.0.0.2]:{port}/",  # IPv4-compatible
            f"http://[::ffff:0:7f00:2]:{port}/",  # IPv4-translated
            f"http://[64:ff9b::7f00:2]:{port}/",  # NAT64
            f"http://[2002:7f00:2::]:{port}/",  # 6to4
            f"http://[fec0::7f00:2]:{port}/",  # site-local
            "http://169.254.169.254/latest/meta-data/",
            f"http://metadata.leak.example:{port}/",  # a name that resolves to the canary
            f"http://127.0.0.1:{gateway.server_address[1]}/redirect",  # allowed site, redirect to canary
            f"ftp://{CANARY_HOST}:{port}/",
        ]
        # ftp:// is refused by the spider's own argument check, before any job exists
        refused = crawl(f"urls={' '.join(seeds)}", f"account={account_id}")
        assert refused.returncode != 0 and "only http and https" in refused.stderr
        result = crawl(
            f"urls={' '.join(seeds[:-1])}",
            "depth=1",
            "render_js=never",
            f"account={account_id}",
            env={"LEADSCRAPER_RESOLVE": f"metadata.leak.example={CANARY_HOST}"},
        )
    finally:
        gateway.shutdown()
    assert canary.hits == 0
    assert result.returncode == 1, result.stderr[-3000:]  # every URL refused: the job failed
    assert result.job is not None
    rows = _url_rows(engine, result.job.id)
    # the spellings of 127.0.0.2 are one host: one URL of the job, written the one way
    assert [row.url for row in rows] == list(dict.fromkeys(normalize_url(u) for u in seeds[:-1]))
    assert len(rows) == len(seeds) - 1 - 5
    for row in rows:
        assert row.status == "refused", (row.url, row.status, row.reason)
        assert row.reason and "refused by the network guard" in row.reason, (row.url, row.reason)
    assert result.job.credits_used == 0


@pytest.mark.db
@pytest.mark.slow
@requires("Chromium", browser_available, "apt-get install chromium")
def test_a_rendered_page_cannot_reach_the_canary(
    crawl: Callable[..., CrawlResult], canary: Canary, engine: Engine, account_id: str
) -> None:
    port = canary.server_address[1]
    gateway = _redirector(f"http://{CANARY_HOST}:{port}")
    try:
        result = crawl(
            f"urls=http://127.0.0.1:{gateway.server_address[1]}/page",
            "depth=1",
            "render_js=always",
            f"account={account_id}",
            settings={"PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": "8000"},
        )
    finally:
        gateway.shutdown()
    assert result.returncode == 0, result.stderr[-3000:]
    assert "'playwright/browser_count': 1" in result.stderr  # the page really was rendered
    assert canary.hits == 0


@pytest.fixture
def service_canary() -> Iterator[Canary]:
    """A canary on 127.0.0.1 (an allowed address) standing for one of the platform's services."""
    server = Canary("127.0.0.1")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def test_webhooks_cannot_reach_the_canary(canary: Canary) -> None:
    from api.worker.webhooks import post_webhook

    port = canary.server_address[1]
    for host in (CANARY_HOST, "2130706434", "[::127.0.0.2]", "[::ffff:0:7f00:2]", "[::ffff:127.0.0.2]"):
        result = post_webhook(
            f"http://{host}:{port}/hook",
            b"{}",
            {"Content-Type": "application/json"},
            policy=NetworkPolicy(parse_allowlist("127.0.0.1/32")),
        )
        assert not result.ok and result.status_code is None
        assert "not a public address" in (result.error or ""), (host, result.error)
    assert canary.hits == 0


def test_webhooks_cannot_reach_a_platform_service_on_an_allowed_address(service_canary: Canary) -> None:
    """127.0.0.1 is allowed for receivers, and the canary's port is a platform service (a scrapyd
    node, say): no spelling, no name resolving to it, reaches it."""
    from api.worker.webhooks import post_webhook

    port = service_canary.server_address[1]
    policy = NetworkPolicy(
        parse_allowlist("127.0.0.1/32"), PlatformEndpoints([Endpoint("127.0.0.1", port, "SCRAPYD_URLS")])
    )

    def to_loopback(host: str, port: int, *_: object) -> list[tuple]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    urls = [
        f"http://127.0.0.1:{port}/schedule.json?project=leadscraper&spider=leads",
        f"http://2130706433:{port}/schedule.json",
        f"http://[::ffff:127.0.0.1]:{port}/schedule.json",
        f"http://localhost:{port}/schedule.json",
        f"http://scrapyd.tenant.example:{port}/schedule.json",  # a name that resolves to it
    ]
    for url in urls:
        result = post_webhook(url, b"{}", {}, policy=policy, resolver=to_loopback)
        assert not result.ok and result.status_code is None, url
        assert "own services" in (result.error or ""), (url, result.error)
        if "tenant" in url:  # the address a tenant's name resolves to is not shown back
            assert "127.0.0.1" not in (result.error or ""), result.error
    assert service_canary.hits == 0


@pytest.mark.db
@pytest.mark.slow
def test_crawls_never_reach_a_platform_service_on_an_allowed_address(
    crawl: Callable[..., CrawlResult], service_canary: Canary, engine: Engine, account_id: str
) -> None:
    """The crawler's allowlist covers 127.0.0.1, where the canary stands for scrapyd: seeds in every
    spelling, a name resolving to it and a redirect from an allowed site all end refused."""
    port = service_canary.server_address[1]
    gateway = _redirector(f"http://127.0.0.1:{port}")
    try:
        seeds = [
            f"http://127.0.0.1:{port}/schedule.json",
            f"http://2130706433:{port}/",
            f"http://[::ffff:127.0.0.1]:{port}/",
            f"http://localhost:{port}/",
            f"http://scrapyd.tenant.example:{port}/",
            f"http://127.0.0.1:{gateway.server_address[1]}/redirect",
        ]
        result = crawl(
            f"urls={' '.join(seeds)}",
            "render_js=never",
            f"account={account_id}",
            settings={"LOG_LEVEL": "INFO"},  # the start-up line of the guard is an INFO log
            env={
                "LEADSCRAPER_RESOLVE": "scrapyd.tenant.example=127.0.0.1",
                "LEADSCRAPER_PLATFORM_ENDPOINTS": f"127.0.0.1:{port}",
            },
        )
    finally:
        gateway.shutdown()
    assert result.returncode == 1, result.stderr[-3000:]  # every URL refused: the job failed
    assert service_canary.hits == 0
    assert result.job is not None
    rows = _url_rows(engine, result.job.id)
    assert len(rows) == 5  # 127.0.0.1 written three ways is one URL
    for row in rows:
        assert row.status == "refused", (row.url, row.status, row.reason)
        assert row.reason and "own services" in row.reason, (row.url, row.reason)
    assert "network guard: private networks allowed" in result.stderr


@pytest.mark.db
@pytest.mark.slow
@pytest.mark.parametrize(
    "setting",
    [
        'DOWNLOADER_MIDDLEWARES={"crawler.middlewares.NetworkGuardMiddleware": null}',
        "TWISTED_DNS_RESOLVER=scrapy.resolver.CachingThreadedResolver",
        'DOWNLOAD_HANDLERS={"http": "scrapy.core.downloader.handlers.http2.H2DownloadHandler"}',
        "HTTPPROXY_ENABLED=True",
    ],
)
def test_a_crawl_without_its_guard_does_not_start(
    crawl: Callable[..., CrawlResult], canary: Canary, account_id: str, setting: str
) -> None:
    name, _, value = setting.partition("=")
    port = canary.server_address[1]
    result = crawl(
        f"urls=http://guarded.tenant.example:{port}/",
        f"account={account_id}",
        settings={name: value},
        env={
            "LEADSCRAPER_RESOLVE": f"guarded.tenant.example={CANARY_HOST}",
            "LEADSCRAPER_ALLOW_PRIVATE_NETWORKS": "127.0.0.0/8",
        },
    )
    assert result.returncode != 0
    assert "the network guard is not in place" in result.stderr
    assert result.job is None and canary.hits == 0


@pytest.mark.db
@pytest.mark.slow
def test_a_refused_local_site_says_how_to_allow_it(
    crawl: Callable[..., CrawlResult], sites: Any, engine: Engine, account_id: str
) -> None:
    url = sites.url("acme-robotics.com", "/").replace("acme-robotics.com", "127.0.0.1")
    result = crawl(
        f"urls={url}",
        f"account={account_id}",
        settings={"LOG_LEVEL": "INFO"},
        env={"LEADSCRAPER_ALLOW_PRIVATE_NETWORKS": ""},
    )
    assert result.returncode == 1, result.stderr[-3000:]  # its one URL refused: the job failed
    assert result.job is not None
    [row] = _url_rows(engine, result.job.id)
    assert row.status == "refused"
    assert row.reason and "LEADSCRAPER_ALLOW_PRIVATE_NETWORKS" in row.reason
    assert "private networks allowed (LEADSCRAPER_ALLOW_PRIVATE_NETWORKS): none" in result.stderr


def _resolver(answers: list[list[str]]) -> tuple[StaticMapResolver, list[str]]:
    calls: list[str] = []

    def getaddrinfo(host: str, port: int, *args: object) -> list[tuple]:
        calls.append(host)
        batch = answers[min(len(calls), len(answers)) - 1]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in batch]

    from twisted.internet import reactor

    resolver = StaticMapResolver(
        reactor, 0, 5.0, {}, NetworkPolicy(parse_allowlist("127.0.0.1/32")), getaddrinfo=getaddrinfo
    )
    return resolver, calls


def test_a_name_with_one_private_address_among_public_ones_is_refused_whole() -> None:
    resolver, _ = _resolver([["93.184.216.34", CANARY_HOST]])
    with pytest.raises(GuardRefused, match="not a public address"):
        resolver._resolve("rebind.example")


def test_the_checked_address_is_the_one_connected_to_even_if_dns_changes_its_answer() -> None:
    # first look-up public, every later one private: the crawler asks once and connects to what it checked
    resolver, calls = _resolver([["93.184.216.34"], [CANARY_HOST]])
    assert resolver._resolve("rebind.example") == "93.184.216.34"
    assert calls == ["rebind.example"]
    with pytest.raises(GuardRefused):
        resolver._resolve("rebind.example")  # a second look-up would be refused, not connected to
