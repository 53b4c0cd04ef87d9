"""The benchmark's simulated web: latencies and faults as configured, and the bound's rules on one site."""

from __future__ import annotations

import http.client
import socket
import statistics
import time
from pathlib import Path

import pytest

from bench.bound import ROBOTS, Politeness, SitePlan, politeness_bound, simulate, site_plans
from bench.simweb import (
    SiteKind,
    WebConfig,
    build_web,
    closed_port,
    read_log,
    request_latency,
    seed_urls,
    sim_web,
)

# Rate-limited sites allow one request a minute: the second request in a row is certainly refused.
CONFIG = WebConfig(sites=40, seed=3, hang=0.05, refuse=0.05, error=0.05, rate_limited=0.05, rate_interval=60)


def test_profiles_follow_the_config() -> None:
    config = WebConfig(sites=400, seed=11)
    web = build_web(config)
    kinds = web.kinds()
    assert kinds == {"hang": 8, "refuse": 8, "error": 8, "rate_limited": 8, "ok": 368}
    latencies = [p.latency for p in web.profiles]
    assert min(latencies) >= config.min_latency and max(latencies) <= config.max_latency
    assert 0.12 <= statistics.median(latencies) <= 0.18  # median ~150 ms
    assert max(latencies) > 1.0  # and a long tail
    assert sum(1 for p in web.profiles if p.disallow) == 40
    assert sum(1 for p in web.profiles if not p.robots) == 20
    assert {p.error_status for p in web.profiles if p.kind is SiteKind.ERROR} <= {500, 502, 503}
    assert build_web(config).profiles == web.profiles  # the seed decides everything
    assert build_web(WebConfig(sites=400, seed=12)).profiles != web.profiles


def _get(port: int, host: str, path: str) -> tuple[int, dict[str, str], bytes, float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    started = time.monotonic()
    try:
        conn.request("GET", path, headers={"Host": f"{host}:{port}"})
        response = conn.getresponse()
        body = response.read()
        return response.status, dict(response.getheaders()), body, time.monotonic() - started
    finally:
        conn.close()


@pytest.mark.slow
def test_the_server_applies_latency_and_faults(tmp_path: Path) -> None:
    web = build_web(CONFIG)
    first = {kind: next(p for p in web.profiles if p.kind is kind) for kind in SiteKind}
    ok = first[SiteKind.OK]
    corpus_site = web.corpus[web.profiles.index(ok)]
    disallowing = next(p for p in web.profiles if p.kind is SiteKind.OK and p.disallow)
    no_robots = next(p for p in web.profiles if p.kind is SiteKind.OK and not p.robots)
    log = tmp_path / "hits.jsonl"
    with closed_port() as refused, sim_web(CONFIG, log) as (port, _pid):
        status, _, body, elapsed = _get(port, ok.host, "/")
        assert status == 200 and body == corpus_site.pages["/"][0]
        assert elapsed >= request_latency(CONFIG, ok, "/", 0) - 0.002  # never sooner than configured
        status, _, _, elapsed = _get(port, ok.host, "/")
        assert status == 200 and elapsed >= request_latency(CONFIG, ok, "/", 1) - 0.002

        status, _, body, _ = _get(port, disallowing.host, ROBOTS)
        assert status == 200 and f"Disallow: {disallowing.disallow[0]}\n".encode() in body
        assert _get(port, no_robots.host, ROBOTS)[0] == 404

        error = first[SiteKind.ERROR]
        assert _get(port, error.host, "/")[0] == error.error_status

        limited = first[SiteKind.RATE_LIMITED]
        assert _get(port, limited.host, "/")[0] == 200
        assert _get(port, limited.host, "/")[0] == 200
        assert _get(port, limited.host, "/")[0] == 200  # its burst of three
        status, headers, _, _ = _get(port, limited.host, "/about")
        assert status == 429 and 1 <= int(headers["Retry-After"]) <= 60

        with socket.create_connection(("127.0.0.1", port)) as sock:  # a hanging site never answers
            sock.sendall(f"GET / HTTP/1.1\r\nHost: {first[SiteKind.HANG].host}\r\n\r\n".encode())
            sock.settimeout(1.0)
            with pytest.raises(TimeoutError):
                sock.recv(1)

        refusing = first[SiteKind.REFUSE]
        url = seed_urls(web, port, refused)[web.profiles.index(refusing)]
        assert url == f"http://{refusing.host}:{refused}/"
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", refused), timeout=5).close()

    hits = read_log(log)  # written when the server stops
    assert [(h.host, h.path, h.status) for h in hits] == [
        (ok.host, "/", 200),
        (ok.host, "/", 200),
        (disallowing.host, ROBOTS, 200),
        (no_robots.host, ROBOTS, 404),
        (error.host, "/", error.error_status),
        (limited.host, "/", 200),
        (limited.host, "/", 200),
        (limited.host, "/", 200),
        (limited.host, "/about", 429),
        (first[SiteKind.HANG].host, "/", 0),  # logged once the client gave up
    ]
    assert hits[1].attempt == 1 and hits[1].latency == request_latency(CONFIG, ok, "/", 1)
    assert all(h.end - h.start >= h.latency - 0.002 for h in hits)


def test_the_bound_follows_the_rules() -> None:
    """One site whose every request takes L: robots.txt, then the home page, then its 12 links four
    at a time (no delay) is 5 L; a hanging site holds 3 + 3 attempts of the timeout."""
    config = WebConfig(sites=40, seed=3, jitter=0.0, hang=0.05, refuse=0.0, error=0.0, rate_limited=0.0)
    web = build_web(config)
    policy = Politeness(
        concurrency=8,
        per_domain=4,
        autothrottle=False,
        start_delay=0.0,
        min_delay=0.0,
        max_delay=10.0,
        target=2.0,
        timeout=20.0,
        retries=2,
        retry_codes=frozenset({500, 502, 503, 429}),
        max_pages=40,
        obey_robots=True,
        depth=1,
    )
    plans = site_plans(web, policy)
    i = next(i for i, p in enumerate(web.profiles) if p.kind is SiteKind.OK and p.robots and not p.disallow)
    plan: SitePlan = plans[i]
    latency = web.profiles[i].latency
    assert len(plan.links["/"]) == 12 and plan.pages == 13
    assert simulate([plan], policy, float("inf"), [0.0]).makespan == pytest.approx(5 * latency)

    hang = next(p for p in plans if p.profile.kind is SiteKind.HANG)
    assert [a for a in hang.attempts.values()] == [[(20.0, None)] * 3] * 2
    assert simulate([hang], policy, float("inf"), [0.0]).makespan == pytest.approx(120.0)

    bound = politeness_bound(plans, policy, processes=1)
    assert bound.work == pytest.approx(sum(p.work for p in plans))
    assert bound.lower == max(bound.longest_site, bound.work / 8)
    assert bound.lower <= bound.greedy.makespan  # a schedule the rules allow is never shorter
    assert bound.greedy.peak_inflight <= 8 and bound.greedy.per_site_peak <= 4
