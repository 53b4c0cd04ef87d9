"""Spreading one job over several scrapyd nodes: by its size, by free slots, with fail-over."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest

from api.scrapyd.client import ScrapydClient, ScrapydError


@dataclass
class StubNode:
    """A fake scrapyd: reports ``running`` in daemonstatus.json and records schedule.json forms."""

    running: int = 0
    refuse: bool = False
    scheduled: list[dict[str, list[str]]] = field(default_factory=list)
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
                if self._authorised():
                    self._answer({"status": "ok", "running": self.node.running, "pending": 0, "finished": 0})

            def do_POST(self) -> None:
                if not self._authorised():
                    return
                form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
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
