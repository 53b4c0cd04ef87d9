"""The verifier's settings: plain values, validated once, readable from the environment."""

from __future__ import annotations

import dataclasses
import ipaddress
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from crawler.netguard import (
    ALLOW_ENV,
    PLATFORM_ENV,
    Endpoint,
    IPNetwork,
    NetworkPolicy,
    PlatformEndpoints,
    endpoints_from_dicts,
    parse_allowlist,
    parse_endpoints,
)
from crawler.verify.errors import VerifierConfigError

PROBE_ENV = "LEADSCRAPER_SMTP_PROBE"
_YES = {"1", "true", "yes", "on"}
_NO = {"", "0", "false", "no", "off"}


@dataclass(frozen=True)
class VerifierConfig:
    """How a :class:`~crawler.verify.Verifier` checks addresses.

    The defaults send nothing but DNS queries to the system resolver: the SMTP probe is off until an
    operator turns it on (``LEADSCRAPER_SMTP_PROBE=1``), because outbound port 25 is closed on most
    clouds and a probe from an address without reverse DNS is refused by many mail hosts anyway.

    * ``nameservers`` / ``dns_port``: DNS servers to ask (IP addresses); empty means the system's.
    * ``dns_timeout``: seconds for one DNS query (bounded by the time left in the budget).
    * ``smtp_probe``: run the ``RCPT TO`` probe and the catch-all test.
    * ``smtp_port``: the mail hosts' port (25; tests point it at their own server).
    * ``helo_name`` / ``mail_from``: what the probe introduces itself as. Empty ``helo_name`` means
      this machine's FQDN; empty ``mail_from`` sends the null sender ``MAIL FROM:<>``. Operators
      should use a domain they own whose address has matching reverse DNS.
    * ``connect_timeout``: seconds for the TCP connect and for each SMTP reply.
    * ``budget_seconds``: the whole verification of one address (DNS + every SMTP attempt).
    * ``max_probes_per_host_per_second``: SMTP connections per mail host per second, for the
      verifier's lifetime (one job).
    * ``max_mx_hosts``: how many MX hosts, by preference, are looked up and tried.
    * ``greylist_retry_delay``: seconds to wait before one retry of a greylisted (450/451)
      recipient, when the budget allows; 0 turns the retry off.
    * ``allowlist``: networks the guard lets the probe reach although they are not public
      (``LEADSCRAPER_ALLOW_PRIVATE_NETWORKS``); tests and intranets only.
    * ``platform``: the platform's own services (database, Redis, scrapyd, the API). Never probed,
      whatever the allowlist says: a mail host that resolves to one of them on the probe's port is
      refused like a private address (``LEADSCRAPER_PLATFORM_ENDPOINTS``, plus what the crawler or
      the API knows of itself: see :meth:`with_platform`).
    """

    nameservers: tuple[str, ...] = ()
    dns_port: int = 53
    dns_timeout: float = 5.0
    smtp_probe: bool = False
    smtp_port: int = 25
    helo_name: str = ""
    mail_from: str = ""
    connect_timeout: float = 10.0
    budget_seconds: float = 30.0
    max_probes_per_host_per_second: float = 1.0
    max_mx_hosts: int = 3
    greylist_retry_delay: float = 0.0
    allowlist: tuple[IPNetwork, ...] = ()
    platform: tuple[Endpoint, ...] = ()

    def __post_init__(self) -> None:
        for server in self.nameservers:
            try:
                ipaddress.ip_address(server)
            except ValueError:
                raise VerifierConfigError(f"nameserver {server!r} is not an IP address") from None
        for name in ("dns_port", "smtp_port"):
            port = getattr(self, name)
            if not 0 < port < 65536:
                raise VerifierConfigError(f"{name} must be between 1 and 65535, not {port}")
        for name in ("dns_timeout", "connect_timeout", "budget_seconds", "max_probes_per_host_per_second"):
            if not getattr(self, name) > 0:
                raise VerifierConfigError(f"{name} must be positive, not {getattr(self, name)}")
        if self.greylist_retry_delay < 0:
            raise VerifierConfigError("greylist_retry_delay must not be negative")
        if self.max_mx_hosts < 1:
            raise VerifierConfigError("max_mx_hosts must be at least 1")
        if self.mail_from and ("@" not in self.mail_from or any(c in self.mail_from for c in "<> \r\n")):
            raise VerifierConfigError(f"mail_from {self.mail_from!r} is not a bare address")
        if any(c in self.helo_name for c in " \r\n"):
            raise VerifierConfigError(f"helo_name {self.helo_name!r} is not a host name")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> VerifierConfig:
        """The settings from ``LEADSCRAPER_*`` variables (crawler/verify/README.md); unset ones keep defaults.

        ``LEADSCRAPER_SMTP_PROBE`` (1/0), ``LEADSCRAPER_SMTP_HELO``, ``LEADSCRAPER_SMTP_MAIL_FROM``,
        ``LEADSCRAPER_SMTP_PORT``, ``LEADSCRAPER_SMTP_TIMEOUT``, ``LEADSCRAPER_SMTP_RATE`` (probes
        per mail host per second), ``LEADSCRAPER_SMTP_GREYLIST_RETRY`` (seconds),
        ``LEADSCRAPER_VERIFY_BUDGET`` (seconds per address), ``LEADSCRAPER_DNS_NAMESERVERS``
        (comma-separated IPs), ``LEADSCRAPER_DNS_PORT``, and the guard's
        ``LEADSCRAPER_ALLOW_PRIVATE_NETWORKS``.
        """
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        probe = env.get(PROBE_ENV, "").strip().lower()
        if probe in _YES:
            values["smtp_probe"] = True
        elif probe not in _NO:
            raise VerifierConfigError(f"{PROBE_ENV} must be 1 or 0, not {probe!r}")
        for var, key in (("LEADSCRAPER_SMTP_HELO", "helo_name"), ("LEADSCRAPER_SMTP_MAIL_FROM", "mail_from")):
            if env.get(var, "").strip():
                values[key] = env[var].strip()
        for var, key, kind in (
            ("LEADSCRAPER_SMTP_PORT", "smtp_port", int),
            ("LEADSCRAPER_DNS_PORT", "dns_port", int),
            ("LEADSCRAPER_SMTP_TIMEOUT", "connect_timeout", float),
            ("LEADSCRAPER_SMTP_RATE", "max_probes_per_host_per_second", float),
            ("LEADSCRAPER_SMTP_GREYLIST_RETRY", "greylist_retry_delay", float),
            ("LEADSCRAPER_VERIFY_BUDGET", "budget_seconds", float),
        ):
            raw = env.get(var, "").strip()
            if raw:
                try:
                    values[key] = kind(raw)
                except ValueError:
                    raise VerifierConfigError(f"{var} must be a number, not {raw!r}") from None
        servers = env.get("LEADSCRAPER_DNS_NAMESERVERS", "")
        if servers.strip():
            values["nameservers"] = tuple(s.strip() for s in servers.split(",") if s.strip())
        try:
            values["allowlist"] = parse_allowlist(env.get(ALLOW_ENV))
        except ValueError as exc:
            raise VerifierConfigError(f"{ALLOW_ENV}: {exc}") from None
        try:
            values["platform"] = tuple(parse_endpoints(env.get(PLATFORM_ENV)))
        except ValueError as exc:
            raise VerifierConfigError(str(exc)) from None
        return cls(**values)  # type: ignore[arg-type]

    def with_platform(self, endpoints: Iterable[Endpoint | Mapping[str, object]]) -> VerifierConfig:
        """The same settings, with more of the platform's services to refuse (``Endpoint`` values or
        their ``{"host", "port", "source"}`` dicts, as the crawler's settings carry them)."""
        rows = list(endpoints)
        found = [e for e in rows if isinstance(e, Endpoint)]
        found += endpoints_from_dicts([e for e in rows if not isinstance(e, Endpoint)])
        return dataclasses.replace(self, platform=tuple(dict.fromkeys((*self.platform, *found))))

    def policy(self) -> NetworkPolicy:
        """The network guard every probe connection passes: the crawler's rule (public addresses,
        ``allowlist``, never the platform's services), the same code as every other outbound path."""
        return NetworkPolicy(self.allowlist, PlatformEndpoints(self.platform), ALLOW_ENV)
