"""Verification against real DNS and SMTP servers on loopback: every status, every check's answer."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from crawler.netguard import Endpoint
from crawler.verify import Answer, CheckName, EmailStatus, Verifier, VerifierConfig, guess_email
from tests.verify.conftest import ALLOW, HELO, MAIL_FROM
from tests.verify.servers import MailServers

pytestmark = pytest.mark.net

MakeVerifier = Callable[..., Verifier]


def answers(result: Any) -> dict[str, str]:
    return {check.check.value: check.result.value for check in result.checks}


# --- deliverable ----------------------------------------------------------------------------


def test_an_accepted_mailbox_on_a_domain_that_rejects_made_up_ones_is_deliverable(
    servers: MailServers, make_verifier: MakeVerifier
) -> None:
    result = make_verifier().verify("Anna.Schmidt@ACME.example")

    assert result.status is EmailStatus.DELIVERABLE
    assert result.email == "anna.schmidt@acme.example"
    assert answers(result) == {
        "syntax": "valid",
        "dns": "mx",
        "disposable": "no",
        "role": "no",
        "smtp": "accepted",
        "catch_all": "no",
    }
    assert result.detail(CheckName.DNS) == "MX mx.acme.example (10) → 127.0.0.1"
    assert "RCPT TO:<anna.schmidt@acme.example> 250 2.1.5 Ok" in (result.detail(CheckName.SMTP) or "")
    assert " 550 5.1.1 " in (result.detail(CheckName.CATCH_ALL) or "")
    assert result.catch_all is False
    assert result.mail_host == "mx.acme.example"
    assert result.verified_at.tzinfo is UTC
    # the server saw one session that introduced itself as configured, two recipients, no message
    assert servers.smtp.connections == 1
    assert servers.smtp.helo == [HELO]
    assert servers.smtp.mail_from == [MAIL_FROM]
    assert servers.smtp.rcpt[0][0] == "anna.schmidt@acme.example"
    assert len(servers.smtp.rcpt) == 2
    assert servers.smtp.data == 0


def test_the_result_serializes_to_the_stored_shape(servers: MailServers, make_verifier: MakeVerifier) -> None:
    fixed = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
    verifier = Verifier(make_verifier().config, now=lambda: fixed)

    data = verifier.verify("jonas.weber@acme.example").to_dict()

    assert data["email_status"] == "deliverable"
    assert data["verified_at"] == "2025-03-01T12:00:00+00:00"
    assert [c["check"] for c in data["email_checks"]] == [
        "syntax",
        "dns",
        "disposable",
        "role",
        "smtp",
        "catch_all",
    ]
    assert {c["result"] for c in data["email_checks"]} == {"valid", "mx", "no", "accepted"}
    assert all(set(c) == {"check", "result", "detail"} for c in data["email_checks"])
    assert (data["role"], data["disposable"], data["catch_all"]) == (False, False, False)


def test_a_role_mailbox_is_flagged_not_downgraded(servers: MailServers, make_verifier: MakeVerifier) -> None:
    result = make_verifier().verify("info@acme.example")

    assert result.status is EmailStatus.DELIVERABLE
    assert result.role is True
    assert result.answer(CheckName.ROLE) is Answer.YES


def test_a_domain_without_mx_receives_mail_on_its_own_address(
    servers: MailServers, make_verifier: MakeVerifier
) -> None:
    result = make_verifier().verify("paul.meyer@a-only.example")

    assert result.status is EmailStatus.DELIVERABLE
    assert result.answer(CheckName.DNS) is Answer.A_FALLBACK
    assert result.mail_host == "a-only.example"
    assert servers.resolver.queries[("a-only.example", "MX")] == 1
    assert servers.resolver.queries[("a-only.example", "A")] == 1


def test_mx_hosts_are_tried_by_preference_and_the_next_only_when_one_is_down(
    servers: MailServers, make_verifier: MakeVerifier
) -> None:
    result = make_verifier().verify("eva.roth@backup.example")

    assert result.status is EmailStatus.DELIVERABLE
    assert result.mail_host == "mx2.backup.example"
    detail = result.detail(CheckName.SMTP) or ""
    assert detail.startswith("mx1.backup.example: [127.0.0.6] ")  # tried first (preference 10), refused
    assert "mx2.backup.example [127.0.0.1]: RCPT TO:<eva.roth@backup.example> 250" in detail
    assert servers.smtp.connections == 1


# --- undeliverable --------------------------------------------------------------------------


def test_bad_syntax_is_undeliverable_and_asks_nobody(
    servers: MailServers, make_verifier: MakeVerifier
) -> None:
    result = make_verifier().verify("anna.schmidt@@acme.example")

    assert result.status is EmailStatus.UNDELIVERABLE
    assert answers(result) == {"syntax": "invalid"}
    assert "@" in (result.detail(CheckName.SYNTAX) or "")
    assert sum(servers.resolver.queries.values()) == 0
    assert servers.smtp.connections == 0


@pytest.mark.parametrize(
    ("address", "dns", "detail"),
    [
        ("anna@nowhere.example", "nxdomain", "nowhere.example does not exist (NXDOMAIN)"),
        ("anna@nullmx.example", "null_mx", "nullmx.example publishes a null MX: it accepts no mail"),
        ("anna@nomail.example", "no_mail_host", "no MX, and nomail.example has no A or AAAA record"),
        (
            "anna@dangling.example",
            "no_mail_host",
            "no MX host has an address: mx.gone.example (10) → mx.gone.example does not exist (NXDOMAIN)",
        ),
    ],
)
def test_a_domain_that_takes_no_mail_is_undeliverable(
    servers: MailServers, make_verifier: MakeVerifier, address: str, dns: str, detail: str
) -> None:
    result = make_verifier().verify(address)

    assert result.status is EmailStatus.UNDELIVERABLE
    assert answers(result)["dns"] == dns
    assert result.detail(CheckName.DNS) == detail
    assert answers(result)["smtp"] == "skipped"
    assert servers.smtp.connections == 0


def test_a_rejected_mailbox_is_undeliverable(servers: MailServers, make_verifier: MakeVerifier) -> None:
    result = make_verifier().verify("max.unbekannt@acme.example")

    assert result.status is EmailStatus.UNDELIVERABLE
    assert answers(result)["smtp"] == "rejected"
    assert answers(result)["catch_all"] == "skipped"
    assert "RCPT TO:<max.unbekannt@acme.example> 550 5.1.1" in (result.detail(CheckName.SMTP) or "")
    assert len(servers.smtp.rcpt) == 1  # no catch-all test after a rejection


# --- risky ----------------------------------------------------------------------------------


def test_a_catch_all_domain_is_risky_and_tested_once_per_job(
    servers: MailServers, make_verifier: MakeVerifier
) -> None:
    verifier = make_verifier()

    first = verifier.verify("jemand@catchall.example")
    second = verifier.verify("niemand@catchall.example")

    assert first.status is EmailStatus.RISKY
    assert answers(first)["smtp"] == "accepted"
    assert answers(first)["catch_all"] == "yes"
    assert first.catch_all is True
    assert second.status is EmailStatus.RISKY
    assert answers(second)["smtp"] == "skipped"  # nothing more to learn from a domain that takes all
    assert answers(second)["catch_all"] == "yes"
    assert (second.detail(CheckName.CATCH_ALL) or "").endswith("(earlier in this job)")
    assert servers.smtp.connections == 1
    assert len(servers.smtp.rcpt_to("catchall.example")) == 2


def test_a_full_mailbox_is_risky(servers: MailServers, make_verifier: MakeVerifier) -> None:
    result = make_verifier().verify("voll@acme.example")

    assert result.status is EmailStatus.RISKY
    assert answers(result)["smtp"] == "mailbox_full"
    assert "452 4.2.2" in (result.detail(CheckName.SMTP) or "")


def test_a_greylisted_mailbox_is_risky(servers: MailServers, make_verifier: MakeVerifier) -> None:
    result = make_verifier().verify("lea@grey.example")

    assert result.status is EmailStatus.RISKY
    assert answers(result)["smtp"] == "greylisted"
    assert "450 4.2.0" in (result.detail(CheckName.SMTP) or "")
    assert servers.smtp.connections == 1  # no retry unless configured


def test_one_retry_after_greylisting_settles_it_when_the_budget_allows(
    servers: MailServers, make_verifier: MakeVerifier
) -> None:
    waits: list[float] = []
    verifier = make_verifier(greylist_retry_delay=0.05, sleep=waits.append)

    result = verifier.verify("paul.weber@grey-once.example")

    assert result.status is EmailStatus.DELIVERABLE
    assert "greylisted at first, retried after 0.05 s" in (result.detail(CheckName.SMTP) or "")
    assert waits == [0.05]
    assert answers(result)["catch_all"] == "no"
    assert servers.smtp.connections == 2
    # both sessions ask for the same made-up mailbox, so its greylisting clock has run out too
    rcpt = [r for r, _ in servers.smtp.rcpt]
    assert rcpt[0] == rcpt[2] == "paul.weber@grey-once.example"
    assert rcpt[1] == rcpt[3] != rcpt[0]
    assert [reply for _, reply in servers.smtp.rcpt] == ["450", "450", "250", "550"]


def test_a_disposable_provider_is_risky_and_not_probed(
    servers: MailServers, make_verifier: MakeVerifier
) -> None:
    result = make_verifier().verify("wegwerf@mailinator.com")

    assert result.status is EmailStatus.RISKY
    assert result.disposable is True
    assert answers(result)["disposable"] == "yes"
    assert answers(result)["dns"] == "mx"
    assert answers(result)["smtp"] == "skipped"
    assert servers.smtp.connections == 0


def test_operators_can_add_disposable_domains(servers: MailServers, make_verifier: MakeVerifier) -> None:
    verifier = Verifier(make_verifier().config, extra_disposable=["ACME.example"])

    assert verifier.verify("anna.schmidt@acme.example").status is EmailStatus.RISKY
    assert make_verifier().verify("anna.schmidt@acme.example").status is EmailStatus.DELIVERABLE


def test_accepted_without_a_clean_catch_all_answer_is_risky(
    servers: MailServers, make_verifier: MakeVerifier
) -> None:
    result = make_verifier().verify("mia.wolf@random-grey.example")

    assert result.status is EmailStatus.RISKY
    assert answers(result)["smtp"] == "accepted"
    assert answers(result)["catch_all"] == "undetermined"
    assert result.catch_all is None


# --- unknown --------------------------------------------------------------------------------


def test_with_probing_off_a_domain_that_takes_mail_is_unknown_and_no_smtp_connection_is_made(
    servers: MailServers, make_verifier: MakeVerifier
) -> None:
    verifier = make_verifier(smtp_probe=False)

    results = verifier.verify_many(
        ["anna.schmidt@acme.example", "jemand@catchall.example", "x@nowhere.example"]
    )

    assert [r.status for r in results] == [
        EmailStatus.UNKNOWN,
        EmailStatus.UNKNOWN,
        EmailStatus.UNDELIVERABLE,
    ]
    assert answers(results[0])["dns"] == "mx"
    assert answers(results[0])["smtp"] == "skipped"
    assert results[0].detail(CheckName.SMTP) == "SMTP probing is off (LEADSCRAPER_SMTP_PROBE=1 turns it on)"
    assert servers.resolver.queries[("acme.example", "MX")] == 1
    assert servers.smtp.connections == 0
    assert verifier.stats["smtp_connections"] == 0


def test_with_default_settings_nothing_connects_to_port_25(
    servers: MailServers, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The defaults (probing off, port 25) only ever talk DNS: every connect and datagram that the
    verifying thread sends is recorded (the servers' own replies come from their threads)."""
    me = threading.get_ident()
    targets: list[Any] = []
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_sendto = socket.socket.sendto

    def record(address: Any) -> None:
        if threading.get_ident() == me:
            targets.append(address)

    def connect(self: socket.socket, address: Any) -> Any:
        record(address)
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> Any:
        record(address)
        return real_connect_ex(self, address)

    def sendto(self: socket.socket, data: bytes, *args: Any) -> Any:
        record(args[-1])
        return real_sendto(self, data, *args)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket.socket, "sendto", sendto)
    config = VerifierConfig(nameservers=("127.0.0.1",), dns_port=servers.dns_port)
    assert config.smtp_probe is False
    assert config.smtp_port == 25

    results = Verifier(config).verify_many(
        ["anna.schmidt@acme.example", "eva.roth@backup.example", "jemand@catchall.example"]
    )

    assert [r.status for r in results] == [EmailStatus.UNKNOWN] * 3
    assert servers.resolver.queries[("acme.example", "MX")] == 1
    assert ("127.0.0.1", servers.dns_port) in {tuple(t[:2]) for t in targets}  # the recorder sees DNS
    assert {tuple(t[:2]) for t in targets} == {("127.0.0.1", servers.dns_port)}  # and nothing else
    assert servers.smtp.connections == 0


