"""Real DNS and SMTP servers on loopback addresses for the verification tests; nothing leaves the machine.

Zone (dnslib, UDP and TCP on 127.0.0.1:<dns port>; every other name is NXDOMAIN)::

    acme.example          MX 10 mx.acme.example -> 127.0.0.1      mailboxes: see POLICY
    catchall.example      MX 10 mx.catchall.example -> 127.0.0.1  accepts every recipient
    grey.example          MX 10 mx.grey.example -> 127.0.0.1      450 greylisted, always
    grey-once.example     MX 10 mx.grey-once.example -> 127.0.0.1 450 the first time per recipient
    policy.example        MX 10 mx.policy.example -> 127.0.0.1    550 5.7.1 (refuses the prober)
    random-grey.example   MX 10 mx.random-grey.example            accepts known, greylists the rest
    a-only.example        no MX, A 127.0.0.1                      the RFC 5321 fallback
    backup.example        MX 10 -> 127.0.0.6 (nothing listens), MX 20 -> 127.0.0.1
    nullmx.example        MX 0 .                                  RFC 7505: no mail
    nomail.example        TXT only                                no MX, no A
    dangling.example      MX 10 mx.gone.example (NXDOMAIN)
    servfail.example      SERVFAIL
    intranet.example      MX 10 -> 127.0.0.2                      not on the tests' allowlist
    dead.example          MX 10/20/30 -> 127.0.0.3/.4/.5          accept TCP, never speak
    mailinator.com        MX 10 -> 127.0.0.1                      on the shipped disposable list
    kestrel-finch.co.uk   MX 10 -> 127.0.0.1    a test site (tests/sites/site_kestrel.py): see POLICY
    alder-analytics.com   MX 10 -> 127.0.0.1    a test site: accepts every recipient (catch-all)

The SMTP server (aiosmtpd on 127.0.0.1:<smtp port>) answers ``RCPT TO`` by the recipient's domain
(``POLICY``), counts connections and records every command it saw; DATA is refused and counted.
The silent listeners on 127.0.0.2-5 use the SMTP port too and count the connections they accept;
nothing listens on 127.0.0.6.
"""

from __future__ import annotations

import socket
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from dnslib import AAAA, MX, QTYPE, RCODE, RR, TXT, A
from dnslib.server import BaseResolver, DNSLogger, DNSServer

ZONE: dict[str, dict[str, list[Any]]] = {
    "acme.example": {"MX": [(10, "mx.acme.example")]},
    "mx.acme.example": {"A": ["127.0.0.1"]},
    "catchall.example": {"MX": [(10, "mx.catchall.example")]},
    "mx.catchall.example": {"A": ["127.0.0.1"]},
    "grey.example": {"MX": [(10, "mx.grey.example")]},
    "mx.grey.example": {"A": ["127.0.0.1"]},
    "grey-once.example": {"MX": [(10, "mx.grey-once.example")]},
    "mx.grey-once.example": {"A": ["127.0.0.1"]},
    "policy.example": {"MX": [(10, "mx.policy.example")]},
    "mx.policy.example": {"A": ["127.0.0.1"]},
    "random-grey.example": {"MX": [(10, "mx.random-grey.example")]},
    "mx.random-grey.example": {"A": ["127.0.0.1"]},
    "a-only.example": {"A": ["127.0.0.1"]},
    "backup.example": {"MX": [(20, "mx2.backup.example"), (10, "mx1.backup.example")]},
    "mx1.backup.example": {"A": ["127.0.0.6"]},
    "mx2.backup.example": {"A": ["127.0.0.1"]},
    "nullmx.example": {"MX": [(0, ".")]},
    "nomail.example": {"TXT": ["v=spf1 -all"]},
    "dangling.example": {"MX": [(10, "mx.gone.example")]},
    "intranet.example": {"MX": [(10, "mx.intranet.example")]},
    "mx.intranet.example": {"A": ["127.0.0.2"]},
    "dead.example": {"MX": [(10, "mx1.dead.example"), (20, "mx2.dead.example"), (30, "mx3.dead.example")]},
    "mx1.dead.example": {"A": ["127.0.0.3"]},
    "mx2.dead.example": {"A": ["127.0.0.4"]},
    "mx3.dead.example": {"A": ["127.0.0.5"]},
    "mailinator.com": {"MX": [(10, "mx.mailinator.com")]},
    "mx.mailinator.com": {"A": ["127.0.0.1"]},
    "kestrel-finch.co.uk": {"MX": [(10, "mx.kestrel-finch.co.uk")]},
    "mx.kestrel-finch.co.uk": {"A": ["127.0.0.1"]},
    "alder-analytics.com": {"MX": [(10, "mx.alder-analytics.com")]},
    "mx.alder-analytics.com": {"A": ["127.0.0.1"]},
}
SERVFAIL = {"servfail.example"}

