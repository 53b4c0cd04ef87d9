"""A tenant aims webhooks and crawls at the platform's own services — a real scrapyd node, the API,
Redis and PostgreSQL, all on 127.0.0.1, with ``127.0.0.1/32`` allowed for receivers and crawls — and
reaches none of them: nothing is scheduled, nothing is fetched, nothing is sent.

Also what reaching scrapyd no longer buys: without its credentials nothing; with them (an operator's
mistake), a spider that scrapyd starts runs only a job the API launched, refuses URL lists, files,
accounts and settings that would switch its guard off. And one host written two ways is one company.
"""

from __future__ import annotations

import json
import socket
import socketserver
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.serving import BaseWSGIServer, make_server

from api import create_app
from api.config import platform_endpoints
from api.scrapyd.client import ScrapydClient
from api.scrapyd.localnode import LocalScrapyd, free_port, start_scrapyd
from api.worker.runner import Worker
from crawler.netguard import PlatformEndpoints, parse_allowlist, parse_endpoints
from db.launch import prepare_launch
from db.models import Job, JobUrl
from tests.api.conftest import LIVE_SCRAPYD_TIMEOUT, Caller
from tests.features import missing

pytestmark = [pytest.mark.db, pytest.mark.slow]

LOOPBACK = parse_allowlist("127.0.0.1/32")
# A name of the tenant's that resolves to 127.0.0.1: for the crawler (LEADSCRAPER_RESOLVE on the node)
# and for the worker (its resolver). Literal spellings are refused at submission already.
TENANT_NAME = "loopback.tenant.example"
REDIS = ("127.0.0.1", 6379)
POSTGRES_PORT = 5432


class Canary(socketserver.ThreadingTCPServer):
    """Counts accepted connections on 127.0.0.1; its port is registered as one of the platform's."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        self.hits = 0
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), socketserver.StreamRequestHandler)

    def verify_request(self, request: object, client_address: object) -> bool:
        with self.lock:
            self.hits += 1
        return False


COMPANY_PAGE = b"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Loopback Labs | Contact</title></head>
<body><header><a href="/">Loopback Labs</a> <a href="/contact">Contact</a></header>
<main><h1>Contact Loopback Labs</h1>
<p>Questions about our sensors? Call our main office:
<a href="tel:+14155550187">+1 (415) 555-0187</a>, Monday to Friday, 9am-5pm PT.</p>
<address>Loopback Labs Inc., 500 Harbor Blvd, Suite 210, San Francisco, CA 94111</address></main>
<footer>&copy; 2026 Loopback Labs Inc.</footer></body></html>"""