def test_a_failing_dns_answer_is_unknown(servers: MailServers, make_verifier: MakeVerifier) -> None:
    result = make_verifier().verify("anna@servfail.example")

    assert result.status is EmailStatus.UNKNOWN
    assert answers(result)["dns"] == "error"
    assert result.detail(CheckName.DNS) == (
        "MX look-up of servfail.example failed: no server answered (SERVFAIL or refused)"
    )
    assert servers.smtp.connections == 0


def test_a_server_refusing_the_prober_is_unknown_not_undeliverable(
    servers: MailServers, make_verifier: MakeVerifier
) -> None:
    result = make_verifier().verify("anna@policy.example")

    assert result.status is EmailStatus.UNKNOWN
    assert answers(result)["smtp"] == "inconclusive"
    assert "550 5.7.1" in (result.detail(CheckName.SMTP) or "")


def test_a_mail_host_on_a_non_public_address_is_never_contacted(
    servers: MailServers, make_verifier: MakeVerifier
) -> None:
    result = make_verifier().verify("anna@intranet.example")

    assert result.status is EmailStatus.UNKNOWN
    assert answers(result)["smtp"] == "refused"
    assert result.detail(CheckName.SMTP) == (
        "refused mx.intranet.example: 127.0.0.2 is not a public address (loopback); "
        "to allow it, add its network to LEADSCRAPER_ALLOW_PRIVATE_NETWORKS"
    )
    assert servers.silent[2].accepted == 0
    assert servers.smtp.connections == 0


