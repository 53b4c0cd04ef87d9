"""The ``leadscraper`` command, and the OpenAPI document and docs page."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from flask.testing import FlaskClient

from api.cli import main
from api.rest.errors import ERROR_CODES

pytestmark = pytest.mark.db


def test_create_account_prints_a_working_key(client: FlaskClient, capsys: pytest.CaptureFixture[str]) -> None:
    email = "cli-owner@acme-robotics.com"
    assert main(["create-account", "--email", email, "--plan", "enterprise", "--credits", "250",
                 "--rate-limit", "42"]) == 0  # fmt: skip
    key = re.search(r"(ls_\S+)", capsys.readouterr().out)
    assert key is not None
    response = client.get("/v1/account", headers={"Authorization": f"Bearer {key.group(1)}"})
    data = response.get_json()
    assert data["email"] == email and data["plan"] == "enterprise" and data["credits"]["balance"] == 250
    assert response.headers["X-RateLimit-Limit"] == "42"
    assert main(["create-account", "--email", email]) == 1  # already exists

    assert main(["create-key", "--email", email, "--scopes", "read", "--name", "ro"]) == 0
    read_only = re.search(r"(ls_\S+)", capsys.readouterr().out)
    assert read_only is not None
    headers = {"Authorization": f"Bearer {read_only.group(1)}"}
    assert client.get("/v1/leads", headers=headers).status_code == 200
    assert client.post("/v1/scrape", headers=headers, json={}).status_code == 403
    assert main(["create-key", "--email", "nobody@nowhere.test"]) == 1


def test_openapi_documents_every_operation_and_error(client: FlaskClient) -> None:
    spec = client.get("/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    expected = {
        "/v1/scrape": {"post"},
        "/v1/jobs": {"get"},
        "/v1/jobs/{job_id}": {"get"},
        "/v1/jobs/{job_id}/cancel": {"post"},
        "/v1/jobs/{job_id}/urls": {"get"},
        "/v1/leads": {"get"},
        "/v1/leads/{lead_id}": {"get", "patch", "delete"},
        "/v1/leads/{lead_id}/verify": {"post"},
        "/v1/companies": {"get"},
        "/v1/companies/{company_id}": {"get"},
        "/v1/api-keys": {"get", "post"},
        "/v1/api-keys/{key_id}": {"delete"},
        "/v1/account": {"get"},
        "/v1/credits/usage": {"get"},
        "/v1/leads/export": {"post"},
        "/v1/exports/{export_id}": {"get"},
        "/v1/exports/{export_id}/download": {"get"},
        "/v1/webhooks": {"get", "post"},
        "/v1/webhooks/{webhook_id}": {"get", "delete"},
        "/v1/webhooks/{webhook_id}/test": {"post"},
        "/v1/webhooks/{webhook_id}/deliveries": {"get"},
        "/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver": {"post"},
        "/v1/suppressions": {"get", "post"},
        "/v1/suppressions/{suppression_id}": {"get", "delete"},
        "/v1/schedules": {"get", "post"},
        "/v1/schedules/{schedule_id}": {"get", "patch", "delete"},
    }
    assert {path: set(ops) - {"parameters"} for path, ops in spec["paths"].items()} == expected
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            if method == "parameters":
                continue
            assert op["summary"], (path, method)
            responses = set(op["responses"])
            assert {"401", "403", "429", "500", "503"} <= responses, (path, method)
            assert "422" not in responses  # validation errors are 400 here
    assert {"402", "409", "400", "413", "415"} <= set(spec["paths"]["/v1/scrape"]["post"]["responses"])
    assert "409" in spec["paths"]["/v1/jobs/{job_id}/cancel"]["post"]["responses"]
    error_schema = spec["components"]["schemas"]["Error"]
    assert set(error_schema["properties"]) == {"error"}
    for code in ERROR_CODES:
        assert code in spec["info"]["description"]
    lead = spec["components"]["schemas"]["Lead"]["properties"]
    for name in (
        "signals_detected",
        "enrichment_data",
        "facebook_url",
        "contact_type",
        "custom_notes",
        "tags",
    ):
        assert name in lead
    params = {p["name"] for p in spec["paths"]["/v1/leads"]["get"]["parameters"]}
    assert params >= {
        "job_id", "score_min", "score_max", "status", "search", "created_after", "created_before",
        "sort", "order", "limit", "cursor",
    }  # fmt: skip
    scrape_params = {p["name"] for p in spec["paths"]["/v1/scrape"]["post"].get("parameters", [])}
    assert "Idempotency-Key" in scrape_params


def test_docs_page_points_at_the_openapi_document(client: FlaskClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200 and "swagger" in page.get_data(as_text=True).lower()
    assert "/v1/openapi.json" in page.get_data(as_text=True)


def test_make_run_says_which_networks_are_allowed(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from api.devserver import print_network_guard

    monkeypatch.delenv("LEADSCRAPER_ALLOW_PRIVATE_NETWORKS", raising=False)
    monkeypatch.setenv("LEADSCRAPER_WEBHOOK_ALLOW_PRIVATE_NETWORKS", "127.0.0.1/32")
    monkeypatch.setenv("SCRAPYD_URLS", "http://leadscraper:s3cret@127.0.0.1:6801")
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg2://app:pw@127.0.0.1:5432/leads")
    monkeypatch.setenv("PORT", "8123")
    print_network_guard()
    out = capsys.readouterr().out
    assert "crawls may reach private networks: none (public addresses only)" in out
    assert "LEADSCRAPER_ALLOW_PRIVATE_NETWORKS=127.0.0.1/32 make run" in out
    assert "webhooks may reach private networks: 127.0.0.1/32" in out
    for service in (
        "127.0.0.1:6801 (SCRAPYD_URLS)",
        "127.0.0.1:5432 (DATABASE_URL)",
        "127.0.0.1:8123 (HOST/PORT)",
    ):
        assert service in out, out
    assert "s3cret" not in out and "pw@" not in out


def _make_run_browser_lines(**env: str) -> list[str]:
    """What ``make run`` says about JavaScript rendering, with this environment."""
    done = subprocess.run(
        [sys.executable, "-c", "from api.devserver import provide_browser; provide_browser()"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_make_run_says_in_one_line_that_rendering_is_off_and_how_to_enable_it() -> None:
    lines = _make_run_browser_lines(PLAYWRIGHT_CHROMIUM_EXECUTABLE="/nonexistent/chromium")
    assert lines == [
        "JavaScript rendering is OFF (PLAYWRIGHT_CHROMIUM_EXECUTABLE=/nonexistent/chromium is not an "
        "executable): script-built pages are read as plain HTML and their "
        "URLs say so; to enable it: apt-get install chromium (Debian/Ubuntu), or .venv/bin/playwright "
        "install chromium, or PLAYWRIGHT_CHROMIUM_EXECUTABLE=/path/to/chromium, then restart make run"
    ]


@pytest.mark.skipif(not os.access("/usr/bin/chromium", os.X_OK), reason="no system Chromium here")
def test_make_run_uses_the_system_chromium() -> None:
    environment = {"PLAYWRIGHT_CHROMIUM_EXECUTABLE": ""}
    assert _make_run_browser_lines(**environment) == ["JavaScript rendering: on (Chromium /usr/bin/chromium)"]
