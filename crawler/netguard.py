"""Outbound network guard: which hosts, addresses and ports the platform may contact, and host spellings.

One rule for every outbound request — crawled pages, redirects, robots.txt, sitemaps, the browser's
sub-requests and webhooks (README.md, "Security"):

- only public addresses, unless an operator allowlist (``LEADSCRAPER_ALLOW_PRIVATE_NETWORKS`` for
  crawling, ``LEADSCRAPER_WEBHOOK_ALLOW_PRIVATE_NETWORKS`` for webhooks) covers the address; every
  embedded-IPv4 form of IPv6 is judged by the IPv4 address it carries;
- never the platform's own services (scrapyd nodes, the API, PostgreSQL, Redis), whatever the
  allowlist says: matched by address *and* port, so ``127.0.0.1:<receiver port>`` can be allowed
  while ``127.0.0.1:6800`` cannot, in whatever spelling the host is written;
- local names (``localhost``, ``*.local``, ``*.internal`` ...) only where an allowlist is set.

Pure Python (no Scrapy, no Twisted): the API, the worker and the crawler all import it.
"""

from __future__ import annotations

import functools
import ipaddress
import itertools
import re
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, unquote, urlsplit, urlunsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[..., list[tuple[Any, ...]]]

ALLOW_ENV = "LEADSCRAPER_ALLOW_PRIVATE_NETWORKS"
WEBHOOK_ALLOW_ENV = "LEADSCRAPER_WEBHOOK_ALLOW_PRIVATE_NETWORKS"
PLATFORM_ENV = "LEADSCRAPER_PLATFORM_ENDPOINTS"

# Operators who set an allowlist to a yes-word (the older boolean form) allow every network.
_ALLOW_ALL_WORDS = {"1", "true", "yes", "all", "*"}
_ALL_NETWORKS: tuple[IPNetwork, ...] = (
    ipaddress.ip_network("0.0.0.0/0"),
    ipaddress.ip_network("::/0"),
)
# inet_aton's legacy numeric forms: 2130706433, 0x7f000001, 0177.0.0.1, 127.1.
_NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]+|[0-9]+)(\.(0x[0-9a-f]+|[0-9]+)){0,3}\.?$", re.IGNORECASE)

# IPv6 forms that carry an IPv4 address: each is judged (and matched against the platform's
# services) by the IPv4 address inside it.
_IPV4_MAPPED = ipaddress.ip_network("::ffff:0:0/96")
_IPV4_TRANSLATED = ipaddress.ip_network("::ffff:0:0:0/96")  # RFC 2765 SIIT
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")  # deprecated, still routed by some stacks
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_SIX_TO_FOUR = ipaddress.ip_network("2002::/16")
_TEREDO = ipaddress.ip_network("2001::/32")
# Global unicast is 2000::/3; inside it these are not reachable public hosts.
_IPV6_GLOBAL = ipaddress.ip_network("2000::/3")
_IPV6_NOT_PUBLIC: tuple[tuple[IPNetwork, str], ...] = (
    (ipaddress.ip_network("64:ff9b:1::/48"), "local-use NAT64"),
    (ipaddress.ip_network("3fff::/20"), "documentation"),
    (ipaddress.ip_network("2001:db8::/32"), "documentation"),
    (ipaddress.ip_network("5f00::/16"), "segment routing"),
)
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_LOOPBACK_V4 = ipaddress.IPv4Address("127.0.0.1")

# Names that only mean something on the local network: refused where no allowlist is set (their
# addresses would be private anyway), and never resolved at submission.
LOCAL_SUFFIXES = (".local", ".internal", ".localdomain", ".lan", ".home.arpa", ".intranet", ".corp")
# Names that are this machine by definition (RFC 6761): judged as the loopback address.
_LOOPBACK_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")

# Ports a URL scheme implies, for endpoints given as URLs (DATABASE_URL, REDIS_URL ...).
SCHEME_PORTS = {
    "http": 80,
    "https": 443,
    "postgresql": 5432,
    "postgres": 5432,
    "redis": 6379,
    "rediss": 6379,
    "mysql": 3306,
    "mariadb": 3306,
    "amqp": 5672,
}


# How a refusal of the platform's own services reads (no allowlist can lift it).
PLATFORM_REFUSAL = "is one of this platform's own services and is never contacted"


class NetworkGuardError(Exception):
    """Raised when a host cannot be resolved, or resolves to an address the guard refuses."""


