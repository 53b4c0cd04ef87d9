"""Downloader middlewares of the crawler."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

from crawler.netguard import NetworkPolicy, normalize_url
from crawler.resolver import GUARD_PREFIX, installed_resolver

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector


class SharedRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, safe for many requests waiting on one robots.txt.

    In Scrapy 2.19 every request that arrives while a site's robots.txt is still downloading awaits
    the same Deferred; the first waiter's callback swallows the parser and the others get ``None``,
    which the middleware reads as "no robots.txt, everything allowed". With several start URLs on
    one site, a disallowed page could then be fetched. Here each waiter gets its own Deferred, fed
    by a callback that passes the parser on.
    """

    async def robot_parser(self, request: Request) -> Any:
        pending = self._parsers.get(urlparse_cached(request).netloc)
        if isinstance(pending, Deferred):
            waiter: Deferred[Any] = Deferred()

            def relay(result: Any) -> Any:
                waiter.callback(result)
                return result

            pending.addBoth(relay)
            return await maybe_deferred_to_future(waiter)
        return await super().robot_parser(request)


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
