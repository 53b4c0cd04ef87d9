"""The politeness bound: how fast a crawl of the simulated web can possibly be under the crawler's rules.

The rules are the crawler's own settings (``Politeness.from_settings``): at most
``CONCURRENT_REQUESTS`` requests in flight per spider process, at most
``CONCURRENT_REQUESTS_PER_DOMAIN`` per site, consecutive requests to a site spaced by the download
delay (AutoThrottle: it starts at ``AUTOTHROTTLE_START_DELAY`` and, after each response, moves
towards latency / ``AUTOTHROTTLE_TARGET_CONCURRENCY``, as ``scrapy.extensions.throttle`` does,
never below ``DOWNLOAD_DELAY``), robots.txt fetched before a site's first page, a page's links
known only once it has arrived, up to the job's depth and ``LEADSCRAPER_MAX_PAGES_PER_SITE``, and
failures retried ``RETRY_TIMES`` times, a hanging site holding each attempt for
``DOWNLOAD_TIMEOUT``. A rate-limited site is asked no faster than it allows (its 429 answers are
what an impolite crawler gets).

``site_plans`` lists, per site, every request such a crawl must make and how long each takes
(``bench.simweb.request_latency``: the latencies the server applies). ``simulate`` plays the
rules out in time with zero CPU cost, either one site alone (its shortest possible time) or the
whole corpus on a number of request slots (a greedy schedule, longest sites first). The lower
bound on the job's time is ``max(longest site alone, total request time / slots)``; the greedy
schedule is a time the rules allow, so the true optimum lies between the two.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bench.corpus import SiteSpec
from bench.simweb import SiteKind, SiteProfile, Web, request_latency

ROBOTS = "/robots.txt"
ROBOTS_ENDS_DEAD = " (asked once when it times out or is refused; the site ends there)"
REFUSED_SECONDS = 0.001  # a refused connection on this machine; on the web it is one round trip


@dataclass(frozen=True)
class Politeness:
    """The crawl rules the bound obeys, read from the crawler's Scrapy settings."""

    concurrency: int
    per_domain: int
    autothrottle: bool
    start_delay: float
    min_delay: float
    max_delay: float
    target: float
    timeout: float
    retries: int
    retry_codes: frozenset[int]
    max_pages: int
    obey_robots: bool
    depth: int
    # robots.txt that times out or is refused is asked once and ends the site (crawler/middlewares.py)
    robots_ends_dead: bool = False

    @classmethod
    def from_settings(cls, overrides: Mapping[str, str], depth: int) -> Politeness:
        """``crawler/settings.py`` on Scrapy's defaults, with ``overrides`` on top (as ``-s``)."""
        from scrapy.settings import Settings

        settings = Settings()
        settings.setmodule("crawler.settings", priority="project")
        settings.update(dict(overrides), priority="cmdline")
        autothrottle = settings.getbool("AUTOTHROTTLE_ENABLED")
        min_delay = settings.getfloat("DOWNLOAD_DELAY")
        return cls(
            concurrency=settings.getint("CONCURRENT_REQUESTS"),
            per_domain=settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"),
            autothrottle=autothrottle,
            start_delay=max(min_delay, settings.getfloat("AUTOTHROTTLE_START_DELAY"))
            if autothrottle
            else min_delay,
            min_delay=min_delay,
            max_delay=settings.getfloat("AUTOTHROTTLE_MAX_DELAY"),
            target=settings.getfloat("AUTOTHROTTLE_TARGET_CONCURRENCY"),
            timeout=settings.getfloat("DOWNLOAD_TIMEOUT"),
            retries=settings.getint("RETRY_TIMES") if settings.getbool("RETRY_ENABLED") else 0,
            retry_codes=frozenset(int(c) for c in settings.getlist("RETRY_HTTP_CODES")),
            max_pages=settings.getint("LEADSCRAPER_MAX_PAGES_PER_SITE"),
            obey_robots=settings.getbool("ROBOTSTXT_OBEY"),
            depth=depth,
            robots_ends_dead=settings.getdict("DOWNLOADER_MIDDLEWARES").get(
                "crawler.middlewares.RetryAfterMiddleware"
            )
            is not None,
        )

    def describe(self) -> str:
        delay = (
            f"AutoThrottle (start {self.start_delay:g} s, target {self.target:g}, min {self.min_delay:g} s)"
            if self.autothrottle
            else f"delay {self.min_delay:g} s"
        )
        return (
            f"{self.concurrency} requests in flight per process, {self.per_domain} per site, {delay}, "
            f"timeout {self.timeout:g} s × {1 + self.retries} attempts, robots.txt "
            + ("obeyed" if self.obey_robots else "ignored")
            + (ROBOTS_ENDS_DEAD if self.robots_ends_dead else "")
            + f", depth {self.depth}, "
            f"≤ {self.max_pages} pages a site"
        )


Attempt = tuple[float, int | None]  # seconds, HTTP status (None: no answer — timeout or refused)


