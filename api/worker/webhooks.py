"""Webhook delivery: secrets and signatures, one guarded HTTP attempt, retries, and the outbox fan-out."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
import random
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

import urllib3
from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from crawler.netguard import (
    PLATFORM_REFUSAL,
    WEBHOOK_ALLOW_ENV,
    GuardRefused,
    NetworkGuardError,
    NetworkPolicy,
    Resolver,
    checked_pool,
    host_with_port,
    parse_ip_literal,
)
from db.models import Lead, OutboxEvent, Webhook, WebhookDelivery
from db.outbox import COMPANY_SIGNAL_DETECTED, LEAD_QUALIFIED
from db.privacy import contact_suppressed, delete_leads

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Webhook-Signature"
USER_AGENT = "LeadScraper-Webhooks/1.0"
TIMEOUT = 10.0  # seconds for connect and for the answer
# After the first attempt: ~2.95 days of retries, growing roughly exponentially (each ±20% jitter).
RETRY_DELAYS = tuple(
    timedelta(seconds=s) for s in (30, 120, 600, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 86400)
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
MAX_RETRY_AFTER = timedelta(hours=24)
# A claimed delivery is someone's for this long; a worker that dies mid-attempt loses it to another.
CLAIM_LEASE = timedelta(seconds=TIMEOUT * 3 + 30)


def new_secret() -> str:
    """``whsec_`` + base64 of 24 random bytes (the Standard Webhooks secret form)."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def standard_key(secret: str) -> bytes:
    """The Standard Webhooks HMAC key: the base64 part after ``whsec_`` decoded."""
    try:
        return base64.b64decode(secret.removeprefix("whsec_"), validate=True)
    except (binascii.Error, ValueError):
        return secret.encode()


def payload_body(payload: dict[str, Any]) -> bytes:
    """The exact bytes sent (and signed): compact JSON, UTF-8."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def signed_headers(secret: str, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The documented ``X-Webhook-Signature`` and the Standard Webhooks set.

    ``X-Webhook-Signature``: hex HMAC-SHA256 of the raw body keyed with the whole secret string, as the
    API documentation's Node.js snippet computes it. ``webhook-signature``: ``v1,`` + base64 HMAC-SHA256 of
    ``{webhook-id}.{webhook-timestamp}.{body}`` keyed with the decoded secret, so receivers can refuse
    replays (old timestamps, seen ids) with any Standard Webhooks library.
    """
    spec_sig = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    signed = f"{message_id}.{timestamp}.".encode() + body
    std_sig = base64.b64encode(hmac.new(standard_key(secret), signed, hashlib.sha256).digest()).decode()
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: spec_sig,
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": f"v1,{std_sig}",
    }


