"""Scopes on every route, table-driven over the OpenAPI document: a route without a scope rule fails."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from api.rest.auth import METHOD_SCOPES
from db.accounts import SCOPES
from tests.api.conftest import Caller

pytestmark = pytest.mark.db

# Deliberately public (no key, no scope), each with its reason. Anything else must need a scope.
PUBLIC = {
    ("GET", "/v1/openapi.json"): "the API description is public so clients and tools can read it",
    ("GET", "/docs"): "the interactive docs page (it loads /v1/openapi.json)",
    ("GET", "/docs/assets/{filename}"): "Swagger UI's scripts and styles for the docs page, served by the "
    "installation itself (no CDN)",
    ("GET", "/v1/exports/{export_id}/download"): "authorised by the signed, expiring token in its URL, so "
    "the link works in a browser or a plain curl",
}
# Flask's own routes that are not part of the API.
NOT_API = {"/static/<path:filename>"}


def operations(app: Flask) -> list[tuple[str, str]]:
    """(METHOD, path template) of every operation in the OpenAPI document."""
    spec = app.test_client().get("/v1/openapi.json").get_json()
    return sorted(
        (method.upper(), path)
        for path, ops in spec["paths"].items()
        for method in ops
        if method != "parameters"
    )


def _concrete(path: str) -> str:
    """A template filled with ids that exist nowhere: the scope check comes before any lookup."""
    return re.sub(r"\{(\w+?)(_id)?\}", lambda m: f"{m.group(1)}_00000000000000", path)


def test_every_routed_url_is_documented_or_listed_as_public(app: Flask) -> None:
    """A route added outside the OpenAPI document would escape the table below."""
    documented = {re.sub(r"\{(\w+)\}", r"<\1>", path) for _method, path in operations(app)}
    public = {re.sub(r"\{(\w+)\}", r"<\1>", path) for _method, path in PUBLIC}
    routed = {rule.rule for rule in app.url_map.iter_rules()} - NOT_API
    missing = {r for r in routed if r not in documented and r not in public}
    assert missing == set()


@pytest.fixture
def keys(make_caller: Callable[..., Caller]) -> dict[frozenset[str], Caller]:
    """For each scope: a key with only that scope and a key with every other scope (same account)."""
    from db.accounts import create_api_key
    from db.engine import session_factory

    owner = make_caller()
    out: dict[frozenset[str], Caller] = {frozenset(SCOPES): owner}
    with session_factory()() as session:
        for scope in SCOPES:
            for scopes in ([scope], [s for s in SCOPES if s != scope]):
                row, key = create_api_key(session, owner.account_id, f"only {scopes}", scopes)
                out[frozenset(scopes)] = Caller(
                    owner.account_id, key, row.id, {"Authorization": f"Bearer {key}"}
                )
        session.commit()
    return out


def test_the_method_needs_its_scope_on_every_operation(
    app: Flask, client: FlaskClient, keys: dict[frozenset[str], Caller]
) -> None:
    checked = 0
    for method, path in operations(app):
        url = _concrete(path)
        if (method, path) in PUBLIC:
            response = client.open(url, method=method)  # no key at all
            assert response.status_code not in (401, 403), (method, path)
            continue
        needed = METHOD_SCOPES[method]
        without = keys[frozenset(s for s in SCOPES if s != needed)]
        with_it = keys[frozenset({needed})]
        body = {} if method in ("POST", "PATCH", "PUT") else None
        denied = client.open(url, method=method, headers=without.headers, json=body)
        assert denied.status_code == 403, (method, path, denied.status_code)
        error = denied.get_json()["error"]
        assert error["code"] == "forbidden" and error["details"]["required_scope"] == needed
        allowed = client.open(url, method=method, headers=with_it.headers, json=body)
        assert allowed.status_code in (200, 201, 202, 204, 400, 404), (method, path, allowed.status_code)
        anonymous = client.open(url, method=method, json=body)
        assert anonymous.status_code == 401, (method, path)
        checked += 1
    assert checked >= 20  # the table is not silently empty


@pytest.mark.parametrize("path", [p for _m, p in PUBLIC])
def test_public_pages_answer_without_a_key(client: FlaskClient, path: str) -> None:
    response = client.get(_concrete(path.replace("{filename}", "swagger-ui-bundle.js")))
    if path.endswith("/download"):
        # No token: refused by the token check (400/404), never by auth (401/403).
        assert response.status_code in (400, 404)
    else:
        assert response.status_code in (200, 301, 308)