@dataclass
class SitePlan:
    """The requests a polite crawl of one site makes: what each page reveals, what each attempt costs."""

    profile: SiteProfile
    links: dict[str, list[str]]  # page path -> the new pages it reveals
    attempts: dict[str, list[Attempt]]  # request path -> its attempts, in order
    rate: tuple[int, float] | None = None  # (burst, interval) the site allows

    @property
    def pages(self) -> int:
        """Pages answered 200 (what the crawl can parse)."""
        return sum(1 for path, a in self.attempts.items() if path != ROBOTS and a[-1][1] == 200)

    @property
    def work(self) -> float:
        """Seconds of request slots the site's attempts hold in all."""
        return sum(seconds for attempts in self.attempts.values() for seconds, _ in attempts)


def _failing(policy: Politeness, attempt: Attempt) -> bool:
    return attempt[1] is None or attempt[1] in policy.retry_codes


def site_plans(web: Web, policy: Politeness) -> list[SitePlan]:
    """Every site's plan: robots.txt, then the pages its links reach to the depth, as the crawl sees them."""
    from crawler.extract.company import registered_domain
    from crawler.extract.links import site_links
    from crawler.extract.page import Page

    config = web.config
    plans = []
    for site, profile in zip(web.corpus, web.profiles, strict=True):

        def tries(path: str, profile: SiteProfile = profile, site: SiteSpec = site) -> list[Attempt]:
            out: list[Attempt] = []
            dead = profile.kind in (SiteKind.HANG, SiteKind.REFUSE)
            for n in range(1 if dead and path == ROBOTS and policy.robots_ends_dead else 1 + policy.retries):
                if profile.kind is SiteKind.HANG:
                    out.append((policy.timeout, None))
                elif profile.kind is SiteKind.REFUSE:
                    out.append((REFUSED_SECONDS, None))
                else:
                    status = profile.error_status if profile.kind is SiteKind.ERROR else 200
                    missing = not profile.robots if path == ROBOTS else path not in site.pages
                    if status == 200 and missing:
                        status = 404
                    out.append((request_latency(config, profile, path, n), status))
                if not _failing(policy, out[-1]):
                    break
            return out

        attempts: dict[str, list[Attempt]] = {}
        if policy.obey_robots:
            attempts[ROBOTS] = tries(ROBOTS)
        robots_dead = policy.obey_robots and policy.robots_ends_dead and attempts[ROBOTS][-1][1] is None
        if not robots_dead:
            attempts["/"] = tries("/")
        links: dict[str, list[str]] = {}
        if not robots_dead and attempts["/"][-1][1] == 200:
            domain = registered_domain(profile.host)
            level, seen = ["/"], {"/"}
            for depth in range(policy.depth):
                following = []
                for path in level:
                    body = site.pages.get(path)
                    if body is None or not body[1].startswith("text/html"):
                        continue
                    page = Page(body[0].decode("utf-8"), f"http://{profile.host}{path}")
                    found = []
                    for url in site_links(page, domain):
                        child = urlsplit(url).path or "/"
                        if child in seen or len(seen) >= policy.max_pages:
                            continue
                        if policy.obey_robots and profile.robots and not profile.allowed(child):
                            continue
                        seen.add(child)
                        found.append(child)
                        attempts[child] = tries(child)
                    links[path] = found
                    following += [c for c in found if attempts[c][-1][1] == 200]
                level = following
                if depth + 1 >= policy.depth:
                    break
        rate = (config.rate_burst, config.rate_interval) if profile.kind is SiteKind.RATE_LIMITED else None
        plans.append(SitePlan(profile, links, attempts, rate))
    return plans


class _SiteRun:
    """One site's crawl under the rules: its ready requests, in-flight count, delay and limiter."""

    def __init__(self, plan: SitePlan, policy: Politeness) -> None:
        self.plan = plan
        self.policy = policy
        self.ready: deque[tuple[str, int]] = deque([(ROBOTS if policy.obey_robots else "/", 0)])
        self.inflight = 0
        self.last = -math.inf
        self.delay = policy.start_delay
        self.tokens, self.stamp = (float(plan.rate[0]), 0.0) if plan.rate else (0.0, 0.0)
        self.started: float | None = None
        self.finished: float | None = None

    def _token_at(self, t: float) -> float:
        if self.plan.rate is None:
            return t
        burst, interval = self.plan.rate
        tokens = min(burst, self.tokens + (t - self.stamp) / interval)
        return t if tokens >= 1 else t + (1 - tokens) * interval

    def eligible_at(self, now: float) -> float:
        if not self.ready or self.inflight >= self.policy.per_domain:
            return math.inf
        return self._token_at(max(now, self.last + self.delay))

    def send(self, now: float) -> tuple[str, int, float, int | None]:
        path, n = self.ready.popleft()
        self.inflight += 1
        self.last = now
        if self.started is None:
            self.started = now
        if self.plan.rate is not None:
            burst, interval = self.plan.rate
            self.tokens = min(burst, self.tokens + (now - self.stamp) / interval) - 1
            self.stamp = now
        seconds, status = self.plan.attempts[path][n]
        return path, n, seconds, status

    def done(self, now: float, path: str, n: int, seconds: float, status: int | None) -> None:
        self.inflight -= 1
        policy = self.policy
        if status is not None and policy.autothrottle:
            target = seconds / policy.target
            delay = min(max(policy.min_delay, max(target, (self.delay + target) / 2)), policy.max_delay)
            if status == 200 or delay > self.delay:  # AutoThrottle never lowers the delay on errors
                self.delay = delay
        if n + 1 < len(self.plan.attempts[path]):
            self.ready.append((path, n + 1))
        elif path == ROBOTS:
            if "/" in self.plan.attempts:  # else the host is dead and the site ends with robots.txt
                self.ready.append(("/", 0))
        elif status == 200:
            self.ready.extend((child, 0) for child in self.plan.links.get(path, ()))
        if not self.ready and not self.inflight:
            self.finished = now