USER_UNKNOWN = "550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown in virtual mailbox table"
GREYLISTED = "450 4.2.0 <{rcpt}>: Recipient address rejected: Greylisted, see https://postgrey.example"
ACCEPTED = "250 2.1.5 Ok"
POLICY: dict[str, dict[str, str]] = {
    # domain -> mailbox -> reply; "*" is every other mailbox
    "acme.example": {
        "anna.schmidt": ACCEPTED,
        "jonas.weber": ACCEPTED,
        "info": ACCEPTED,
        "lena.fischer": ACCEPTED,
        "jürgen.bäumer": ACCEPTED,
        "voll": "452 4.2.2 <{rcpt}>: Mailbox full",
        "*": USER_UNKNOWN,
    },
    "catchall.example": {"*": ACCEPTED},
    "grey.example": {"*": GREYLISTED},
    "grey-once.example": {"paul.weber": ACCEPTED, "*": USER_UNKNOWN},
    "policy.example": {"*": "550 5.7.1 <{rcpt}>: Client host rejected: cannot find your reverse hostname"},
    "random-grey.example": {"mia.wolf": ACCEPTED, "*": GREYLISTED},
    "a-only.example": {"paul.meyer": ACCEPTED, "*": USER_UNKNOWN},
    "backup.example": {"eva.roth": ACCEPTED, "*": USER_UNKNOWN},
    "mailinator.com": {"*": ACCEPTED},
    # the crawled test sites: one mailbox of each kind on kestrel-finch, everything on alder
    "kestrel-finch.co.uk": {
        "olivia.hart": ACCEPTED,
        "grace.liu": ACCEPTED,
        "hello": ACCEPTED,
        "emma.silva": ACCEPTED,  # a person the site gives no address: her guessed one exists
        "sam.rivera": "452 4.2.2 <{rcpt}>: Mailbox full",
        "*": USER_UNKNOWN,  # n.patel@ among them: a colleague who left
    },
    "alder-analytics.com": {"*": ACCEPTED},
}
GREYLIST_ONCE = {"grey-once.example"}