class CompanySite(ThreadingHTTPServer):
    """One small company site on 127.0.0.1 (the operator allows it): a contact page, a main line."""

    daemon_threads = True

    def __init__(self) -> None:
        self.paths: list[str] = []

        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: Any) -> None:
                pass

            def do_GET(self) -> None:
                site.paths.append(self.path)
                body = b"User-agent: *\nAllow: /\n" if self.path == "/robots.txt" else COMPANY_PAGE
                self.send_response(200)
                self.send_header("Content-Type", "text/plain" if self.path == "/robots.txt" else "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        super().__init__(("127.0.0.1", 0), Handler)


@dataclass
class Platform:
    """The services on 127.0.0.1 and an API in front of them, as ``make run`` lays them out."""

    node: LocalScrapyd
    app: Flask
    server: BaseWSGIServer
    canary: Canary
    site: CompanySite
    api_requests: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def api_port(self) -> int:
        return int(self.server.server_port)

    @property
    def scrapyd_port(self) -> int:
        return int(self.node.url.rsplit(":", 1)[1])

    def api(self, method: str, path: str, caller: Caller, **kwargs: Any) -> requests.Response:
        return requests.request(
            method, f"http://127.0.0.1:{self.api_port}{path}", headers=caller.headers, timeout=30, **kwargs
        )

    def scrapyd_jobs(self) -> set[str]:
        listed = ScrapydClient([self.node.auth_url]).list_jobs(self.node.url)
        return {j["id"] for state in ("pending", "running", "finished") for j in listed[state]}

    def platform_hits(self) -> list[tuple[str, str, str]]:
        """Requests the API received from the platform itself (the crawler, the webhook sender)."""
        return [r for r in self.api_requests if r[2].startswith("LeadScraper")]

    def services(self) -> dict[str, int]:
        return {
            "scrapyd": self.scrapyd_port,
            "api": self.api_port,
            "redis": REDIS[1],
            "postgresql": POSTGRES_PORT,
            "canary": self.canary.server_address[1],
        }


def _redis_running() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(7).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture(scope="module")
def platform(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    if not database_url.startswith("postgresql"):
        pytest.skip("the platform's PostgreSQL on 127.0.0.1:5432 is part of the scene")
    if not _redis_running():
        missing("Redis", "no Redis on 127.0.0.1:6379 (apt-get install redis-server)")
    from api.scrapyd.deploy import deploy

    canary, site = Canary(), CompanySite()
    for server in (canary, site):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {
        "DATABASE_URL": database_url,
        "LEADSCRAPER_RESOLVE": f"{TENANT_NAME}=127.0.0.1",
        "LEADSCRAPER_ALLOW_PRIVATE_NETWORKS": "127.0.0.1/32",
        "LEADSCRAPER_PROGRESS_INTERVAL": "0.5",
    }
    node = start_scrapyd(tmp_path_factory.mktemp("scrapyd"), port=free_port(), env=env, poll_interval=0.2)
    app = create_app(
        {
            "DATABASE_URL": database_url,
            "TESTING": True,
            "SCRAPYD_URLS": [node.auth_url],
            "SCRAPYD_TIMEOUT": LIVE_SCRAPYD_TIMEOUT,
            "CRAWL_ALLOWED_NETWORKS": LOOPBACK,
            "WEBHOOK_ALLOWED_NETWORKS": LOOPBACK,
            "RATELIMIT_STORAGE_URI": f"redis://{REDIS[0]}:{REDIS[1]}/0",
            "PLATFORM_ENDPOINTS": parse_endpoints(f"127.0.0.1:{canary.server_address[1]}"),
        }
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    scene = Platform(node, app, server, canary, site)
    # the API's own address, as make run configures it (HOST/PORT, LEADSCRAPER_PUBLIC_URL)
    app.config["API_BIND"] = ("127.0.0.1", scene.api_port)
    app.config["PUBLIC_URL"] = f"http://127.0.0.1:{scene.api_port}"
    wsgi = app.wsgi_app

    def recording(environ: dict[str, Any], start_response: Any) -> Any:
        scene.api_requests.append(
            (environ["REQUEST_METHOD"], environ.get("PATH_INFO", ""), environ.get("HTTP_USER_AGENT", ""))
        )
        return wsgi(environ, start_response)

    app.wsgi_app = recording  # type: ignore[method-assign]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        assert deploy([node.auth_url]) == {node.url: "ok"}
        yield scene
    finally:
        server.shutdown()
        node.stop()
        for s in (canary, site):
            s.shutdown()
            s.server_close()


def wait_for(condition: Callable[[], Any], what: str, timeout: float = 120) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def job_done(platform: Platform, caller: Caller, job_id: str) -> dict[str, Any]:
    return wait_for(
        lambda: (
            (job := platform.api("GET", f"/v1/jobs/{job_id}", caller).json())["status"]
            not in ("pending", "processing")
            and job
        ),
        f"job {job_id} to end",
    )


def _loopback(host: str, port: int, *_: Any) -> list[tuple[Any, ...]]:
    """The worker's DNS in this test: the tenant's name is 127.0.0.1, and no other name resolves."""
    if host != TENANT_NAME:
        raise socket.gaierror(f"{host}: unknown")
    return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]


# -- webhooks ----------------------------------------------------------------------------------------


def test_webhooks_aimed_at_the_platform_are_refused_and_never_sent(
    platform: Platform, make_caller: Callable[..., Caller], database_url: str, tmp_path: Path
) -> None:
    tenant, victim = make_caller(), make_caller()
    before = platform.scrapyd_jobs()
    schedule = (
        f"/schedule.json?project=leadscraper&spider=leads&urls=http://{TENANT_NAME}/"
        f"&account={victim.account_id}&setting=DOWNLOADER_MIDDLEWARES="
        '{"crawler.middlewares.NetworkGuardMiddleware":null}'
    )
    literal = [
        f"http://127.0.0.1:{platform.scrapyd_port}{schedule}",
        f"http://2130706433:{platform.scrapyd_port}{schedule}",
        f"http://[::ffff:127.0.0.1]:{platform.scrapyd_port}/schedule.json",
        f"http://[::ffff:0:7f00:1]:{platform.scrapyd_port}/schedule.json",
        f"http://localhost:{platform.scrapyd_port}/schedule.json",
        f"http://127.0.0.1:{platform.api_port}/v1/webhooks",
        f"http://127.0.0.1:{REDIS[1]}/",
        f"http://127.0.0.1:{POSTGRES_PORT}/",
        f"http://0.0.0.0:{platform.canary.server_address[1]}/",
    ]
    for url in literal:
        refused = platform.api("POST", "/v1/webhooks", tenant, json={"url": url, "events": ["job.completed"]})
        assert refused.status_code == 400, (url, refused.json())
        error = refused.json()["error"]
        assert error["code"] == "invalid_request" and error["details"]["field"] == "url"
        assert "platform's own services" in error["details"]["reason"], (url, error)

    # A name of the tenant's passes registration (https, not local); it is judged when it is resolved.
    hooks = {}
    for service, port in platform.services().items():
        created = platform.api(
            "POST",
            "/v1/webhooks",
            tenant,
            json={"url": f"https://{TENANT_NAME}:{port}/hook", "events": ["job.completed"]},
        )
        assert created.status_code == 201, created.json()
        hooks[service] = created.json()["id"]
    # and a real receiver on 127.0.0.1, which the allowlist opens
    received: list[str] = []

    class Receiver(BaseHTTPRequestHandler):
        def log_message(self, *_: Any) -> None:
            pass

        def do_POST(self) -> None:
            received.append(self.rfile.read(int(self.headers["Content-Length"])).decode())
            self.send_response(204)
            self.end_headers()

    receiver = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    try:
        ok = platform.api(
            "POST",
            "/v1/webhooks",
            tenant,
            json={"url": f"http://127.0.0.1:{receiver.server_address[1]}/hook", "events": ["job.completed"]},
        )
        assert ok.status_code == 201, ok.json()
        for hook_id in [*hooks.values(), ok.json()["id"]]:
            assert platform.api("POST", f"/v1/webhooks/{hook_id}/test", tenant).status_code == 202
        # the worker knows the platform as the API does (in production: the same environment)
        worker = Worker(
            database_url,
            allow=LOOPBACK,
            platform=PlatformEndpoints(platform_endpoints(platform.app.config)),
            resolver=_loopback,
            directory=tmp_path,
            timeout=3,
        )
        worker.run_until_idle()
    finally:
        receiver.shutdown()
        receiver.server_close()

    assert len(received) == 1 and json.loads(received[0])["event"] == "webhook.test"
    for service, hook_id in hooks.items():
        [delivery] = platform.api("GET", f"/v1/webhooks/{hook_id}/deliveries", tenant).json()["data"]
        assert delivery["response_code"] is None, (service, delivery)
        assert "refused by the network guard" in delivery["error"], (service, delivery)
        assert "own services" in delivery["error"], (service, delivery)
    assert platform.canary.hits == 0
    assert platform.platform_hits() == []
    assert platform.scrapyd_jobs() == before  # nothing was scheduled


# -- crawls ------------------------------------------------------------------------------------------


def test_crawls_aimed_at_the_platform_are_refused_and_never_fetched(
    platform: Platform, make_caller: Callable[..., Caller], db: Session
) -> None:
    tenant = make_caller()
    before = platform.scrapyd_jobs()
    for url in (
        f"http://127.0.0.1:{platform.scrapyd_port}/schedule.json",
        f"http://2130706433:{platform.api_port}/v1/account",
        f"http://[::ffff:127.0.0.1]:{POSTGRES_PORT}/",
        f"http://localhost:{REDIS[1]}/",
    ):
        refused = platform.api("POST", "/v1/scrape", tenant, json={"type": "single", "urls": [url]})
        assert refused.status_code == 400, (url, refused.json())
        assert "platform's own services are not crawled" in refused.json()["error"]["details"]["reason"]

    site_url = f"http://127.0.0.1:{platform.site.server_address[1]}/contact"
    targets = {service: f"http://{TENANT_NAME}:{port}/" for service, port in platform.services().items()}
    body = {"type": "bulk", "urls": [site_url, *targets.values()], "options": {"qualify_leads": False}}
    created = platform.api("POST", "/v1/scrape", tenant, json=body)
    assert created.status_code == 201, created.json()
    job_id = created.json()["id"]
    job = job_done(platform, tenant, job_id)

    rows = {r.url: r for r in db.scalars(select(JobUrl).where(JobUrl.job_id == job_id))}
    assert rows[site_url].status == "done", rows[site_url].reason  # the allowed site was crawled
    for service, url in targets.items():
        assert rows[url].status == "refused", (service, rows[url].status, rows[url].reason)
        assert "own services" in (rows[url].reason or ""), (service, rows[url].reason)
    assert job["status"] == "completed" and job["successful_urls"] == 1
    assert platform.scrapyd_jobs() - before == {job_id}  # only the job the API launched
    assert platform.canary.hits == 0
    assert platform.platform_hits() == []


# -- reaching scrapyd itself -------------------------------------------------------------------------


def test_scrapyd_refuses_calls_without_its_credentials(platform: Platform) -> None:
    before = platform.scrapyd_jobs()
    data = {"project": "leadscraper", "spider": "leads", "urls": "http://acme-robotics.com/"}
    assert requests.post(f"{platform.node.url}/schedule.json", data=data, timeout=10).status_code == 401
    assert requests.get(f"{platform.node.url}/listjobs.json", timeout=10).status_code == 401
    assert platform.scrapyd_jobs() == before


def _schedule_directly(platform: Platform, fields: list[tuple[str, str]]) -> str:
    """``schedule.json`` with the node's credentials, bypassing the API; waits for the spider to end
    and returns what it logged."""
    answer = requests.post(
        f"{platform.node.url}/schedule.json",
        data=[("project", "leadscraper"), ("spider", "leads"), *fields],
        auth=(platform.node.username, platform.node.password),
        timeout=10,
    ).json()
    assert answer["status"] == "ok", answer
    jobid = answer["jobid"]
    client = ScrapydClient([platform.node.auth_url])
    wait_for(
        lambda: jobid in {j["id"] for j in client.list_jobs(platform.node.url)["finished"]},
        f"scrapyd job {jobid} to end",
    )
    log = platform.node.workdir / "logs" / "leadscraper" / "leads" / f"{jobid}.log"
    daemon = (platform.node.workdir / "scrapyd.log").read_text(errors="replace")
    return (log.read_text(errors="replace") if log.exists() else "") + daemon


def test_a_spider_started_through_scrapyd_runs_only_a_job_the_api_launched(
    platform: Platform, make_caller: Callable[..., Caller], make_job: Callable[..., Job], db: Session
) -> None:
    victim = make_caller()
    pending = make_job(victim.account_id, urls=[f"http://{TENANT_NAME}:{platform.canary.server_address[1]}/"])
    site_url = f"http://127.0.0.1:{platform.site.server_address[1]}/"
    fetched_before = len(platform.site.paths)

    logged = _schedule_directly(platform, [("urls", site_url), ("account", victim.account_id)])
    assert "argument(s) account, urls refused" in logged
    logged = _schedule_directly(platform, [("urls_file", "/etc/passwd")])
    assert "argument(s) urls_file refused" in logged
    logged = _schedule_directly(platform, [("job_id", pending.id)])
    assert "job_id and launch_token are required" in logged
    logged = _schedule_directly(platform, [("job_id", pending.id), ("launch_token", "guessed")])
    assert "launch token does not match" in logged

    # Even the right token does not carry settings that would switch the guard off.
    token = prepare_launch(db, pending.id)
    db.commit()
    for setting in (
        'DOWNLOADER_MIDDLEWARES={"crawler.middlewares.NetworkGuardMiddleware": null}',
        "TWISTED_DNS_RESOLVER=scrapy.resolver.CachingThreadedResolver",
        "LEADSCRAPER_ALLOW_PRIVATE_NETWORKS=0.0.0.0/0",
    ):
        logged = _schedule_directly(
            platform, [("job_id", pending.id), ("launch_token", token), ("setting", setting)]
        )
        assert "the network guard is not in place" in logged, setting

    db.expire_all()
    assert db.get(Job, pending.id).status == "pending"  # type: ignore[union-attr]
    assert db.scalars(select(Job.id).where(Job.account_id == victim.account_id)).all() == [pending.id]
    assert platform.canary.hits == 0
    assert len(platform.site.paths) == fetched_before  # no forged launch fetched anything


# -- one host, one spelling ----------------------------------------------------------------------------


def test_one_host_spelled_two_ways_is_one_company_and_one_lead(
    platform: Platform, make_caller: Callable[..., Caller], db: Session
) -> None:
    caller = make_caller()
    port = platform.site.server_address[1]
    ids: list[set[str]] = []
    for url in (f"http://127.0.0.1:{port}/contact", f"http://2130706433:{port}/contact"):
        body = {"type": "single", "urls": [url], "options": {"qualify_leads": False}}
        created = platform.api("POST", "/v1/scrape", caller, json=body)
        assert created.status_code == 201, created.json()
        job = job_done(platform, caller, created.json()["id"])
        assert job["status"] == "completed", job
        [row] = db.scalars(select(JobUrl).where(JobUrl.job_id == job["id"]))
        assert row.url == f"http://127.0.0.1:{port}/contact"  # stored the one way
        leads = platform.api("GET", f"/v1/leads?job_id={job['id']}", caller).json()["data"]
        ids.append({lead["id"] for lead in leads})
        assert any(lead["phone"] == "+14155550187" for lead in leads), leads
    assert ids[0] == ids[1]  # the second job found the same leads again, no duplicate
    everything = platform.api("GET", "/v1/leads?limit=100", caller).json()["data"]
    assert {lead["id"] for lead in everything} == ids[0]
    assert {lead["company_domain"] for lead in everything} == {"127.0.0.1"}