def test_a_mail_host_that_is_one_of_the_platforms_own_services_is_never_probed(
    servers: MailServers, make_verifier: MakeVerifier
) -> None:
    # The SMTP server's address and port, named as a platform service (say, the API bound there):
    # the allowlist lets 127.0.0.1 in, the platform rule keeps the probe out all the same.
    service = Endpoint("127.0.0.1", servers.smtp_port, "LEADSCRAPER_PLATFORM_ENDPOINTS")
    config = VerifierConfig(
        nameservers=("127.0.0.1",),
        dns_port=servers.dns_port,
        smtp_probe=True,
        smtp_port=servers.smtp_port,
        helo_name=HELO,
        mail_from=MAIL_FROM,
        connect_timeout=2.0,
        budget_seconds=10.0,
        max_probes_per_host_per_second=1000.0,
        allowlist=ALLOW,
    ).with_platform([service.as_dict()])

    result = Verifier(config).verify("anna.schmidt@acme.example")

    assert config.platform == (service,)
    assert result.status is EmailStatus.UNKNOWN
    assert answers(result)["smtp"] == "refused"
    assert result.detail(CheckName.SMTP) == (
        f"refused mx.acme.example: 127.0.0.1:{servers.smtp_port} is one of this platform's own "
        "services and is never contacted"
    )
    assert servers.smtp.connections == 0


