"""DATABASE_URL: every PostgreSQL spelling works; a wrong one is one line, not a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from db.engine import DatabaseUrlError, make_engine, normalize_database_url

pytestmark = pytest.mark.db

REPO_ROOT = Path(__file__).resolve().parents[2]


def _spellings(database_url: str) -> dict[str, str]:
    rest = database_url.split("://", 1)[1]
    return {scheme: f"{scheme}://{rest}" for scheme in ("postgres", "postgresql", "postgresql+psycopg2")}


@pytest.fixture
def postgres_url(database_url: str) -> str:
    if make_url(database_url).get_backend_name() != "postgresql":
        pytest.skip("needs the suite on PostgreSQL (TEST_DATABASE_URL)")
    return database_url


def test_every_postgresql_spelling_maps_to_psycopg2() -> None:
    for scheme in ("postgres", "postgresql", "postgresql+psycopg2", "POSTGRESQL"):
        url = normalize_database_url(f"{scheme}://ops:s%40cret@db.internal:5433/leads?sslmode=require")
        assert url == "postgresql+psycopg2://ops:s%40cret@db.internal:5433/leads?sslmode=require"
    assert normalize_database_url("sqlite:////srv/ls.db") == "sqlite:////srv/ls.db"
    assert normalize_database_url("sqlite://") == "sqlite://"


def test_every_spelling_connects_and_migrates(postgres_url: str) -> None:
    for scheme, url in _spellings(postgres_url).items():
        engine = make_engine(url)
        try:
            with engine.connect() as conn:
                assert conn.execute(text("SELECT 1")).scalar() == 1, scheme
                assert engine.dialect.driver == "psycopg2"
        finally:
            engine.dispose()
        # Alembic's environment and `make migrate` take the same URL.
        done = subprocess.run(
            [sys.executable, "-m", "db.migrate", "upgrade"],
            cwd=REPO_ROOT,
            env={**os.environ, "DATABASE_URL": url},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, (scheme, done.stderr)
        assert "database migrated:" in done.stdout


WRONG_URLS = {
    "not a URL": ("postgresql//ops:secret@db/leads", "is not a database URL"),
    "another database": ("mysql://ops@db/leads", "runs on PostgreSQL or SQLite"),
    "another driver": ("postgresql+psycopg://ops@db/leads", "uses psycopg2"),
    "no database name": ("postgresql://ops@db", "names no database"),
    "unreachable": ("postgresql://ops:secret@127.0.0.1:9/leads", "cannot use the database"),
}


@pytest.mark.parametrize("case", sorted(WRONG_URLS))
@pytest.mark.parametrize(
    "command",
    [["db.migrate", "upgrade"], ["api.worker", "--once"], ["api.devserver"]],
    ids=["migrate", "worker", "make-run"],
)
def test_a_wrong_url_is_one_line_and_exit_2(case: str, command: list[str]) -> None:
    url, expected = WRONG_URLS[case]
    done = subprocess.run(
        [sys.executable, "-m", *command],
        cwd=REPO_ROOT,
        env={**os.environ, "DATABASE_URL": url, "SCRAPYD_URLS": "http://127.0.0.1:9"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert expected in lines[0]
    assert "Traceback" not in done.stderr and "secret" not in done.stderr


def test_url_errors_are_database_url_errors() -> None:
    for case in set(WRONG_URLS) - {"unreachable"}:  # well-formed, that one fails when connecting
        url, expected = WRONG_URLS[case]
        with pytest.raises(DatabaseUrlError, match=expected):
            normalize_database_url(url)
