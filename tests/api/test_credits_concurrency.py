"""Credits under concurrency: 50 parallel POST /v1/scrape over real HTTP with funds for 10 make 10 jobs."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from api import create_app
from db.credits import ledger_sum
from db.models import Account, CreditTransaction, Job
from tests.api.conftest import Caller

pytestmark = pytest.mark.db

PARALLEL = 50
AFFORDABLE = 10
BODY = {"type": "bulk", "urls": ["https://acme-robotics.com/", "https://globex.example/"]}
COST = 4  # 2 URLs x (1 + 1 for qualify_leads, on by default)


@pytest.fixture
def stub_scrapyd() -> Iterator[str]:
    """A scrapyd that accepts every schedule.json at once (no crawl runs): scheduling never fails."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            form = dict(p.split("=", 1) for p in self.rfile.read(length).decode().split("&") if "=" in p)
            body = json.dumps({"status": "ok", "jobid": form.get("jobid", "stub")}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def live_api(database_url: str, stub_scrapyd: str) -> Iterator[str]:
    """The API on a real multi-threaded HTTP server: every request on its own thread and session."""
    app = create_app({"DATABASE_URL": database_url, "TESTING": True, "SCRAPYD_URLS": [stub_scrapyd]})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_fifty_parallel_submissions_with_funds_for_ten_create_exactly_ten_jobs(
    live_api: str, make_caller: Callable[..., Caller], db: Session
) -> None:
    caller = make_caller(credits=AFFORDABLE * COST, rate_limit=10_000)
    barrier = threading.Barrier(PARALLEL)

    def submit(_: int) -> tuple[int, dict[str, Any]]:
        with requests.Session() as http:
            barrier.wait()  # all at once
            response = http.post(f"{live_api}/v1/scrape", json=BODY, headers=caller.headers, timeout=60)
            return response.status_code, response.json()

    with ThreadPoolExecutor(PARALLEL) as pool:
        results = list(pool.map(submit, range(PARALLEL)))

    statuses = sorted(status for status, _ in results)
    assert statuses == [201] * AFFORDABLE + [402] * (PARALLEL - AFFORDABLE), statuses
    refused = [body for status, body in results if status == 402]
    assert all(b["error"]["code"] == "insufficient_credits" for b in refused)
    assert all(b["error"]["details"]["credits_required"] == COST for b in refused)
    created = {body["id"] for status, body in results if status == 201}

    db.commit()  # a fresh read of what the server committed
    jobs = set(db.scalars(select(Job.id).where(Job.account_id == caller.account_id)))
    assert jobs == created and len(jobs) == AFFORDABLE
    balance = db.scalar(select(Account.credit_balance).where(Account.id == caller.account_id))
    assert balance == ledger_sum(db, caller.account_id) == 0
    # One reservation row per job, nothing for the refused ones.
    usage = db.scalar(
        select(func.count()).where(
            CreditTransaction.account_id == caller.account_id, CreditTransaction.type == "usage"
        )
    )
    assert usage == AFFORDABLE


def test_a_job_that_cannot_be_scheduled_gives_its_reservation_back(
    client: Any, make_caller: Callable[..., Caller], db: Session
) -> None:
    """The test app's scrapyd is unreachable: the job fails, the 503 names it, and the credits return."""
    caller = make_caller(credits=COST)
    response = client.post("/v1/scrape", json=BODY, headers=caller.headers)
    assert response.status_code == 503
    job_id = response.get_json()["error"]["details"]["job_id"]
    db.commit()
    job = db.get(Job, job_id)
    assert job is not None and job.status == "failed"
    balance = db.scalar(select(Account.credit_balance).where(Account.id == caller.account_id))
    assert balance == ledger_sum(db, caller.account_id) == COST
    # And the whole balance is usable again at once.
    assert client.post("/v1/scrape", json=BODY, headers=caller.headers).status_code == 503
