"""DNS for the crawler: a static host map first (like curl's ``--resolve``), then DNS, every answer
checked by the network guard, with the port, before anything connects to it."""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from scrapy.resolver import HostResolution, dnscache
from twisted.internet import defer
from twisted.internet.address import IPv4Address, IPv6Address
from twisted.internet.interfaces import IHostnameResolver
from twisted.internet.threads import deferToThreadPool
from zope.interface import implementer

from crawler.netguard import (
    ALLOW_ENV,
    GuardRefused,
    IPAddress,
    NetworkGuardError,
    NetworkPolicy,
    PlatformEndpoints,
    endpoints_from_dicts,
    normalize_host,
    parse_allowlist,
    parse_ip_literal,
)

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

GUARD_PREFIX = "refused by the network guard"
# name -> why the guard refused it, for this process: Twisted's endpoints turn a failed look-up into
# a generic "couldn't find the hostname" error, so the spider reads the real reason from here.
REFUSED_NAMES: dict[str, str] = {}


def parse_host_map(value: str) -> dict[str, str]:
    """``"a.com=127.0.0.1, b.de=10.0.0.2"`` → ``{"a.com": "127.0.0.1", "b.de": "10.0.0.2"}``."""
    mapping: dict[str, str] = {}
    for entry in value.replace(";", ",").split(","):
        host, sep, address = entry.strip().partition("=")
        if sep and host.strip() and address.strip():
            mapping[host.strip().lower().rstrip(".")] = address.strip()
    return mapping


def crawl_policy(settings: BaseSettings) -> NetworkPolicy:
    """The crawler's guard from its settings: ``LEADSCRAPER_ALLOW_PRIVATE_NETWORKS`` and
    ``LEADSCRAPER_PLATFORM_ENDPOINTS`` (``crawler/settings.py`` derives both from the environment)."""
    return NetworkPolicy(
        allow=parse_allowlist(settings.get("LEADSCRAPER_ALLOW_PRIVATE_NETWORKS", "")),
        platform=PlatformEndpoints(endpoints_from_dicts(settings.getlist("LEADSCRAPER_PLATFORM_ENDPOINTS"))),
        setting=ALLOW_ENV,
    )


def guard_message(exc: NetworkGuardError) -> str:
    reason = exc.reason if isinstance(exc, GuardRefused) else str(exc)
    host = exc.host if isinstance(exc, GuardRefused) else ""
    return f"{GUARD_PREFIX}: {host}: {reason}" if host else f"{GUARD_PREFIX}: {reason}"


def installed_resolver() -> StaticMapResolver | None:
    """The guard resolver installed on the running reactor, or None when another one is."""
    from twisted.internet import reactor

    resolver = getattr(reactor, "nameResolver", None)
    return resolver if isinstance(resolver, StaticMapResolver) else None


