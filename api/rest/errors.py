"""The API's exceptions and the one error handler that renders every error in the documented shape."""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import Flask, Response, current_app, g, jsonify, request
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException

from db.engine import DatabaseError

log = logging.getLogger(__name__)


class ApiError(Exception):
    """Raised for any failure the client should see; rendered as ``{"error": {code, message, details}}``."""

    status = 500
    code = "internal_error"

    def __init__(
        self,
        message: str,
        details: dict[str, Any] | None = None,
        *,
        status: int | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details = details
        self.headers = headers or {}
        self.extra = extra or {}
        if status is not None:
            self.status = status

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        error.update(self.extra)
        if self.details is not None:
            error["details"] = self.details
        return {"error": error}


class InvalidRequest(ApiError):
    """Raised when parameters, body, content type or method are wrong (400, or 405/413/415)."""

    status = 400
    code = "invalid_request"

    @classmethod
    def field(cls, field: str, reason: str, message: str | None = None, **kwargs: Any) -> InvalidRequest:
        return cls(message or f"Invalid {field}: {reason}", {"field": field, "reason": reason}, **kwargs)


class Unauthorized(ApiError):
    """Raised when the API key is missing, malformed, unknown, expired or revoked (401)."""

    status = 401
    code = "unauthorized"


class Forbidden(ApiError):
    """Raised when the key lacks the scope the method needs (403)."""

    status = 403
    code = "forbidden"


class NotFound(ApiError):
    """Raised when a route or an object of the caller's account does not exist (404)."""

    status = 404
    code = "not_found"


class InsufficientCredits(ApiError):
    """Raised when the credit balance cannot cover a job's estimate (402)."""

    status = 402
    code = "insufficient_credits"


class Conflict(ApiError):
    """Raised when the request conflicts with the object's state (409): a finished job, a reused key."""

    status = 409
    code = "conflict"


class RateLimited(ApiError):
    """Raised when the account (or, without a key, the client address) exceeded its hourly limit (429)."""

    status = 429
    code = "rate_limit_exceeded"


class ServiceUnavailable(ApiError):
    """Raised when the database or every scrapyd node is unreachable (503)."""

    status = 503
    code = "service_unavailable"


# Error codes for OpenAPI and README: code -> (HTTP status, description).
ERROR_CODES: dict[str, tuple[int, str]] = {
    "invalid_request": (
        400,
        "Invalid parameters or body (also 405 wrong method, 413 body too large, 415 wrong content type)",
    ),
    "unauthorized": (401, "Missing, invalid, expired or revoked API key"),
    "insufficient_credits": (402, "Credit balance does not cover the job's estimate"),
    "forbidden": (403, "The API key lacks the scope this method needs"),
    "not_found": (404, "Resource (or route) not found in your account"),
    "conflict": (409, "State conflict: job already finished, or Idempotency-Key reused with another body"),
    "rate_limit_exceeded": (429, "Too many requests; see Retry-After"),
    "internal_error": (500, "Server error"),
    "service_unavailable": (503, "Database or crawler cluster temporarily unavailable"),
}


def _join(path: str, key: Any) -> str:
    if isinstance(key, int) or (isinstance(key, str) and key.isdigit()):
        return f"{path}[{key}]"
    if key == "_schema":
        return path
    return f"{path}.{key}" if path else str(key)


def flatten_messages(messages: Any, path: str = "") -> list[dict[str, str]]:
    """marshmallow/webargs nested messages → ``[{"field": "urls[3]", "reason": "..."}]``."""
    out: list[dict[str, str]] = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            out.extend(flatten_messages(value, _join(path, key)))
    elif isinstance(messages, list | tuple):
        if all(isinstance(m, str) for m in messages):
            out.extend({"field": path or "body", "reason": m} for m in messages)
        else:
            for value in messages:
                out.extend(flatten_messages(value, path))
    else:
        out.append({"field": path or "body", "reason": str(messages)})
    return out


def validation_error(messages: Any) -> InvalidRequest:
    """One ``invalid_request`` naming every failing field (first one in ``field``/``reason``)."""
    # webargs nests by location ({"json": {...}, "query": {...}}); the location is not part of a field name.
    if isinstance(messages, dict) and set(messages) <= {"json", "query", "view_args", "headers", "form"}:
        errors = [e for loc in messages.values() for e in flatten_messages(loc)]
    else:
        errors = flatten_messages(messages)
    errors = errors or [{"field": "body", "reason": "invalid"}]
    first = errors[0]
    details: dict[str, Any] = {"field": first["field"], "reason": first["reason"]}
    if len(errors) > 1:
        details["errors"] = errors
    return InvalidRequest(f"Invalid {first['field']}: {first['reason']}", details)


def _from_http_exception(exc: HTTPException) -> ApiError:
    status = exc.code or 500
    headers = {k: v for k, v in exc.get_headers() if k.lower() == "allow"}
    data = getattr(exc, "data", None)
    if data and "messages" in data:  # webargs validation error
        return validation_error(data["messages"])
    if status == 404:
        return NotFound(f"No such endpoint: {request.method} {request.path}", {"path": request.path})
    if status == 405:
        allowed = sorted(getattr(exc, "valid_methods", None) or [])
        return InvalidRequest(
            f"Method {request.method} is not allowed on {request.path}",
            {
                "field": "method",
                "reason": f"allowed methods: {', '.join(allowed)}",
                "allowed_methods": allowed,
            },
            status=405,
            headers=headers,
        )
    if status == 413:
        limit = current_app.config.get("MAX_CONTENT_LENGTH")
        return InvalidRequest(
            f"Request body too large (limit {limit} bytes)",
            {"field": "body", "reason": f"larger than {limit} bytes"},
            status=413,
        )
    if status == 415:
        return InvalidRequest(
            "Content-Type must be application/json",
            {"field": "Content-Type", "reason": "expected application/json"},
            status=415,
        )
    if status == 429:
        return _rate_limited()
    if status == 400:
        return InvalidRequest(exc.description or "Bad request", {"field": "body", "reason": "bad request"})
    if 400 <= status < 500:
        err = ApiError(exc.description or exc.name, status=status)
        err.code = "invalid_request"
        return err
    return ApiError("Internal server error", status=500)


def _rate_limited() -> RateLimited:
    limiter = current_app.extensions.get("leadscraper_limiter")
    current = limiter.current_limit if limiter is not None else None
    retry_after = max(1, int(current.reset_at - time.time())) if current is not None else 60
    limit = current.limit.amount if current is not None else None
    return RateLimited(
        f"Rate limit exceeded. Retry after {retry_after} seconds.",
        {"limit": limit, "window": "1 hour"},
        extra={"retry_after": retry_after},
        headers={"Retry-After": str(retry_after)},
    )


def to_api_error(exc: BaseException) -> ApiError:
    """Any exception → the ``ApiError`` the client sees (unexpected ones are logged, never leaked)."""
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, HTTPException):
        return _from_http_exception(exc)
    if isinstance(exc, OperationalError | InterfaceError | PoolTimeoutError | DatabaseError):
        log.warning("database unavailable: %s", exc)
        return ServiceUnavailable(
            "Database temporarily unavailable, please retry.",
            {"reason": "database unavailable"},
            headers={"Retry-After": "5"},
        )
    log.exception("unhandled error on %s %s", request.method, request.path, exc_info=exc)
    return ApiError("Internal server error")


def error_response(exc: BaseException) -> Response:
    err = to_api_error(exc)
    response = jsonify(err.body())
    response.status_code = err.status
    for name, value in err.headers.items():
        response.headers[name] = value
    if "Retry-After" in err.headers and err.status != 429:
        g.retry_after = err.headers["Retry-After"]  # the rate limiter would overwrite it
    return response


def init_app(app: Flask) -> None:
    """Route every exception (HTTP, validation, database, unexpected) through ``error_response``."""
    app.register_error_handler(HTTPException, error_response)
    app.register_error_handler(Exception, error_response)