class GuardRefused(NetworkGuardError):
    """Raised when the guard refuses a host or one of its addresses (``reason`` says why)."""

    def __init__(self, host: str, reason: str) -> None:
        super().__init__(f"refused {host}: {reason}")
        self.host = host
        self.reason = reason


class ResolutionFailed(NetworkGuardError):
    """Raised when a host name does not resolve (no refusal: there is nothing to connect to)."""


# --- host spellings -------------------------------------------------------------------------------


def parse_allowlist(value: str | None) -> tuple[IPNetwork, ...]:
    """An allowlist setting: comma-separated CIDRs (a bare address is a /32 or /128).

    Raises ValueError on a malformed entry, so a typo never silently opens (or closes) a network.
    """
    if not value or not value.strip():
        return ()
    if value.strip().lower() in _ALLOW_ALL_WORDS:
        return _ALL_NETWORKS
    return tuple(
        ipaddress.ip_network(part.strip(), strict=False) for part in value.split(",") if part.strip()
    )


def describe_allowlist(allow: Iterable[IPNetwork]) -> str:
    networks = [str(n) for n in allow]
    return ", ".join(networks) if networks else "none (public addresses only)"


# Characters an address literal can be written with (before a zone id): anything else is a name.
_LITERAL_CHARS = frozenset("0123456789abcdefABCDEFxX.:[] ")


@functools.lru_cache(maxsize=8192)
def parse_ip_literal(host: str) -> IPAddress | None:
    """The address a host string denotes by itself (no DNS), in any form a resolver would accept.

    Covers dotted quads, IPv6 (bracketed or not, with a zone), and inet_aton's decimal, octal, hex
    and short forms that ``getaddrinfo`` also turns into addresses.
    """
    if not _LITERAL_CHARS.issuperset(host.split("%", 1)[0]):
        return None  # a name (most hosts): no parsing attempts
    text = host.strip().strip("[]").split("%", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        pass
    if _NUMERIC_HOST.match(text):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(text.rstrip(".")))
        except OSError:
            return None
    return None


def _idna(name: str) -> str:
    try:
        import idna

        return str(idna.encode(name, uts46=True).decode("ascii"))
    except ImportError:  # pragma: no cover - idna ships with requests
        return name.encode("idna").decode("ascii")


@functools.lru_cache(maxsize=8192)
def normalize_host(host: str) -> str:
    """The one spelling of a host, so that one host is one identity (one company, one lead):

    an address in any spelling becomes its canonical form (``2130706433``, ``0x7f000001``,
    ``127.1``, ``[::ffff:127.0.0.1]`` → ``127.0.0.1``; IPv6 compressed, lower case, no zone); a
    name is lower-cased, loses its trailing dot and is IDNA-encoded (``Bücher.DE.`` →
    ``xn--bcher-kva.de``). Raises ValueError for a host that is not a valid name.
    """
    text = unquote(host.strip())
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    literal = parse_ip_literal(text)
    if literal is not None:
        return str(canonical_address(literal) if _is_mapped(literal) else literal)
    name = text.rstrip(".").lower()
    if not name or ".." in name:
        raise ValueError(f"invalid host name {host!r}")
    if not name.isascii():
        try:
            name = _idna(name)
        except (UnicodeError, ValueError) as exc:
            raise ValueError(f"invalid host name {host!r}: {exc}") from None
    return name


def host_with_port(host: str, port: int | None) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"{shown}:{port}" if port else shown


def normalize_url(url: str, parts: SplitResult | None = None) -> str:
    """``url`` with its scheme and host normalized (see ``normalize_host``) and a default port
    (80 for http, 443 for https) dropped; an empty path becomes ``/``. Path, query and fragment
    are kept as written. ``parts``: ``urlsplit(url)`` when the caller has it already. Raises
    ValueError for a URL without a valid host or port."""
    url = url.strip()
    parts = parts or urlsplit(url)
    scheme = parts.scheme.lower()
    userinfo, _, raw_host = parts.netloc.rpartition("@")
    if raw_host.startswith("["):
        raw_host = raw_host[: raw_host.find("]") + 1]
    elif ":" in raw_host:
        raw_host = raw_host.rsplit(":", 1)[0]
    if not raw_host:
        raise ValueError("no host")
    host = normalize_host(raw_host)
    port = parts.port  # ValueError on a malformed port
    if port is not None and scheme in ("http", "https") and SCHEME_PORTS[scheme] == port:
        port = None
    netloc = (f"{userinfo}@" if userinfo else "") + host_with_port(host, port)
    if netloc == parts.netloc and scheme == parts.scheme and parts.path:
        return url  # already written the one way (most URLs): nothing to rebuild
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, parts.fragment))


