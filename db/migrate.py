"""Run Alembic migrations from code or the command line: ``python -m db.migrate [upgrade|current]``."""

from __future__ import annotations

import sys
from pathlib import Path

from alembic import command
from alembic.config import Config

from db.engine import database_failure, database_url, normalize_database_url

ALEMBIC_INI = Path(__file__).resolve().parent / "alembic.ini"


def alembic_config(url: str | None = None) -> Config:
    cfg = Config(str(ALEMBIC_INI))
    url = normalize_database_url(url) if url else database_url()
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.attributes["configure_logging"] = False
    return cfg


def upgrade(url: str | None = None, revision: str = "heads") -> None:
    """Bring the database at ``url`` (default DATABASE_URL) to ``revision``.

    ``heads``: every branch tip, so migrations written side by side (each off the same parent)
    all apply; a later merge revision joins them without changing what they do.
    """
    command.upgrade(alembic_config(url), revision)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    action = args[0] if args else "upgrade"
    try:
        return _run(action)
    except Exception as exc:
        message = database_failure(exc)
        if message is None:
            raise
        print(f"migrate: {message}", file=sys.stderr)
        return 2


def _run(action: str) -> int:
    if action == "upgrade":
        upgrade()
        print(f"database migrated: {database_url().split('@')[-1]}")
    elif action == "current":
        command.current(alembic_config())
    else:
        print("usage: python -m db.migrate [upgrade|current]", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
