"""Two real scrapyd nodes work one bulk job: both take URLs, each URL once, and a node killed mid-job
leaves no URL behind (its expired leases are taken over by the other)."""

from __future__ import annotations

import os
import secrets
import signal
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api import create_app
from api.scrapyd.client import ScrapydClient
from api.scrapyd.localnode import LocalScrapyd, free_port, start_scrapyd
from db.models import Job, JobUrl
from tests.api.conftest import LIVE_SCRAPYD_TIMEOUT, SPEC_EXAMPLE_HOSTS, Caller
from tests.api.test_crawl_e2e import poll

pytestmark = [pytest.mark.db, pytest.mark.slow]

LEASE_SECONDS = 6  # renewed every 0.5 s: a stall of 5 s (SQLite under CI load) still keeps a lease
URLS_PER_HOST = 10
# Small claims and a polite pace per site. The seeds the tests hold at the test sites' gate wait
# there for as long as the test needs (a second node that starts late on a loaded machine), so no
# download may time out meanwhile.
SPIDER_SETTINGS = {
    "LEADSCRAPER_CLAIM_BATCH": "2",
    "DOWNLOAD_DELAY": "0.3",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "1",
    "DOWNLOAD_TIMEOUT": "300",
}


@pytest.fixture(scope="module")
def egg() -> bytes:
    from api.scrapyd.deploy import build_egg

    return build_egg()


@pytest.fixture
def nodes(database_url: str, test_sites: Any, egg: bytes, tmp_path: Path) -> Iterator[list[LocalScrapyd]]:
    """Two scrapyd processes on their own ports, the egg deployed to both, short leases."""
    from api.scrapyd.deploy import deploy

    hosts = (*test_sites.hosts, *SPEC_EXAMPLE_HOSTS)
    env = {
        "DATABASE_URL": database_url,
        "LEADSCRAPER_RESOLVE": ",".join(f"{h}=127.0.0.1" for h in hosts),
        "LEADSCRAPER_PROGRESS_INTERVAL": "0.5",
        "LEADSCRAPER_LEASE_SECONDS": str(LEASE_SECONDS),
        "LEADSCRAPER_ALLOW_PRIVATE_NETWORKS": "127.0.0.1/32",
        "LEADSCRAPER_SUMMARY": "0",
    }
    started: list[LocalScrapyd] = []
    try:
        for i in range(2):
            started.append(start_scrapyd(tmp_path / f"node{i}", port=free_port(), env=env, poll_interval=0.2))
        results = deploy([n.auth_url for n in started], egg=egg)
        assert set(results.values()) == {"ok"}, results
        yield started
    finally:
        for node in started:
            node.stop()


@pytest.fixture
def multi_client(database_url: str, nodes: list[LocalScrapyd]) -> FlaskClient:
    app: Flask = create_app(
        {
            "DATABASE_URL": database_url,
            "TESTING": True,
            "SCRAPYD_URLS": [n.auth_url for n in nodes],
            "SCRAPYD_URLS_PER_PROCESS": 5,
            "SCRAPYD_TIMEOUT": LIVE_SCRAPYD_TIMEOUT,
            "SCRAPYD_SPIDER_SETTINGS": SPIDER_SETTINGS,
        }
    )
    return app.test_client()


def bulk_urls(test_sites: Any, run: str, hold_from: int) -> list[str]:
    """40 distinct seed URLs on four sites (the sites ignore the query; the request log keeps it).

    From position ``hold_from`` on, each waits at the gate ``run`` until the test releases it.
    """
    pages = [
        ("acme-robotics.com", "/contact"),
        ("acme-robotics.com", "/team"),
        ("mueller-maschinenbau.de", "/team"),
        ("atelier-dupont.fr", "/contact"),
    ]
    seeds = [(host, f"{path}?n={i}&run={run}") for host, path in pages for i in range(URLS_PER_HOST)]
    return [
        test_sites.url(host, target + (f"&hold={run}" if position >= hold_from else ""))
        for position, (host, target) in enumerate(seeds)
    ]