def test_platform_services_come_from_the_environment_too() -> None:
    config = VerifierConfig.from_env({"LEADSCRAPER_PLATFORM_ENDPOINTS": "db.internal:5432, 10.0.0.7:6379"})

    assert config.platform == (
        Endpoint("db.internal", 5432, "LEADSCRAPER_PLATFORM_ENDPOINTS"),
        Endpoint("10.0.0.7", 6379, "LEADSCRAPER_PLATFORM_ENDPOINTS"),
    )


def test_without_an_allowlist_even_the_local_test_server_is_refused(
    servers: MailServers, make_verifier: MakeVerifier
) -> None:
    result = make_verifier(allowlist=()).verify("anna.schmidt@acme.example")

    assert result.status is EmailStatus.UNKNOWN
    assert answers(result)["smtp"] == "refused"
    assert servers.resolver.queries[("mx.acme.example", "A")] == 1
    assert servers.smtp.connections == 0


def test_silent_mail_hosts_time_out_to_unknown_and_are_skipped_for_the_rest_of_the_job(
    servers: MailServers, make_verifier: MakeVerifier
) -> None:
    verifier = make_verifier(connect_timeout=0.2, budget_seconds=30.0)

    first = verifier.verify("anna@dead.example")
    second = verifier.verify("jonas@dead.example")

    assert first.status is EmailStatus.UNKNOWN
    assert answers(first)["smtp"] == "unreachable"
    assert (first.detail(CheckName.SMTP) or "").count("timed out") == 3
    assert [servers.silent[n].accepted for n in (3, 4, 5)] == [1, 1, 1]
    assert second.status is EmailStatus.UNKNOWN
    assert (second.detail(CheckName.SMTP) or "").count("(earlier in this job)") == 3
    assert [servers.silent[n].accepted for n in (3, 4, 5)] == [1, 1, 1]  # not one more connection


