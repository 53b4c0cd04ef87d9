"""One SQLAlchemy session per request, on the engine of the app's ``DATABASE_URL``."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy.orm import Session

from db.engine import get_engine, session_factory


def init_app(app: Flask) -> None:
    app.extensions["leadscraper_sessions"] = session_factory(get_engine(app.config["DATABASE_URL"]))
    app.teardown_appcontext(_close_session)


def db_session() -> Session:
    """The request's session (opened on first use, rolled back and closed at teardown)."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["leadscraper_sessions"]()
    session: Session = g.db_session
    return session


def _close_session(_exc: BaseException | None = None) -> None:
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        try:
            session.rollback()
        finally:
            session.close()
