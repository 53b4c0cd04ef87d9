"""DNS for the crawler: a static host map first (like curl's ``--resolve``), then DNS, every answer
checked by the network guard before anything connects to it."""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

from scrapy.resolver import CachingThreadedResolver, dnscache
from twisted.internet import defer
from twisted.internet.error import DNSLookupError
from twisted.internet.threads import deferToThreadPool

from crawler.netguard import IPNetwork, NetworkGuardError, allowlist_from_env, refusal_reason, resolve_checked

GUARD_PREFIX = "refused by the network guard"
# name -> why the guard refused it, for this process: Twisted's endpoints turn a failed look-up into
# a generic "no results" error, so the spider reads the real reason from here.
REFUSED_NAMES: dict[str, str] = {}


def parse_host_map(value: str) -> dict[str, str]:
    """``"a.com=127.0.0.1, b.de=10.0.0.2"`` → ``{"a.com": "127.0.0.1", "b.de": "10.0.0.2"}``."""
    mapping: dict[str, str] = {}
    for entry in value.replace(";", ",").split(","):
        host, sep, address = entry.strip().partition("=")
        if sep and host.strip() and address.strip():
            mapping[host.strip().lower().rstrip(".")] = address.strip()
    return mapping


class GuardRefusal(DNSLookupError):
    """Raised (as the name's lookup failure) when a host resolves to an address the guard refuses."""


class StaticMapResolver(CachingThreadedResolver):
    """Resolves every host the crawler connects to — seeds, links, redirects, robots.txt, sitemaps.

    Names in ``LEADSCRAPER_RESOLVE`` are answered from the map; others by ``getaddrinfo`` (IPv4 and
    IPv6). Every address a name has must be public, or inside ``LEADSCRAPER_ALLOW_PRIVATE_NETWORKS``;
    a name with one private address among public ones is refused whole. The address returned is the
    one that was checked and the one the connection then uses, so a DNS answer that changes between
    look-ups (rebinding) cannot slip a private address in; answers are cached for the crawl.
    """

    def __init__(
        self,
        reactor: Any,
        cache_size: int,
        timeout: float,
        host_map: dict[str, str],
        allow: tuple[IPNetwork, ...] = (),
        getaddrinfo: Any = socket.getaddrinfo,
    ) -> None:
        super().__init__(reactor, cache_size, timeout)
        self.host_map = host_map
        self.allow = allow
        self.getaddrinfo = getaddrinfo

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> StaticMapResolver:
        settings = crawler.settings
        cache_size = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0
        return cls(
            reactor,
            cache_size,
            settings.getfloat("DNS_TIMEOUT"),
            parse_host_map(settings.get("LEADSCRAPER_RESOLVE", "")),
            allowlist_from_env(),
        )

    def getHostByName(self, name: str, timeout: Any = None) -> defer.Deferred[str]:
        key = name.lower().rstrip(".")
        if key in dnscache:
            return defer.succeed(dnscache[key])
        mapped = self.host_map.get(key)
        if mapped is not None:
            reason = refusal_reason(ipaddress.ip_address(mapped), self.allow)
            if reason:
                return defer.fail(self._refuse(key, f"{GUARD_PREFIX}: {name} → {reason}"))
            return defer.succeed(self._remember(key, mapped))
        d = deferToThreadPool(self.reactor, self.reactor.getThreadPool(), self._resolve, name)  # type: ignore[arg-type]
        return d.addCallback(lambda address: self._remember(key, address))

    def _resolve(self, name: str) -> str:
        try:
            addresses = resolve_checked(name, 80, self.allow, resolver=self.getaddrinfo)
        except NetworkGuardError as exc:
            message = str(exc)
            if message.startswith("refused"):
                raise GuardRefusal(f"{GUARD_PREFIX}: {message[len('refused ') :]}") from exc
            raise DNSLookupError(message) from exc
        # Twisted's simple resolver interface carries one address; prefer IPv4 (Scrapy's default).
        ipv4 = [a for a in addresses if a.version == 4]
        return str((ipv4 or addresses)[0])

    @staticmethod
    def _refuse(key: str, message: str) -> GuardRefusal:
        REFUSED_NAMES[key] = message
        return GuardRefusal(message)

    def _remember(self, key: str, address: str) -> str:
        if dnscache.limit:
            dnscache[key] = address
        return address