def test_the_time_budget_stops_trying_further_mail_hosts(
    servers: MailServers, make_verifier: MakeVerifier
) -> None:
    # The first silent host uses up most of the budget; whatever the machine's load, the third
    # host's turn comes after the budget has run out.
    verifier = make_verifier(connect_timeout=0.5, budget_seconds=0.6)

    result = verifier.verify("anna@dead.example")

    assert result.status is EmailStatus.UNKNOWN
    assert answers(result)["smtp"] == "unreachable"
    assert servers.silent[3].accepted == 1
    assert "time budget exhausted" in (result.detail(CheckName.SMTP) or "")
    assert servers.silent[5].accepted == 0


def test_the_rate_limit_per_mail_host_holds_across_addresses(
    servers: MailServers, make_verifier: MakeVerifier
) -> None:
    # One probe per 1000 s: the second address's slot lies beyond its budget, so it is not probed.
    verifier = make_verifier(max_probes_per_host_per_second=0.001)

    first = verifier.verify("anna.schmidt@acme.example")
    second = verifier.verify("jonas.weber@acme.example")

    assert first.status is EmailStatus.DELIVERABLE
    assert second.status is EmailStatus.UNKNOWN
    assert answers(second)["smtp"] == "unreachable"
    assert "rate limit (0.001/s per host): no slot within the time budget" in (
        second.detail(CheckName.SMTP) or ""
    )
    assert servers.smtp.connections == 1


# --- caching and threads --------------------------------------------------------------------