@dataclass(frozen=True)
class AttemptResult:
    """What one POST did: the status code (None when there was no answer), time taken, why it failed."""

    status_code: int | None
    latency_ms: int
    error: str | None = None
    retry_after: timedelta | None = None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def parse_retry_after(value: str | None, now: datetime) -> timedelta | None:
    """``Retry-After`` as a delay: delta-seconds or an HTTP date, bounded to ``MAX_RETRY_AFTER``;
    None for a value that is neither (a receiver's header never breaks the worker)."""
    if not value:
        return None
    value = value.strip()
    if re.fullmatch(r"[0-9]{1,30}", value):
        # compared as an integer first: 10**20 seconds is no timedelta (OverflowError)
        return min(timedelta(seconds=min(int(value), int(MAX_RETRY_AFTER.total_seconds()))), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, OverflowError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    try:
        return min(max(timedelta(0), when - now), MAX_RETRY_AFTER)
    except OverflowError:
        return MAX_RETRY_AFTER


def _pool(scheme: str, address: str, port: int, host: str, timeout: float) -> urllib3.HTTPConnectionPool:
    """Connect to the checked address, but verify the certificate (and send SNI) for the name."""
    return checked_pool(scheme, address, port, host, timeout)


def _failure(exc: Exception, timeout: float) -> str:
    """A generic reason for a failed connection: what went wrong, never what the other side said."""
    if isinstance(exc, urllib3.exceptions.ConnectTimeoutError):
        return f"timeout: no connection within {timeout:g} s"
    if isinstance(exc, urllib3.exceptions.ReadTimeoutError):
        return f"timeout: no answer within {timeout:g} s"
    if isinstance(exc, urllib3.exceptions.SSLError):
        return "TLS error: the receiver's certificate was not accepted"
    if isinstance(exc, urllib3.exceptions.NewConnectionError):
        return "connection refused or unreachable"
    if isinstance(exc, urllib3.exceptions.ProtocolError):
        return "connection closed without a valid HTTP answer"
    return f"request failed ({type(exc).__name__})"


def _status_reason(code: int) -> str:
    """The delivery log's reason for a non-2xx answer: its code and standard phrase only (the
    receiver's body and ``Location`` stay out of the log: they may be internal)."""
    if 300 <= code < 400:
        return f"HTTP {code}: redirects are not followed"
    try:
        return f"HTTP {code} {HTTPStatus(code).phrase}"
    except ValueError:
        return f"HTTP {code}"


def guard_refusal(policy: NetworkPolicy, host: str, port: int, exc: GuardRefused) -> str:
    """The delivery log's reason for a refused receiver, naming the host as registered: a name's
    resolved addresses (perhaps internal ones) are not shown."""
    if parse_ip_literal(host) is not None:
        return f"refused by the network guard: {exc.reason}"
    if PLATFORM_REFUSAL in exc.reason:
        where = host_with_port(host, port)
        return f"refused by the network guard: {where} resolves to one of this platform's own services"
    return (
        f"refused by the network guard: {host} resolves to an address that is not a public address; "
        f"to allow it, add its network to {policy.setting}"
    )


def post_webhook(
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    policy: NetworkPolicy,
    timeout: float = TIMEOUT,
    resolver: Resolver | None = None,
    now: datetime | None = None,
) -> AttemptResult:
    """POST ``body`` to ``url``: the one way a webhook leaves this system.

    The host is resolved once and every address checked by the network guard (``policy``: the
    webhook allowlist and the platform's own services, by address and port); the connection goes
    to a checked address (never re-resolved: no DNS rebinding). Redirects are not followed.
    """
    started = time.monotonic()

    def took() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError:
        return AttemptResult(None, took(), "not an http(s) URL")
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    if scheme not in ("http", "https") or not host:
        return AttemptResult(None, took(), "not an http(s) URL")
    reason = policy.host_reason(host, port)
    if reason is not None:
        return AttemptResult(None, took(), f"refused by the network guard: {reason}")
    try:
        addresses = policy.resolve(host, port, **({"resolver": resolver} if resolver is not None else {}))
    except GuardRefused as exc:
        return AttemptResult(None, took(), guard_refusal(policy, host, port, exc))
    except NetworkGuardError:
        return AttemptResult(None, took(), f"DNS lookup failed: {host} does not resolve")
    default_port = (scheme == "https" and port == 443) or (scheme == "http" and port == 80)
    host_header = (f"[{host}]" if ":" in host else host) + ("" if default_port else f":{port}")
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    error = "no address answered"
    for address in addresses:
        pool = _pool(scheme, str(address), port, host, timeout)
        try:
            response = pool.urlopen(
                "POST",
                target,
                body=body,
                headers={**headers, "Host": host_header},
                redirect=False,
                retries=False,
                preload_content=False,
                assert_same_host=False,
            )
        except urllib3.exceptions.HTTPError as exc:
            error = _failure(exc, timeout)
            continue
        finally:
            pool.close()
        response.release_conn()  # the body is never read: it stays with the receiver
        code = response.status
        if 200 <= code < 300:
            return AttemptResult(code, took())
        retry_after = None
        if code in (429, 503):
            retry_after = parse_retry_after(response.headers.get("Retry-After"), now or _utcnow())
        return AttemptResult(code, took(), _status_reason(code), retry_after)
    return AttemptResult(None, took(), error)


def _utcnow() -> datetime:
    from db.types import utcnow

    return utcnow()


def default_jitter(delay: timedelta) -> timedelta:
    """±20%, so endpoints that failed together are not retried together."""
    return delay * random.uniform(0.8, 1.2)


def dispatch_outbox(session: Session, now: datetime, limit: int = 200) -> int:
    """Fan new outbox events out to one delivery per subscribed active endpoint; returns events taken.

    Marking an event dispatched and creating its deliveries is one transaction (the caller commits):
    a crash before the commit leaves the event for the next pass; a conditional UPDATE (plus
    ``SKIP LOCKED`` on PostgreSQL) keeps two dispatchers from both taking it.
    """
    stmt = (
        select(OutboxEvent.id, OutboxEvent.account_id, OutboxEvent.event_type)
        .where(OutboxEvent.dispatched_at.is_(None))
        .order_by(OutboxEvent.created_at, OutboxEvent.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    events = session.execute(stmt).all()
    taken = 0
    hooks_by_account: dict[str, list[tuple[str, list[str]]]] = {}
    for event_id, account_id, event_type in events:
        marked = session.execute(
            update(OutboxEvent)
            .where(OutboxEvent.id == event_id, OutboxEvent.dispatched_at.is_(None))
            .values(dispatched_at=now)
        )
        if marked.rowcount != 1:  # type: ignore[attr-defined]
            continue
        taken += 1
        if account_id not in hooks_by_account:
            hooks_by_account[account_id] = [
                (hid, list(events_ or []))
                for hid, events_ in session.execute(
                    select(Webhook.id, Webhook.events).where(
                        Webhook.account_id == account_id, Webhook.is_active.is_(True)
                    )
                )
            ]
        rows = [
            {
                "id": _delivery_id(),
                "webhook_id": hid,
                "event_id": event_id,
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": now,
                "attempt_log": [],
                "created_at": now,
            }
            for hid, subscribed in hooks_by_account[account_id]
            if event_type in subscribed
        ]
        if rows:
            session.execute(insert(WebhookDelivery), rows)
    return taken


def _delivery_id() -> str:
    from db.types import new_id

    return new_id("dlv")


def claim_deliveries(session: Session, now: datetime, limit: int = 20) -> list[str]:
    """Take up to ``limit`` due deliveries to active endpoints by moving their next attempt one lease
    ahead; another worker sees them again only if this one dies before recording the attempt."""
    stmt = (
        select(WebhookDelivery.id, WebhookDelivery.next_attempt_at)
        .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
        .where(
            WebhookDelivery.status == "pending",
            WebhookDelivery.next_attempt_at <= now,
            Webhook.is_active.is_(True),
        )
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True, of=WebhookDelivery)
    claimed = []
    for delivery_id, due in session.execute(stmt).all():
        result = session.execute(
            update(WebhookDelivery)
            .where(
                WebhookDelivery.id == delivery_id,
                WebhookDelivery.status == "pending",
                WebhookDelivery.next_attempt_at == due,
            )
            .values(next_attempt_at=now + CLAIM_LEASE)
        )
        if result.rowcount == 1:  # type: ignore[attr-defined]
            claimed.append(delivery_id)
    return claimed


@dataclass
class DeliverySettings:
    """How the worker delivers: the network guard, timeout, clock, jitter and resolver (tests swap them)."""

    policy: NetworkPolicy = field(default_factory=lambda: NetworkPolicy(setting=WEBHOOK_ALLOW_ENV))
    timeout: float = TIMEOUT
    clock: Callable[[], datetime] = _utcnow
    jitter: Callable[[timedelta], timedelta] = default_jitter
    resolver: Resolver | None = None


def suppressed_event(session: Session, event: OutboxEvent) -> bool:
    """A ``lead.qualified`` event whose contact (email, its domain, phone) is now suppressed, or a
    ``company.signal_detected`` event of a company whose domain is."""
    if event.event_type == COMPANY_SIGNAL_DETECTED:
        company_domain = ((event.payload or {}).get("data") or {}).get("domain")
        return contact_suppressed(session, event.account_id, None, None, company_domain)
    if event.event_type != LEAD_QUALIFIED:
        return False
    data = (event.payload or {}).get("data") or {}
    domain = session.scalar(select(Lead.company_domain).where(Lead.id == data.get("lead_id")))
    return contact_suppressed(session, event.account_id, data.get("email"), data.get("phone"), domain)


def attempt_delivery(sessions: sessionmaker[Session], delivery_id: str, settings: DeliverySettings) -> str:
    """Make one attempt of a claimed delivery and record it; returns the delivery's new status."""
    with sessions() as session:
        row = session.execute(
            select(WebhookDelivery, Webhook, OutboxEvent)
            .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
            .join(OutboxEvent, OutboxEvent.id == WebhookDelivery.event_id)
            .where(WebhookDelivery.id == delivery_id)
        ).first()
        if row is None:
            return "gone"
        _delivery, hook, event = row
        if suppressed_event(session, event):
            # Erasure/opt-out after the event was written: the person's data is never sent.
            lead_id = event.payload["data"].get("lead_id")
            delete_leads(session, event.account_id, [lead_id] if lead_id else [])
            session.execute(delete(WebhookDelivery).where(WebhookDelivery.event_id == event.id))
            session.execute(delete(OutboxEvent).where(OutboxEvent.id == event.id))
            session.commit()
            return "suppressed"
        url, secret = hook.url, hook.secret
        body = payload_body(event.payload)
    now = settings.clock()
    headers = signed_headers(secret, event.id, int(now.timestamp()), body)
    result = post_webhook(
        url,
        body,
        headers,
        policy=settings.policy,
        timeout=settings.timeout,
        resolver=settings.resolver,
        now=now,
    )
    return record_attempt(sessions, delivery_id, result, now, settings)


def record_attempt(
    sessions: sessionmaker[Session],
    delivery_id: str,
    result: AttemptResult,
    now: datetime,
    settings: DeliverySettings,
) -> str:
    with sessions() as session:
        delivery = session.get(WebhookDelivery, delivery_id)
        if delivery is None:
            return "gone"
        hook = session.get(Webhook, delivery.webhook_id)
        assert hook is not None
        delivery.attempts += 1
        entry: dict[str, Any] = {
            "attempt": len(delivery.attempt_log or []) + 1,
            "at": now.isoformat().replace("+00:00", "Z"),
            "outcome": "succeeded" if result.ok else "failed",
            "response_code": result.status_code,
            "latency_ms": result.latency_ms,
            "error": result.error,
        }
        delivery.response_code = result.status_code
        delivery.latency_ms = result.latency_ms
        delivery.error = result.error
        hook.last_triggered_at = now
        if result.ok:
            delivery.status = "succeeded"
            delivery.delivered_at = now
            delivery.next_attempt_at = None
            hook.failing_since = None
        elif result.status_code == 410:
            # The receiver says the endpoint is gone for good: stop sending to it.
            delivery.status = "failed"
            delivery.next_attempt_at = None
            hook.is_active = False
            hook.disabled_reason = f"disabled after HTTP 410 Gone on {entry['at']}"
            hook.failing_since = hook.failing_since or now
            session.execute(
                update(WebhookDelivery)
                .where(
                    WebhookDelivery.webhook_id == hook.id,
                    WebhookDelivery.status == "pending",
                    WebhookDelivery.id != delivery.id,
                )
                .values(status="failed", next_attempt_at=None, error="endpoint disabled (HTTP 410 Gone)")
            )
        elif delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = "failed"
            delivery.next_attempt_at = None
            hook.failing_since = hook.failing_since or now
            entry["final"] = True
        else:
            delay = settings.jitter(RETRY_DELAYS[min(delivery.attempts, len(RETRY_DELAYS)) - 1])
            if result.retry_after is not None:
                delay = min(max(result.retry_after, timedelta(seconds=1)), MAX_RETRY_AFTER)
            delivery.next_attempt_at = now + delay
            entry["next_attempt_at"] = delivery.next_attempt_at.isoformat().replace("+00:00", "Z")
        delivery.attempt_log = [*(delivery.attempt_log or []), entry]
        session.commit()
        if not result.ok:
            log.info("webhook %s delivery %s: %s", hook.id, delivery_id, result.error)
        return delivery.status
