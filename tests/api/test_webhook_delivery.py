"""The worker delivers outbox events to a real local receiver: signed, retried, exactly once per endpoint."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import shutil
import subprocess
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from api.worker.runner import Worker
from api.worker.webhooks import MAX_ATTEMPTS, RETRY_DELAYS
from crawler.netguard import parse_allowlist
from db.accounts import create_account
from db.jobs import create_job, finish_job
from db.models import Webhook, WebhookDelivery
from db.outbox import record_event
from db.types import utcnow
from tests.api.conftest import Caller
from tests.features import missing

pytestmark = pytest.mark.db
ALLOW = parse_allowlist("127.0.0.1/32")

# The spec's verification function, verbatim, plus a Standard Webhooks check (section 4).
NODE_VERIFY = r"""
const crypto = require('crypto');
const fs = require('fs');

function verifyWebhookSignature(payload, signature, secret) {
  const expectedSignature = crypto
    .createHmac('sha256', secret)
    .update(payload)
    .digest('hex');

  return crypto.timingSafeEqual(
    Buffer.from(signature),
    Buffer.from(expectedSignature)
  );
}

const [bodyFile, headersFile, secret] = process.argv.slice(2);
const body = fs.readFileSync(bodyFile);
const headers = JSON.parse(fs.readFileSync(headersFile, 'utf8'));
const spec = verifyWebhookSignature(body, headers['x-webhook-signature'], secret);
const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
const signed = Buffer.concat([
  Buffer.from(`${headers['webhook-id']}.${headers['webhook-timestamp']}.`), body]);
