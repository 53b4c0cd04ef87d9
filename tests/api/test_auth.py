"""Bearer keys: hashed, shown once, last_used_at kept; expiry, revocation and scopes enforced."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.accounts import hash_api_key
from db.models import ApiKey
from db.types import utcnow
from tests.api.conftest import Caller
from tests.api.test_errors import assert_error

pytestmark = pytest.mark.db


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "Bearer not-a-key",
        "Bearer ls_doesnotexist",
        "ls_abc",
    ],
)
def test_missing_malformed_or_unknown_key_is_401(client: FlaskClient, header: str | None) -> None:
    headers = {} if header is None else {"Authorization": header}
    assert_error(client.get("/v1/leads", headers=headers), 401, "unauthorized", "Authorization")


def test_key_is_stored_only_as_hash_and_last_used_is_kept(
    client: FlaskClient, caller: Caller, db: Session
) -> None:
    row = db.scalar(select(ApiKey).where(ApiKey.id == caller.key_id))
    assert row is not None
    assert row.key_hash == hash_api_key(caller.key) and caller.key not in (row.key_hash, row.key_prefix)
    assert caller.key.startswith(row.key_prefix) and row.last_used_at is None
    assert client.get("/v1/account", headers=caller.headers).status_code == 200
    db.refresh(row)
    assert row.last_used_at is not None and utcnow() - row.last_used_at < timedelta(minutes=1)


def test_expired_key_is_401(client: FlaskClient, make_caller: Callable[..., Caller], db: Session) -> None:
    caller = make_caller(expires_at=utcnow() + timedelta(hours=1))
    assert client.get("/v1/account", headers=caller.headers).status_code == 200
    row = db.get(ApiKey, caller.key_id)
    assert row is not None
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.commit()
    error = assert_error(client.get("/v1/account", headers=caller.headers), 401, "unauthorized")
    assert error["details"]["reason"] == "expired"


def test_revoked_key_is_401(client: FlaskClient, caller: Caller) -> None:
    assert client.delete(f"/v1/api-keys/{caller.key_id}", headers=caller.headers).status_code == 204
    error = assert_error(client.get("/v1/account", headers=caller.headers), 401, "unauthorized")
    assert error["details"]["reason"] == "revoked"


@pytest.mark.parametrize(
    ("method", "path", "scope", "allowed_status"),
    [
        ("GET", "/v1/leads", "read", 200),
        ("GET", "/v1/jobs", "read", 200),
        ("GET", "/v1/account", "read", 200),
        ("GET", "/v1/credits/usage", "read", 200),
        ("GET", "/v1/api-keys", "read", 200),
        ("POST", "/v1/scrape", "write", 400),
        ("POST", "/v1/api-keys", "write", 400),
        ("POST", "/v1/jobs/job_x/cancel", "write", 404),
        ("PATCH", "/v1/leads/lead_x", "write", 400),  # the empty body is refused before the lookup
        ("DELETE", "/v1/leads/lead_x", "delete", 404),
        ("DELETE", "/v1/api-keys/key_x", "delete", 404),
    ],
)
def test_each_method_needs_its_scope(
    client: FlaskClient,
    make_caller: Callable[..., Caller],
    method: str,
    path: str,
    scope: str,
    allowed_status: int,
) -> None:
    others = [s for s in ("read", "write", "delete") if s != scope]
    lacking = make_caller(scopes=others)
    error = assert_error(
        client.open(path, method=method, headers=lacking.headers), 403, "forbidden", "scopes"
    )
    assert error["details"]["required_scope"] == scope
    having = make_caller(scopes=[scope])
    response = client.open(path, method=method, headers=having.headers, json={} if method != "GET" else None)
    # past the scope check, each request gets its own answer: data, a validation error or a 404
    assert response.status_code == allowed_status, response.get_json()


def test_a_key_cannot_grant_scopes_it_lacks(client: FlaskClient, make_caller: Callable[..., Caller]) -> None:
    caller = make_caller(scopes=["read", "write"])
    body = {"name": "escalate", "scopes": ["read", "delete"]}
    assert_error(client.post("/v1/api-keys", headers=caller.headers, json=body), 403, "forbidden", "scopes")


def test_docs_and_openapi_are_public(client: FlaskClient) -> None:
    assert client.get("/v1/openapi.json").status_code == 200
    assert client.get("/docs").status_code == 200