def is_loopback_name(host: str) -> bool:
    return host in _LOOPBACK_NAMES or host.endswith(".localhost")


def is_local_name(host: str) -> bool:
    """A name that only resolves on the local network (``printer.local``, ``db.internal``)."""
    return "." not in host or host.endswith(LOCAL_SUFFIXES) or is_loopback_name(host)


# --- the address rule -------------------------------------------------------------------------------


def _is_mapped(address: IPAddress) -> bool:
    return isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None


def embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries: IPv4-mapped (``::ffff:a.b.c.d``), IPv4-translated
    (``::ffff:0:a.b.c.d``), IPv4-compatible (``::a.b.c.d``), NAT64 (``64:ff9b::a.b.c.d``), 6to4
    (``2002:AABB:CCDD::``) and Teredo (the client address, stored inverted); None for others."""
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    low32 = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _IPV4_TRANSLATED or address in _NAT64:
        return low32
    if address in _IPV4_COMPATIBLE and int(address) > 1:  # not :: nor ::1
        return low32
    if address in _SIX_TO_FOUR:
        return address.sixtofour
    if address in _TEREDO and address.teredo is not None:
        return address.teredo[1]
    return None


def canonical_address(address: IPAddress) -> IPAddress:
    """The address a connection really reaches, for comparisons: the IPv4 inside an embedding form."""
    return embedded_ipv4(address) or address


def refusal_reason(address: IPAddress, allow: Iterable[IPNetwork] = ()) -> str | None:
    """Why ``address`` is not a public address (None when it is public, or allowlisted)."""
    allowed = tuple(allow)
    if any(address.version == net.version and address in net for net in allowed):
        return None
    if isinstance(address, ipaddress.IPv6Address):
        if address in _TEREDO:
            return f"{address} is a Teredo tunnel address"
        inner = embedded_ipv4(address)
        if inner is not None:
            reason = refusal_reason(inner, allowed)
            return f"{address} embeds {inner}: {reason}" if reason else None
        if address.is_site_local:
            return f"{address} is not a public address (site-local)"
        for network, kind in _IPV6_NOT_PUBLIC:
            if address in network:
                return f"{address} is not a public address ({kind})"
        if address not in _IPV6_GLOBAL:
            return f"{address} is not a public address ({_kind(address)})"
    if not address.is_global or address.is_multicast:
        return f"{address} is not a public address ({_kind(address)})"
    return None


def _kind(address: IPAddress) -> str:
    for attr in ("is_loopback", "is_link_local", "is_multicast", "is_private", "is_unspecified"):
        if getattr(address, attr):
            return attr[3:].replace("_", "-")
    if isinstance(address, ipaddress.IPv4Address) and address in _CGNAT:
        return "shared address space"
    if address.is_reserved:
        return "reserved"
    return "not globally routable"


# --- the platform's own services ----------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    """One service of the platform: a host (a name, or an address in canonical form) and a port;
    ``source`` says where it was learnt (``SCRAPYD_URLS``, ``DATABASE_URL`` ...)."""

    host: str
    port: int
    source: str = ""

    def __str__(self) -> str:
        return host_with_port(self.host, self.port)

    def as_dict(self) -> dict[str, Any]:
        return {"host": self.host, "port": self.port, "source": self.source}


def _netloc_hosts(netloc: str) -> Iterator[tuple[str, int | None]]:
    """``host[:port]`` pairs of a netloc, also libpq's multi-host form ``h1:5432,h2:5433``."""
    for item in netloc.rpartition("@")[2].split(","):
        item = item.strip()
        if not item:
            continue
        if item.startswith("["):
            host, _, rest = item[1:].partition("]")
            port = rest[1:] if rest.startswith(":") else ""
        elif item.count(":") == 1:
            host, _, port = item.partition(":")
        else:
            host, port = item, ""
        if port and not port.isdigit():
            raise ValueError(f"invalid port in {item!r}")
        yield host, (int(port) if port else None)


