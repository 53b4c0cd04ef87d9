"""Export download links: built on the configured public URL whatever ``Host`` a request sends, and
their tokens never written to a request log (werkzeug's under ``make run``, gunicorn's in production)."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from flask import Flask
from werkzeug.serving import make_server

from api import create_app
from api.scrapyd.localnode import free_port
from api.worker.runner import Worker
from tests.api.conftest import UNREACHABLE_SCRAPYD, Caller

pytestmark = pytest.mark.db
PUBLIC = "https://leads.acme-robotics.com/scraper"
REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def public_app(database_url: str) -> Flask:
    return create_app(
        {
            "DATABASE_URL": database_url,
            "TESTING": True,
            "SCRAPYD_URLS": [UNREACHABLE_SCRAPYD],
            "PUBLIC_URL": PUBLIC,
        }
    )


def _completed_export(base: str, caller: Caller, directory: Path, database_url: str) -> str:
    created = requests.post(
        f"{base}/v1/leads/export", json={"format": "csv"}, headers=caller.headers, timeout=30
    )
    assert created.status_code == 200, created.text
    Worker(database_url, allow=(), directory=directory).run_until_idle()
    return str(created.json()["export_id"])


def test_download_url_ignores_the_host_header(
    public_app: Flask, caller: Caller, tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEADSCRAPER_EXPORT_DIR", str(tmp_path))
    client = public_app.test_client()
    created = client.post("/v1/leads/export", json={"format": "json"}, headers=caller.headers).get_json()
    Worker(database_url, allow=(), directory=tmp_path).run_until_idle()
    for forged in ({"Host": "evil.example"}, {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}):
        status = client.get(
            f"/v1/exports/{created['export_id']}", headers={**caller.headers, **forged}
        ).get_json()
        assert status["status"] == "completed", status
        assert status["download_url"].startswith(
            f"{PUBLIC}/v1/exports/{created['export_id']}/download?token="
        )
        assert "evil.example" not in status["download_url"]


def test_make_run_request_log_redacts_download_tokens(
    caller: Caller,
    tmp_path: Path,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("LEADSCRAPER_EXPORT_DIR", str(tmp_path))
    app = create_app({"DATABASE_URL": database_url, "TESTING": True, "SCRAPYD_URLS": [UNREACHABLE_SCRAPYD]})
    server = make_server("127.0.0.1", 0, app, threaded=True)  # what api.devserver serves
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_URL"] = base
    caplog.set_level(logging.INFO, logger="werkzeug")
    try:
        export_id = _completed_export(base, caller, tmp_path, database_url)
        link = requests.get(f"{base}/v1/exports/{export_id}", headers=caller.headers, timeout=30).json()
        token = parse_qs(urlsplit(link["download_url"]).query)["token"][0]
        assert requests.get(link["download_url"], timeout=30).status_code == 200
    finally:
        server.shutdown()
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name == "werkzeug")
    assert f"/v1/exports/{export_id}/download?token=[redacted]" in logged
    assert token not in logged


@pytest.fixture
def gunicorn_api(database_url: str, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    port = free_port()
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    access = tmp_path / "access.log"
    env = {**os.environ, "DATABASE_URL": database_url, "LEADSCRAPER_EXPORT_DIR": str(tmp_path / "exports")}
    with open(tmp_path / "gunicorn.log", "ab") as out:
        process = subprocess.Popen(
            [
                gunicorn,
                "--workers",
                "1",
                "--bind",
                f"127.0.0.1:{port}",
                "--access-logfile",
                str(access),
                "api:create_app()",
            ],
            cwd=REPO_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, (tmp_path / "gunicorn.log").read_text()[-2000:]
            try:
                requests.get(f"{base}/v1/openapi.json", timeout=1)
                break
            except requests.RequestException:
                assert time.monotonic() < deadline, "gunicorn did not answer"
                time.sleep(0.2)
        yield base, access
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(10)


@pytest.mark.slow
def test_gunicorn_access_log_redacts_download_tokens(
    gunicorn_api: tuple[str, Path], caller: Caller, tmp_path: Path, database_url: str
) -> None:
    base, access = gunicorn_api
    export_id = _completed_export(base, caller, tmp_path / "exports", database_url)
    link = requests.get(f"{base}/v1/exports/{export_id}", headers=caller.headers, timeout=30).json()
    token = parse_qs(urlsplit(link["download_url"]).query)["token"][0]
    path = urlsplit(link["download_url"])
    assert requests.get(f"{base}{path.path}?{path.query}", timeout=30).status_code == 200
    deadline = time.monotonic() + 10
    while "download" not in access.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    logged = access.read_text()
    assert f"/v1/exports/{export_id}/download?token=[redacted]" in logged
    assert token not in logged
