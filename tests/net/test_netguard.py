"""The outbound network guard refuses every non-public address form, and honours the allowlist."""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

import pytest

from crawler.netguard import (
    NetworkGuardError,
    parse_allowlist,
    parse_ip_literal,
    refusal_reason,
    resolve_checked,
)

REFUSED = [
    "127.0.0.1",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",  # cloud metadata
    "0.0.0.0",
    "100.64.0.1",  # carrier-grade NAT
    "224.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fd12:3456::1",  # ULA
    "fe80::1",
    "::ffff:127.0.0.1",
    "::ffff:169.254.169.254",
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
    "2130706433",  # decimal 127.0.0.1
    "0x7f000001",  # hex
    "0177.0.0.1",  # octal
    "127.1",  # short
    "0x7f.1",
    "[::1]",
]
PUBLIC = ["8.8.8.8", "93.184.216.34", "2606:4700:4700::1111", "64:ff9b::808:808", "2002:808:808::1"]


@pytest.mark.parametrize("host", REFUSED)
def test_non_public_forms_are_refused(host: str) -> None:
    address = parse_ip_literal(host)
    assert address is not None, host
    assert refusal_reason(address) is not None
    with pytest.raises(NetworkGuardError):
        resolve_checked(host, 443)


@pytest.mark.parametrize("host", PUBLIC)
def test_public_addresses_pass(host: str) -> None:
    address = parse_ip_literal(host)
    assert address is not None and refusal_reason(address) is None
    assert resolve_checked(host, 443) == [address]


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
    assert refusal_reason(ipaddress.ip_address("10.0.0.1"), allow) is not None
    assert refusal_reason(ipaddress.ip_address("::1"), allow) is not None
    assert parse_allowlist("") == ()
    assert len(parse_allowlist("10.0.0.0/8, fd00::/8")) == 2
    assert parse_allowlist("true") == parse_allowlist("1")  # the older boolean form: everything
    with pytest.raises(ValueError):
        parse_allowlist("10.0.0.0/33")


def _resolver(*answers: str) -> Any:
    def resolve(host: str, port: int, *_: Any) -> list[tuple[Any, ...]]:
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
            for a in answers
        ]

    return resolve


def test_a_name_is_resolved_once_and_every_address_checked() -> None:
    assert resolve_checked("hooks.acme.test", 443, resolver=_resolver("93.184.216.34")) == [
        ipaddress.ip_address("93.184.216.34")
    ]
    # One public and one private answer: refused as a whole (DNS rebinding picks the other later).
    with pytest.raises(NetworkGuardError, match=r"169\.254\.169\.254"):
        resolve_checked("rebind.acme.test", 443, resolver=_resolver("93.184.216.34", "169.254.169.254"))
    with pytest.raises(NetworkGuardError):
        resolve_checked("v6.acme.test", 443, resolver=_resolver("fe80::1%eth0"))


def test_unresolvable_names_are_refused() -> None:
    def fail(*_: Any) -> Any:
        raise socket.gaierror("Name or service not known")

    with pytest.raises(NetworkGuardError, match="cannot resolve"):
        resolve_checked("nowhere.invalid", 443, resolver=fail)
