"""A DNS resolver that answers from a static host map first (like curl's ``--resolve``)."""

from __future__ import annotations

from typing import Any

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer


def parse_host_map(value: str) -> dict[str, str]:
    """``"a.com=127.0.0.1, b.de=10.0.0.2"`` → ``{"a.com": "127.0.0.1", "b.de": "10.0.0.2"}``."""
    mapping: dict[str, str] = {}
    for entry in value.replace(";", ",").split(","):
        host, sep, address = entry.strip().partition("=")
        if sep and host.strip() and address.strip():
            mapping[host.strip().lower().rstrip(".")] = address.strip()
    return mapping


class StaticMapResolver(CachingThreadedResolver):
    """Resolves names listed in ``LEADSCRAPER_RESOLVE`` without DNS; everything else as Scrapy does.

    Used for intranet hosts without DNS records and by the test suite, whose fake company sites
    all live on 127.0.0.1.
    """

    def __init__(self, reactor: Any, cache_size: int, timeout: float, host_map: dict[str, str]) -> None:
        super().__init__(reactor, cache_size, timeout)
        self.host_map = host_map

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> StaticMapResolver:
        settings = crawler.settings
        cache_size = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0
        return cls(
            reactor,
            cache_size,
            settings.getfloat("DNS_TIMEOUT"),
            parse_host_map(settings.get("LEADSCRAPER_RESOLVE", "")),
        )

    def getHostByName(self, name: str, timeout: Any = None) -> defer.Deferred[str]:
        address = self.host_map.get(name.lower().rstrip("."))
        if address is not None:
            return defer.succeed(address)
        return super().getHostByName(name, timeout)
