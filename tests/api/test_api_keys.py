"""POST/GET/DELETE /v1/api-keys per spec section 5."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient

from db.types import utcnow
from tests.api.conftest import Caller
from tests.api.test_errors import assert_error

pytestmark = pytest.mark.db


def test_create_shows_key_once_then_prefix_only(client: FlaskClient, caller: Caller) -> None:
    body = {"name": "Production API Key", "scopes": ["read", "write"], "expires_at": "2099-02-10T00:00:00Z"}
    created = client.post("/v1/api-keys", headers=caller.headers, json=body)
    assert created.status_code == 201
    data = created.get_json()
    assert set(data) == {"id", "name", "key", "key_prefix", "scopes", "expires_at", "created_at"}
    assert data["key"].startswith("ls_") and data["key"].startswith(data["key_prefix"])
    assert data["scopes"] == ["read", "write"] and data["expires_at"] == "2099-02-10T00:00:00Z"
    assert data["id"].startswith("key_") and data["created_at"].endswith("Z")

    new_headers = {"Authorization": f"Bearer {data['key']}"}
    assert client.get("/v1/account", headers=new_headers).status_code == 200

    listed = client.get("/v1/api-keys", headers=caller.headers).get_json()
    entry = next(k for k in listed["data"] if k["id"] == data["id"])
    assert "key" not in entry and entry["key_prefix"] == data["key_prefix"]
    assert set(entry) == {"id", "name", "key_prefix", "scopes", "last_used_at", "expires_at", "created_at"}
    assert entry["last_used_at"] is not None
    assert data["key"] not in str(listed)


def test_revoke_removes_from_list_and_is_404_twice(client: FlaskClient, caller: Caller) -> None:
    data = client.post(
        "/v1/api-keys", headers=caller.headers, json={"name": "tmp", "scopes": ["read"]}
    ).get_json()
    assert client.delete(f"/v1/api-keys/{data['id']}", headers=caller.headers).status_code == 204
    ids = [k["id"] for k in client.get("/v1/api-keys", headers=caller.headers).get_json()["data"]]
    assert data["id"] not in ids
    assert_error(client.delete(f"/v1/api-keys/{data['id']}", headers=caller.headers), 404, "not_found")
    assert_error(
        client.get("/v1/account", headers={"Authorization": f"Bearer {data['key']}"}), 401, "unauthorized"
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"scopes": ["read"]}, "name"),
        ({"name": "", "scopes": ["read"]}, "name"),
        ({"name": "x" * 201, "scopes": ["read"]}, "name"),
        ({"name": "k"}, "scopes"),
        ({"name": "k", "scopes": []}, "scopes"),
        ({"name": "k", "scopes": ["admin"]}, "scopes[0]"),
        ({"name": "k", "scopes": ["read", "read"]}, "scopes"),
        ({"name": "k", "scopes": "read"}, "scopes"),
        ({"name": "k", "scopes": ["read"], "expires_at": "tomorrow"}, "expires_at"),
        ({"name": "k", "scopes": ["read"], "expires_at": "2001-01-01T00:00:00Z"}, "expires_at"),
        ({"name": "k", "scopes": ["read"], "owner": "me"}, "owner"),
    ],
)
def test_create_validation(client: FlaskClient, caller: Caller, body: dict, field: str) -> None:
    assert_error(
        client.post("/v1/api-keys", headers=caller.headers, json=body), 400, "invalid_request", field
    )


def _create(client: FlaskClient, headers: dict[str, str], **body: object) -> Any:
    return client.post("/v1/api-keys", headers=headers, json={"name": "child", **body})


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_a_key_never_outlives_the_key_that_made_it(
    client: FlaskClient, make_caller: Callable[..., Caller]
) -> None:
    expires = utcnow().replace(microsecond=0) + timedelta(seconds=3)
    parent = make_caller(expires_at=expires)
    later = _create(client, parent.headers, scopes=["read"], expires_at="2099-01-01T00:00:00Z")
    assert_error(later, 403, "forbidden", "expires_at")
    assert "outlives" in later.get_json()["error"]["message"]
    # none given: the parent's expiry; an earlier one is fine
    child = _create(client, parent.headers, scopes=["read", "write"])
    assert child.status_code == 201, child.get_json()
    assert child.get_json()["expires_at"] == expires.isoformat().replace("+00:00", "Z")
    sooner = (expires - timedelta(seconds=1)).isoformat().replace("+00:00", "Z")
    assert _create(client, parent.headers, scopes=["read"], expires_at=sooner).status_code == 201
    grandchild = _create(client, _bearer(child.get_json()["key"]), scopes=["read"])
    assert grandchild.status_code == 201
    keys = [child.get_json()["key"], grandchild.get_json()["key"]]
    for key in keys:
        assert client.get("/v1/account", headers=_bearer(key)).status_code == 200
    deadline = time.monotonic() + 30
    while utcnow() <= expires and time.monotonic() < deadline:
        time.sleep(0.2)
    assert_error(client.get("/v1/account", headers=parent.headers), 401, "unauthorized")
    for key in keys:
        response = client.get("/v1/account", headers=_bearer(key))
        assert_error(response, 401, "unauthorized")
        assert response.get_json()["error"]["details"]["reason"] == "expired"


def test_a_key_never_outranks_the_key_that_made_it(
    client: FlaskClient, make_caller: Callable[..., Caller]
) -> None:
    writer = make_caller(scopes=["read", "write"])
    assert_error(_create(client, writer.headers, scopes=["read", "delete"]), 403, "forbidden", "scopes")
    assert _create(client, writer.headers, scopes=["read", "write"]).status_code == 201


def test_revoking_needs_the_scopes_of_the_key_revoked(
    client: FlaskClient, make_caller: Callable[..., Caller]
) -> None:
    admin = make_caller()  # read, write, delete
    deleter = _create(client, admin.headers, scopes=["delete"]).get_json()
    assert_error(
        client.delete(f"/v1/api-keys/{admin.key_id}", headers=_bearer(deleter["key"])), 403, "forbidden", "id"
    )
    assert client.get("/v1/account", headers=admin.headers).status_code == 200  # still valid
    # a key with every scope of the target may revoke it
    reader = _create(client, admin.headers, scopes=["read"]).get_json()
    rd = _create(client, admin.headers, scopes=["read", "delete"]).get_json()
    assert client.delete(f"/v1/api-keys/{reader['id']}", headers=_bearer(rd["key"])).status_code == 204
    assert_error(client.get("/v1/account", headers=_bearer(reader["key"])), 401, "unauthorized")


def test_revoking_a_key_revokes_the_keys_made_with_it(
    client: FlaskClient, make_caller: Callable[..., Caller]
) -> None:
    root = make_caller()
    leaked = _create(client, root.headers, scopes=["read", "write", "delete"]).get_json()
    made = _create(client, _bearer(leaked["key"]), scopes=["read", "write"]).get_json()
    deeper = _create(client, _bearer(made["key"]), scopes=["read"]).get_json()
    sibling = _create(client, root.headers, scopes=["read"]).get_json()
    assert client.delete(f"/v1/api-keys/{leaked['id']}", headers=root.headers).status_code == 204
    for key in (leaked, made, deeper):
        response = client.get("/v1/account", headers=_bearer(key["key"]))
        assert_error(response, 401, "unauthorized")
        assert response.get_json()["error"]["details"]["reason"] == "revoked"
    assert client.get("/v1/account", headers=_bearer(sibling["key"])).status_code == 200
    listed = {k["id"] for k in client.get("/v1/api-keys", headers=root.headers).get_json()["data"]}
    assert sibling["id"] in listed and not listed & {leaked["id"], made["id"], deeper["id"]}
