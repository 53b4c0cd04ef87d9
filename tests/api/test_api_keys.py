"""POST/GET/DELETE /v1/api-keys per spec section 5."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

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
