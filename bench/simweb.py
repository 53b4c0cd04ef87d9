"""A simulated web for the real-latency benchmark: the corpus's sites behind per-site latency and faults.

``build_web(WebConfig(...))`` gives every corpus site (``bench.corpus``) a ``SiteProfile``: a base
latency drawn from a lognormal distribution (median ~150 ms, capped at 2 s) and, for a fixed share
of the sites, a fault: it hangs (reads the request, never answers), refuses connections (its URL
names a port nobody listens on), answers every request with a 5xx, or rate-limits (429 with
``Retry-After`` beyond a small burst). Some robots.txt files disallow a section of the site, some
sites have none (404). Each request's latency varies around its site's by a factor that depends
only on the seed, host, path and how often that path was asked for, so the benchmark's bound is
computed from the very latencies the server applies.

``python -m bench.simweb --config JSON [--log FILE]`` serves it on 127.0.0.1 (asyncio, HTTP/1.1
with keep-alive, the site chosen by the ``Host`` header), prints ``PORT <n>`` once it listens and,
on SIGTERM, writes every request it saw to FILE (JSON lines, see ``Hit``) before it exits.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import random
import socket
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import NamedTuple

from bench.common import server_process
from bench.corpus import (
    PATHS,
    SiteSpec,
    build_corpus,
    http_response,
    parse_request_head,
    response_table,
    serve_until_stopped,
)


class SiteKind(StrEnum):
    """How a simulated site behaves."""

    OK = "ok"
    HANG = "hang"  # accepts the connection and the request, never answers: the crawler's timeout
    REFUSE = "refuse"  # its URL's port has no listener: connection refused
    ERROR = "error"  # answers every request, robots.txt included, with a 5xx
    RATE_LIMITED = "rate_limited"  # 429 with Retry-After once its burst is spent, like a real limiter


@dataclass(frozen=True)
class WebConfig:
    """Everything the simulated web follows from; the same config always gives the same web."""

    sites: int = 1000
    seed: int = 23
    median_latency: float = 0.150  # s, the median site's time to answer
    sigma: float = 0.9  # lognormal shape of the site latencies: p95 ≈ 4.4× the median
    jitter: float = 0.25  # lognormal shape of one request's latency around its site's
    min_latency: float = 0.020
    max_latency: float = 2.0  # the tail's cap
    hang: float = 0.02  # shares of the sites with each fault
    refuse: float = 0.02
    error: float = 0.02
    rate_limited: float = 0.02
    robots_disallow: float = 0.10  # robots.txt disallows one section (blog, careers or products)
    robots_missing: float = 0.05  # no robots.txt (404)
    rate_burst: int = 3  # a rate-limited site serves this many requests at once ...
    rate_interval: float = 1.0  # ... then one per this many seconds; 429 + Retry-After otherwise

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> WebConfig:
        return cls(**json.loads(text))


@dataclass(frozen=True)
class SiteProfile:
    """One site's behaviour: its base latency, its fault if any, and its robots.txt."""

    host: str
    kind: SiteKind
    latency: float
    error_status: int = 0  # the 5xx an ERROR site answers
    disallow: tuple[str, ...] = ()  # robots.txt ``Disallow:`` path prefixes
    robots: bool = True  # False: /robots.txt answers 404

    def robots_txt(self) -> bytes:
        lines = ["User-agent: *", *(f"Disallow: {p}" for p in self.disallow), "Allow: /", ""]
        return "\n".join(lines).encode("ascii")

    def allowed(self, path: str) -> bool:
        return not any(path.startswith(prefix) for prefix in self.disallow)


@dataclass
class Web:
    """The corpus and a profile per site, in the same order."""

    config: WebConfig
    corpus: list[SiteSpec]
    profiles: list[SiteProfile]
    by_host: dict[str, SiteProfile] = field(init=False)

    def __post_init__(self) -> None:
        self.by_host = {p.host: p for p in self.profiles}

    def kinds(self) -> Counter[str]:
        return Counter(p.kind.value for p in self.profiles)


def _clamp(config: WebConfig, value: float) -> float:
    return min(config.max_latency, max(config.min_latency, value))


def build_web(config: WebConfig) -> Web:
    """The corpus of ``config.sites`` sites and their profiles: exact shares of each fault."""
    corpus = build_corpus(config.sites, seed=config.seed)
    rng = random.Random(f"simweb:{config.seed}")
    latencies = [_clamp(config, config.median_latency * math.exp(config.sigma * rng.gauss())) for _ in corpus]
    order = list(range(len(corpus)))
    rng.shuffle(order)
    kind = [SiteKind.OK] * len(corpus)
    start = 0
    for fault, share in (
        (SiteKind.HANG, config.hang),
        (SiteKind.REFUSE, config.refuse),
        (SiteKind.ERROR, config.error),
        (SiteKind.RATE_LIMITED, config.rate_limited),
    ):
        count = round(share * len(corpus))
        for i in order[start : start + count]:
            kind[i] = fault
        start += count
    rng.shuffle(order)
    disallowing = set(order[: round(config.robots_disallow * len(corpus))])
    missing = set(order[len(disallowing) : len(disallowing) + round(config.robots_missing * len(corpus))])
    profiles = []
    for i, site in enumerate(corpus):
        section = rng.choice(("blog", "careers", "products"))
        profiles.append(
            SiteProfile(
                host=site.host,
                kind=kind[i],
                latency=latencies[i],
                error_status=rng.choice((500, 502, 503)) if kind[i] is SiteKind.ERROR else 0,
                disallow=(PATHS[site.lang][section],) if i in disallowing else (),
                robots=i not in missing,
            )
        )
    return Web(config, corpus, profiles)


