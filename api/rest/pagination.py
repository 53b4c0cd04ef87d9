"""Opaque keyset cursors: a deep page costs what the first costs, and inserts never shift pages."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, or_
from sqlalchemy.orm import QueryableAttribute, Session
from sqlalchemy.sql.elements import ColumnElement

from api.rest.errors import InvalidRequest
from api.rest.requests_guard import unstorable
from api.rest.schemas import parse_timestamp


@dataclass(frozen=True)
class SortColumn:
    """One column of a sort key: the SQL expression, how to read it from a row, and its JSON kind."""

    expr: ColumnElement[Any] | QueryableAttribute[Any]
    value: Callable[[Any], Any]
    kind: str  # "datetime" | "int" | "str"


@dataclass(frozen=True)
class Page:
    items: list[Any]
    has_more: bool
    next_cursor: str | None

    def pagination(self) -> dict[str, Any]:
        return {"has_more": self.has_more, "next_cursor": self.next_cursor}


def _dump(kind: str, value: Any) -> Any:
    return value.isoformat() if kind == "datetime" else value


INT_RANGE = (-(2**63), 2**63 - 1)  # what every database column compares against without overflowing


def _load(kind: str, value: Any) -> Any:
    """A cursor value back as the column's type; ``ValueError`` for anything a column cannot hold."""
    if kind == "datetime":
        if not isinstance(value, str):
            raise ValueError("not a timestamp")
        try:
            return parse_timestamp(value)
        except OverflowError:
            raise ValueError("timestamp out of range") from None
    if kind == "int":
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError("not an integer")
        if not INT_RANGE[0] <= value <= INT_RANGE[1]:
            raise ValueError("integer out of range")
        return value
    if not isinstance(value, str) or unstorable(value) is not None:
        raise ValueError("not a string")
    return value


def encode_cursor(sort_name: str, columns: Sequence[SortColumn], row: Any) -> str:
    payload = {"k": sort_name, "v": [_dump(c.kind, c.value(row)) for c in columns]}
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort_name: str, columns: Sequence[SortColumn]) -> list[Any]:
    bad = InvalidRequest.field("cursor", "malformed or from another query; use next_cursor as returned")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw)
        if not isinstance(payload, dict) or payload.get("k") != sort_name:
            raise bad
        values = payload.get("v")
        if not isinstance(values, list) or len(values) != len(columns):
            raise bad
        return [_load(c.kind, v) for c, v in zip(columns, values, strict=True)]
    except (ValueError, binascii.Error, UnicodeDecodeError, TypeError, RecursionError):
        raise bad from None


def _after(columns: Sequence[SortColumn], values: Sequence[Any], descending: bool) -> ColumnElement[bool]:
    """Rows strictly after ``values`` in the sort order: (a, b, c) > (va, vb, vc) spelled out portably.

    The redundant leading bound (``a <= va AND (...)`` descending, ``a >= va`` ascending) selects the
    same rows, but PostgreSQL can only use it as an index condition: without it, the OR is a filter
    applied while walking the index from the first row, so page N reads and discards N pages.
    """
    clauses = []
    for i, col in enumerate(columns):
        equal = [columns[j].expr == values[j] for j in range(i)]
        step = col.expr < values[i] if descending else col.expr > values[i]
        clauses.append(and_(*equal, step))
    after = or_(*clauses)
    if len(columns) == 1:
        return after
    first = columns[0].expr
    bound = first <= values[0] if descending else first >= values[0]
    return and_(bound, after)


def paginate(
    session: Session,
    stmt: Select[Any],
    *,
    sort_name: str,
    columns: Sequence[SortColumn],
    descending: bool,
    limit: int,
    cursor: str | None,
) -> Page:
    """Run ``stmt`` ordered by ``columns`` (the last must be unique, e.g. the id) from ``cursor`` on."""
    if cursor:
        stmt = stmt.where(_after(columns, decode_cursor(cursor, sort_name, columns), descending))
    order = [c.expr.desc() if descending else c.expr.asc() for c in columns]
    rows = list(session.scalars(stmt.order_by(*order).limit(limit + 1)))
    has_more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(sort_name, columns, rows[-1]) if has_more and rows else None
    return Page(rows, has_more, next_cursor)
