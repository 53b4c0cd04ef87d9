"""Downloader middlewares of the crawler."""

from __future__ import annotations

import logging
import re
import time
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from scrapy.http import Request, Response
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.asyncio import call_later
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet import error as twisted_error
from twisted.internet.defer import Deferred

from crawler.netguard import NetworkPolicy, normalize_url
from crawler.resolver import GUARD_PREFIX, installed_resolver

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


# Failures that say nobody answers at that host: no address, no listener, or no answer in time.
# (A connection lost mid-answer is not one: something is there.)
UNREACHABLE = (
    DownloadTimeoutError,
    twisted_error.TimeoutError,
    twisted_error.TCPTimedOutError,
    DownloadConnectionRefusedError,
    twisted_error.ConnectionRefusedError,
    CannotResolveHostError,
    twisted_error.DNSLookupError,
    twisted_error.NoRouteError,
)
NO_NETWORK_RETRY = "leadscraper_no_network_retry"  # request meta: a network failure is final


class SharedRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, safe for many requests waiting on one robots.txt, and quick
    to give up on hosts that do not answer.

    In Scrapy 2.19 every request that arrives while a site's robots.txt is still downloading awaits
    the same Deferred; the first waiter's callback swallows the parser and the others get ``None``,
    which the middleware reads as "no robots.txt, everything allowed". With several start URLs on
    one site, a disallowed page could then be fetched. Here each waiter gets its own Deferred, fed
    by a callback that passes the parser on.

    robots.txt is the first request to every host. When it times out, is refused or its name does
    not resolve, the host is dead in practice: robots.txt is asked once (no retries on network
    failures; a 5xx answer is still retried) and every request to that host then fails at once with
    the same error, without a connection, so a dead site costs one timeout instead of six.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._unreachable: dict[str, Exception] = {}

    async def process_request(self, request: Request, spider: Any = None) -> None:
        await super().process_request(request)
        if request.meta.get("dont_obey_robotstxt"):
            return
        failure = self._unreachable.get(urlparse_cached(request).netloc)
        if failure is not None:
            # the host's own failure, not a retry of it: the seed ends with that reason
            request.meta["dont_retry"] = True
            self._stats.inc_value("leadscraper/robots_unreachable/requests_failed")
            raise failure

    async def robot_parser(self, request: Request) -> Any:
        netloc = urlparse_cached(request).netloc
        pending = self._parsers.get(netloc)
        if isinstance(pending, Deferred):
            waiter: Deferred[Any] = Deferred()

            def relay(result: Any) -> Any:
                waiter.callback(result)
                return result

            pending.addBoth(relay)
            return await maybe_deferred_to_future(waiter)
        if netloc in self._parsers:
            return pending
        return await self._fetch_robots(request, netloc)

    async def _fetch_robots(self, request: Request, netloc: str) -> Any:
        # Scrapy's own fetch, with the robots request marked so a network failure is not retried.
        self._parsers[netloc] = Deferred()
        url = urlparse_cached(request)
        robots = Request(
            f"{url.scheme}://{url.netloc}/robots.txt",
            priority=self.DOWNLOAD_PRIORITY,
            meta={"dont_obey_robotstxt": True, NO_NETWORK_RETRY: True},
            callback=NO_CALLBACK,
        )
        try:
            response = await self.crawler.engine.download_async(robots)
            await self._parse_robots(response, netloc, request)
        except Exception as exc:
            if isinstance(exc, UNREACHABLE):
                self._unreachable[netloc] = exc
                self._stats.inc_value("leadscraper/robots_unreachable/hosts")
                logger.info("%s: %s; nothing more is asked of this host", robots.url, exc)
            self._robots_error(exc, netloc)
        self._stats.inc_value("robotstxt/request_count")
        parser = self._parsers[netloc]
        if isinstance(parser, Deferred):
            return await maybe_deferred_to_future(parser)
        return parser


