"""Fixtures for the verification tests: the loopback DNS and SMTP servers, and verifiers aimed at them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from crawler.netguard import parse_allowlist
from crawler.verify import Verifier, VerifierConfig
from tests.verify.servers import MailServers

# The tests' own guard allowlist: the SMTP server and the silent hosts, but not 127.0.0.2, which
# stands for an intranet mail host that the guard must refuse.
ALLOW = parse_allowlist("127.0.0.1/32,127.0.0.3/32,127.0.0.4/31,127.0.0.6/32")
HELO = "probe.leadscraper.test"
MAIL_FROM = "verify@leadscraper.example"


@pytest.fixture(scope="session")
def mail_servers() -> Iterator[MailServers]:
    servers = MailServers()
    try:
        yield servers
    finally:
        servers.close()


@pytest.fixture
def servers(mail_servers: MailServers) -> MailServers:
    """The servers, with their logs and counters cleared for this test."""
    mail_servers.reset()
    return mail_servers


@pytest.fixture
def make_verifier(servers: MailServers) -> Callable[..., Verifier]:
    """A verifier that asks only the loopback servers; keyword arguments override its settings."""

    def make(*, clock: Any = None, sleep: Any = None, **overrides: Any) -> Verifier:
        settings: dict[str, Any] = {
            "nameservers": ("127.0.0.1",),
            "dns_port": servers.dns_port,
            "smtp_probe": True,
            "smtp_port": servers.smtp_port,
            "helo_name": HELO,
            "mail_from": MAIL_FROM,
            "connect_timeout": 2.0,
            "budget_seconds": 10.0,
            "max_probes_per_host_per_second": 1000.0,
            "allowlist": ALLOW,
        }
        settings.update(overrides)
        extra: dict[str, Any] = {}
        if clock is not None:
            extra["clock"] = clock
        if sleep is not None:
            extra["sleep"] = sleep
        return Verifier(VerifierConfig(**settings), **extra)

    return make
