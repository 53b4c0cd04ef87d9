"""The outbound network guard: every non-public address form refused, the allowlist honoured, the
platform's own services refused by address and port in every spelling, and one spelling per host."""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

import pytest

from crawler.netguard import (
    PLATFORM_REFUSAL,
    Endpoint,
    GuardRefused,
    NetworkPolicy,
    PlatformEndpoints,
    ResolutionFailed,
    embedded_ipv4,
    endpoints_from_url,
    normalize_host,
    normalize_url,
    parse_allowlist,
    parse_endpoints,
    parse_ip_literal,
    refusal_reason,
)

REFUSED = [
    "127.0.0.1",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",  # cloud metadata
    "0.0.0.0",
    "100.64.0.1",  # carrier-grade NAT
    "198.18.0.1",  # benchmarking
    "240.0.0.1",  # reserved
    "224.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fd12:3456::1",  # ULA
    "fe80::1",
    "fec0::1",  # site-local (deprecated, still routed by some stacks)
    "fec0:1234::127.0.0.1",
    "ff02::1",  # multicast
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::ffff:169.254.169.254",
    "::127.0.0.2",  # IPv4-compatible
    "::a00:1",  # IPv4-compatible 10.0.0.1
    "::ffff:0:7f00:2",  # IPv4-translated 127.0.0.2
    "::ffff:0:a9fe:a9fe",  # IPv4-translated metadata
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    "64:ff9b:1::808:808",  # local-use NAT64
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
    "2001:db8::1",  # documentation
    "3fff::1",  # documentation (2024)
    "5f00::1",  # segment routing, outside global unicast
    "100::1",  # discard
    "2130706433",  # decimal 127.0.0.1
    "0x7f000001",  # hex
    "0177.0.0.1",  # octal
    "127.1",  # short
    "0x7f.1",
    "[::1]",
    "[::127.0.0.2]",
    "[::ffff:0:7f00:2]",
]
PUBLIC = [
    "8.8.8.8",
    "93.184.216.34",
    "2606:4700:4700::1111",
    "64:ff9b::808:808",  # NAT64 of a public address
    "2002:808:808::1",  # 6to4 of a public address
    "::ffff:8.8.8.8",
]


@pytest.mark.parametrize("host", REFUSED)
def test_non_public_forms_are_refused(host: str) -> None:
    address = parse_ip_literal(host)
    assert address is not None, host
    assert refusal_reason(address) is not None
    with pytest.raises(GuardRefused):
        NetworkPolicy().resolve(host, 443)


@pytest.mark.parametrize("host", PUBLIC)
def test_public_addresses_pass(host: str) -> None:
    address = parse_ip_literal(host)
    assert address is not None and refusal_reason(address) is None
    assert NetworkPolicy().resolve(host, 443) == [address]


@pytest.mark.parametrize(
    ("form", "inner"),
    [
        ("::ffff:127.0.0.2", "127.0.0.2"),
        ("::127.0.0.2", "127.0.0.2"),
        ("::ffff:0:7f00:2", "127.0.0.2"),
        ("64:ff9b::7f00:2", "127.0.0.2"),
        ("2002:7f00:2::", "127.0.0.2"),
        ("2001:0:4136:e378:8000:63bf:80ff:fffd", "127.0.0.2"),  # Teredo: the client, inverted
    ],
)
def test_every_embedded_ipv4_form_is_read_as_its_ipv4(form: str, inner: str) -> None:
    assert embedded_ipv4(ipaddress.IPv6Address(form)) == ipaddress.IPv4Address(inner)


def test_numeric_forms_normalise_to_loopback() -> None:
    for host in ("2130706433", "0x7f000001", "0177.0.0.1", "127.1"):
        assert parse_ip_literal(host) == ipaddress.ip_address("127.0.0.1")
    assert parse_ip_literal("acme-robotics.com") is None
    assert parse_ip_literal("cafe.be") is None