def free_port(*, udp: bool = False, also_on: range = range(0)) -> int:
    """A TCP port free on 127.0.0.1 (and for UDP, with ``udp``), and on 127.0.0.N for N in ``also_on``."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
            tcp.bind(("127.0.0.1", 0))
            port = tcp.getsockname()[1]
            try:
                if udp:
                    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as dgram:
                        dgram.bind(("127.0.0.1", port))
                for last in also_on:
                    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as other:
                        other.bind((f"127.0.0.{last}", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port")


class ZoneResolver(BaseResolver):  # type: ignore[misc]
    """Answers from ``ZONE``; counts every question it is asked, by (name, type)."""

    def __init__(self) -> None:
        self.queries: Counter[tuple[str, str]] = Counter()
        self._lock = threading.Lock()

    def resolve(self, request: Any, handler: Any) -> Any:
        qname = str(request.q.qname).rstrip(".").lower()
        qtype = QTYPE[request.q.qtype]
        with self._lock:
            self.queries[(qname, qtype)] += 1
        reply = request.reply()
        if qname in SERVFAIL:
            reply.header.rcode = RCODE.SERVFAIL
            return reply
        records = ZONE.get(qname)
        if records is None:
            reply.header.rcode = RCODE.NXDOMAIN
            return reply
        for value in records.get(qtype, []):
            if qtype == "MX":
                rdata = MX(value[1], value[0])
            elif qtype == "A":
                rdata = A(value)
            elif qtype == "AAAA":
                rdata = AAAA(value)
            else:
                rdata = TXT(value)
            reply.add_answer(RR(qname, getattr(QTYPE, qtype), rdata=rdata, ttl=60))
        return reply


@dataclass
class SmtpLog:
    """What the SMTP server saw."""

    connections: int = 0
    helo: list[str] = field(default_factory=list)
    mail_from: list[str] = field(default_factory=list)
    mail_options: list[list[str]] = field(default_factory=list)
    rcpt: list[tuple[str, str]] = field(default_factory=list)  # (recipient, the first word of the reply)
    data: int = 0

    def rcpt_to(self, domain: str) -> list[str]:
        return [r for r, _ in self.rcpt if r.endswith("@" + domain)]


class PolicyHandler:
    """aiosmtpd handler: ``POLICY`` per recipient domain; greylists once on ``GREYLIST_ONCE`` domains."""

    def __init__(self, log: SmtpLog, lock: threading.Lock) -> None:
        self.log = log
        self.lock = lock
        self.seen: set[str] = set()

    async def handle_MAIL(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        with self.lock:
            self.log.helo.append(session.host_name or "")
            self.log.mail_from.append(address)
            self.log.mail_options.append(list(options))
        envelope.mail_from = address
        return "250 2.1.0 Ok"

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        local, _, domain = address.lower().rpartition("@")
        rules = POLICY.get(domain, {"*": "550 5.1.2 <{rcpt}>: Recipient domain not handled here"})
        reply = rules.get(local, rules["*"])
        with self.lock:
            if domain in GREYLIST_ONCE and address.lower() not in self.seen:
                self.seen.add(address.lower())
                reply = GREYLISTED
            self.log.rcpt.append((address.lower(), reply.split()[0]))
        if reply.startswith("2"):
            envelope.rcpt_tos.append(address)
        return reply.format(rcpt=address)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        with self.lock:
            self.log.data += 1
        return "554 5.7.0 This test server takes no messages"


class _CountingController(Controller):  # type: ignore[misc]
    def __init__(self, handler: PolicyHandler, on_connect: Any, **kwargs: Any) -> None:
        super().__init__(handler, **kwargs)
        self._on_connect = on_connect

    def factory(self) -> SMTP:
        on_connect = self._on_connect

        class CountingSMTP(SMTP):  # type: ignore[misc]
            def connection_made(self, transport: Any) -> None:
                on_connect()
                super().connection_made(transport)

        return CountingSMTP(self.handler, **self.SMTP_kwargs)


class SilentListener:
    """Accepts TCP connections on ``address:port`` and never says a word; counts what it accepted."""

    def __init__(self, address: str, port: int) -> None:
        self.accepted = 0
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((address, port))
        self._sock.listen(16)
        self._sock.settimeout(0.2)
        self._held: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted += 1
            self._held.append(conn)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        for conn in self._held:
            conn.close()
        self._sock.close()


class MailServers:
    """The DNS server, the SMTP server and the silent listeners, started together on one port."""

    def __init__(self) -> None:
        self.dns_port = free_port(udp=True)
        self.smtp_port = free_port(also_on=range(2, 7))
        self.resolver = ZoneResolver()
        quiet = DNSLogger("none", prefix=False)
        self._dns = [
            DNSServer(self.resolver, address="127.0.0.1", port=self.dns_port, logger=quiet),
            DNSServer(self.resolver, address="127.0.0.1", port=self.dns_port, tcp=True, logger=quiet),
        ]
        for server in self._dns:
            server.start_thread()
        self._lock = threading.Lock()
        self.smtp = SmtpLog()
        self.handler = PolicyHandler(self.smtp, self._lock)
        self._controller = _CountingController(
            self.handler, self._count, hostname="127.0.0.1", port=self.smtp_port, ready_timeout=10
        )
        self._controller.start()
        self.silent = {last: SilentListener(f"127.0.0.{last}", self.smtp_port) for last in (2, 3, 4, 5)}
        self.reset()

    def _count(self) -> None:
        with self._lock:
            self.smtp.connections += 1

    def reset(self) -> None:
        """Forget what was seen (the controller's own start-up check included)."""
        with self._lock:
            self.smtp.connections = 0
            self.smtp.helo.clear()
            self.smtp.mail_from.clear()
            self.smtp.mail_options.clear()
            self.smtp.rcpt.clear()
            self.smtp.data = 0
        self.handler.seen.clear()
        self.resolver.queries.clear()
        for listener in self.silent.values():
            listener.accepted = 0

    def close(self) -> None:
        self._controller.stop()
        for server in self._dns:
            server.stop()
        for listener in self.silent.values():
            listener.close()


class _FailEverything(BaseResolver):  # type: ignore[misc]
    def resolve(self, request: Any, handler: Any) -> Any:
        reply = request.reply()
        reply.header.rcode = RCODE.SERVFAIL
        return reply


class FailingDns:
    """A DNS server on 127.0.0.1 that answers every question SERVFAIL, at once: where verification
    asks when a test has not pointed it at a zone of its own, so no look-up leaves the machine and
    every address comes out ``unknown`` without waiting for a timeout."""

    def __init__(self) -> None:
        self.port = free_port(udp=True)
        quiet = DNSLogger("none", prefix=False)
        self._servers = [
            DNSServer(_FailEverything(), address="127.0.0.1", port=self.port, logger=quiet),
            DNSServer(_FailEverything(), address="127.0.0.1", port=self.port, tcp=True, logger=quiet),
        ]
        for server in self._servers:
            server.start_thread()

    def close(self) -> None:
        for server in self._servers:
            server.stop()