def request_latency(config: WebConfig, profile: SiteProfile, path: str, attempt: int) -> float:
    """Seconds the server waits before answering the ``attempt``-th request (0 first) of ``path``."""
    if config.jitter <= 0:
        return profile.latency
    factor = random.Random(f"{config.seed}:{profile.host}:{path}:{attempt}").lognormvariate(0, config.jitter)
    return _clamp(config, profile.latency * factor)


class TokenBucket:
    """A rate-limited site's limiter: ``burst`` tokens, one more every ``interval`` seconds."""

    def __init__(self, burst: int, interval: float, now: float) -> None:
        self.burst = burst
        self.interval = interval
        self.tokens = float(burst)
        self.stamp = now

    def take(self, now: float) -> float:
        """0 when a token was taken; else the seconds until the next one."""
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) / self.interval)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) * self.interval


class Hit(NamedTuple):
    """One request as the server saw it: wall-clock start and end, status (0: never answered)."""

    start: float
    end: float
    host: str
    path: str
    status: int
    latency: float  # what the server meant to wait
    attempt: int  # how many earlier requests of this host and path there were


def read_log(path: Path) -> list[Hit]:
    with open(path, encoding="utf-8") as f:
        return [Hit(*json.loads(line)) for line in f if line.strip()]


# -- the server -------------------------------------------------------------------------------

HTML = "text/html; charset=utf-8"


class SimServer:
    """Answers as each site's profile says, after its latency; keeps a log of every request."""

    def __init__(self, web: Web) -> None:
        self.web = web
        self.table = response_table(web.corpus)
        self.not_found = http_response(404, HTML, b"<html><body><h1>Not found</h1></body></html>", True)
        self.attempts: Counter[tuple[str, str]] = Counter()
        self.buckets: dict[str, TokenBucket] = {}
        self.log: list[Hit] = []

    def answer(self, host: str, path: str, now: float) -> tuple[int, bytes] | None:
        """The status and bytes to send for a request; None for a site that never answers."""
        profile = self.web.by_host.get(host)
        if profile is None:
            return 404, self.not_found
        if profile.kind is SiteKind.HANG:
            return None
        if profile.kind is SiteKind.ERROR:
            body = b"<html><body><h1>Server error</h1></body></html>"
            return profile.error_status, http_response(profile.error_status, HTML, body, True)
        if profile.kind is SiteKind.RATE_LIMITED:
            bucket = self.buckets.setdefault(
                host, TokenBucket(self.web.config.rate_burst, self.web.config.rate_interval, now)
            )
            wait = bucket.take(now)
            if wait:
                retry_after = {"Retry-After": str(max(1, math.ceil(wait)))}
                body = b"<html><body><h1>Too many requests</h1></body></html>"
                return 429, http_response(429, HTML, body, True, retry_after)
        if path == "/robots.txt":
            if not profile.robots:
                return 404, self.not_found
            return 200, http_response(200, "text/plain; charset=utf-8", profile.robots_txt(), True)
        page = self.table.get((host, path))
        return (200, page) if page is not None else (404, self.not_found)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                start = time.time()
                _method, host, path, close = parse_request_head(head[:-4])
                attempt = self.attempts[(host, path)]
                self.attempts[(host, path)] += 1
                outcome = self.answer(host, path, time.monotonic())
                profile = self.web.by_host.get(host)
                latency = request_latency(self.web.config, profile, path, attempt) if profile else 0.0
                if outcome is None:
                    try:
                        while await reader.read(65536):  # until the client gives up and closes
                            pass
                    except ConnectionError:
                        pass  # a crawler that times out may reset the connection instead
                    self.log.append(Hit(start, time.time(), host, path, 0, latency, attempt))
                    return
                status, data = outcome
                await asyncio.sleep(latency)
                writer.write(data)
                await writer.drain()
                self.log.append(Hit(start, time.time(), host, path, status, latency, attempt))
                if close:
                    return
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            pass  # the client closed the connection
        except asyncio.CancelledError:
            pass  # the server is stopping: connections still open end here, quietly
        finally:
            writer.close()

    def write_log(self, path: Path) -> None:
        with open(path, "w", encoding="utf-8") as out:
            for hit in self.log:
                out.write(json.dumps(list(hit)) + "\n")


async def serve(web: Web, port: int, log: Path | None) -> None:
    sim = SimServer(web)
    server = await asyncio.start_server(sim.handle, "127.0.0.1", port, backlog=1024)
    await serve_until_stopped(server)
    if log is not None:
        sim.write_log(log)


# -- helpers for the benchmark and the tests -------------------------------------------------


@contextlib.contextmanager
def closed_port() -> Iterator[int]:
    """A port on 127.0.0.1 that is bound but never listens: connecting to it is refused, and no
    other process can take it while the context lasts."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield int(sock.getsockname()[1])


@contextlib.contextmanager
def sim_web(config: WebConfig, log: Path | None = None) -> Iterator[tuple[int, int]]:
    """``python -m bench.simweb`` in its own process; yields (port, pid)."""
    args = ["--config", config.to_json(), *(["--log", str(log)] if log else [])]
    with server_process("bench.simweb", args) as served:
        yield served


def seed_urls(web: Web, port: int, refused_port: int) -> list[str]:
    """Every site's home page URL; REFUSE sites point at ``refused_port``."""
    return [f"http://{p.host}:{refused_port if p.kind is SiteKind.REFUSE else port}/" for p in web.profiles]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", default=WebConfig().to_json(), help="WebConfig as JSON")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--log", type=Path, default=None)
    args = parser.parse_args(argv)
    web = build_web(WebConfig.from_json(args.config))
    asyncio.run(serve(web, args.port, args.log))
    return 0


if __name__ == "__main__":
    sys.exit(main())
