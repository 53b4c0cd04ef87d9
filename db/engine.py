"""The one place that makes engines and sessions, and wraps infrastructure errors."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{REPO_ROOT / 'var' / 'leadscraper.db'}"


class DatabaseError(Exception):
    """Raised when the database cannot be reached or refuses a connection."""


class DatabaseUrlError(DatabaseError):
    """Raised when ``DATABASE_URL`` is not a URL of a database LeadScraper runs on (PostgreSQL through
    psycopg2, or SQLite); its message is one line meant for the operator."""


URL_EXAMPLES = "postgresql://user:password@host:5432/dbname or sqlite:////absolute/path.db"
# PostgreSQL is spoken through psycopg2 (installed with the project). A bare postgresql:// means
# psycopg 3 to SQLAlchemy 2.1, which is not installed; postgres:// is what Heroku-style hosts hand out.
POSTGRES_SCHEMES = ("postgres", "postgresql", "postgresql+psycopg2")


def _masked(url: str) -> str:
    return re.sub(r"(//[^:/@]*:)[^@/]*@", r"\1***@", url)


def normalize_database_url(url: str) -> str:
    """``url`` as the one SQLAlchemy URL the engine is made from: every PostgreSQL spelling
    (``postgres://``, ``postgresql://``, ``postgresql+psycopg2://``) on psycopg2, SQLite as given.

    Raises ``DatabaseUrlError`` (one line, password masked) for anything else.
    """
    text = url.strip()
    scheme, sep, rest = text.partition("://")
    if sep and scheme.lower() in POSTGRES_SCHEMES:
        text = f"postgresql+psycopg2://{rest}"
    try:
        parsed: URL = make_url(text)
    except (ArgumentError, ValueError):
        raise DatabaseUrlError(
            f"DATABASE_URL is not a database URL ({_masked(url)!r}); expected {URL_EXAMPLES}"
        ) from None
    backend, driver = parsed.get_backend_name(), parsed.get_driver_name()
    if backend == "sqlite" and driver == "pysqlite":
        return parsed.render_as_string(hide_password=False)
    if backend == "postgresql" and driver == "psycopg2":
        if not parsed.database:
            raise DatabaseUrlError(
                f"DATABASE_URL names no database ({_masked(url)!r}); expected {URL_EXAMPLES}"
            )
        return parsed.render_as_string(hide_password=False)
    if backend == "postgresql":
        raise DatabaseUrlError(
            f"DATABASE_URL asks for the PostgreSQL driver {driver!r}; LeadScraper uses psycopg2: "
            f"write postgresql://... (or postgresql+psycopg2://...)"
        )
    raise DatabaseUrlError(
        f"DATABASE_URL is a {backend} URL; LeadScraper runs on PostgreSQL or SQLite ({URL_EXAMPLES})"
    )


def database_url() -> str:
    """``DATABASE_URL`` from the environment (see ``normalize_database_url``), else the embedded
    SQLite file under ``var/``."""
    return normalize_database_url(os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL)


def database_failure(exc: BaseException, url: str | None = None) -> str | None:
    """The one line a command prints when it cannot use its database (``url``, default
    ``DATABASE_URL``); None when ``exc`` is another kind of error."""
    if isinstance(exc, DatabaseError):
        return str(exc)
    if not isinstance(exc, OperationalError | InterfaceError):
        return None
    try:
        where = make_url(url or database_url()).render_as_string(hide_password=True)
    except DatabaseError:
        where = "(DATABASE_URL)"
    lines = str(exc.orig or exc).strip().splitlines()
    return f"cannot use the database {where}: {lines[0] if lines else type(exc).__name__}"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # WAL lets the API read while a crawl writes; busy_timeout makes writers queue instead of failing.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    """Create an engine for ``url`` (default: ``database_url()``) with per-backend settings."""
    url = normalize_database_url(url) if url else database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("connect_args", {"timeout": 30, "check_same_thread": False})
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_size", 5)
    kwargs.setdefault("max_overflow", 10)
    if parsed.get_backend_name() == "postgresql":
        kwargs.setdefault("connect_args", {"connect_timeout": 5})
        # An UPDATE with many parameter sets (the ORM's flush, bulk updates by primary key) goes as
        # psycopg2's execute_batch, 100 rows a round trip, instead of one round trip per row; INSERTs
        # are batched by SQLAlchemy's insertmanyvalues either way. Costs: no rowcount for such an
        # executemany, which no caller reads (each rowcount check here is of a single statement).
        kwargs.setdefault("executemany_mode", "values_plus_batch")
    return create_engine(url, **kwargs)


@lru_cache(maxsize=8)
def get_engine(url: str | None = None) -> Engine:
    """A process-wide engine per URL."""
    return make_engine(url)


def session_factory(engine: Engine | None = None) -> sessionmaker[Session]:
    return sessionmaker(bind=engine or get_engine(), expire_on_commit=False)


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    session = session_factory(engine)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
