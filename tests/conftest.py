"""Suite-wide fixtures: a migrated database (PostgreSQL when TEST_DATABASE_URL/DATABASE_URL is set,
else a temporary SQLite file) and sessions on it.

On PostgreSQL each test session creates a database of its own on the given server and drops it at
the end, so runs (and xdist workers) never see each other's rows.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

from db.engine import make_engine, normalize_database_url, session_factory
from db.migrate import upgrade
from tests import features

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def verification_dns_stays_here() -> Iterator[None]:
    """Every crawl, scrapyd node and app a test starts verifies addresses against a local DNS
    server that fails every query (so addresses are ``unknown`` and scores unchanged), and never
    probes SMTP; a test that wants verdicts passes its own servers (tests/verify/servers.py)."""
    from tests.verify.servers import FailingDns

    server = FailingDns()
    saved = {
        k: os.environ.get(k)
        for k in ("LEADSCRAPER_DNS_NAMESERVERS", "LEADSCRAPER_DNS_PORT", "LEADSCRAPER_SMTP_PROBE")
    }
    os.environ.update(
        {
            "LEADSCRAPER_DNS_NAMESERVERS": "127.0.0.1",
            "LEADSCRAPER_DNS_PORT": str(server.port),
            "LEADSCRAPER_SMTP_PROBE": "0",
        }
    )
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        server.close()


def _server_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL") or None


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    base = _server_url()
    if not base or make_url(base).get_backend_name() == "sqlite":
        path = tmp_path_factory.mktemp("db") / "leadscraper-test.db"
        url = f"sqlite:///{path}"
        upgrade(url)
        os.environ["DATABASE_URL"] = url
        yield url
        return
    parsed = make_url(normalize_database_url(base))  # postgresql:// and postgres:// too
    name = f"ls_test_{secrets.token_hex(4)}"
    admin = create_engine(parsed, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = parsed.set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    os.environ["DATABASE_URL"] = url
    try:
        yield url
    finally:
        from db.engine import get_engine

        get_engine.cache_clear()
        with admin.connect() as conn:
            conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"), {"n": name}
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    eng = make_engine(database_url)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    s = session_factory(engine)()
    try:
        yield s
    finally:
        s.rollback()
        s.close()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{features.MARKER}(feature, available, reason): needs something from the machine "
        "(skipped without it, failed without it under CI: tests/features.py)",
    )


def pytest_runtest_setup(item: pytest.Item) -> None:
    features.check_marks(item)
