"""Where a domain's mail goes: its MX records (or the A/AAAA fallback) and their addresses, via dnspython."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import dns.exception
import dns.name
import dns.rdatatype
import dns.resolver

from crawler.netguard import parse_ip_literal
from crawler.verify.results import Answer

Clock = Callable[[], float]


@dataclass(frozen=True)
class MailHost:
    """One host that receives the domain's mail, with the addresses DNS gave for it."""

    name: str
    preference: int
    addresses: tuple[str, ...]
    note: str | None = None  # why ``addresses`` is empty
    lookup_failed: bool = False  # True: the look-up failed; False with no addresses: there are none

    def describe(self) -> str:
        found = ", ".join(self.addresses) if self.addresses else (self.note or "no address")
        return f"{self.name} ({self.preference}) → {found}"


@dataclass(frozen=True)
class MailRoute:
    """The ``dns`` check's answer for a domain: one of mx, a_fallback, null_mx, nxdomain,
    no_mail_host, error; ``hosts`` are in order of preference."""

    answer: Answer
    hosts: tuple[MailHost, ...]
    detail: str


@dataclass(frozen=True)
class _Addresses:
    found: tuple[str, ...]
    error: str | None  # a look-up failure: nothing is known
    missing: str | None = None  # a definite "no address" (NXDOMAIN / no A or AAAA)


class MailRouteResolver:
    """Looks up mail routes with dnspython, on the given nameservers or the system's.

    Every query's lifetime is the smaller of ``timeout`` and the time left before the caller's
    deadline. Thread-safe: the dnspython resolver is built once, under a lock, and only read after.
    """

    def __init__(
        self,
        nameservers: tuple[str, ...] = (),
        port: int = 53,
        timeout: float = 5.0,
        *,
        max_hosts: int = 3,
        clock: Clock = time.monotonic,
    ) -> None:
        self._nameservers = nameservers
        self._port = port
        self._timeout = timeout
        self._max_hosts = max_hosts
        self._clock = clock
        self._resolver: dns.resolver.Resolver | None = None
        self._config_error: str | None = None
        self._lock = threading.Lock()

    def _get_resolver(self) -> dns.resolver.Resolver | None:
        with self._lock:
            if self._resolver is None and self._config_error is None:
                try:
                    if self._nameservers:
                        resolver = dns.resolver.Resolver(configure=False)
                        resolver.nameservers = list(self._nameservers)
                    else:
                        resolver = dns.resolver.Resolver()
                    resolver.port = self._port
                    resolver.cache = None  # the verifier keeps its own per-job cache
                    self._resolver = resolver
                except dns.exception.DNSException as exc:
                    self._config_error = f"no DNS resolver configured: {exc}"
            return self._resolver

    def _query(self, name: str, rdtype: str, deadline: float) -> dns.resolver.Answer:
        resolver = self._get_resolver()
        if resolver is None:
            raise dns.resolver.NoResolverConfiguration(self._config_error or "no DNS resolver")
        left = deadline - self._clock()
        if left <= 0:
            raise dns.exception.Timeout("time budget exhausted before the DNS query")
        return resolver.resolve(name, rdtype, lifetime=min(self._timeout, left), search=False)

    def addresses(self, host: str, deadline: float) -> _Addresses:
        """The A, then AAAA, addresses of ``host`` (an address literal stands for itself)."""
        literal = parse_ip_literal(host)
        if literal is not None:
            return _Addresses((str(literal),), None)
        found: list[str] = []
        missing: list[str] = []
        for rdtype in ("A", "AAAA"):
            try:
                answer = self._query(host, rdtype, deadline)
            except dns.resolver.NXDOMAIN:
                return _Addresses(tuple(found), None, missing=f"{host} does not exist (NXDOMAIN)")
            except dns.resolver.NoAnswer:
                missing.append(rdtype)
                continue
            except dns.exception.DNSException as exc:
                if found:
                    break  # the A answer is enough to connect; a failed AAAA query changes nothing
                return _Addresses((), f"{rdtype} look-up of {host} failed: {_why(exc)}")
            found.extend(str(r.address) for r in answer if str(r.address) not in found)
        if found:
            return _Addresses(tuple(found), None)
        return _Addresses((), None, missing=f"{host} has no A or AAAA record")

    def mail_route(self, domain: str, deadline: float) -> MailRoute:
        """The mail route of ``domain`` (an IDNA/ASCII name)."""
        try:
            answer = self._query(domain, "MX", deadline)
        except dns.resolver.NXDOMAIN:
            return MailRoute(Answer.NXDOMAIN, (), f"{domain} does not exist (NXDOMAIN)")
        except dns.resolver.NoAnswer:
            return self._fallback(domain, deadline)
        except dns.exception.DNSException as exc:
            return MailRoute(Answer.ERROR, (), f"MX look-up of {domain} failed: {_why(exc)}")
        records = sorted(
            (int(r.preference), r.exchange.to_text(omit_final_dot=True).lower())
            for r in answer
            if r.rdtype == dns.rdatatype.MX
        )
        real = [(pref, name) for pref, name in records if name not in ("", ".")]
        if not real:
            if records:
                return MailRoute(Answer.NULL_MX, (), f"{domain} publishes a null MX: it accepts no mail")
            return self._fallback(domain, deadline)
        hosts: list[MailHost] = []
        for pref, name in real[: self._max_hosts]:
            found = self.addresses(name, deadline)
            hosts.append(MailHost(name, pref, found.found, found.error or found.missing, bool(found.error)))
        listing = "; ".join(h.describe() for h in hosts)
        if any(h.addresses for h in hosts):
            return MailRoute(Answer.MX, tuple(hosts), f"MX {listing}")
        if not any(h.lookup_failed for h in hosts):
            return MailRoute(Answer.NO_MAIL_HOST, tuple(hosts), f"no MX host has an address: {listing}")
        return MailRoute(Answer.ERROR, tuple(hosts), f"MX host look-ups failed: {listing}")

    def _fallback(self, domain: str, deadline: float) -> MailRoute:
        found = self.addresses(domain, deadline)
        if found.found:
            host = MailHost(domain, 0, found.found)
            return MailRoute(
                Answer.A_FALLBACK, (host,), f"no MX; the domain's own address: {host.describe()}"
            )
        if found.error:
            return MailRoute(Answer.ERROR, (), f"no MX, and {found.error}")
        return MailRoute(Answer.NO_MAIL_HOST, (), f"no MX, and {found.missing}")


def _why(exc: dns.exception.DNSException) -> str:
    if isinstance(exc, dns.exception.Timeout):
        return "timed out"
    if isinstance(exc, dns.resolver.NoNameservers):
        return "no server answered (SERVFAIL or refused)"
    return str(exc) or type(exc).__name__
