"""Downloader middlewares of the crawler."""

from __future__ import annotations

from typing import Any

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
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
