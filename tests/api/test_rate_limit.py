"""Per-account hourly limits by plan, headers on every response, and the spec's 429."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from tests.api.conftest import Caller
from tests.api.test_errors import assert_error

pytestmark = pytest.mark.db


@pytest.mark.parametrize(
    ("plan", "limit"), [("free", 100), ("starter", 1000), ("pro", 10000), ("enterprise", 100000)]
)
def test_plan_limits_in_headers(
    client: FlaskClient, make_caller: Callable[..., Caller], plan: str, limit: int
) -> None:
    caller = make_caller(plan=plan)
    first = client.get("/v1/account", headers=caller.headers)
    second = client.get("/v1/leads", headers=caller.headers)
    assert first.headers["X-RateLimit-Limit"] == str(limit)
    assert int(first.headers["X-RateLimit-Remaining"]) == limit - 1
    assert int(second.headers["X-RateLimit-Remaining"]) == limit - 2  # one bucket across endpoints
    assert int(first.headers["X-RateLimit-Reset"]) > time.time()


def test_enterprise_limit_is_per_account(client: FlaskClient, make_caller: Callable[..., Caller]) -> None:
    caller = make_caller(plan="enterprise", rate_limit=3)
    other = make_caller(plan="enterprise", rate_limit=3)
    for remaining in (2, 1, 0):
        response = client.get("/v1/account", headers=caller.headers)
        assert response.status_code == 200
        assert response.headers["X-RateLimit-Remaining"] == str(remaining)
    response = client.get("/v1/leads", headers=caller.headers)
    error = assert_error(response, 429, "rate_limit_exceeded")
    retry_after = int(response.headers["Retry-After"])
    assert 0 < retry_after <= 3600 and error["retry_after"] == retry_after
    assert error["message"] == f"Rate limit exceeded. Retry after {retry_after} seconds."
    assert response.headers["X-RateLimit-Limit"] == "3" and response.headers["X-RateLimit-Remaining"] == "0"
    # Another key of another account is not affected.
    assert client.get("/v1/account", headers=other.headers).status_code == 200


def test_keys_of_one_account_share_its_limit(client: FlaskClient, make_caller: Callable[..., Caller]) -> None:
    caller = make_caller(plan="enterprise", rate_limit=2)
    second_key = client.post("/v1/api-keys", headers=caller.headers, json={"name": "2", "scopes": ["read"]})
    assert second_key.status_code == 201
    headers = {"Authorization": f"Bearer {second_key.get_json()['key']}"}
    assert client.get("/v1/account", headers=headers).status_code == 200
    assert_error(client.get("/v1/account", headers=headers), 429, "rate_limit_exceeded")
    assert_error(client.get("/v1/account", headers=caller.headers), 429, "rate_limit_exceeded")


def test_requests_without_a_valid_key_are_limited_per_address(database_url: str) -> None:
    from api import create_app

    app = create_app({"DATABASE_URL": database_url, "RATELIMIT_ANONYMOUS": "2/hour"})
    client = app.test_client()
    assert client.get("/v1/leads").status_code == 401
    assert client.get("/v1/leads", headers={"Authorization": "Bearer ls_guess"}).status_code == 401
    response = client.get("/v1/leads", headers={"Authorization": "Bearer ls_guess2"})
    assert_error(response, 429, "rate_limit_exceeded")
    assert "Retry-After" in response.headers
