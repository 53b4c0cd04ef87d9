"""The webhook guarantees, end to end against a real receiver on 127.0.0.1.

Every event type arrives signed both ways; a receiver that fails and then recovers ends up with every
event id exactly once (nothing re-sent after a 2xx); a worker process killed with SIGKILL in the middle
of its requests loses nothing: another worker re-sends the same event ids once the claim lease is over.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.worker.runner import Worker
from api.worker.webhooks import CLAIM_LEASE
from crawler.netguard import parse_allowlist
from db.accounts import create_account
from db.credits import add_credits, debit_job_credits
from db.jobs import create_job, finish_job
from db.models import Account, Company, Lead, OutboxEvent, Webhook, WebhookDelivery
from db.outbox import (
    CREDIT_LOW,
    EVENT_TYPES,
    JOB_COMPLETED,
    JOB_FAILED,
    LEAD_QUALIFIED,
    record_lead_qualified,
)
from db.signal_history import apply_signal_history
from db.types import utcnow
from tests.api.test_webhook_delivery import NODE_VERIFY

pytestmark = pytest.mark.db
ALLOW = parse_allowlist("127.0.0.1/32")
REPO_ROOT = Path(__file__).resolve().parents[2]
HOLD = -1  # a decision: keep the request open, never answer it


@dataclass
class Got:
    path: str
    headers: dict[str, str]
    body: bytes
    status: int | None = None  # what the receiver answered (None: held, never answered)

    @property
    def event_id(self) -> str:
        return self.headers["webhook-id"]


@dataclass
class Receiver:
    """Records every POST; ``decide(path, n)`` (n: requests to that path so far, this one included)
    picks the answer. Paths live under a random prefix: a stray request (another test's leftover
    delivery to a port the OS has since given to this receiver) is answered 404 and not recorded."""

    port: int = 0
    prefix: str = field(default_factory=lambda: f"/{uuid.uuid4().hex}")
    got: list[Got] = field(default_factory=list)
    decide: Callable[[str, int], int] = lambda _path, _n: 200
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{self.prefix}{path}"

    def at(self, path: str) -> list[Got]:
        with self.lock:
            return [g for g in self.got if g.path == path]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            path = self.path.removeprefix(state.prefix)
            got = Got(path, {k.lower(): v for k, v in self.headers.items()}, body)
            with state.lock:
                if path == self.path:
                    status = 404
                else:
                    state.got.append(got)
                    status = state.decide(path, sum(1 for g in state.got if g.path == path))
                    got.status = None if status == HOLD else status
            if status == HOLD:
                state.release.wait(60)
                return  # the connection closes unanswered
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    state.release.set()
    server.shutdown()
    server.server_close()


class Clock:
    def __init__(self, now: datetime | None = None) -> None:
        self.now = now or utcnow()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


def _no_dns(*_: Any) -> Any:
    raise OSError("tests resolve no names")


def _worker(database_url: str, clock: Callable[[], datetime], tmp_path: Path) -> Worker:
    return Worker(
        database_url,
        clock=clock,
        jitter=lambda d: d,
        allow=ALLOW,
        directory=tmp_path,
        resolver=_no_dns,
        timeout=5,
        scrapyd=None,
    )


def _account(db: Session) -> str:
    # pro: 10,000 monthly credits, all granted, so a debit can cross the 20% line (credit.low).
    account = create_account(db, f"{uuid.uuid4().hex[:10]}@acme-robotics.com", plan="pro")
    db.commit()
    return account.id


def _webhook(db: Session, account_id: str, url: str) -> Webhook:
    hook = Webhook(
        account_id=account_id,
        url=url,
        events=list(EVENT_TYPES),
        secret="whsec_" + base64.b64encode(os.urandom(24)).decode(),
        is_active=True,
    )
    db.add(hook)
    db.commit()
    return hook


def _produce_every_event(db: Session, account_id: str) -> dict[str, str]:
    """One new event of each type, each made by the code path that makes it in production; ids by type.

    The balance is first topped up to the plan's 10,000 so the debit crosses the 20% line (credit.low).
    """
    account = db.get(Account, account_id)
    assert account is not None
    db.refresh(account)
    if account.credit_balance < 10_000:
        add_credits(db, account_id, 10_000 - account.credit_balance, "purchase", "top-up")
    before = _events_of(db, account_id)
    done = create_job(db, account_id, "bulk", ["https://acme-robotics.com/"])
    done.successful_urls, done.leads_found = 1, 1
    finish_job(db, done.id, "completed")
    failed = create_job(db, account_id, "bulk", ["https://acme-robotics.com/"])
    finish_job(db, failed.id, "failed", "every URL failed")
    lead = Lead(
        account_id=account_id,
        identity_key=f"email:{uuid.uuid4().hex[:8]}@acme-robotics.com",
        contact_type="personal",
        email=f"renee.{uuid.uuid4().hex[:8]}@acme-robotics.com",
        full_name="Renée Dupont",
        lead_score=88,
        lead_status="hot",
        job_id=done.id,
    )
    db.add(lead)
    db.flush()
    record_lead_qualified(db, account_id, [lead.id], job_id=done.id)
    # a re-crawl (a job newer than the company) finds a signal the company did not show
    company = Company(account_id=account_id, domain=f"{uuid.uuid4().hex[:8]}.example", name="Acme")
    company.created_at = done.created_at - timedelta(days=1)
    db.add(company)
    db.flush()
    hiring = {"name": "hiring", "url": f"https://{company.domain}/careers", "confidence": 0.9}
    apply_signal_history(
        db, account_id, {company.domain: [hiring]}, set(), job_id=done.id,
        job_created_at=done.created_at, now=utcnow(),
    )  # fmt: skip
    assert debit_job_credits(db, account_id, done.id, 8_500)  # 10,000 -> 1,500: below 20%
    db.commit()
    rows = db.execute(
        select(OutboxEvent.event_type, OutboxEvent.id).where(
            OutboxEvent.account_id == account_id, OutboxEvent.id.not_in(before)
        )
    ).all()
    by_type = {t: i for t, i in rows}
    assert len(rows) == len(by_type) == 5 and set(by_type) == set(EVENT_TYPES)
    return by_type


def _events_of(db: Session, account_id: str) -> set[str]:
    return set(db.scalars(select(OutboxEvent.id).where(OutboxEvent.account_id == account_id)))


def _deliveries(db: Session, webhook_id: str) -> list[WebhookDelivery]:
    db.expire_all()
    return list(db.scalars(select(WebhookDelivery).where(WebhookDelivery.webhook_id == webhook_id)))


def _signatures_ok(got: Got, secret: str) -> bool:
    """Both signatures, checked the way a receiver would: the spec's hex HMAC and Standard Webhooks."""
    spec = hmac.new(secret.encode(), got.body, hashlib.sha256).hexdigest()
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{got.headers['webhook-id']}.{got.headers['webhook-timestamp']}.".encode() + got.body
    std = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return hmac.compare_digest(got.headers["x-webhook-signature"], spec) and any(
        hmac.compare_digest(s, f"v1,{std}") for s in got.headers["webhook-signature"].split(" ")
    )