def test_allowlist_opens_only_its_networks() -> None:
    allow = parse_allowlist("127.0.0.1/32")
    assert refusal_reason(ipaddress.ip_address("127.0.0.1"), allow) is None
    assert refusal_reason(ipaddress.ip_address("::ffff:127.0.0.1"), allow) is None
    assert refusal_reason(ipaddress.ip_address("127.0.0.2"), allow) is not None
    assert refusal_reason(ipaddress.ip_address("::127.0.0.2"), allow) is not None
    assert refusal_reason(ipaddress.ip_address("::ffff:0:7f00:2"), allow) is not None
    assert refusal_reason(ipaddress.ip_address("10.0.0.1"), allow) is not None
    assert refusal_reason(ipaddress.ip_address("::1"), allow) is not None
    assert parse_allowlist("") == ()
    assert len(parse_allowlist("10.0.0.0/8, fd00::/8")) == 2
    assert parse_allowlist("true") == parse_allowlist("1")  # the older boolean form: everything
    with pytest.raises(ValueError):
        parse_allowlist("10.0.0.0/33")


def test_a_refusal_names_the_setting_that_allows_it() -> None:
    reason = NetworkPolicy().host_reason("127.0.0.1", 8190)
    assert reason is not None and "LEADSCRAPER_ALLOW_PRIVATE_NETWORKS" in reason
    hooks = NetworkPolicy(setting="LEADSCRAPER_WEBHOOK_ALLOW_PRIVATE_NETWORKS").host_reason("10.0.0.1", 80)
    assert hooks is not None and "LEADSCRAPER_WEBHOOK_ALLOW_PRIVATE_NETWORKS" in hooks


def _resolver(*answers: str) -> Any:
    def resolve(host: str, port: int, *_: Any) -> list[tuple[Any, ...]]:
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
            for a in answers
        ]

    return resolve


def test_a_name_is_resolved_once_and_every_address_checked() -> None:
    policy = NetworkPolicy()
    assert policy.resolve("hooks.acme.test", 443, resolver=_resolver("93.184.216.34")) == [
        ipaddress.ip_address("93.184.216.34")
    ]
    # One public and one private answer: refused as a whole (DNS rebinding picks the other later).
    with pytest.raises(GuardRefused, match=r"169\.254\.169\.254"):
        policy.resolve("rebind.acme.test", 443, resolver=_resolver("93.184.216.34", "169.254.169.254"))
    with pytest.raises(GuardRefused):
        policy.resolve("v6.acme.test", 443, resolver=_resolver("fe80::1%eth0"))
    with pytest.raises(GuardRefused):
        policy.resolve("compat.acme.test", 443, resolver=_resolver("::127.0.0.2"))


def test_unresolvable_names_are_refused() -> None:
    def fail(*_: Any) -> Any:
        raise socket.gaierror("Name or service not known")

    with pytest.raises(ResolutionFailed, match="cannot resolve"):
        NetworkPolicy().resolve("nowhere.invalid", 443, resolver=fail)


# --- the platform's own services -------------------------------------------------------------------

SERVICES = "127.0.0.1:6800, postgresql+psycopg2://u:secret@127.0.0.1:5432/leads, redis://localhost:6379/0"


@pytest.fixture
def policy() -> NetworkPolicy:
    """127.0.0.1 allowed (a local receiver or site), with scrapyd, PostgreSQL and Redis on it."""
    return NetworkPolicy(parse_allowlist("127.0.0.1/32"), PlatformEndpoints(parse_endpoints(SERVICES)))


@pytest.mark.parametrize(
    ("host", "port"),
    [
        ("127.0.0.1", 6800),
        ("2130706433", 6800),
        ("0x7f000001", 5432),
        ("127.1", 6379),
        ("[::ffff:127.0.0.1]", 6800),
        ("[::ffff:0:7f00:1]", 6800),
        ("[::127.0.0.1]", 6800),
        ("[64:ff9b::7f00:1]", 5432),
        ("localhost", 6800),
        ("LocalHost.", 5432),
        ("scrapyd.localhost", 6800),
        ("127.0.0.2", 6800),  # another loopback address: a service on all interfaces answers there too
        ("0.0.0.0", 6379),  # connecting to 0.0.0.0 reaches this machine
        ("[::1]", 6800),
    ],
)
def test_platform_services_are_refused_in_every_spelling_whatever_the_allowlist(
    policy: NetworkPolicy, host: str, port: int
) -> None:
    reason = policy.host_reason(host, port)
    assert reason is not None and PLATFORM_REFUSAL in reason
    # and at connect time, for names that resolve to them
    with pytest.raises(GuardRefused, match="own services"):
        policy.resolve("tenant.example", port, resolver=_resolver("127.0.0.1"))