@implementer(IHostnameResolver)
class StaticMapResolver:
    """Resolves every host the crawler connects to — seeds, links, redirects, robots.txt, sitemaps —
    and owns the crawl process's network guard (``policy``), which the downloader middleware and the
    browser consult too.

    Names in ``LEADSCRAPER_RESOLVE`` are answered from the map; others by ``getaddrinfo`` (IPv4 and
    IPv6). Every address a name has must be public or inside ``LEADSCRAPER_ALLOW_PRIVATE_NETWORKS``
    (one private address among public ones refuses the name whole), and no address may be one of
    the platform's own services on the port being connected to. The addresses handed to the
    connection are the ones that were checked (answers are cached for the crawl), so a DNS answer
    that changes between look-ups (rebinding) cannot slip a private address in. Installed as
    Twisted's name resolver, it sees the port of every connection, IP literals included.
    """

    def __init__(
        self,
        reactor: Any,
        cache_size: int,
        timeout: float,
        host_map: dict[str, str],
        policy: NetworkPolicy | None = None,
        getaddrinfo: Any = socket.getaddrinfo,
    ) -> None:
        self.reactor = reactor
        dnscache.limit = cache_size
        self.timeout = timeout
        self.host_map = host_map
        self.policy = policy or NetworkPolicy()
        self.getaddrinfo = getaddrinfo
        self._cache_lock = threading.Lock()  # look-ups run in threads (the reactor's, the browser's)

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> StaticMapResolver:
        settings = crawler.settings
        cache_size = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0
        return cls(
            reactor,
            cache_size,
            settings.getfloat("DNS_TIMEOUT"),
            parse_host_map(settings.get("LEADSCRAPER_RESOLVE", "")),
            crawl_policy(settings),
        )

    def install_on_reactor(self) -> None:
        self.reactor.installNameResolver(self)

    def resolveHostName(
        self,
        resolutionReceiver: Any,
        hostName: str,
        portNumber: int = 0,
        addressTypes: Sequence[Any] | None = None,
        transportSemantics: str = "TCP",
    ) -> Any:
        resolution = HostResolution(hostName)
        resolutionReceiver.resolutionBegan(resolution)
        key = hostName.lower().rstrip(".")
        known = key in dnscache or key in self.host_map or parse_ip_literal(key) is not None
        if known and not self.policy.platform.by_name:
            # nothing left to look up: judged here, without a thread
            d = defer.maybeDeferred(self.lookup, hostName, portNumber or None)
        else:
            d = deferToThreadPool(
                self.reactor, self.reactor.getThreadPool(), self.lookup, hostName, portNumber or None
            )
            if self.timeout:
                d.addTimeout(self.timeout, self.reactor)

        def deliver(addresses: list[IPAddress]) -> None:
            for address in addresses:
                cls = IPv6Address if address.version == 6 else IPv4Address
                resolutionReceiver.addressResolved(cls("TCP", str(address), portNumber))
            resolutionReceiver.resolutionComplete()

        def fail(_failure: Any) -> None:
            resolutionReceiver.resolutionComplete()  # no address: the connection fails as unresolved

        d.addCallbacks(deliver, fail)
        return resolution

    def lookup(self, name: str, port: int | None) -> list[IPAddress]:
        """The checked addresses to connect to for ``name:port``, IPv4 first (worker thread).

        Raises NetworkGuardError (refused, or no such name); refusals are remembered in
        ``REFUSED_NAMES`` for the spider's reasons.
        """
        key = name.lower().rstrip(".")
        try:
            reason = self.policy.host_reason(key, port)
            if reason is not None:
                raise GuardRefused(key, reason)
            addresses = self._addresses(key)
            self.policy.check_addresses(key, addresses, port)
        except GuardRefused as exc:
            REFUSED_NAMES[key] = guard_message(exc)
            raise
        return sorted(addresses, key=lambda a: a.version)

    def _addresses(self, key: str) -> list[IPAddress]:
        """The name's addresses, checked against the allowlist (not yet the port), from the cache
        or one look-up: the map, an address literal, or DNS."""
        with self._cache_lock:
            cached = dnscache.get(key) if dnscache.limit else None
        if cached is not None:
            return list(cached)
        public_only = self.policy.without_platform()
        literal = parse_ip_literal(key)
        mapped = self.host_map.get(key)
        if literal is not None or mapped is not None:
            try:
                address = literal if literal is not None else ipaddress.ip_address(str(mapped))
            except ValueError:
                raise GuardRefused(
                    key, f"LEADSCRAPER_RESOLVE maps it to {mapped!r}, not an address"
                ) from None
            addresses: list[IPAddress] = [address]
            public_only.check_addresses(key, addresses, None)
        else:
            # a name's addresses do not depend on the port; the caller checks the port
            addresses = public_only.resolve(normalize_host(key), 80, resolver=self.getaddrinfo)
        if dnscache.limit:
            with self._cache_lock:
                dnscache[key] = tuple(addresses)
        return addresses

    def _resolve(self, name: str) -> str:
        """The address a connection to ``name`` (any port) would use: for tests of the DNS rules."""
        return str(self.lookup(name, None)[0])