def endpoints_from_url(url: str, source: str) -> list[Endpoint]:
    """The TCP endpoints a service URL names (``postgresql+psycopg2://u:p@db:5432/x`` → ``db:5432``);
    none for file-based (``sqlite:``) or socket-only URLs."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.split("+", 1)[0].lower()
    if not parts.netloc or scheme == "sqlite":
        return []
    found = []
    for host, port in _netloc_hosts(parts.netloc):
        if not host or host.startswith("/"):
            continue
        port = port or SCHEME_PORTS.get(scheme)
        if port is None:
            raise ValueError(f"{source}: no port for {url.split('@')[-1]!r}")
        found.append(Endpoint(normalize_host(host), port, source))
    return found


def parse_endpoints(value: str | None, source: str = PLATFORM_ENV) -> list[Endpoint]:
    """A list of endpoints: comma- or space-separated ``host:port``, ``[v6]:port`` or service URLs
    (``redis://cache.internal:6379``). Raises ValueError on an entry without a port."""
    found: list[Endpoint] = []
    for item in (value or "").replace(",", " ").split():
        if "://" in item:
            found += endpoints_from_url(item, source)
            continue
        pairs = list(_netloc_hosts(item))
        for host, port in pairs:
            if port is None:
                raise ValueError(f"{source}: {item!r} has no port (write host:port)")
            found.append(Endpoint(normalize_host(host), port, source))
    return found


def endpoints_from_dicts(rows: Iterable[Any]) -> list[Endpoint]:
    """Endpoints stored as ``{"host", "port", "source"}`` (a job's copy of the API's list)."""
    found = []
    for row in rows or ():
        try:
            found.append(
                Endpoint(normalize_host(str(row["host"])), int(row["port"]), str(row.get("source", "")))
            )
        except (KeyError, TypeError, ValueError):
            continue
    return found


def _proc_local_addresses() -> set[IPAddress]:
    """This machine's addresses from Linux's /proc (IPv4 local routes, IPv6 interface addresses)."""
    found: set[IPAddress] = set()
    try:
        trie = Path("/proc/net/fib_trie").read_text(encoding="ascii", errors="ignore").splitlines()
        for previous, line in itertools.pairwise(trie):
            if "/32 host LOCAL" in line:
                found.add(ipaddress.IPv4Address(previous.split()[-1]))
    except (OSError, ValueError):
        pass
    try:
        for line in Path("/proc/net/if_inet6").read_text(encoding="ascii").splitlines():
            raw = line.split()[0]
            found.add(ipaddress.IPv6Address(":".join(raw[i : i + 4] for i in range(0, 32, 4))))
    except (OSError, ValueError, IndexError):
        pass
    return found


_LOCAL_ADDRESSES: frozenset[IPAddress] | None = None


def local_addresses() -> frozenset[IPAddress]:
    """Every address of this machine (loopback ranges aside): services listening on all interfaces
    answer on each of them."""
    global _LOCAL_ADDRESSES
    if _LOCAL_ADDRESSES is None:
        found = _proc_local_addresses()
        for name in {socket.gethostname(), socket.getfqdn()}:
            try:
                for info in socket.getaddrinfo(name, None, 0, socket.SOCK_STREAM):
                    found.add(ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]))
            except (OSError, UnicodeError, ValueError):
                continue
        _LOCAL_ADDRESSES = frozenset(canonical_address(a) for a in found)
    return _LOCAL_ADDRESSES


def is_this_machine(address: IPAddress) -> bool:
    """Loopback, unspecified (``0.0.0.0`` connects to this machine) or one of this machine's addresses."""
    address = canonical_address(address)
    return address.is_loopback or address.is_unspecified or address in local_addresses()