@dataclass
class Schedule:
    """When each site's crawl started and ended in a simulated schedule."""

    starts: list[float]
    finishes: list[float]
    peak_inflight: int = 0
    per_site_peak: int = 0
    timeline: list[tuple[float, int]] = field(default_factory=list)  # (time, pages answered so far)

    @property
    def makespan(self) -> float:
        return max(self.finishes, default=0.0)

    def done_at(self, share: float) -> float:
        """When ``share`` (0-1] of the sites had finished."""
        ordered = sorted(self.finishes)
        return ordered[max(0, math.ceil(share * len(ordered)) - 1)] if ordered else 0.0


def simulate(
    plans: Sequence[SitePlan], policy: Politeness, slots: float, priority: Sequence[float]
) -> Schedule:
    """Play the rules out on ``slots`` request slots: whenever a slot is free, the site of highest
    ``priority`` that may send now sends its next request (sites already started first: their
    priority is at least that of any site not yet started, which start in priority order)."""
    runs = [_SiteRun(plan, policy) for plan in plans]
    order = sorted(range(len(runs)), key=lambda i: -priority[i])
    next_new = 0
    active: list[int] = []
    events: list[tuple[float, int, int, str, int, float, int | None]] = []
    seq = 0
    inflight = peak = site_peak = 0
    pages = 0
    timeline: list[tuple[float, int]] = []
    wake_at = math.inf
    now = 0.0

    def dispatch() -> None:
        nonlocal inflight, next_new, seq, peak, site_peak, wake_at
        while inflight < slots:
            best, best_priority, soonest = -1, -math.inf, math.inf
            for i in active:
                at = runs[i].eligible_at(now)
                if at <= now:
                    if priority[i] > best_priority:
                        best, best_priority = i, priority[i]
                elif at < soonest:
                    soonest = at
            if best < 0 and next_new < len(order):
                best = order[next_new]
                next_new += 1
                active.append(best)
            if best < 0:
                if soonest < math.inf and soonest < wake_at:
                    wake_at = soonest
                    heapq.heappush(events, (soonest, seq, -1, "", 0, 0.0, None))
                    seq += 1
                return
            path, n, seconds, status = runs[best].send(now)
            inflight += 1
            peak = max(peak, inflight)
            site_peak = max(site_peak, runs[best].inflight)
            heapq.heappush(events, (now + seconds, seq, best, path, n, seconds, status))
            seq += 1

    dispatch()
    while events:
        now, _, i, path, n, seconds, status = heapq.heappop(events)
        if i < 0:
            if now >= wake_at:
                wake_at = math.inf
        else:
            inflight -= 1
            runs[i].done(now, path, n, seconds, status)
            if status == 200 and path != ROBOTS:
                pages += 1
                timeline.append((now, pages))
            if runs[i].finished is not None:
                active.remove(i)
        dispatch()
    return Schedule(
        starts=[r.started or 0.0 for r in runs],
        finishes=[r.finished if r.finished is not None else 0.0 for r in runs],
        peak_inflight=peak,
        per_site_peak=site_peak,
        timeline=timeline,
    )


@dataclass
class Bound:
    """The politeness bound of one corpus on ``slots`` request slots, and how it is made up."""

    slots: int
    alone: list[float]  # each site's shortest time on its own
    work: float  # request-slot seconds of every attempt of every site
    work_by_kind: dict[str, float]
    greedy: Schedule  # a schedule the rules allow

    @property
    def longest_site(self) -> float:
        return max(self.alone, default=0.0)

    @property
    def lower(self) -> float:
        return max(self.longest_site, self.work / self.slots)

    @property
    def binding(self) -> str:
        return "the longest site" if self.longest_site >= self.work / self.slots else "request slots"


def politeness_bound(plans: Sequence[SitePlan], policy: Politeness, processes: int) -> Bound:
    """The bound for ``processes`` spider processes (each with ``policy.concurrency`` slots)."""
    alone = [simulate([plan], policy, math.inf, [0.0]).makespan for plan in plans]
    slots = policy.concurrency * processes
    by_kind: dict[str, float] = {}
    for plan in plans:
        by_kind[plan.profile.kind.value] = by_kind.get(plan.profile.kind.value, 0.0) + plan.work
    greedy = simulate(plans, policy, slots, alone)
    return Bound(slots, alone, sum(by_kind.values()), by_kind, greedy)