def test_dns_and_smtp_answers_are_cached_per_domain_for_the_job(
    servers: MailServers, make_verifier: MakeVerifier
) -> None:
    verifier = make_verifier()

    results = verifier.verify_many(
        [
            "anna.schmidt@acme.example",
            "jonas.weber@acme.example",
            "lena.fischer@acme.example",
            "anna.schmidt@acme.example",
        ]
    )

    assert [r.status for r in results] == [EmailStatus.DELIVERABLE] * 4
    assert results[3] is results[0]
    assert servers.resolver.queries[("acme.example", "MX")] == 1
    assert servers.resolver.queries[("mx.acme.example", "A")] == 1
    assert servers.smtp.connections == 3
    made_up = [
        r
        for r, _ in servers.smtp.rcpt
        if r.split("@")[0] not in {"anna.schmidt", "jonas.weber", "lena.fischer"}
    ]
    assert len(made_up) == 1  # one catch-all test for the domain
    assert verifier.stats == {"addresses": 3, "cached_results": 1, "dns_lookups": 1, "smtp_connections": 3}
    # a new verifier (a new job) asks again
    make_verifier().verify("anna.schmidt@acme.example")
    assert servers.resolver.queries[("acme.example", "MX")] == 2


def test_threads_can_share_a_verifier(servers: MailServers, make_verifier: MakeVerifier) -> None:
    verifier = make_verifier()
    addresses = [
        "anna.schmidt@acme.example",
        "jonas.weber@acme.example",
        "niemand@acme.example",
        "jemand@catchall.example",
        "paul.meyer@a-only.example",
        "eva.roth@backup.example",
    ] * 2
    results: dict[int, Any] = {}

    def work(i: int) -> None:
        results[i] = verifier.verify(addresses[i])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(addresses))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    statuses = [results[i].status.value for i in range(len(addresses))]
    assert (
        statuses == ["deliverable", "deliverable", "undeliverable", "risky", "deliverable", "deliverable"] * 2
    )
    assert servers.resolver.queries[("acme.example", "MX")] == 1
    assert servers.resolver.queries[("catchall.example", "MX")] == 1
    assert verifier.stats["addresses"] == 6


def test_a_non_ascii_mailbox_is_asked_for_with_smtputf8(
    servers: MailServers, make_verifier: MakeVerifier
) -> None:
    result = make_verifier().verify("Jürgen.Bäumer@acme.example")

    assert result.status is EmailStatus.DELIVERABLE
    assert result.email == "jürgen.bäumer@acme.example"
    assert servers.smtp.mail_options[0] == ["SMTPUTF8"]
    assert servers.smtp.rcpt[0] == ("jürgen.bäumer@acme.example", "250")


# --- guesses --------------------------------------------------------------------------------


def test_a_guess_is_verified_like_any_address_and_keeps_its_confidence(
    servers: MailServers, make_verifier: MakeVerifier
) -> None:
    known = [("Anna Schmidt", "anna.schmidt@acme.example"), ("Jonas Weber", "jonas.weber@acme.example")]
    right = guess_email("Lena Fischer", known)
    wrong = guess_email("Max Bauer", known)
    on_catch_all = guess_email(
        "Max Bauer", [("Anna Schmidt", "anna.schmidt@catchall.example")], min_support=1
    )
    assert right is not None and wrong is not None and on_catch_all is not None
    verifier = make_verifier()

    checked = verifier.verify_guess(right)

    assert checked.verification is not None
    assert checked.verification.status is EmailStatus.DELIVERABLE
    assert (checked.address, checked.confidence, checked.basis) == (
        right.address,
        right.confidence,
        right.basis,
    )
    assert checked.to_dict()["verification"]["email_status"] == "deliverable"
    assert right.verification is None  # the original is left as it was
    refuted = verifier.verify_guess(wrong).verification
    assert refuted is not None and refuted.status is EmailStatus.UNDELIVERABLE
    risky = verifier.verify_guess(on_catch_all).verification
    assert risky is not None and risky.status is EmailStatus.RISKY
