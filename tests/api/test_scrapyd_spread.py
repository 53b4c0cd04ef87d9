"""Spreading one job over several scrapyd nodes: by its size, by free slots, with fail-over; and the
status a launched job reads before its spider process is up."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from api import create_app
from api.scrapyd.client import ScrapydClient, ScrapydError
from api.worker.runner import Worker
from db.jobs import reap_stale_jobs, start_job
from db.models import Job
from db.types import utcnow
from tests.api.conftest import Caller
from tests.db.test_eta import finished_job


@dataclass
class StubNode:
    """A fake scrapyd: reports ``running`` in daemonstatus.json and records schedule.json forms."""

    running: int = 0
    refuse: bool = False
    scheduled: list[dict[str, list[str]]] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)
    queued: list[str] = field(default_factory=list)  # job ids listjobs.json reports as pending
    url: str = ""
    authorization: str | None = None  # the Authorization header it requires, if any


@pytest.fixture
def nodes() -> Iterator[list[StubNode]]:
    stubs = [StubNode() for _ in range(3)]
    servers = []
    for stub in stubs:

        class Handler(BaseHTTPRequestHandler):
            node = stub

            def _answer(self, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _authorised(self) -> bool:
                if self.node.authorization in (None, self.headers.get("Authorization")):
                    return True
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="Scrapyd"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return False

            def do_GET(self) -> None:
                if not self._authorised():
                    return
                if self.path.startswith("/listjobs.json"):
                    pending = [{"id": job_id, "spider": "leads"} for job_id in self.node.queued]
                    self._answer({"status": "ok", "pending": pending, "running": [], "finished": []})
                    return
                self._answer({"status": "ok", "running": self.node.running, "pending": 0, "finished": 0})

            def do_POST(self) -> None:
                if not self._authorised():
                    return
                form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
                if self.path.endswith("/cancel.json"):
                    self.node.cancelled.append(form["job"][0])
                    self._answer({"status": "ok", "prevstate": "pending"})
                    return
                if self.node.refuse:
                    self._answer({"status": "error", "message": "project not deployed"})
                    return
                self.node.scheduled.append(form)
                self._answer({"status": "ok", "jobid": form["jobid"][0]})

            def log_message(self, *_: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        stub.url = f"http://127.0.0.1:{server.server_address[1]}"
        servers.append(server)
    yield stubs
    for server in servers:
        server.shutdown()
        server.server_close()


def spread(client: ScrapydClient, urls: int, **kwargs: Any) -> list[dict[str, str]]:
    return client.schedule_spread(
        "leads",
        url_count=urls,
        urls_per_process=10,
        slots_per_node=2,
        jobid="job_1",
        job_id="job_1",
        **kwargs,
    )


def test_a_small_job_takes_one_node_a_large_one_every_node_with_a_free_slot(nodes: list[StubNode]) -> None:
    client = ScrapydClient([n.url for n in nodes])
    assert len(spread(client, 5)) == 1
    for node in nodes:
        node.scheduled.clear()
    started = spread(client, 100, settings={"LEADSCRAPER_CLAIM_BATCH": "2"})
    assert sorted(e["node"] for e in started) == sorted(n.url for n in nodes)
    assert all(e["jobid"] == "job_1" for e in started)
    form = nodes[0].scheduled[0]
    assert form["job_id"] == ["job_1"] and form["setting"] == ["LEADSCRAPER_CLAIM_BATCH=2"]


def test_processes_follow_the_size_and_skip_full_nodes(nodes: list[StubNode]) -> None:
    nodes[1].running = 2  # full
    client = ScrapydClient([n.url for n in nodes])
    started = spread(client, 25)  # ceil(25 / 10) = 3 wanted, 2 nodes have a slot
    assert sorted(e["node"] for e in started) == sorted([nodes[0].url, nodes[2].url])
    assert nodes[1].scheduled == []


def test_when_every_node_is_full_the_job_still_queues_on_one(nodes: list[StubNode]) -> None:
    for node in nodes:
        node.running = 5
    started = spread(ScrapydClient([n.url for n in nodes]), 100)
    assert len(started) == 1


def test_a_refusing_or_dead_node_is_replaced(nodes: list[StubNode]) -> None:
    nodes[0].refuse = True
    client = ScrapydClient(["http://127.0.0.1:9", *(n.url for n in nodes)], timeout=3)
    started = spread(client, 100)
    assert sorted(e["node"] for e in started) == sorted([nodes[1].url, nodes[2].url])


def test_nothing_accepts_raises(nodes: list[StubNode]) -> None:
    for node in nodes:
        node.refuse = True
    with pytest.raises(ScrapydError):
        spread(ScrapydClient([n.url for n in nodes]), 100)


def test_credentials_in_a_node_url_are_sent_and_never_shown(nodes: list[StubNode]) -> None:
    node = nodes[0]
    node.authorization = "Basic " + base64.b64encode(b"ops:p@ss/w:rd").decode()
    with_auth = node.url.replace("http://", "http://ops:p%40ss%2Fw%3Ard@")
    client = ScrapydClient([with_auth])
    assert client.urls == [node.url]  # the node's name carries no credentials
    [started] = client.schedule_spread(
        "leads", url_count=1, urls_per_process=10, slots_per_node=2, jobid="job_1", job_id="job_1"
    )
    assert started == {"node": node.url, "jobid": "job_1"}
    with pytest.raises(ScrapydError) as refused:
        ScrapydClient([node.url.replace("http://", "http://ops:wrong@")]).daemon_status(node.url)
    assert "401" in str(refused.value) and "wrong" not in str(refused.value)
    with pytest.raises(ScrapydError, match=r"401.*SCRAPYD_URLS=http://user:password@host:port"):
        ScrapydClient([node.url]).daemon_status(node.url)


# -- what a client polling the job sees between schedule.json and the spider's start ------------------


@pytest.fixture
def stub_client(nodes: list[StubNode], database_url: str) -> FlaskClient:
    app = create_app({"DATABASE_URL": database_url, "TESTING": True, "SCRAPYD_URLS": [nodes[0].url]})
    return app.test_client()


def _submit(client: FlaskClient, caller: Caller) -> dict[str, Any]:
    body = {"type": "bulk", "urls": ["https://acme-robotics.com/", "https://northwind-traders.com/"]}
    created = client.post("/v1/scrape", headers=caller.headers, json=body)
    assert created.status_code == 201, created.get_json()
    return dict(created.get_json())


@pytest.mark.db
def test_a_job_a_free_node_accepted_reads_processing_before_its_spider_starts(
    stub_client: FlaskClient, caller: Caller, nodes: list[StubNode], db: Session
) -> None:
    created = _submit(stub_client, caller)
    assert created["status"] == "processing" and created["processed_urls"] == 0
    job = stub_client.get(f"/v1/jobs/{created['id']}", headers=caller.headers).get_json()
    assert job["status"] == "processing" and job["progress_percentage"] == 0 and job["started_at"]
    stored = db.get(Job, created["id"])
    assert stored is not None and stored.heartbeat_at is None  # no spider has reported yet
    assert stored.scrapyd_jobs == [{"node": nodes[0].url, "jobid": created["id"]}]
    assert [form["job_id"] for form in nodes[0].scheduled] == [[created["id"]]]


@pytest.mark.db
def test_a_job_queued_behind_a_full_node_stays_pending(
    stub_client: FlaskClient, caller: Caller, nodes: list[StubNode], db: Session
) -> None:
    nodes[0].running = 4  # every slot of the default SCRAPYD_SLOTS_PER_NODE taken
    created = _submit(stub_client, caller)
    assert created["status"] == "pending"
    stored = db.get(Job, created["id"])
    assert stored is not None and stored.scrapyd_jobs == [{"node": nodes[0].url, "jobid": created["id"]}]
    assert start_job(db, created["id"]) is True  # the spider's own start makes it processing
    db.commit()
    job = stub_client.get(f"/v1/jobs/{created['id']}", headers=caller.headers).get_json()
    assert job["status"] == "processing" and job["started_at"]


@pytest.mark.db
def test_a_launch_whose_spider_never_starts_is_failed_with_a_reason_and_refunded(
    stub_client: FlaskClient, caller: Caller, db: Session
) -> None:
    created = _submit(stub_client, caller)
    assert created["id"] not in reap_stale_jobs(db, utcnow() + timedelta(minutes=1))
    assert created["id"] in reap_stale_jobs(db, utcnow() + timedelta(hours=1))
    db.commit()
    job = stub_client.get(f"/v1/jobs/{created['id']}", headers=caller.headers).get_json()
    assert job["status"] == "failed" and job["credits_used"] == 0
    assert job["failure_reason"] == (
        "a crawler node accepted the job but its spider never started within 15 minutes "
        "(see that node's log for the job); nothing was crawled"
    )
    account = stub_client.get("/v1/account", headers=caller.headers).get_json()
    assert account["credits"]["balance"] == 1000


@pytest.mark.db
def test_the_worker_spares_a_launch_still_waiting_in_its_node_s_queue(
    stub_client: FlaskClient, caller: Caller, nodes: list[StubNode], database_url: str, tmp_path: Path
) -> None:
    created = _submit(stub_client, caller)  # processing: the node had a free slot when asked...
    nodes[0].queued.append(created["id"])  # ...but another submission took it, and this one waits
    later = Worker(
        database_url,
        allow=(),
        directory=tmp_path,
        clock=lambda: utcnow() + timedelta(hours=1),
        scrapyd=ScrapydClient([nodes[0].url]),
    )
    later.reap()
    job = stub_client.get(f"/v1/jobs/{created['id']}", headers=caller.headers).get_json()
    assert job["status"] == "processing"
    nodes[0].queued.clear()  # scrapyd dropped it without ever starting it
    later.reap()
    job = stub_client.get(f"/v1/jobs/{created['id']}", headers=caller.headers).get_json()
    assert job["status"] == "failed" and "never started" in job["failure_reason"]


@pytest.mark.db
def test_a_started_spider_that_dies_is_reaped_as_died_not_as_never_started(
    stub_client: FlaskClient, caller: Caller, db: Session
) -> None:
    created = _submit(stub_client, caller)
    assert start_job(db, created["id"]) is True
    assert created["id"] in reap_stale_jobs(db, utcnow() + timedelta(hours=1))
    db.commit()
    job = stub_client.get(f"/v1/jobs/{created['id']}", headers=caller.headers).get_json()
    assert job["status"] == "failed" and "stopped reporting progress" in job["failure_reason"]


@pytest.mark.db
def test_cancelling_a_launched_job_before_its_spider_starts(
    stub_client: FlaskClient, caller: Caller, nodes: list[StubNode], db: Session
) -> None:
    created = _submit(stub_client, caller)
    cancelled = stub_client.post(f"/v1/jobs/{created['id']}/cancel", headers=caller.headers)
    assert cancelled.status_code == 200, cancelled.get_json()
    assert cancelled.get_json()["status"] == "cancelled"
    assert nodes[0].cancelled == [created["id"]]  # scrapyd drops the process it had not started yet
    assert start_job(db, created["id"]) is False  # a spider starting late finds it over
    db.commit()
    account = stub_client.get("/v1/account", headers=caller.headers).get_json()
    assert account["credits"]["balance"] == 1000


@pytest.mark.db
def test_the_first_guess_counts_the_processes_a_job_was_spread_over(
    nodes: list[StubNode], make_caller: Callable[..., Caller], db: Session, database_url: str
) -> None:
    caller = make_caller(credits=5000)
    # the account's last job: 300 URLs on one process, 100 open at once for 5 s each, an 18 s job
    finished_job(db, caller.account_id, [(2 + 5 * (i // 100), 7 + 5 * (i // 100)) for i in range(300)])
    db.commit()
    body = {"type": "bulk", "urls": [f"https://site{i}.example.org/" for i in range(300)]}
    for urls, expected in (([nodes[0].url], 18.0), ([nodes[0].url, nodes[1].url], 2 + 7.5 + 1)):
        config = {"DATABASE_URL": database_url, "TESTING": True, "SCRAPYD_URLS": urls}
        client = create_app({**config, "SCRAPYD_URLS_PER_PROCESS": 100}).test_client()
        answer = client.post("/v1/scrape", headers=caller.headers, json=body)
        assert answer.status_code == 201, answer.get_json()
        created = answer.get_json()
        assert len(db.get(Job, created["id"]).scrapyd_jobs) == len(urls)  # type: ignore[union-attr]
        told = datetime.fromisoformat(created["estimated_completion"])
        seconds = (told - datetime.fromisoformat(created["created_at"])).total_seconds()
        assert seconds == pytest.approx(expected, abs=1.0)  # the API's timestamps are whole seconds
