"""The blueprints of API v1, one per resource, and what they share: the parser and error docs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flask_smorest
from webargs.flaskparser import FlaskParser

from api.rest.errors import ERROR_CODES


class Parser(FlaskParser):
    """Validation errors are the API's 400 ``invalid_request``, not webargs' default 422."""

    DEFAULT_VALIDATION_STATUS = 400


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = Parser()


RATE_LIMIT_HEADERS = {
    "X-RateLimit-Limit": {
        "description": "Requests allowed per hour for your account",
        "schema": {"type": "integer"},
    },
    "X-RateLimit-Remaining": {
        "description": "Requests left in the current window",
        "schema": {"type": "integer"},
    },
    "X-RateLimit-Reset": {"description": "Unix time when the window resets", "schema": {"type": "integer"}},
}
_STATUS_NAMES = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    402: "PAYMENT_REQUIRED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    413: "REQUEST_ENTITY_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    429: "TOO_MANY_REQUESTS",
    500: "INTERNAL_SERVER_ERROR",
    503: "SERVICE_UNAVAILABLE",
}
_CODES_BY_STATUS: dict[int, list[str]] = {}
for _code, (_status, _desc) in ERROR_CODES.items():
    _CODES_BY_STATUS.setdefault(_status, []).append(_code)


def documented_errors(blp: Blueprint, *statuses: int, body: bool = False) -> Callable[[Any], Any]:
    """Document the error responses of an operation: its own ``statuses`` plus those every call can get."""
    every = [401, 403, 429, 500, 503]
    if body:
        every += [400, 413, 415]
    wanted = sorted(set(statuses) | set(every))

    def decorator(func: Any) -> Any:
        for status in reversed(wanted):
            codes = _CODES_BY_STATUS.get(status, ["invalid_request"])
            description = "; ".join(f"`{c}`: {ERROR_CODES[c][1]}" for c in codes)
            headers = {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}}
            func = blp.alt_response(
                status,
                response=_STATUS_NAMES[status],
                description=description,
                headers=headers if status in (429, 503) else None,
            )(func)
        return func

    return decorator
