"""The SMTP ``RCPT TO`` probe: asks a mail host whether it takes a mailbox, and never sends a message.

A session is EHLO (HELO when refused), ``MAIL FROM``, ``RCPT TO`` the address, ``RCPT TO`` a random
mailbox of the same domain (the catch-all test, only when the first was accepted and the domain's
answer is not known yet), then RSET and QUIT. DATA is never sent. MX hosts are tried in order of
preference; the next one only when a host cannot be reached or will not talk at all, because a
backup MX that queues everything would make any address look good.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import re
import secrets
import smtplib
import socket
import string
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from crawler.netguard import IPAddress, NetworkGuardError, NetworkPolicy
from crawler.verify.mailroute import MailHost
from crawler.verify.ratelimit import HostRateLimiter
from crawler.verify.results import Answer

Clock = Callable[[], float]
Sleep = Callable[[float], None]

_ENHANCED = re.compile(r"^\s*([245])\.(\d{1,3})\.(\d{1,3})\b")
_DETAIL_LIMIT = 200


def classify_rcpt(code: int, text: str) -> Answer:
    """What a reply to ``RCPT TO`` says about the mailbox.

    2xx accepted. 550/551/553 rejected, unless the enhanced code is a 5.7.x policy refusal (the
    server objects to us, not to the mailbox); any other 5xx is rejected only with a 5.1.x mailbox
    code. 452/552 and x.2.2 mean a full mailbox (452 with 4.5.3 is "too many recipients"). 450/451
    are greylisting. Everything else (421, 554, 5.7.x, syntax errors) is inconclusive.
    """
    enhanced = _ENHANCED.match(text)
    _, subject, detail = (int(g) for g in enhanced.groups()) if enhanced else (0, 0, 0)
    if 200 <= code < 300:
        return Answer.ACCEPTED
    if enhanced and subject == 2 and detail == 2:
        return Answer.MAILBOX_FULL
    if code >= 500 and enhanced and subject == 7:
        return Answer.INCONCLUSIVE
    if code in (550, 551, 553) or (code >= 500 and enhanced and subject == 1):
        return Answer.REJECTED
    if code == 552 or (code == 452 and not (enhanced and subject == 5)):
        return Answer.MAILBOX_FULL
    if code in (450, 451):
        return Answer.GREYLISTED
    return Answer.INCONCLUSIVE


def random_local_part() -> str:
    """A mailbox name nobody has: 14 random lower-case letters and digits, starting with a letter."""
    alphabet = string.ascii_lowercase + string.digits
    return secrets.choice(string.ascii_lowercase) + "".join(secrets.choice(alphabet) for _ in range(13))


@dataclass(frozen=True)
class ProbeOutcome:
    """The ``smtp`` and ``catch_all`` answers of one probe, with what the server said."""

    answer: Answer
    detail: str
    catch_all: Answer = Answer.SKIPPED
    catch_all_detail: str = ""
    host: str | None = None


class _HostDown(Exception):
    """Raised inside a session when a host cannot be reached or will not talk; the next host is tried."""

    def __init__(self, reason: str, *, lasting: bool, spoke: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.lasting = lasting  # a full-length timeout or refused connection: skip the host for the job
        self.spoke = spoke  # the host answered, but refused the conversation (greeting, HELO)


class _OutOfTime(Exception):
    """Raised inside a session when the time budget (or the rate limit within it) ends the probe."""


class SmtpProber:
    """Runs probes; one per verifier (that is, per job), shared by its threads.

    Every connection goes to an address the network guard passed (``policy``: public, or on the
    operator's allowlist, and never one of the platform's own services on this port), is paced
    by ``limiter`` per mail host, and each socket operation waits at most ``connect_timeout`` and
    never past the caller's deadline. A host that could not be reached is remembered for the job.
    """

    def __init__(
        self,
        *,
        port: int,
        helo_name: str,
        mail_from: str,
        connect_timeout: float,
        policy: NetworkPolicy,
        limiter: HostRateLimiter,
        greylist_retry_delay: float = 0.0,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
    ) -> None:
        self.port = port
        self.helo_name = helo_name or socket.getfqdn()
        self.mail_from = mail_from
        self.connect_timeout = connect_timeout
        self.policy = policy
        self.limiter = limiter
        self.greylist_retry_delay = greylist_retry_delay
        self._clock = clock
        self._sleep = sleep
        self._down: dict[str, str] = {}
        self._lock = threading.Lock()
        self.connections = 0

    def probe(
        self,
        address: str,
        domain: str,
        hosts: tuple[MailHost, ...],
        deadline: float,
        *,
        test_catch_all: bool,
        smtputf8: bool = False,
    ) -> ProbeOutcome:
        """Ask the domain's mail hosts about ``address``; ``smtputf8`` when its local part is not ASCII."""
        ask = _Ask(
            address,
            f"{random_local_part()}@{domain}" if test_catch_all else None,
            smtputf8,
            deadline,
            prime=self.greylist_retry_delay > 0,
        )
        trouble: list[str] = []
        refused: list[str] = []
        talked = False
        for host in hosts:
            if not host.addresses:
                trouble.append(f"{host.name}: {host.note or 'no address'}")
                continue
            with self._lock:
                down = self._down.get(host.name)
            if down is not None:
                trouble.append(f"{host.name}: {down} (earlier in this job)")
                continue
            # The addresses DNS already gave are the ones checked and the ones connected to: no
            # second look-up, so an answer that changes in between cannot slip past the guard.
            checked: list[IPAddress] = [ipaddress.ip_address(a) for a in host.addresses]
            try:
                self.policy.check_addresses(host.name, checked, self.port)
            except NetworkGuardError as exc:
                refused.append(str(exc))
                continue
            try:
                outcome = self._session(host.name, checked, ask)
            except _HostDown as exc:
                if exc.lasting:
                    with self._lock:
                        self._down[host.name] = exc.reason
                trouble.append(f"{host.name}: {exc.reason}")
                talked = talked or exc.spoke
                continue
            except _OutOfTime as exc:
                trouble.append(f"{host.name}: {exc}")
                break
            if outcome.answer is Answer.GREYLISTED and self._may_retry(deadline):
                outcome = self._retry(host.name, checked, ask, outcome)
            if trouble or refused:  # say why the preferred hosts were passed over
                outcome = dataclasses.replace(outcome, detail="; ".join([*trouble, *refused, outcome.detail]))
            return outcome
        if refused and not trouble:
            return ProbeOutcome(Answer.REFUSED, "; ".join(refused))
        answer = Answer.INCONCLUSIVE if talked else Answer.UNREACHABLE
        return ProbeOutcome(answer, "; ".join(trouble + refused) or "no mail host to probe")

    def _retry(self, host: str, checked: list[IPAddress], ask: _Ask, first: ProbeOutcome) -> ProbeOutcome:
        """One more session after the greylisting delay, with the same made-up mailbox as the first."""
        self._sleep(self.greylist_retry_delay)
        try:
            again = self._session(host, checked, dataclasses.replace(ask, prime=False))
        except (_HostDown, _OutOfTime) as exc:
            return ProbeOutcome(Answer.GREYLISTED, f"{first.detail}; the retry failed: {exc}", host=host)
        return dataclasses.replace(
            again,
            detail=f"{again.detail} (greylisted at first, retried after {self.greylist_retry_delay:g} s)",
        )

    def _may_retry(self, deadline: float) -> bool:
        if self.greylist_retry_delay <= 0:
            return False
        return deadline - self._clock() > self.greylist_retry_delay + self.connect_timeout / 10

    def _step(self, deadline: float) -> float:
        left = deadline - self._clock()
        if left <= 0:
            raise _OutOfTime("time budget exhausted")
        return min(self.connect_timeout, left)

    def _session(self, host: str, addresses: list[IPAddress], ask: _Ask) -> ProbeOutcome:
        reasons: list[str] = []
        lasting = True
        for ip in addresses:
            self._step(ask.deadline)  # out of time is not a rate-limit refusal: say which it is
            wait = self.limiter.reserve(host, ask.deadline)
            if wait is None:
                raise _OutOfTime(
                    f"rate limit ({1 / self.limiter.interval:g}/s per host): no slot within the time budget"
                )
            if wait > 0:
                self._sleep(wait)
            timeout = self._step(ask.deadline)
            full = timeout >= self.connect_timeout
            smtp = smtplib.SMTP(local_hostname=self.helo_name, timeout=timeout)
            where = f"{host} [{ip}]"
            try:
                with self._lock:
                    self.connections += 1
                code, text = smtp.connect(str(ip), self.port)
            except OSError as exc:
                _close(smtp)
                reasons.append(f"[{ip}] {_oserror(exc)}")
                lasting = lasting and full
                continue
            try:
                return self._converse(smtp, host, where, code, _text(text), ask)
            except OSError as exc:
                reasons.append(f"[{ip}] {_oserror(exc)}")
                lasting = lasting and full
            finally:
                _close(smtp, polite=min(1.0, self.connect_timeout))
        raise _HostDown("; ".join(reasons), lasting=lasting)

    def _converse(
        self, smtp: smtplib.SMTP, host: str, where: str, code: int, greeting: str, ask: _Ask
    ) -> ProbeOutcome:
        if code != 220:
            raise _HostDown(f"greeting {code} {greeting}"[:_DETAIL_LIMIT], lasting=False, spoke=True)
        _settimeout(smtp, self._step(ask.deadline))
        code, text = smtp.ehlo()
        if not 200 <= code < 300:
            _settimeout(smtp, self._step(ask.deadline))
            code, text = smtp.helo()
            if not 200 <= code < 300:
                raise _HostDown(f"HELO {code} {_text(text)}"[:_DETAIL_LIMIT], lasting=False, spoke=True)
        options: list[str] = []
        if ask.smtputf8:
            if not smtp.has_extn("smtputf8"):
                return ProbeOutcome(
                    Answer.INCONCLUSIVE,
                    f"{where}: the address needs SMTPUTF8, which the server lacks",
                    host=host,
                )
            options.append("SMTPUTF8")
        _settimeout(smtp, self._step(ask.deadline))
        code, text = smtp.mail(self.mail_from, options)
        if not 200 <= code < 300:
            return ProbeOutcome(
                Answer.INCONCLUSIVE,
                f"{where}: MAIL FROM:<{self.mail_from}> refused: {code} {_text(text)}"[:_DETAIL_LIMIT],
                host=host,
            )
        _settimeout(smtp, self._step(ask.deadline))
        code, text = smtp.rcpt(ask.address)
        answer = classify_rcpt(code, _text(text))
        detail = f"{where}: RCPT TO:<{ask.address}> {code} {_text(text)}"[:_DETAIL_LIMIT]
        made_up = ask.made_up
        if made_up is None or answer not in (Answer.ACCEPTED, Answer.GREYLISTED):
            return ProbeOutcome(answer, detail, host=host)
        if answer is Answer.GREYLISTED and not ask.prime:
            return ProbeOutcome(answer, detail, host=host)
        try:
            _settimeout(smtp, self._step(ask.deadline))
            code2, text2 = smtp.rcpt(made_up)
        except (OSError, _OutOfTime) as exc:
            return ProbeOutcome(answer, detail, Answer.UNDETERMINED, f"no reply for <{made_up}>: {exc}", host)
        if answer is Answer.GREYLISTED:
            # Greylisting is per recipient: asking for the made-up mailbox now starts its clock
            # too, so the retry can get a real answer for both.
            return ProbeOutcome(answer, detail, host=host)
        second = classify_rcpt(code2, _text(text2))
        catch_all = {Answer.ACCEPTED: Answer.YES, Answer.REJECTED: Answer.NO}.get(second, Answer.UNDETERMINED)
        catch_detail = f"{where}: RCPT TO:<{made_up}> {code2} {_text(text2)}"[:_DETAIL_LIMIT]
        return ProbeOutcome(answer, detail, catch_all, catch_detail, host)


@dataclass(frozen=True)
class _Ask:
    """What one probe asks: the address, the made-up mailbox (None: no catch-all test), and its limits."""

    address: str
    made_up: str | None
    smtputf8: bool
    deadline: float
    prime: bool  # a greylisting retry will follow: ask for the made-up mailbox in the first session too


def _text(raw: bytes | str) -> str:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    return " ".join(text.split())


def _oserror(exc: OSError) -> str:
    if isinstance(exc, TimeoutError) or "timed out" in str(exc):
        return "timed out"
    return str(exc) or type(exc).__name__


def _settimeout(smtp: smtplib.SMTP, timeout: float) -> None:
    if smtp.sock is not None:
        smtp.sock.settimeout(timeout)


def _close(smtp: smtplib.SMTP, *, polite: float = 0.0) -> None:
    """End the session: RSET and QUIT (waiting ``polite`` seconds at most) when it is still up, then
    close; errors here change nothing."""
    if polite > 0 and smtp.sock is not None:
        try:
            smtp.sock.settimeout(polite)
            smtp.rset()
            smtp.quit()
        except OSError:
            pass
    smtp.close()