def test_other_ports_of_an_allowed_address_stay_open(policy: NetworkPolicy) -> None:
    assert policy.host_reason("127.0.0.1", 8190) is None
    assert policy.resolve("site.example", 8190, resolver=_resolver("127.0.0.1")) == [
        ipaddress.ip_address("127.0.0.1")
    ]
    assert policy.host_reason("localhost", 8190) is None


def test_a_named_service_is_refused_by_name_and_by_its_addresses() -> None:
    platform = PlatformEndpoints(
        [Endpoint("crawl1.internal", 6800, "SCRAPYD_URLS")], resolver=_resolver("10.0.0.7")
    )
    policy = NetworkPolicy(parse_allowlist("10.0.0.0/8"), platform)
    for host in ("crawl1.internal", "CRAWL1.internal.", "10.0.0.7", "167772167", "[::ffff:10.0.0.7]"):
        reason = policy.host_reason(host, 6800)
        assert reason is not None and PLATFORM_REFUSAL in reason, host
    with pytest.raises(GuardRefused):
        policy.resolve("alias.tenant.example", 6800, resolver=_resolver("10.0.0.7"))
    assert policy.host_reason("10.0.0.7", 8080) is None  # the node's other ports are not scrapyd


def test_service_urls_name_their_endpoints() -> None:
    assert [str(e) for e in endpoints_from_url("postgresql://app@db.internal/leads", "DATABASE_URL")] == [
        "db.internal:5432"
    ]
    assert endpoints_from_url("sqlite:////srv/leads.db", "DATABASE_URL") == []
    assert [str(e) for e in endpoints_from_url("postgresql://u@h1:5433,h2/x", "DATABASE_URL")] == [
        "h1:5433",
        "h2:5432",
    ]
    assert [str(e) for e in endpoints_from_url("http://u:p@[::1]:6800", "SCRAPYD_URLS")] == ["[::1]:6800"]
    assert [str(e) for e in parse_endpoints("api.internal:8000 rediss://cache:6380")] == [
        "api.internal:8000",
        "cache:6380",
    ]
    with pytest.raises(ValueError, match="no port"):
        parse_endpoints("api.internal")


def test_local_names_need_an_allowlist() -> None:
    for host in ("printer.local", "db.internal", "intranet", "nas.home.arpa", "localhost"):
        assert NetworkPolicy().host_reason(host, 80) is not None, host
    allowed = NetworkPolicy(parse_allowlist("10.0.0.0/8"))
    assert allowed.host_reason("printer.local", 80) is None  # its addresses are checked when resolved
    assert allowed.host_reason("localhost", 80) is not None  # 127.0.0.1 is not in 10.0.0.0/8


# --- one spelling per host -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "normalized"),
    [
        ("http://2130706433:8190/", "http://127.0.0.1:8190/"),
        ("http://0x7f000001:8190/team", "http://127.0.0.1:8190/team"),
        ("http://0177.0.0.1:8190", "http://127.0.0.1:8190/"),
        ("http://127.1:8190/?a=1", "http://127.0.0.1:8190/?a=1"),
        ("http://[::ffff:127.0.0.1]:8190/", "http://127.0.0.1:8190/"),
        ("HTTPS://WWW.Acme-Robotics.COM./Contact", "https://www.acme-robotics.com/Contact"),
        ("https://acme-robotics.com:443/", "https://acme-robotics.com/"),
        ("http://acme-robotics.com:80/x", "http://acme-robotics.com/x"),
        ("http://acme-robotics.com:8080/x", "http://acme-robotics.com:8080/x"),
        ("https://Bücher.de/über-uns", "https://xn--bcher-kva.de/über-uns"),
        ("http://[2001:DB8::0:1]:8080/", "http://[2001:db8::1]:8080/"),
    ],
)
def test_urls_are_written_one_way(url: str, normalized: str) -> None:
    assert normalize_url(url) == normalized


def test_host_spellings_collapse() -> None:
    assert normalize_host("2130706433") == normalize_host("127.0.0.1") == "127.0.0.1"
    assert normalize_host("MÜLLER-maschinenbau.DE.") == normalize_host("müller-maschinenbau.de")
    assert normalize_host("müller-maschinenbau.de") == "müller-maschinenbau.de".encode("idna").decode()
    with pytest.raises(ValueError):
        normalize_host("acme..com")
