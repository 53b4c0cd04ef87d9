"""Query parameters are as strict as bodies (unknown ones refused by name), and leads filter by tags."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient

from api.worker.runner import Worker
from db.models import Lead
from tests.api.conftest import Caller

pytestmark = pytest.mark.db


def _operations(client: FlaskClient) -> list[tuple[str, str, set[str]]]:
    spec = client.get("/v1/openapi.json").get_json()
    out = []
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            if method == "parameters":
                continue
            query = {p["name"] for p in op.get("parameters", []) if p["in"] == "query"}
            out.append((method.upper(), re.sub(r"\{[^}]+\}", "xyz", path), query))
    return out


def test_every_operation_refuses_an_unknown_query_parameter_by_name(
    client: FlaskClient, caller: Caller
) -> None:
    operations = _operations(client)
    assert len(operations) >= 30
    for method, path, documented in operations:
        assert "colour" not in documented
        response = client.open(f"{path}?colour=red", method=method, headers=caller.headers)
        assert response.status_code == 400, (method, path, response.get_json())
        error = response.get_json()["error"]
        assert error["code"] == "invalid_request"
        assert error["details"]["field"] == "colour", (method, path)
        assert "unknown query parameter" in error["details"]["reason"]
        for name in documented:  # and the reason lists what the operation does take
            assert name in error["details"]["reason"], (method, path, name)


def test_several_unknown_parameters_are_all_named(client: FlaskClient, caller: Caller) -> None:
    response = client.get("/v1/jobs?limit=5&sort=name&direction=up", headers=caller.headers)
    assert response.status_code == 400
    details = response.get_json()["error"]["details"]
    assert details["field"] == "sort"
    assert [e["field"] for e in details["errors"]] == ["sort", "direction"]
    assert client.get("/v1/jobs?limit=5&status=completed", headers=caller.headers).status_code == 200


@pytest.fixture
def tagged(caller: Caller, make_lead: Callable[..., Lead]) -> dict[str, str]:
    leads = {
        "both": make_lead(caller.account_id, tags=["q1-campaign", "high-priority"], lead_score=80),
        "campaign": make_lead(caller.account_id, tags=["q1-campaign"], lead_score=50),
        "priority": make_lead(caller.account_id, tags=["high-priority", "Q1-Campaign"], lead_score=90),
        "none": make_lead(caller.account_id, tags=[], lead_score=95),
    }
    return {name: lead.id for name, lead in leads.items()}


def _ids(client: FlaskClient, caller: Caller, query: str) -> set[str]:
    response = client.get(f"/v1/leads?{query}", headers=caller.headers)
    assert response.status_code == 200, response.get_json()
    return {lead["id"] for lead in response.get_json()["data"]}


def test_tags_filter_finds_leads_having_every_given_tag(
    client: FlaskClient, caller: Caller, tagged: dict[str, str]
) -> None:
    assert _ids(client, caller, "tags=q1-campaign") == {tagged["both"], tagged["campaign"]}
    assert _ids(client, caller, "tags=high-priority") == {tagged["both"], tagged["priority"]}
    # several tags: every one of them (repeated parameter or a comma list, spaces around commas ignored)
    assert _ids(client, caller, "tags=q1-campaign&tags=high-priority") == {tagged["both"]}
    assert _ids(client, caller, "tags=q1-campaign,%20high-priority") == {tagged["both"]}
    # exact, case-sensitive, and combinable with the other filters
    assert _ids(client, caller, "tags=Q1-Campaign") == {tagged["priority"]}
    assert _ids(client, caller, "tags=q1-campaign&score_min=70") == {tagged["both"]}
    assert _ids(client, caller, "tags=no-such-tag") == set()
    assert _ids(client, caller, "") == set(tagged.values())


def test_tags_filter_pages_with_cursors(
    client: FlaskClient, caller: Caller, make_lead: Callable[..., Lead]
) -> None:
    wanted = {make_lead(caller.account_id, tags=["trade-show"]).id for _ in range(5)}
    for _ in range(3):
        make_lead(caller.account_id, tags=["other"])
    seen: list[str] = []
    cursor = ""
    while True:
        response = client.get(f"/v1/leads?tags=trade-show&limit=2{cursor}", headers=caller.headers)
        page = response.get_json()
        seen += [lead["id"] for lead in page["data"]]
        if not page["pagination"]["has_more"]:
            break
        cursor = f"&cursor={page['pagination']['next_cursor']}"
    assert len(seen) == 5 and set(seen) == wanted


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("tags=", "Empty tag"),
        ("tags=a;b", "semicolons"),
        ("tags=" + "x" * 101, "Longer than 100"),
        ("tags=" + ",".join(f"t{i}" for i in range(21)), "Between 1 and 20"),
    ],
)
def test_bad_tag_filters_are_400(client: FlaskClient, caller: Caller, query: str, reason: str) -> None:
    response = client.get(f"/v1/leads?{query}", headers=caller.headers)
    assert response.status_code == 400
    details = response.get_json()["error"]["details"]
    assert details["field"].startswith("tags")
    assert reason in details["reason"]


def test_patched_tags_are_trimmed_and_cannot_hold_separators(
    client: FlaskClient, caller: Caller, tagged: dict[str, str]
) -> None:
    url = f"/v1/leads/{tagged['none']}"
    ok = client.patch(url, headers=caller.headers, json={"tags": ["  vip ", "vip", "trade-show"]})
    assert ok.status_code == 200 and ok.get_json()["tags"] == ["vip", "trade-show"]
    assert _ids(client, caller, "tags=vip") == {tagged["none"]}
    for bad in (["a,b"], ["a;b"], ["   "], ["line\nbreak"]):
        response = client.patch(url, headers=caller.headers, json={"tags": bad})
        assert response.status_code == 400, bad
        assert response.get_json()["error"]["details"]["field"] == "tags[0]"


def test_exports_filter_by_tags(
    client: FlaskClient, caller: Caller, tagged: dict[str, str], database_url: str, tmp_path: Path
) -> None:
    worker = Worker(database_url, allow=(), directory=tmp_path / "exports")
    body = {"format": "csv", "filters": {"tags": ["q1-campaign"]}, "fields": ["id", "tags"]}
    created = client.post("/v1/leads/export", headers=caller.headers, json=body)
    assert created.status_code == 200, created.get_json()
    worker.run_until_idle()
    status = client.get(f"/v1/exports/{created.get_json()['export_id']}", headers=caller.headers).get_json()
    assert status["status"] == "completed" and status["filters"] == {"tags": ["q1-campaign"]}
    url = urlsplit(status["download_url"])
    rows = list(csv.DictReader(io.StringIO(client.get(f"{url.path}?{url.query}").get_data(as_text=True))))
    assert {row["id"]: row["tags"] for row in rows} == {
        tagged["both"]: "q1-campaign; high-priority",
        tagged["campaign"]: "q1-campaign",
    }
    refused = client.post(
        "/v1/leads/export", headers=caller.headers, json={"format": "csv", "filters": {"tags": "q1-campaign"}}
    )
    assert refused.status_code == 400
    assert refused.get_json()["error"]["details"]["field"] == "filters.tags"