class PlatformEndpoints:
    """The platform's own services, refused as targets by address and port whatever the allowlist.

    An endpoint given by name is refused under that name (in any spelling) and at every address the
    name resolves to (looked up again at most every ``ttl`` seconds). An endpoint on this machine
    (loopback, ``0.0.0.0``, or one of its addresses) is refused at every address of this machine on
    its port: a service bound to all interfaces answers on each. ``port=None`` in a check (the
    port is unknown) matches an endpoint on any port.
    """

    def __init__(
        self,
        endpoints: Iterable[Endpoint] = (),
        *,
        resolver: Resolver = socket.getaddrinfo,
        ttl: float = 60.0,
    ) -> None:
        self._endpoints: tuple[Endpoint, ...] = ()  # replaced whole on add: iteration needs no lock
        self._resolved: dict[str, tuple[float, frozenset[IPAddress]]] = {}
        self._lock = threading.Lock()
        self.resolver = resolver
        self.ttl = ttl
        self.add(endpoints)

    def add(self, endpoints: Iterable[Endpoint]) -> None:
        with self._lock:
            known = list(self._endpoints)
            for endpoint in endpoints:
                if not any(e.host == endpoint.host and e.port == endpoint.port for e in known):
                    known.append(endpoint)
            self._endpoints = tuple(known)

    def __iter__(self) -> Iterator[Endpoint]:
        return iter(self._endpoints)

    def __len__(self) -> int:
        return len(self._endpoints)

    @property
    def by_name(self) -> bool:
        """Whether some endpoint is a name to look up (checks may then block on DNS)."""
        return any(parse_ip_literal(e.host) is None and not is_loopback_name(e.host) for e in self)

    def describe(self) -> str:
        return ", ".join(f"{e} ({e.source})" if e.source else str(e) for e in self) or "none"

    def _addresses(self, endpoint: Endpoint) -> frozenset[IPAddress]:
        literal = parse_ip_literal(endpoint.host)
        if literal is not None:
            return frozenset({canonical_address(literal)})
        if is_loopback_name(endpoint.host):
            return frozenset({_LOOPBACK_V4, ipaddress.IPv6Address("::1")})
        now = time.monotonic()
        cached = self._resolved.get(endpoint.host)
        if cached is not None and now - cached[0] < self.ttl:
            return cached[1]
        try:
            infos = self.resolver(endpoint.host, endpoint.port, 0, socket.SOCK_STREAM)
            addresses = frozenset(
                canonical_address(ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])) for info in infos
            )
        except (OSError, UnicodeError, ValueError):
            addresses = frozenset()  # still refused by name; an address is matched once it resolves
        self._resolved[endpoint.host] = (now, addresses)
        return addresses

    def match_address(self, address: IPAddress, port: int | None) -> Endpoint | None:
        target = canonical_address(address)
        here = is_this_machine(target)
        for endpoint in self:
            if port is not None and endpoint.port != port:
                continue
            for known in self._addresses(endpoint):
                if known == target or (here and is_this_machine(known)):
                    return endpoint
        return None

    def match_host(self, host: str, port: int | None) -> Endpoint | None:
        """The endpoint a host as written denotes (its name in any spelling, or an address literal)."""
        try:
            name = normalize_host(host)
        except ValueError:
            return None
        if not self._endpoints:
            return None
        literal = parse_ip_literal(name)
        if literal is not None:
            return self.match_address(literal, port)
        if is_loopback_name(name):
            return self.match_address(_LOOPBACK_V4, port) or self.match_address(
                ipaddress.IPv6Address("::1"), port
            )
        for endpoint in self:
            if endpoint.host == name and (port is None or endpoint.port == port):
                return endpoint
        return None


# --- the policy: the rule as each outbound path applies it ---------------------------------------


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


