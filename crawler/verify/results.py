"""What a verification returns: the status, every check with its answer, and the flags a lead carries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any


class EmailStatus(StrEnum):
    """The one-word verdict on an address (``email_status``)."""

    DELIVERABLE = "deliverable"
    """The mail host accepted the mailbox and rejected a made-up one on the same domain."""
    UNDELIVERABLE = "undeliverable"
    """Mail to it bounces: bad syntax, no such domain, no mail host, or the mailbox was rejected."""
    RISKY = "risky"
    """It may exist but cannot be relied on: catch-all domain, disposable provider, full mailbox,
    greylisted, or accepted without the catch-all test coming back clean."""
    UNKNOWN = "unknown"
    """The domain takes mail but the mailbox was not confirmed: probing off, timeouts, refusals."""


class CheckName(StrEnum):
    """The checks a verification runs, in the order they are recorded."""

    SYNTAX = "syntax"
    """email-validator's syntax rules; the detail is the normalized address or the reason."""
    DNS = "dns"
    """The domain's MX records (or its A/AAAA fallback) and the addresses of its mail hosts."""
    DISPOSABLE = "disposable"
    """Whether the domain (or a parent) is on the shipped list of throwaway-mail providers."""
    ROLE = "role"
    """Whether the mailbox is a shared one (info@, sales@) rather than a person's."""
    SMTP = "smtp"
    """``RCPT TO`` on the mail host, when probing is on; never a message."""
    CATCH_ALL = "catch_all"
    """``RCPT TO`` a random mailbox on the same domain: accepted means every address is."""


class Answer(StrEnum):
    """The closed vocabulary of check answers; each check uses the members listed for it."""

    # syntax
    VALID = "valid"
    """syntax: the address is well formed."""
    INVALID = "invalid"
    """syntax: the address is not; nothing else is checked."""
    # dns
    MX = "mx"
    """dns: the domain has MX records and at least one of their hosts has an address."""
    A_FALLBACK = "a_fallback"
    """dns: no MX, but the domain itself has an address, which then receives mail (RFC 5321 §5.1)."""
    NULL_MX = "null_mx"
    """dns: the domain publishes ``MX 0 .``, saying it accepts no mail (RFC 7505)."""
    NXDOMAIN = "nxdomain"
    """dns: the domain does not exist."""
    NO_MAIL_HOST = "no_mail_host"
    """dns: the domain exists but neither MX nor A/AAAA leads to a host with an address."""
    ERROR = "error"
    """dns: the look-up timed out or the servers failed (SERVFAIL); nothing is known."""
    # disposable, role, catch_all
    YES = "yes"
    """disposable / role / catch_all: it is."""
    NO = "no"
    """disposable / role / catch_all: it is not."""
    UNDETERMINED = "undetermined"
    """catch_all: the random mailbox got neither a clear yes nor a clear no."""
    # smtp
    ACCEPTED = "accepted"
    """smtp: 2xx to ``RCPT TO``."""
    REJECTED = "rejected"
    """smtp: 550/551/553 (or an enhanced 5.1.x): no such mailbox."""
    MAILBOX_FULL = "mailbox_full"
    """smtp: 452/552 (or 4.2.2/5.2.2): the mailbox exists but is over quota."""
    GREYLISTED = "greylisted"
    """smtp: 450/451: try again later (greylisting); still so after the optional retry."""
    INCONCLUSIVE = "inconclusive"
    """smtp: the server refused the probe itself (policy 5.7.x, 554, a refused sender) or failed."""
    UNREACHABLE = "unreachable"
    """smtp: no mail host answered in time (connect errors, timeouts, rate or time budget)."""
    REFUSED = "refused"
    """smtp: every mail host has a non-public address; the network guard forbids contacting it."""
    # smtp, catch_all
    SKIPPED = "skipped"
    """smtp / catch_all: not run (probing off, or an earlier answer made it pointless)."""


@dataclass(frozen=True)
class Check:
    """One check and its answer; ``detail`` says what was seen (reply lines, hosts, reasons)."""

    check: CheckName
    result: Answer
    detail: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"check": self.check.value, "result": self.result.value, "detail": self.detail}


@dataclass(frozen=True)
class EmailVerification:
    """The verdict on one address: ``status``, the ``checks`` that led to it, and when.

    ``email`` is the address as normalized by email-validator (the input, stripped, when the syntax
    check failed). ``catch_all`` is None when it was not tested; ``mail_host`` is the host that
    answered the SMTP probe, if any.
    """

    email: str
    status: EmailStatus
    checks: tuple[Check, ...]
    verified_at: datetime
    role: bool = False
    disposable: bool = False
    catch_all: bool | None = None
    mail_host: str | None = None

    def answer(self, name: CheckName) -> Answer | None:
        """The answer of one check, or None when it was not recorded."""
        for check in self.checks:
            if check.check is name:
                return check.result
        return None

    def detail(self, name: CheckName) -> str | None:
        for check in self.checks:
            if check.check is name:
                return check.detail
        return None

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape stored with a lead: ``email_status``, ``email_checks``, ``verified_at``, flags."""
        return {
            "email": self.email,
            "email_status": self.status.value,
            "email_checks": [check.to_dict() for check in self.checks],
            "verified_at": self.verified_at.isoformat(),
            "role": self.role,
            "disposable": self.disposable,
            "catch_all": self.catch_all,
            "mail_host": self.mail_host,
        }


_DNS_DEAD = frozenset({Answer.NXDOMAIN, Answer.NULL_MX, Answer.NO_MAIL_HOST})
_SMTP_RISKY = frozenset({Answer.MAILBOX_FULL, Answer.GREYLISTED})


def decide_status(answers: dict[CheckName, Answer]) -> EmailStatus:
    """The status table of :mod:`crawler.verify`, first matching row wins."""
    if answers.get(CheckName.SYNTAX) is Answer.INVALID:
        return EmailStatus.UNDELIVERABLE
    if answers.get(CheckName.DNS) in _DNS_DEAD:
        return EmailStatus.UNDELIVERABLE
    smtp = answers.get(CheckName.SMTP)
    if smtp is Answer.REJECTED:
        return EmailStatus.UNDELIVERABLE
    if answers.get(CheckName.DISPOSABLE) is Answer.YES:
        return EmailStatus.RISKY
    catch_all = answers.get(CheckName.CATCH_ALL)
    if catch_all is Answer.YES:
        return EmailStatus.RISKY
    if smtp in _SMTP_RISKY:
        return EmailStatus.RISKY
    if smtp is Answer.ACCEPTED:
        return EmailStatus.DELIVERABLE if catch_all is Answer.NO else EmailStatus.RISKY
    return EmailStatus.UNKNOWN
