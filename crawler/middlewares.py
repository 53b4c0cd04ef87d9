"""Downloader middlewares of the crawler."""

from __future__ import annotations

from typing import Any

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred


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
    """Refuses, before any connection, requests the network guard forbids.

    Runs first in the downloader chain, so it sees seeds, followed links, every redirect hop,
    robots.txt and sitemap requests alike. Only ``http``/``https``; a host written as an address
    (in any form: ``127.0.0.1``, ``2130706433``, ``0x7f000001``, ``0177.0.0.1``, ``127.1``,
    ``[::ffff:127.0.0.1]``...) is checked here, since no DNS look-up happens for it; names are
    checked when they are resolved (``crawler.resolver.StaticMapResolver``), on the very address
    the connection then uses. Pages rendered in the browser are guarded by ``crawler.browser``.
    """

    def __init__(self, allow: tuple[Any, ...], stats: Any) -> None:
        self.allow = allow
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> NetworkGuardMiddleware:
        from crawler.netguard import allowlist_from_env

        return cls(allowlist_from_env(), crawler.stats)

    def process_request(self, request: Request, spider: Any = None) -> None:
        from crawler.netguard import refusal_url_reason

        reason = refusal_url_reason(request.url, self.allow)
        if reason:
            self.stats.inc_value("leadscraper/netguard/refused")
            raise IgnoreRequest(f"refused by the network guard: {reason}")
