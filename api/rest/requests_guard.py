"""Checks every request body before a view sees it: size, content type, well-formed JSON object."""

from __future__ import annotations

from flask import Flask, request

from api.rest.errors import InvalidRequest

BODY_METHODS = {"POST", "PUT", "PATCH"}


def check_request_body() -> None:
    """Refuse oversized, non-JSON or malformed bodies with the spec's error shape (never a 500)."""
    if request.method not in BODY_METHODS or request.endpoint is None:
        return
    limit = request.max_content_length
    if limit is not None and request.content_length is not None and request.content_length > limit:
        raise InvalidRequest(
            f"Request body too large (limit {limit} bytes)",
            {"field": "body", "reason": f"larger than {limit} bytes"},
            status=413,
        )
    raw = request.get_data(cache=True)  # raises RequestEntityTooLarge (→ 413) past MAX_CONTENT_LENGTH
    if not raw.strip():
        return  # bodyless POSTs (cancel) are fine; views that need a body say so through their schema
    if not request.is_json:
        raise InvalidRequest(
            "Content-Type must be application/json",
            {
                "field": "Content-Type",
                "reason": f"expected application/json, got {request.mimetype or 'none'}",
            },
            status=415,
        )
    data = request.get_json(silent=True)
    if data is None:
        raise InvalidRequest(
            "Malformed JSON body",
            {"field": "body", "reason": "not valid JSON"},
        )
    if not isinstance(data, dict):
        raise InvalidRequest(
            "JSON body must be an object", {"field": "body", "reason": "expected a JSON object"}
        )


def init_app(app: Flask) -> None:
    app.before_request(check_request_body)