def test_every_event_type_reaches_a_receiver_that_checks_both_signatures(
    db: Session, receiver: Receiver, database_url: str, tmp_path: Path
) -> None:
    account_id = _account(db)
    hook = _webhook(db, account_id, receiver.url("/crm"))
    ids = _produce_every_event(db, account_id)
    clock = Clock()
    _worker(database_url, clock, tmp_path).run_until_idle()

    got = receiver.at("/crm")
    assert sorted(g.event_id for g in got) == sorted(ids.values())  # each once
    node = shutil.which("node")
    other_secret = "whsec_" + base64.b64encode(os.urandom(24)).decode()
    for g in got:
        assert _signatures_ok(g, hook.secret), g.headers
        assert not _signatures_ok(g, other_secret)  # the check does refuse a wrong secret
        assert int(g.headers["webhook-timestamp"]) == int(clock.now.timestamp())
        payload = json.loads(g.body)
        assert set(payload) == {"event", "timestamp", "data"}
        assert ids[payload["event"]] == g.event_id
        if node is not None:  # the spec's own Node.js verification function, verbatim
            (tmp_path / "body").write_bytes(g.body)
            (tmp_path / "headers.json").write_text(json.dumps(g.headers))
            (tmp_path / "verify.js").write_text(NODE_VERIFY)
            out = subprocess.run(
                [node, str(tmp_path / "verify.js"), str(tmp_path / "body"), str(tmp_path / "headers.json"),
                 hook.secret],
                capture_output=True, text=True, timeout=30, check=True,
            )  # fmt: skip
            assert json.loads(out.stdout) == {"spec": True, "standard": True}, payload["event"]
    data = {json.loads(g.body)["event"]: json.loads(g.body)["data"] for g in got}
    assert data[JOB_COMPLETED]["leads_found"] == 1
    assert data[JOB_FAILED]["status"] == "failed" and data[JOB_FAILED]["failure_reason"] == "every URL failed"
    assert data[LEAD_QUALIFIED]["lead_score"] == 88 and data[LEAD_QUALIFIED]["full_name"] == "Renée Dupont"
    assert data[CREDIT_LOW]["balance"] == 1_500 and data[CREDIT_LOW]["threshold"] == 2_000
    assert {d.status for d in _deliveries(db, hook.id)} == {"succeeded"}


