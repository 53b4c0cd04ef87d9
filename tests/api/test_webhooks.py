"""POST/GET/DELETE /v1/webhooks: URL and event validation, the secret shown once, account isolation."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from api.rest.resources.webhooks import MAX_WEBHOOKS
from crawler.netguard import parse_allowlist
from db.models import Webhook
from tests.api.conftest import Caller

pytestmark = pytest.mark.db
HOOK = {"url": "https://hooks.acme-robotics.com/leadscraper", "events": ["job.completed", "lead.qualified"]}


def test_register_list_delete(client: FlaskClient, caller: Caller) -> None:
    body = {**HOOK, "description": "Production webhook for CRM integration"}
    created = client.post("/v1/webhooks", headers=caller.headers, json=body)
    assert created.status_code == 201
    hook = created.get_json()
    assert hook["id"].startswith("webhook_") and hook["secret"].startswith("whsec_")
    assert hook["events"] == HOOK["events"] and hook["is_active"] is True
    assert hook["description"] == body["description"] and hook["created_at"].endswith("Z")
    listed = client.get("/v1/webhooks", headers=caller.headers).get_json()
    [row] = listed["data"]
    assert row["id"] == hook["id"] and row["last_triggered_at"] is None and "secret" not in row
    assert "secret" not in client.get(f"/v1/webhooks/{hook['id']}", headers=caller.headers).get_json()
    assert client.delete(f"/v1/webhooks/{hook['id']}", headers=caller.headers).status_code == 204
    assert client.get("/v1/webhooks", headers=caller.headers).get_json()["data"] == []
    assert client.delete(f"/v1/webhooks/{hook['id']}", headers=caller.headers).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "http://hooks.acme-robotics.com/x", "events": ["job.completed"]}, "url"),
        ({"url": "hooks.acme-robotics.com/x", "events": ["job.completed"]}, "url"),
        ({"url": "https://10.0.0.5/x", "events": ["job.completed"]}, "url"),
        ({"url": "https://169.254.169.254/latest", "events": ["job.completed"]}, "url"),
        ({"url": "https://[::1]/x", "events": ["job.completed"]}, "url"),
        ({"url": "https://2130706433/x", "events": ["job.completed"]}, "url"),
        ({"url": "https://localhost/x", "events": ["job.completed"]}, "url"),
        ({"url": "https://user:pw@hooks.acme-robotics.com/x", "events": ["job.completed"]}, "url"),
        ({"url": "https://hooks.acme-robotics.com/x", "events": ["job.started"]}, "events[0]"),
        ({"url": "https://hooks.acme-robotics.com/x", "events": []}, "events"),
        ({"url": "https://hooks.acme-robotics.com/x", "events": ["credit.low", "credit.low"]}, "events"),
        ({"url": "https://hooks.acme-robotics.com/x"}, "events"),
        ({"events": ["credit.low"]}, "url"),
    ],
)
def test_invalid_registrations_are_refused(
    client: FlaskClient, caller: Caller, body: dict, field: str
) -> None:
    response = client.post("/v1/webhooks", headers=caller.headers, json=body)
    assert response.status_code == 400, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "invalid_request" and error["details"]["field"] == field


def test_plain_http_only_for_allowlisted_local_hosts(client: FlaskClient, caller: Caller, app: Flask) -> None:
    body = {"url": "http://127.0.0.1:8080/hook", "events": ["job.failed"]}
    assert client.post("/v1/webhooks", headers=caller.headers, json=body).status_code == 400
    app.config["WEBHOOK_ALLOWED_NETWORKS"] = parse_allowlist("127.0.0.1/32")
    assert client.post("/v1/webhooks", headers=caller.headers, json=body).status_code == 201
    other = {"url": "http://127.0.0.2:8080/hook", "events": ["job.failed"]}
    assert client.post("/v1/webhooks", headers=caller.headers, json=other).status_code == 400


def test_webhooks_are_private_to_their_account(
    client: FlaskClient, make_caller: Callable[..., Caller]
) -> None:
    owner, stranger = make_caller(), make_caller()
    hook = client.post("/v1/webhooks", headers=owner.headers, json=HOOK).get_json()
    assert client.get("/v1/webhooks", headers=stranger.headers).get_json()["data"] == []
    for method, path in (
        ("get", f"/v1/webhooks/{hook['id']}"),
        ("delete", f"/v1/webhooks/{hook['id']}"),
        ("get", f"/v1/webhooks/{hook['id']}/deliveries"),
        ("post", f"/v1/webhooks/{hook['id']}/test"),
        ("post", f"/v1/webhooks/{hook['id']}/deliveries/dlv_x/redeliver"),
    ):
        assert getattr(client, method)(path, headers=stranger.headers).status_code == 404, path


def test_scopes_apply(client: FlaskClient, make_caller: Callable[..., Caller]) -> None:
    reader = make_caller(scopes=["read"])
    assert client.post("/v1/webhooks", headers=reader.headers, json=HOOK).status_code == 403
    assert client.get("/v1/webhooks", headers=reader.headers).status_code == 200


def test_the_cap_holds_under_parallel_registrations(
    app: Flask, caller: Caller, engine: Engine, db: Session
) -> None:
    """30 registrations at once over real connections: exactly MAX_WEBHOOKS are created."""
    if engine.dialect.name != "postgresql":
        pytest.skip("on SQLite these requests already queue on its one write lock: no race to show")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    start = threading.Barrier(30)

    def register(i: int) -> int:
        start.wait()
        body = {"url": f"https://hooks.acme-robotics.com/{i}", "events": ["job.completed"]}
        url = f"http://127.0.0.1:{server.server_port}/v1/webhooks"
        return requests.post(url, json=body, headers=caller.headers, timeout=60).status_code

    try:
        with ThreadPoolExecutor(max_workers=30) as pool:
            statuses = sorted(pool.map(register, range(30)))
    finally:
        server.shutdown()
    assert statuses == [201] * MAX_WEBHOOKS + [409] * (30 - MAX_WEBHOOKS)
    stored = db.scalar(select(func.count()).where(Webhook.account_id == caller.account_id))
    assert stored == MAX_WEBHOOKS
