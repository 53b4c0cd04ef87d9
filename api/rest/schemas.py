"""Schemas shared by every resource: timestamps, errors, pagination."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from marshmallow import Schema, fields, validate


class Timestamp(fields.DateTime):
    """ISO 8601 in UTC with ``Z`` on output; on input any ISO 8601 date or date-time (naive = UTC)."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return str(value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        if not isinstance(value, str):
            raise self.make_error("invalid", input=value, obj_type="datetime")
        try:
            return parse_timestamp(value)
        except OverflowError:
            raise self.make_error("range", input=value) from None
        except ValueError:
            raise self.make_error("invalid", input=value, obj_type="datetime") from None

    default_error_messages = {
        "invalid": "Not a valid ISO 8601 date-time (e.g. 2026-02-01T00:00:00Z).",
        "range": "Out of range: in UTC it must fall between 0001-01-01 and 9999-12-31.",
    }


def parse_timestamp(value: str) -> datetime:
    """ISO 8601 date or date-time as aware UTC (naive = UTC).

    Raises ``ValueError`` when it is not one, ``OverflowError`` when its offset takes it outside the
    years 1-9999 in UTC (``9999-12-31T23:59:59-23:59``), which no datetime can hold.
    """
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


class StrictBoolean(fields.Boolean):
    """A JSON body's boolean: ``true`` or ``false`` only.

    marshmallow's Boolean also takes "yes", "on", 1 and "1", which made ``"qualify_leads": "yes"`` a
    yes while ``"depth": "2"`` was refused. Query strings have no JSON types: their booleans, where
    any, keep marshmallow's spellings.
    """

    default_error_messages = {"invalid": "Not a boolean: send true or false (JSON), not a string or number."}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class ErrorDetailSchema(Schema):
    field = fields.String(
        metadata={"description": "The field (body path, query parameter or header) at fault"}
    )
    reason = fields.String(metadata={"description": "Why it was refused"})
    errors = fields.List(
        fields.Dict(), metadata={"description": "Every failing field when more than one: [{field, reason}]"}
    )


class ErrorBodySchema(Schema):
    code = fields.String(
        required=True,
        metadata={
            "description": "invalid_request, unauthorized, insufficient_credits, forbidden, not_found, "
            "conflict, rate_limit_exceeded, internal_error, service_unavailable"
        },
    )
    message = fields.String(required=True, metadata={"description": "Human-readable explanation"})
    details = fields.Dict(metadata={"description": "At least `field` and `reason` for validation errors"})
    retry_after = fields.Integer(metadata={"description": "Seconds to wait (only with rate_limit_exceeded)"})


class ErrorSchema(Schema):
    """Every error response: ``{"error": {"code", "message", "details"}}``."""

    error = fields.Nested(ErrorBodySchema, required=True)


class PaginationSchema(Schema):
    has_more = fields.Boolean(required=True)
    next_cursor = fields.String(allow_none=True, required=True, metadata={"description": "Pass as `cursor`"})


class PageArgsSchema(Schema):
    """``limit`` and ``cursor`` of every list endpoint."""

    limit = fields.Integer(
        load_default=50,
        validate=validate.Range(min=1, max=100),
        metadata={"description": "Results per page (default 50, max 100)"},
    )
    cursor = fields.String(
        validate=validate.Length(max=1000),
        metadata={"description": "Opaque cursor from the previous page's `pagination.next_cursor`"},
    )


def list_schema(item: type[Schema], name: str) -> type[Schema]:
    """A ``{"data": [item...], "pagination": {...}}`` schema for ``item``."""
    return Schema.from_dict(
        {
            "data": fields.List(fields.Nested(item), required=True),
            "pagination": fields.Nested(PaginationSchema, required=True),
        },
        name=name,
    )
