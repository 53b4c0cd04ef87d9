"""The one account-scoped lookup by id that every resource uses."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select

from api.rest.auth import current_account
from api.rest.database import db_session
from api.rest.errors import NotFound

T = TypeVar("T")


def get_owned(model: type[T], object_id: str, noun: str) -> T:
    """The caller's ``model`` row with this id, or 404: another account's id is indistinguishable
    from one that exists nowhere (same status, same message)."""
    column: Any = model
    row = db_session().scalar(
        select(model).where(column.id == object_id, column.account_id == current_account().id)
    )
    if row is None:
        raise NotFound(
            f"{noun.capitalize()} {object_id} not found",
            {"field": "id", "reason": f"no such {noun} in your account"},
        )
    return row