@dataclass
class NetworkPolicy:
    """The guard for one kind of outbound request: the allowlist that applies to it, the platform's
    services, and the setting named in refusals (so a refusal says how to allow what may be allowed).

    ``host_reason``/``url_reason`` judge a host as written, before any look-up (submission, the
    crawler's first middleware); ``resolve`` looks a name up once and checks every address it has,
    returning the addresses to connect to (never look the name up again: no DNS rebinding).
    """

    allow: tuple[IPNetwork, ...] = ()
    platform: PlatformEndpoints = field(default_factory=PlatformEndpoints)
    setting: str = ALLOW_ENV

    def _platform_reason(self, shown: str) -> str:
        return f"{shown} {PLATFORM_REFUSAL}"

    def address_reason(self, address: IPAddress, port: int | None = None) -> str | None:
        """Why a connection to ``address:port`` is refused; None when it may be made."""
        if self.platform.match_address(address, port) is not None:
            return self._platform_reason(host_with_port(str(address), port))
        reason = refusal_reason(address, self.allow)
        if reason is not None:
            return f"{reason}; to allow it, add its network to {self.setting}"
        return None

    def host_reason(self, host: str, port: int | None) -> str | None:
        """Why ``host:port`` is refused as written (an address in any spelling, a local or loopback
        name, a platform service's name); None when it passes (names are checked when resolved)."""
        try:
            name = normalize_host(host)
        except ValueError:
            return f"{host!r} is not a valid host name"
        if self.platform.match_host(name, port) is not None:
            return self._platform_reason(host_with_port(name, port))
        literal = parse_ip_literal(name)
        if literal is not None:
            return self.address_reason(literal, port)
        if is_loopback_name(name):
            reason = self.address_reason(_LOOPBACK_V4, port)
            return f"{name} is this machine: {reason}" if reason else None
        if is_local_name(name) and not self.allow:
            return f"{name} is a local name; to allow local hosts, add their networks to {self.setting}"
        return None

    def url_reason(self, url: str) -> str | None:
        """Why ``url`` is refused before any look-up: its scheme, or its host as written."""
        try:
            parts = urlsplit(url)
            host = parts.hostname
            port = parts.port
        except ValueError:
            return "malformed URL"
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            return f"only http and https are fetched, not {scheme or 'a URL without scheme'}"
        if not host:
            return "no host"
        return self.host_reason(host, port or _default_port(scheme))

    def resolve(self, host: str, port: int, *, resolver: Resolver = socket.getaddrinfo) -> list[IPAddress]:
        """Resolve ``host`` once and return its addresses, every one checked with ``port``.

        Every address must pass: a name that answers with one public and one private address is
        refused as a whole (a rebinding attacker controls which one a later look-up would pick).
        Raises GuardRefused or ResolutionFailed.
        """
        reason = self.host_reason(host, port)
        if reason is not None:
            raise GuardRefused(host, reason)
        literal = parse_ip_literal(host)
        if literal is not None:
            return [literal]
        addresses = self._lookup(host, port, resolver)
        self.check_addresses(host, addresses, port)
        return addresses

    @staticmethod
    def _lookup(host: str, port: int, resolver: Resolver) -> list[IPAddress]:
        try:
            infos = resolver(host, port, 0, socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            raise ResolutionFailed(f"cannot resolve {host}: {exc}") from exc
        addresses: list[IPAddress] = []
        for info in infos:
            candidate = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
            if candidate not in addresses:
                addresses.append(candidate)
        if not addresses:
            raise ResolutionFailed(f"cannot resolve {host}: no address")
        return addresses

    def check_addresses(self, host: str, addresses: Iterable[IPAddress], port: int | None) -> None:
        """Raise GuardRefused unless every address of ``host`` may be contacted on ``port``."""
        for address in addresses:
            reason = self.address_reason(address, port)
            if reason is not None:
                raise GuardRefused(host, reason)

    def without_platform(self) -> NetworkPolicy:
        """The same allowlist rule, without the platform's services (checked per port elsewhere)."""
        return NetworkPolicy(self.allow, PlatformEndpoints(), self.setting)

    def describe(self) -> str:
        return (
            f"private networks allowed ({self.setting}): {describe_allowlist(self.allow)}; "
            f"never contacted (the platform's own services): {self.platform.describe()}"
        )


def resolve_checked(
    host: str, port: int, allow: Iterable[IPNetwork] = (), *, resolver: Resolver = socket.getaddrinfo
) -> list[IPAddress]:
    """``host`` resolved once, every address checked by the public-address rule and ``allow`` only
    (no platform services, no local-name rule): for callers that add no more, such as the SMTP probe
    of ``crawler.verify``. Raises GuardRefused or ResolutionFailed."""
    literal = parse_ip_literal(host)
    policy = NetworkPolicy(tuple(allow))
    addresses = [literal] if literal is not None else NetworkPolicy._lookup(host, port, resolver)
    for address in addresses:
        reason = refusal_reason(address, policy.allow)
        if reason is not None:
            raise GuardRefused(host, reason)
    return addresses


def checked_pool(scheme: str, address: str, port: int, host: str, timeout: float) -> Any:
    """A urllib3 pool that connects to ``address`` (already checked) while speaking to ``host``.

    HTTPS verifies the certificate and sends SNI for the name, not the address. No retries and no
    redirects: every hop must come back through the guard.
    """
    import ssl

    import urllib3

    kwargs: dict[str, Any] = {
        "timeout": urllib3.Timeout(connect=timeout, read=timeout),
        "retries": False,
        "maxsize": 1,
    }
    if scheme == "https":
        return urllib3.HTTPSConnectionPool(
            address,
            port,
            ssl_context=ssl.create_default_context(),
            server_hostname=host,
            assert_hostname=host,
            **kwargs,
        )
    return urllib3.HTTPConnectionPool(address, port, **kwargs)
