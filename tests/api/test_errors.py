"""Every error is the spec's {"error": {"code", "message", "details"}}, with the spec's codes; never a 500."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from api import create_app
from tests.api.conftest import Caller

pytestmark = pytest.mark.db


def assert_error(response, status: int, code: str, field: str | None = None) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    error = response.get_json()["error"]
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    if field is not None:
        assert error["details"]["field"] == field, error
        assert error["details"]["reason"]
    return error


def test_unknown_route_is_404_json(client: FlaskClient, caller: Caller) -> None:
    assert_error(client.get("/v1/nothing-here", headers=caller.headers), 404, "not_found")
    assert_error(client.get("/nowhere"), 404, "not_found")


def test_wrong_method_is_405_with_allow(client: FlaskClient, caller: Caller) -> None:
    response = client.put("/v1/leads", headers=caller.headers)
    error = assert_error(response, 405, "invalid_request", "method")
    assert "GET" in response.headers["Allow"]
    assert "GET" in error["details"]["allowed_methods"]


def test_wrong_content_type_is_415(client: FlaskClient, caller: Caller) -> None:
    response = client.post(
        "/v1/scrape", headers={**caller.headers, "Content-Type": "text/plain"}, data="type=bulk"
    )
    assert_error(response, 415, "invalid_request", "Content-Type")


def test_malformed_json_is_400(client: FlaskClient, caller: Caller) -> None:
    headers = {**caller.headers, "Content-Type": "application/json"}
    assert_error(
        client.post("/v1/scrape", headers=headers, data='{"type": "bulk",'), 400, "invalid_request", "body"
    )
    assert_error(client.post("/v1/scrape", headers=headers, data="[1, 2]"), 400, "invalid_request", "body")


def test_empty_body_names_the_missing_fields(client: FlaskClient, caller: Caller) -> None:
    error = assert_error(client.post("/v1/scrape", headers=caller.headers), 400, "invalid_request")
    fields = {e["field"] for e in error["details"]["errors"]}
    assert fields == {"type", "urls"}


def test_oversized_body_is_413(database_url: str, caller: Caller) -> None:
    app = create_app({"DATABASE_URL": database_url, "MAX_CONTENT_LENGTH": 1000})
    body = '{"type": "bulk", "urls": ["https://acme-robotics.com/' + "a" * 2000 + '"]}'
    response = app.test_client().post(
        "/v1/scrape", headers={**caller.headers, "Content-Type": "application/json"}, data=body
    )
    assert_error(response, 413, "invalid_request", "body")


def test_database_unavailable_is_503(caller: Caller) -> None:
    app = create_app({"DATABASE_URL": "postgresql+psycopg2://nobody@127.0.0.1:1/none"})
    response = app.test_client().get("/v1/leads", headers=caller.headers)
    error = assert_error(response, 503, "service_unavailable")
    assert "database" in error["message"].lower()
    assert response.headers["Retry-After"] == "5"


def test_unexpected_errors_are_500_json_without_traceback(app: Flask, caller: Caller) -> None:
    @app.get("/v1/boom")
    def boom() -> str:
        raise RuntimeError("secret internals")

    response = app.test_client().get("/v1/boom", headers=caller.headers)
    error = assert_error(response, 500, "internal_error")
    assert "secret" not in response.get_data(as_text=True)
    assert error["message"] == "Internal server error"


def test_bad_query_parameter_is_400_naming_it(client: FlaskClient, caller: Caller) -> None:
    assert_error(client.get("/v1/leads?limit=abc", headers=caller.headers), 400, "invalid_request", "limit")
    assert_error(client.get("/v1/leads?limit=101", headers=caller.headers), 400, "invalid_request", "limit")
    assert_error(client.get("/v1/leads?limit=0", headers=caller.headers), 400, "invalid_request", "limit")
    assert_error(
        client.get("/v1/jobs?status=sleeping", headers=caller.headers), 400, "invalid_request", "status"
    )


def test_error_responses_carry_rate_limit_headers(client: FlaskClient, caller: Caller) -> None:
    response = client.get("/v1/jobs/job_unknown", headers=caller.headers)
    assert response.status_code == 404
    for name in ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"):
        assert name in response.headers
    assert "Retry-After" not in response.headers
