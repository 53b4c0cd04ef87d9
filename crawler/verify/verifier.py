"""The verifier: runs every check on an address and caches DNS and SMTP answers per domain for one job."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from email_validator import EmailNotValidError, validate_email

from crawler.verify.config import PROBE_ENV, VerifierConfig
from crawler.verify.flags import is_disposable_domain, is_role_email
from crawler.verify.mailroute import MailRoute, MailRouteResolver
from crawler.verify.probe import ProbeOutcome, SmtpProber
from crawler.verify.ratelimit import HostRateLimiter
from crawler.verify.results import Answer, Check, CheckName, EmailStatus, EmailVerification, decide_status

if TYPE_CHECKING:
    from crawler.verify.patterns import EmailGuess

Clock = Callable[[], float]
Sleep = Callable[[float], None]
Now = Callable[[], datetime]

_ROUTED = frozenset({Answer.MX, Answer.A_FALLBACK})


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Verifier:
    """Verifies addresses: syntax, mail route, disposable and role flags, and (when on) the SMTP probe.

    Make one per job: it caches, for its lifetime, each domain's mail route and catch-all answer,
    each mail host found unreachable, and each address's result, so a team page of twenty addresses
    costs one MX look-up and one catch-all test. ``verify`` is synchronous and blocking (DNS and SMTP
    round trips, bounded by ``config.budget_seconds``): call it off the Twisted reactor thread.
    It is thread-safe: threads may share one verifier; addresses of the same domain are verified
    one after another (a lock per domain), addresses of different domains in parallel.

    ``clock``/``sleep`` (monotonic seconds) and ``now`` (``verified_at``) are injectable for tests;
    ``extra_disposable`` adds domains to the shipped disposable list.
    """

    def __init__(
        self,
        config: VerifierConfig | None = None,
        *,
        extra_disposable: Iterable[str] = (),
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
        now: Now = _utcnow,
    ) -> None:
        self.config = config or VerifierConfig()
        cfg = self.config
        self._clock = clock
        self._now = now
        self._extra_disposable = frozenset(d.strip().lower() for d in extra_disposable if d.strip())
        self._routes = MailRouteResolver(
            cfg.nameservers, cfg.dns_port, cfg.dns_timeout, max_hosts=cfg.max_mx_hosts, clock=clock
        )
        self.limiter = HostRateLimiter(cfg.max_probes_per_host_per_second, clock)
        self._prober: SmtpProber | None = None
        if cfg.smtp_probe:
            self._prober = SmtpProber(
                port=cfg.smtp_port,
                helo_name=cfg.helo_name,
                mail_from=cfg.mail_from,
                connect_timeout=cfg.connect_timeout,
                policy=cfg.policy(),
                limiter=self.limiter,
                greylist_retry_delay=cfg.greylist_retry_delay,
                clock=clock,
                sleep=sleep,
            )
        self._route_cache: dict[str, MailRoute] = {}
        self._catch_all: dict[str, tuple[Answer, str]] = {}
        self._results: dict[str, EmailVerification] = {}
        self._lock = threading.Lock()
        self._domain_locks: dict[str, threading.Lock] = {}
        self._counts = {"addresses": 0, "cached_results": 0, "dns_lookups": 0}

    @property
    def stats(self) -> dict[str, int]:
        """Counters for the job's stats: addresses verified, results served from the cache, mail-route
        look-ups, SMTP connections opened."""
        with self._lock:
            counts = dict(self._counts)
        counts["smtp_connections"] = self._prober.connections if self._prober else 0
        return counts

    def verify_many(self, emails: Iterable[str]) -> list[EmailVerification]:
        """``verify`` for each address, in order (duplicates answered from the cache)."""
        return [self.verify(email) for email in emails]

    def verify_guess(self, guess: EmailGuess) -> EmailGuess:
        """The guess with ``verification`` filled in; its address, pattern and confidence are unchanged."""
        return dataclasses.replace(guess, verification=self.verify(guess.address))

    def verify(self, email: str) -> EmailVerification:
        """Every check on one address, and the status they add up to (see :mod:`crawler.verify`)."""
        raw = email.strip()
        if raw.lower().startswith("mailto:"):
            raw = raw[7:]
        try:
            parsed = validate_email(raw, check_deliverability=False, allow_smtputf8=True)
        except EmailNotValidError as exc:
            with self._lock:
                self._counts["addresses"] += 1
            check = Check(CheckName.SYNTAX, Answer.INVALID, str(exc))
            return EmailVerification(raw, EmailStatus.UNDELIVERABLE, (check,), self._now())
        address = parsed.normalized.lower()
        with self._lock:
            cached = self._results.get(address)
            if cached is not None:
                self._counts["cached_results"] += 1
                return cached
            domain_lock = self._domain_locks.setdefault(parsed.ascii_domain, threading.Lock())
        with domain_lock:
            with self._lock:
                cached = self._results.get(address)
            if cached is not None:
                with self._lock:
                    self._counts["cached_results"] += 1
                return cached
            result = self._verify(address, parsed.ascii_domain, (parsed.ascii_email or "").lower() or None)
            with self._lock:
                self._counts["addresses"] += 1
                self._results[address] = result
        return result

    def _verify(self, address: str, domain: str, ascii_address: str | None) -> EmailVerification:
        deadline = self._clock() + self.config.budget_seconds
        checks = [Check(CheckName.SYNTAX, Answer.VALID, address)]
        route = self._route(domain, deadline)
        checks.append(Check(CheckName.DNS, route.answer, route.detail))
        disposable = is_disposable_domain(domain, self._extra_disposable)
        checks.append(
            Check(
                CheckName.DISPOSABLE,
                Answer.YES if disposable else Answer.NO,
                f"{domain} is a disposable-mail provider" if disposable else "",
            )
        )
        role = is_role_email(address)
        checks.append(
            Check(
                CheckName.ROLE,
                Answer.YES if role else Answer.NO,
                "a shared mailbox, not a person's" if role else "",
            )
        )
        outcome = self._smtp(address, ascii_address, domain, route, disposable, deadline)
        checks.append(Check(CheckName.SMTP, outcome.answer, outcome.detail))
        checks.append(Check(CheckName.CATCH_ALL, outcome.catch_all, outcome.catch_all_detail))
        status = decide_status({check.check: check.result for check in checks})
        catch_all = {Answer.YES: True, Answer.NO: False}.get(outcome.catch_all)
        return EmailVerification(
            address, status, tuple(checks), self._now(), role, disposable, catch_all, outcome.host
        )

    def _route(self, domain: str, deadline: float) -> MailRoute:
        with self._lock:
            cached = self._route_cache.get(domain)
        if cached is not None:
            return dataclasses.replace(cached, detail=f"{cached.detail} (earlier in this job)")
        route = self._routes.mail_route(domain, deadline)
        with self._lock:
            self._counts["dns_lookups"] += 1
            # A look-up cut short by this address's budget says nothing about the next address.
            if route.answer is not Answer.ERROR or self._clock() < deadline:
                self._route_cache[domain] = route
        return route

    def _smtp(
        self,
        address: str,
        ascii_address: str | None,
        domain: str,
        route: MailRoute,
        disposable: bool,
        deadline: float,
    ) -> ProbeOutcome:
        if self._prober is None:
            return ProbeOutcome(Answer.SKIPPED, f"SMTP probing is off ({PROBE_ENV}=1 turns it on)")
        if route.answer not in _ROUTED:
            return ProbeOutcome(Answer.SKIPPED, "no mail host to ask")
        if disposable:
            return ProbeOutcome(Answer.SKIPPED, "not probed: a disposable-mail provider")
        with self._lock:
            known = self._catch_all.get(domain)
        if known is not None and known[0] is Answer.YES:
            return ProbeOutcome(
                Answer.SKIPPED,
                "not probed: the domain accepts every mailbox (catch-all)",
                Answer.YES,
                f"{known[1]} (earlier in this job)",
            )
        outcome = self._prober.probe(
            ascii_address or address,
            domain,
            route.hosts,
            deadline,
            test_catch_all=known is None,
            smtputf8=ascii_address is None,
        )
        if known is not None and outcome.answer is Answer.ACCEPTED:
            return dataclasses.replace(
                outcome, catch_all=known[0], catch_all_detail=f"{known[1]} (earlier in this job)"
            )
        if outcome.catch_all in (Answer.YES, Answer.NO):
            with self._lock:
                self._catch_all.setdefault(domain, (outcome.catch_all, outcome.catch_all_detail))
        return outcome