@pytest.fixture
def gates(test_sites: Any) -> Iterator[list[str]]:
    """Gate tokens a test holds seeds on; each is released at the end whatever happened."""
    tokens: list[str] = []
    yield tokens
    for token in tokens:
        test_sites.release(token)


def claimers(db: Session, job_id: str) -> set[str]:
    return {r.claimed_by for r in url_rows(db, job_id) if r.claimed_by}


def submit(client: FlaskClient, caller: Caller, urls: list[str]) -> str:
    body = {"type": "bulk", "urls": urls, "options": {"depth": 1, "qualify_leads": False}}
    created = client.post("/v1/scrape", headers=caller.headers, json=body)
    assert created.status_code == 201, created.get_json()
    return str(created.get_json()["id"])


def url_rows(db: Session, job_id: str) -> list[JobUrl]:
    db.expire_all()
    return list(db.scalars(select(JobUrl).where(JobUrl.job_id == job_id).order_by(JobUrl.position)))


def seed_fetches(test_sites: Any, run: str) -> Counter[str]:
    """How often each seed URL of this run was fetched (from the test sites' request log)."""
    return Counter(
        f"{r['host']}{r['path']}" for r in test_sites.requests() if f"run={run}" in r.get("path", "")
    )


def wait_for(condition: Any, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_both_nodes_take_urls_and_each_url_is_crawled_once(
    multi_client: FlaskClient,
    caller: Caller,
    nodes: list[LocalScrapyd],
    test_sites: Any,
    db: Session,
    gates: list[str],
) -> None:
    run = secrets.token_hex(4)
    gates.append(run)
    urls = bulk_urls(test_sites, run, hold_from=0)
    job_id = submit(multi_client, caller, urls)
    db.expire_all()
    entries = db.get(Job, job_id).scrapyd_jobs  # type: ignore[union-attr]
    assert sorted(e["node"] for e in entries) == sorted(n.url for n in nodes)  # started on both
    # Every seed waits at the gate, so the first node to start cannot finish the job alone before
    # the other one is up, however long that takes: open it once both hold URLs.
    wait_for(lambda: len(claimers(db, job_id)) == 2, 120, "both nodes to claim URLs")
    test_sites.release(run)

    job = poll(multi_client, caller, job_id, lambda j: j["status"] not in ("pending", "processing"))
    assert job["status"] == "completed", job
    assert job["processed_urls"] == job["successful_urls"] == job["total_urls"] == len(urls)

    rows = url_rows(db, job_id)
    assert [r.status for r in rows] == ["done"] * len(urls)
    by_process = Counter(r.claimed_by for r in rows)
    assert len(by_process) == 2 and min(by_process.values()) > 0, by_process  # both nodes took URLs
    assert sum(by_process.values()) == job["processed_urls"]  # progress sums across them
    fetches = seed_fetches(test_sites, run)
    assert len(fetches) == len(urls) and set(fetches.values()) == {1}, fetches  # exactly once each


def test_a_node_killed_mid_job_leaves_no_url_behind(
    multi_client: FlaskClient,
    caller: Caller,
    nodes: list[LocalScrapyd],
    test_sites: Any,
    db: Session,
    gates: list[str],
) -> None:
    run = secrets.token_hex(4)
    gates.append(run)
    # The first four seeds pass; the rest wait at the gate until the victim is dead, so the job is
    # still open with both nodes holding URLs when the kill lands, however slow the machine.
    urls = bulk_urls(test_sites, run, hold_from=4)
    job_id = submit(multi_client, caller, urls)

    def both_working() -> dict[str, list[int]] | None:
        """Each process's open claims, once both hold some and a URL is already done."""
        rows = url_rows(db, job_id)
        open_claims: dict[str, list[int]] = {}
        for r in rows:
            if r.status == "claimed" and r.claimed_by:
                open_claims.setdefault(r.claimed_by, []).append(r.id)
        done = sum(r.status == "done" for r in rows)
        # Not "all four passing seeds done": a node may hold a passing seed queued behind a held one
        # of the same site (one request at a time per site), and that seed finishes only at release.
        return open_claims if len(open_claims) == 2 and done >= 1 else None

    open_claims = wait_for(both_working, 120, "both nodes to hold claims")
    # The victim: node 1's spider. Which process is it? Its pid is in its scrapyd's listjobs.
    victim_node = nodes[1]
    listed = ScrapydClient([victim_node.auth_url]).list_jobs(victim_node.url)["running"]
    victim_pid = next(int(j["pid"]) for j in listed if j["id"] == job_id)
    victim = next(worker for worker in open_claims if worker.endswith(f":{victim_pid}"))
    os.killpg(victim_node.process.pid, signal.SIGKILL)  # scrapyd and its spider, no goodbye
    victim_node.process.wait(10)
    # What it held when it died, read before its leases expire: it may have claimed more URLs
    # since open_claims was read, so that snapshot only names the victim.
    at_death = url_rows(db, job_id)
    orphaned = {r.id for r in at_death if r.status == "claimed" and r.claimed_by == victim}
    assert orphaned, "the victim held no claims when it was killed: nothing to take over"
    done_by_victim = {r.id for r in at_death if r.status == "done" and r.claimed_by == victim}
    test_sites.release(run)

    job = poll(
        multi_client, caller, job_id, lambda j: j["status"] not in ("pending", "processing"), timeout=180
    )
    assert job["status"] == "completed", job
    assert job["processed_urls"] == job["successful_urls"] == job["total_urls"] == len(urls)
    rows = url_rows(db, job_id)
    assert [r.status for r in rows] == ["done"] * len(urls)  # every URL accounted for
    survivor = {r.claimed_by for r in rows} - {victim}
    assert len(survivor) == 1
    for row in rows:
        if row.id in orphaned:  # the dead node's expired leases went to the survivor
            assert row.claimed_by in survivor
    assert done_by_victim <= {r.id for r in rows if r.claimed_by == victim}  # its work was kept
    fetches = seed_fetches(test_sites, run)
    assert len(fetches) == len(urls)
    # Only the URLs the dead node was holding may have been fetched twice; every other exactly once.
    redone = {_seed_key(r.url) for r in rows if r.id in orphaned}
    assert {seed: n for seed, n in fetches.items() if seed not in redone} == {
        _seed_key(r.url): 1 for r in rows if r.id not in orphaned
    }


def _seed_key(url: str) -> str:
    """A seed URL as the request log writes it: host, path and query."""
    parts = urlsplit(url)
    return f"{parts.hostname}{parts.path}?{parts.query}"


def test_cancel_reaches_every_node(
    multi_client: FlaskClient, caller: Caller, nodes: list[LocalScrapyd], test_sites: Any, gates: list[str]
) -> None:
    run = secrets.token_hex(4)
    gates.append(run)
    # all but the first four seeds wait at the gate: the job is still running when it is cancelled
    job_id = submit(multi_client, caller, bulk_urls(test_sites, run, hold_from=4))
    poll(multi_client, caller, job_id, lambda j: j["status"] == "processing" and j["processed_urls"] > 0)
    cancelled = multi_client.post(f"/v1/jobs/{job_id}/cancel", headers=caller.headers)
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"
    # A spider closes once its downloads in flight end; the held ones would only time out (after
    # the 300 s these tests allow), so answer them now the job is cancelled.
    test_sites.release(run)
    for node in nodes:
        client = ScrapydClient([node.auth_url])
        wait_for(
            lambda c=client, n=node: job_id in {j["id"] for j in c.list_jobs(n.url)["finished"]},
            30,
            f"the spider on {node.url} to end",
        )
