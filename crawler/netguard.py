"""Outbound network guard: resolve a host once and refuse every address outside the public internet."""

from __future__ import annotations

import ipaddress
import os
import re
import socket
from collections.abc import Callable, Iterable
from typing import Any

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[..., list[tuple[Any, ...]]]

ALLOW_ENV = "LEADSCRAPER_ALLOW_PRIVATE_NETWORKS"
# Operators who set the variable to a yes-word (the API's older boolean form) allow every network.
_ALLOW_ALL_WORDS = {"1", "true", "yes", "all", "*"}
_ALL_NETWORKS: tuple[IPNetwork, ...] = (
    ipaddress.ip_network("0.0.0.0/0"),
    ipaddress.ip_network("::/0"),
)
# inet_aton's legacy numeric forms: 2130706433, 0x7f000001, 0177.0.0.1, 127.1.
_NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]+|[0-9]+)(\.(0x[0-9a-f]+|[0-9]+)){0,3}\.?$", re.IGNORECASE)
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_SIX_TO_FOUR = ipaddress.ip_network("2002::/16")
_TEREDO = ipaddress.ip_network("2001::/32")


class NetworkGuardError(Exception):
    """Raised when a host cannot be resolved, or resolves to an address the guard refuses."""


def parse_allowlist(value: str | None) -> tuple[IPNetwork, ...]:
    """``LEADSCRAPER_ALLOW_PRIVATE_NETWORKS``: comma-separated CIDRs (a bare address is a /32 or /128).

    Raises ValueError on a malformed entry, so a typo never silently opens (or closes) a network.
    """
    if not value or not value.strip():
        return ()
    if value.strip().lower() in _ALLOW_ALL_WORDS:
        return _ALL_NETWORKS
    return tuple(
        ipaddress.ip_network(part.strip(), strict=False) for part in value.split(",") if part.strip()
    )


def allowlist_from_env() -> tuple[IPNetwork, ...]:
    return parse_allowlist(os.environ.get(ALLOW_ENV))


def parse_ip_literal(host: str) -> IPAddress | None:
    """The address a host string denotes by itself (no DNS), in any form a resolver would accept.

    Covers dotted quads, IPv6 (bracketed or not, with a zone), and inet_aton's decimal, octal, hex
    and short forms that ``getaddrinfo`` also turns into addresses.
    """
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


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if any(address in net for net in _NAT64):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address in _SIX_TO_FOUR:
        return address.sixtofour
    return None


def refusal_reason(address: IPAddress, allow: Iterable[IPNetwork] = ()) -> str | None:
    """Why ``address`` must not be contacted, or None when it may be (public, or allowlisted)."""
    allowed = tuple(allow)
    if any(address.version == net.version and address in net for net in allowed):
        return None
    if isinstance(address, ipaddress.IPv6Address):
        if address in _TEREDO:
            return f"{address} is a Teredo tunnel address"
        inner = _embedded_ipv4(address)
        if inner is not None:
            reason = refusal_reason(inner, allowed)
            return f"{address} embeds {inner}: {reason}" if reason else None
    if not address.is_global or address.is_multicast:
        return f"{address} is not a public address ({_kind(address)})"
    return None


def _kind(address: IPAddress) -> str:
    for attr in ("is_loopback", "is_link_local", "is_private", "is_unspecified", "is_reserved"):
        if getattr(address, attr):
            return attr[3:].replace("_", "-")
    if isinstance(address, ipaddress.IPv4Address) and address in ipaddress.ip_network("100.64.0.0/10"):
        return "shared address space"
    return "not globally routable"


def is_public(address: IPAddress) -> bool:
    return refusal_reason(address) is None


def resolve_checked(
    host: str,
    port: int,
    allow: Iterable[IPNetwork] = (),
    *,
    resolver: Resolver = socket.getaddrinfo,
) -> list[IPAddress]:
    """Resolve ``host`` once and return its addresses, all checked; connect to these, never re-resolve.

    Every address must pass: a name that answers with one public and one private address is refused
    as a whole (a rebinding attacker controls which one a later lookup would pick).
    """
    allowed = tuple(allow)
    literal = parse_ip_literal(host)
    if literal is not None:
        addresses: list[IPAddress] = [literal]
    else:
        try:
            infos = resolver(host, port, 0, socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            raise NetworkGuardError(f"cannot resolve {host}: {exc}") from exc
        addresses = []
        for info in infos:
            candidate = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
            if candidate not in addresses:
                addresses.append(candidate)
        if not addresses:
            raise NetworkGuardError(f"cannot resolve {host}: no address")
    for address in addresses:
        reason = refusal_reason(address, allowed)
        if reason is not None:
            raise NetworkGuardError(f"refused {host}: {reason}")
    return addresses


def refusal_url_reason(url: str, allow: Iterable[IPNetwork] = ()) -> str | None:
    """Why a URL must not be fetched before any look-up: its scheme, or a host that is an address.

    Host names pass here; their addresses are checked when they are resolved.
    """
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return "malformed URL"
    if parts.scheme not in ("http", "https"):
        return f"only http and https are fetched, not {parts.scheme or 'a URL without scheme'}"
    if not host:
        return "no host"
    literal = parse_ip_literal(host)
    if literal is not None:
        return refusal_reason(literal, allow)
    return None


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