const expected = crypto.createHmac('sha256', key).update(signed).digest('base64');
const standard = headers['webhook-signature'].split(' ').some(s => s === `v1,${expected}`);
console.log(JSON.stringify({spec, standard}));
"""


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """A webhook receiver on 127.0.0.1: records every request; answers from a per-path script."""

    port: int = 0
    requests: list[Received] = field(default_factory=list)
    scripts: dict[str, list[tuple[int, dict[str, str]]]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def answer(self, path: str, *responses: tuple[int, dict[str, str]]) -> None:
        self.scripts[path] = list(responses)

    def at(self, path: str) -> list[Received]:
        with self.lock:
            return [r for r in self.requests if r.path == path]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with state.lock:
                state.requests.append(
                    Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                )
                script = state.scripts.get(self.path) or []
                status, headers = script.pop(0) if len(script) > 1 else (script[0] if script else (200, {}))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def do_GET(self) -> None:  # a followed redirect would land here
            with state.lock:
                state.requests.append(Received("GET " + self.path, dict(self.headers.items()), b""))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


class Clock:
    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def clock() -> Clock:
    return Clock()


def _no_dns(*_: Any) -> Any:
    raise OSError("tests resolve no names")


@pytest.fixture
def make_worker(database_url: str, clock: Clock, tmp_path: Path) -> Callable[..., Worker]:
    def make(**kwargs: Any) -> Worker:
        kwargs.setdefault("jitter", lambda d: d)
        return Worker(
            database_url, clock=clock, allow=ALLOW, directory=tmp_path, resolver=_no_dns, timeout=3, **kwargs
        )

    return make


def _webhook(db: Session, account_id: str, url: str, events: list[str] | None = None) -> Webhook:
    hook = Webhook(
        account_id=account_id,
        url=url,
        events=events or ["job.completed", "job.failed", "lead.qualified", "credit.low"],
        secret="whsec_" + base64.b64encode(uuid.uuid4().bytes + uuid.uuid4().bytes[:8]).decode(),
        is_active=True,
    )
    db.add(hook)
    db.commit()
    return hook


def _deliveries(db: Session, webhook_id: str) -> list[WebhookDelivery]:
    db.expire_all()
    return list(
        db.scalars(
            select(WebhookDelivery)
            .where(WebhookDelivery.webhook_id == webhook_id)
            .order_by(WebhookDelivery.id)
        )
    )


def _account(db: Session) -> str:
    account = create_account(db, f"{uuid.uuid4().hex[:10]}@acme-robotics.com", credits=100)
    db.commit()
    return account.id


def _complete_job(db: Session, account_id: str) -> str:
    job = create_job(db, account_id, "bulk", ["https://acme-robotics.com/"])
    job.successful_urls, job.leads_found = 1, 4
    finish_job(db, job.id, "completed")
    db.commit()
    return job.id


def test_job_completed_reaches_the_receiver_signed_both_ways(
    db: Session, receiver: Receiver, make_worker: Callable[..., Worker], tmp_path: Path
) -> None:
    account_id = _account(db)
    hook = _webhook(db, account_id, receiver.url("/hooks/crm"), ["job.completed"])
    job_id = _complete_job(db, account_id)
    make_worker().run_until_idle()
    [got] = receiver.at("/hooks/crm")
    payload = json.loads(got.body)
    assert payload["event"] == "job.completed" and payload["data"]["job_id"] == job_id
    assert set(payload) == {"event", "timestamp", "data"}
    assert got.headers["content-type"] == "application/json"
    # The spec's signature: hex HMAC-SHA256 of the raw body keyed with the secret string.
    expected = hmac.new(hook.secret.encode(), got.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(got.headers["x-webhook-signature"], expected)
    # Standard Webhooks: v1,base64(HMAC(decoded secret, id.timestamp.body)).
    key = base64.b64decode(hook.secret.removeprefix("whsec_"))
    signed = f"{got.headers['webhook-id']}.{got.headers['webhook-timestamp']}.".encode() + got.body
    std = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    assert got.headers["webhook-signature"] == f"v1,{std}"
    assert got.headers["webhook-id"].startswith("evt_")
    [delivery] = _deliveries(db, hook.id)
    assert delivery.status == "succeeded" and delivery.response_code == 200 and delivery.attempts == 1

    node = shutil.which("node")
    if node is None:
        missing("Node.js", "node not installed (apt-get install nodejs); the Python checks above passed")
    (tmp_path / "body").write_bytes(got.body)
    (tmp_path / "headers.json").write_text(json.dumps(got.headers))
    (tmp_path / "verify.js").write_text(NODE_VERIFY)
    out = subprocess.run(
        [
            node,
            str(tmp_path / "verify.js"),
            str(tmp_path / "body"),
            str(tmp_path / "headers.json"),
            hook.secret,
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert json.loads(out.stdout) == {"spec": True, "standard": True}


def test_retries_back_off_with_the_same_event_id_then_mark_failing(
    db: Session, receiver: Receiver, make_worker: Callable[..., Worker], clock: Clock
) -> None:
    account_id = _account(db)
    hook = _webhook(db, account_id, receiver.url("/flaky"))
    receiver.answer("/flaky", (500, {}))
    _complete_job(db, account_id)
    worker = make_worker()
    worker.run_until_idle()
    assert len(receiver.at("/flaky")) == 1
    worker.run_until_idle()  # nothing due yet: no second attempt without the clock moving
    assert len(receiver.at("/flaky")) == 1
    gaps = []
    for n, delay in enumerate(RETRY_DELAYS, start=2):
        [delivery] = _deliveries(db, hook.id)
        assert delivery.status == "pending" and delivery.attempts == n - 1
        gaps.append(delivery.next_attempt_at - clock.now)
        clock.advance(delay - timedelta(seconds=1))
        worker.run_until_idle()
        assert len(receiver.at("/flaky")) == n - 1  # not before it is due
        clock.advance(timedelta(seconds=1))
        worker.run_until_idle()
        assert len(receiver.at("/flaky")) == n
    assert gaps == list(RETRY_DELAYS)
    assert gaps[-1] > gaps[0] * 100  # exponential-ish, not fixed
    assert sum(gaps, timedelta()) > timedelta(days=2.5)  # about three days
    [delivery] = _deliveries(db, hook.id)
    assert delivery.status == "failed" and delivery.attempts == MAX_ATTEMPTS
    assert len(delivery.attempt_log) == MAX_ATTEMPTS and delivery.attempt_log[-1]["response_code"] == 500
    ids = {r.headers["webhook-id"] for r in receiver.at("/flaky")}
    assert len(ids) == 1  # one event id on every attempt
    db.refresh(hook)
    assert hook.failing_since is not None and hook.is_active


def test_jitter_spreads_retries(database_url: str, clock: Clock, tmp_path: Path) -> None:
    from api.worker.webhooks import default_jitter

    delays = {default_jitter(timedelta(minutes=10)) for _ in range(20)}
    assert len(delays) > 1 and all(timedelta(minutes=8) <= d <= timedelta(minutes=12) for d in delays)


def test_410_disables_the_endpoint(
    db: Session, receiver: Receiver, make_worker: Callable[..., Worker]
) -> None:
    account_id = _account(db)
    hook = _webhook(db, account_id, receiver.url("/gone"))
    receiver.answer("/gone", (410, {}))
    _complete_job(db, account_id)
    _complete_job(db, account_id)
    make_worker(concurrency=1).run_until_idle()
    db.refresh(hook)
    assert not hook.is_active and "410" in (hook.disabled_reason or "")
    assert {d.status for d in _deliveries(db, hook.id)} == {"failed"}
    assert len(receiver.at("/gone")) <= 2
    sent = len(receiver.at("/gone"))
    _complete_job(db, account_id)
    make_worker().run_until_idle()
    assert len(receiver.at("/gone")) == sent  # a disabled endpoint gets nothing more


def test_429_and_503_honour_retry_after(
    db: Session, receiver: Receiver, make_worker: Callable[..., Worker], clock: Clock
) -> None:
    account_id = _account(db)
    hook = _webhook(db, account_id, receiver.url("/busy"))
    receiver.answer("/busy", (429, {"Retry-After": "7200"}), (503, {"Retry-After": "90"}), (200, {}))
    _complete_job(db, account_id)
    worker = make_worker()
    worker.run_until_idle()
    [delivery] = _deliveries(db, hook.id)
    assert delivery.next_attempt_at == clock.now + timedelta(seconds=7200)  # not the 30 s backoff
    clock.advance(timedelta(seconds=7200))
    worker.run_until_idle()
    [delivery] = _deliveries(db, hook.id)
    assert delivery.response_code == 503 and delivery.next_attempt_at == clock.now + timedelta(seconds=90)
    clock.advance(timedelta(seconds=90))
    worker.run_until_idle()
    [delivery] = _deliveries(db, hook.id)
    assert delivery.status == "succeeded" and delivery.attempts == 3


def test_redirects_are_failures_and_never_followed(
    db: Session, receiver: Receiver, make_worker: Callable[..., Worker]
) -> None:
    account_id = _account(db)
    hook = _webhook(db, account_id, receiver.url("/moved"))
    # Even to an allowed address it is not followed; to the metadata service it never could be.
    receiver.answer("/moved", (302, {"Location": "http://169.254.169.254/latest/meta-data/"}))
    _complete_job(db, account_id)
    make_worker().run_until_idle()
    [delivery] = _deliveries(db, hook.id)
    assert delivery.status == "pending" and delivery.response_code == 302
    assert "not followed" in (delivery.error or "")
    assert not [r for r in receiver.requests if r.path.startswith("GET")]


def test_private_addresses_are_never_contacted(
    db: Session, receiver: Receiver, make_worker: Callable[..., Worker]
) -> None:
    account_id = _account(db)
    # Stored directly (the API refuses them): the worker must refuse too, at connect time.
    metadata = _webhook(db, account_id, "http://169.254.169.254/latest/meta-data/")
    other_port = _webhook(db, account_id, "http://127.0.0.2:9/")
    _complete_job(db, account_id)
    make_worker().run_until_idle()
    for hook in (metadata, other_port):
        [delivery] = _deliveries(db, hook.id)
        assert delivery.response_code is None and "not a public address" in (delivery.error or "")


def test_two_workers_deliver_each_event_once_per_endpoint(
    db: Session, receiver: Receiver, make_worker: Callable[..., Worker], engine: Engine
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("concurrent workers are claimed with FOR UPDATE SKIP LOCKED on PostgreSQL")
    account_id = _account(db)
    hooks = [_webhook(db, account_id, receiver.url(f"/pair/{i}")) for i in range(2)]
    for i in range(40):
        record_event(db, account_id, "job.completed", {"job_id": f"job_{i}"})
    db.commit()
    workers = [make_worker(concurrency=4), make_worker(concurrency=4)]
    threads = [threading.Thread(target=w.run_until_idle) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for hook in hooks:
        got = [r.headers["webhook-id"] for r in receiver.at(f"/pair/{hooks.index(hook)}")]
        assert len(got) == 40 and len(set(got)) == 40
        assert {d.status for d in _deliveries(db, hook.id)} == {"succeeded"}


def test_rolled_back_change_delivers_nothing(
    db: Session, receiver: Receiver, make_worker: Callable[..., Worker]
) -> None:
    account_id = _account(db)
    _webhook(db, account_id, receiver.url("/rollback"))
    job = create_job(db, account_id, "bulk", ["https://acme-robotics.com/"])
    db.commit()
    finish_job(db, job.id, "completed")
    db.rollback()
    make_worker().run_until_idle()
    assert receiver.at("/rollback") == []


def test_test_ping_log_and_redeliver_over_the_api(
    client: FlaskClient,
    caller: Caller,
    receiver: Receiver,
    make_worker: Callable[..., Worker],
    app: Any,
    clock: Clock,
) -> None:
    app.config["WEBHOOK_ALLOWED_NETWORKS"] = ALLOW
    created = client.post(
        "/v1/webhooks",
        headers=caller.headers,
        json={"url": receiver.url("/ping"), "events": ["job.completed"]},
    )
    assert created.status_code == 201, created.get_json()
    hook = created.get_json()
    receiver.answer("/ping", (500, {}), (204, {}))
    ping = client.post(f"/v1/webhooks/{hook['id']}/test", headers=caller.headers)
    assert ping.status_code == 202 and ping.get_json()["event_type"] == "webhook.test"
    worker = make_worker()
    clock.now = utcnow()  # the API stamps the ping with the real time
    worker.run_until_idle()
    log = client.get(f"/v1/webhooks/{hook['id']}/deliveries", headers=caller.headers).get_json()
    [delivery] = log["data"]
    assert delivery["status"] == "pending" and delivery["response_code"] == 500
    [attempt] = delivery["attempt_history"]
    assert attempt["response_code"] == 500 and attempt["latency_ms"] >= 0 and attempt["error"]
    again = client.post(
        f"/v1/webhooks/{hook['id']}/deliveries/{delivery['id']}/redeliver", headers=caller.headers
    )
    assert again.status_code == 202
    clock.now = utcnow()
    worker.run_until_idle()
    [delivery] = client.get(f"/v1/webhooks/{hook['id']}/deliveries", headers=caller.headers).get_json()[
        "data"
    ]
    assert delivery["status"] == "succeeded" and len(delivery["attempt_history"]) == 2
    pings = receiver.at("/ping")
    assert len(pings) == 2 and pings[0].headers["webhook-id"] == pings[1].headers["webhook-id"]
    assert json.loads(pings[0].body)["event"] == "webhook.test"
    listed = client.get("/v1/webhooks", headers=caller.headers).get_json()["data"]
    assert listed[0]["last_triggered_at"] is not None and "secret" not in listed[0]


def test_an_absurd_retry_after_is_bounded_and_the_pass_goes_on(
    db: Session,
    receiver: Receiver,
    make_worker: Callable[..., Worker],
    clock: Clock,
    client: FlaskClient,
    caller: Caller,
) -> None:
    """``Retry-After: 99999999999999999999`` once raised OverflowError in the worker pass, which then
    skipped exports and schedules and repeated forever. Now it is a 24 h delay, and the rest of
    the pass (another receiver, an export) is done in the same pass."""
    account_id = _account(db)
    greedy = _webhook(db, account_id, receiver.url("/greedy"))
    other = _webhook(db, account_id, receiver.url("/other"))
    receiver.answer("/greedy", (429, {"Retry-After": "99999999999999999999"}))
    receiver.answer("/other", (200, {}))
    _complete_job(db, account_id)
    export = client.post("/v1/leads/export", headers=caller.headers, json={"format": "json"}).get_json()
    worker = make_worker()
    assert worker.run_once() > 0
    [delivery] = _deliveries(db, greedy.id)
    assert delivery.response_code == 429 and delivery.status == "pending"
    assert delivery.next_attempt_at == clock.now + timedelta(hours=24)  # MAX_RETRY_AFTER
    assert [d.status for d in _deliveries(db, other.id)] == ["succeeded"]
    status = client.get(f"/v1/exports/{export['export_id']}", headers=caller.headers).get_json()
    assert status["status"] == "completed", status
    for hostile in ("99999999999999999999", "Fri, 31 Dec 9999 23:59:59 GMT", "-5", "1e9", "12.5", "soon"):
        receiver.answer("/greedy", (503, {"Retry-After": hostile}))
        clock.advance(timedelta(hours=24))
        worker.run_until_idle()
        [delivery] = _deliveries(db, greedy.id)
        assert delivery.response_code == 503, hostile
        assert clock.now < delivery.next_attempt_at <= clock.now + timedelta(hours=24), hostile


def test_the_delivery_log_keeps_no_word_of_what_receivers_answer(
    db: Session, make_worker: Callable[..., Worker]
) -> None:
    """A receiver's error page or redirect target may be internal: the log keeps the status and a
    generic reason, never the body or the Location."""

    class Talkative(BaseHTTPRequestHandler):
        def log_message(self, *_: Any) -> None:
            pass

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.path == "/redirect":
                self.send_response(307)
                self.send_header("Location", "http://10.20.30.40:8500/v1/kv/secrets?token=internal")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = b"Traceback: psycopg2.OperationalError at db-primary.internal:5432 password=hunter2"
            self.send_response(500 if self.path == "/error" else 418)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Talkative)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        account_id = _account(db)
        port = server.server_address[1]
        hooks = {
            p: _webhook(db, account_id, f"http://127.0.0.1:{port}{p}")
            for p in ("/error", "/redirect", "/teapot")
        }
        _complete_job(db, account_id)
        make_worker().run_until_idle()
    finally:
        server.shutdown()
        server.server_close()
    errors = {}
    for path, hook in hooks.items():
        [delivery] = _deliveries(db, hook.id)
        errors[path] = delivery.error
        assert delivery.attempt_log[-1]["error"] == delivery.error
    assert errors == {
        "/error": "HTTP 500 Internal Server Error",
        "/redirect": "HTTP 307: redirects are not followed",
        "/teapot": "HTTP 418 I'm a Teapot",
    }