def retry_after_seconds(value: bytes | str | None, now: float) -> float | None:
    """A ``Retry-After`` header as seconds to wait: delta-seconds or an HTTP date (epoch ``now``);
    None for anything else. Unbounded here: the caller decides what wait it accepts."""
    if not value:
        return None
    text = (value.decode("latin-1") if isinstance(value, bytes) else value).strip()
    if re.fullmatch(r"[0-9]{1,12}", text):
        return float(int(text))
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, OverflowError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - now)


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's retries, waiting as long as a site asks with ``Retry-After`` on a 429 or 503.

    Such an answer holds the site's download slot for the time asked (no request of that site
    starts before it) and raises the slot's delay to at least that long (AutoThrottle lowers it
    again as answers come back), then the request is retried like any other: at most
    ``RETRY_TIMES`` times. A wait longer than ``LEADSCRAPER_MAX_RETRY_AFTER`` seconds is not worth
    a crawl's time: the page fails with that status at once. Without the header, 429 and 503 are
    retried after the site's usual delay, as Scrapy does.

    Requests marked ``NO_NETWORK_RETRY`` (robots.txt) are not retried after a network failure.
    """

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.max_wait = settings.getfloat("LEADSCRAPER_MAX_RETRY_AFTER")

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Any:
        if response.status in (429, 503) and not request.meta.get("dont_retry"):
            wait = retry_after_seconds(response.headers.get(b"Retry-After"), time.time())
            if wait is not None:
                assert self.crawler.stats is not None
                if wait > self.max_wait:
                    self.crawler.stats.inc_value("leadscraper/retry_after/too_long")
                    return response
                retry = self._retry(request, f"{response.status} Retry-After {wait:g} s")
                if retry is None:
                    return response
                self._hold_slot(request, wait)
                self.crawler.stats.inc_value("leadscraper/retry_after/waited")
                return retry
        return super().process_response(request, response)

    def process_exception(self, request: Request, exception: Exception, spider: Any = None) -> Any:
        if request.meta.get(NO_NETWORK_RETRY) and isinstance(exception, UNREACHABLE):
            return None
        return super().process_exception(request, exception)

    def _hold_slot(self, request: Request, wait: float) -> None:
        engine = self.crawler.engine
        downloader = engine.downloader if engine is not None else None
        slot = downloader.slots.get(request.meta.get("download_slot", "")) if downloader else None
        if slot is None:
            return
        slot.delay = max(slot.delay, wait)
        # Scrapy starts nothing from a slot while its later-call is pending: replace it with ours.
        if slot.latercall is not None:
            slot.latercall.cancel()
        slot.latercall = call_later(wait, downloader._latercall, slot)


class NetworkGuardMiddleware:
    """Refuses, before any connection, requests the network guard forbids; writes every host the
    one way (``crawler.netguard.normalize_url``), so one site is one site however it is spelled.

    Runs first in the downloader chain, so it sees seeds, followed links, every redirect hop,
    robots.txt and sitemap requests alike. Only ``http``/``https``; a host written as an address
    (in any form: ``127.0.0.1``, ``2130706433``, ``0x7f000001``, ``0177.0.0.1``, ``127.1``,
    ``[::ffff:127.0.0.1]``...), a local name or a platform service's name is judged here, with
    the port; the addresses of names are checked when they are resolved
    (``crawler.resolver.StaticMapResolver``, whose policy this middleware applies), on the very
    address and port the connection then uses. Without the guard resolver installed every request
    is refused. Pages rendered in the browser are guarded by ``crawler.browser``.
    """

    def __init__(self, stats: StatsCollector, policy: NetworkPolicy | None = None) -> None:
        self.stats = stats
        self._policy = policy

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NetworkGuardMiddleware:
        assert crawler.stats is not None
        return cls(crawler.stats)

    @property
    def policy(self) -> NetworkPolicy | None:
        # The resolver is installed when the reactor starts, after the middlewares are built.
        if self._policy is None:
            resolver = installed_resolver()
            self._policy = resolver.policy if resolver is not None else None
        return self._policy

    def process_request(self, request: Request, spider: Any = None) -> Request | None:
        policy = self.policy
        if policy is None:
            self.stats.inc_value("leadscraper/netguard/refused")
            raise IgnoreRequest(f"{GUARD_PREFIX}: the guard resolver is not installed")
        reason = policy.url_reason(request.url)
        if reason:
            self.stats.inc_value("leadscraper/netguard/refused")
            raise IgnoreRequest(f"{GUARD_PREFIX}: {reason}")
        try:
            normalized = normalize_url(request.url)
        except ValueError as exc:
            raise IgnoreRequest(f"{GUARD_PREFIX}: {exc}") from None
        if normalized != request.url:
            return request.replace(url=normalized)
        return None