def test_a_receiver_that_fails_then_recovers_gets_every_event_exactly_once(
    db: Session, receiver: Receiver, database_url: str, tmp_path: Path
) -> None:
    account_id = _account(db)
    hook = _webhook(db, account_id, receiver.url("/flaky"))
    for _ in range(3):
        _produce_every_event(db, account_id)
    events = _events_of(db, account_id)
    assert len(events) == 3 * len(EVENT_TYPES) == 15
    # Down (HTTP 500) for its first 36 requests, then fine: two full rounds fail, the third partly.
    receiver.decide = lambda _path, n: 500 if n <= 36 else 200
    clock = Clock()
    worker = _worker(database_url, clock, tmp_path)
    worker.run_until_idle()
    for _ in range(48):  # a day in half hours: far past the backoff any of them reached
        if {d.status for d in _deliveries(db, hook.id)} == {"succeeded"}:
            break
        clock.advance(timedelta(minutes=30))
        worker.run_until_idle()
    assert {d.status for d in _deliveries(db, hook.id)} == {"succeeded"}
    delivered_then = len(receiver.at("/flaky"))
    for _ in range(12):  # three more days: nothing is due any more, nothing is sent
        clock.advance(timedelta(hours=6))
        worker.run_until_idle()
    got = receiver.at("/flaky")
    assert len(got) == delivered_then

    # The receiver's view, deduplicated by webhook-id as it should be: every event, each 2xx once.
    answered_ok = Counter(g.event_id for g in got if g.status == 200)
    assert set(answered_ok) == events  # none missing
    assert set(answered_ok.values()) == {1}  # never re-sent after a 2xx
    assert {g.event_id for g in got} == events  # and nothing it was not owed
    assert sum(1 for g in got if g.status == 500) == 36
    by_id: dict[str, set[bytes]] = {}
    for g in got:
        assert _signatures_ok(g, hook.secret)
        by_id.setdefault(g.event_id, set()).add(g.body)
    assert all(len(bodies) == 1 for bodies in by_id.values())  # a retry is the same event, byte for byte
    retried = [eid for eid, n in Counter(g.event_id for g in got).items() if n > 1]
    assert retried  # the failures really were retried


def _wait_for(what: Callable[[], bool], seconds: float, message: str) -> None:
    deadline = time.monotonic() + seconds
    while not what():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting: {message}")
        time.sleep(0.05)


@pytest.mark.slow
def test_a_worker_killed_mid_delivery_loses_nothing(
    db: Session, receiver: Receiver, database_url: str, tmp_path: Path
) -> None:
    account_id = _account(db)
    quick = _webhook(db, account_id, receiver.url("/quick"))
    held = _webhook(db, account_id, receiver.url("/held"))
    events = set(_produce_every_event(db, account_id).values())
    N = len(EVENT_TYPES)  # one event of each type
    # /quick answers at once; /held takes each request and sits on it, so the kill lands mid-request.
    receiver.decide = lambda path, _n: HOLD if path == "/held" else 200
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "LEADSCRAPER_WEBHOOK_ALLOW_PRIVATE_NETWORKS": "127.0.0.1/32",  # its receiver
        "LEADSCRAPER_EXPORT_DIR": str(tmp_path / "exports"),
        "SCRAPYD_URLS": "http://127.0.0.1:9",
        "PYTHONUNBUFFERED": "1",
    }
    log = (tmp_path / "worker.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "api.worker", "--poll", "0.2"], cwd=REPO_ROOT, env=env, stdout=log, stderr=log
    )
    try:
        _wait_for(lambda: len(receiver.at("/held")) == N, 60, "the worker's requests to /held, one per event")

        def quick_recorded() -> bool:
            return {d.status for d in _deliveries(db, quick.id)} == {"succeeded"}

        _wait_for(quick_recorded, 30, "/quick's deliveries recorded")
        assert proc.poll() is None, "the worker must still be in the middle of its /held requests"
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)
        log.close()
    killed_at = utcnow()
    first = receiver.at("/held")
    assert {g.event_id for g in first} == events and all(g.status is None for g in first)
    # What the dead worker left: claimed (due again only after the lease), no attempt recorded.
    for delivery in _deliveries(db, held.id):
        assert delivery.status == "pending" and delivery.attempts == 0
        assert delivery.next_attempt_at is not None and delivery.next_attempt_at > killed_at
        assert delivery.next_attempt_at <= killed_at + CLAIM_LEASE
    receiver.release.set()  # the held handlers give up; the receiver is now fine
    receiver.decide = lambda _path, _n: 200

    # Another worker, while the lease still runs: the claim is respected, nothing sent twice yet.
    clock = Clock(killed_at)
    worker = _worker(database_url, clock, tmp_path)
    worker.run_until_idle()
    assert len(receiver.at("/held")) == N and len(receiver.at("/quick")) == N
    # Past the lease, the abandoned deliveries are taken over and re-sent with their own event ids.
    clock.advance(CLAIM_LEASE + timedelta(seconds=1))
    worker.run_until_idle()
    again = receiver.at("/held")[N:]
    assert sorted(g.event_id for g in again) == sorted(events)
    assert all(g.status == 200 for g in again)
    assert {g.event_id: g.body for g in again} == {g.event_id: g.body for g in first}
    assert all(_signatures_ok(g, held.secret) for g in again)
    assert {d.status for d in _deliveries(db, held.id)} == {"succeeded"}
    # /quick's deliveries were finished before the kill: never sent again.
    quick_got = receiver.at("/quick")
    assert sorted(g.event_id for g in quick_got) == sorted(events)
    for _ in range(4):
        clock.advance(timedelta(hours=12))
        worker.run_until_idle()
    assert len(receiver.at("/held")) == 2 * N and len(receiver.at("/quick")) == N
