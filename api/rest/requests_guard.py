"""Checks every request before a view sees it: path ids, query parameters, headers and the JSON body.

Whatever a client sends gets a 4xx in the API's error shape, never a 500: text the database cannot
store (NUL characters, lone surrogates) is refused wherever it appears, bodies are bounded in size
(also when sent chunked) and in nesting depth, and query parameters an operation does not take are
refused by name, as unknown body fields are.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from api.rest.errors import InvalidRequest

BODY_METHODS = {"POST", "PUT", "PATCH"}
# No request body of this API nests deeper than 3 levels (options, filters); 32 leaves room and keeps
# every later step (validation, hashing, logging) far from Python's recursion limit.
MAX_JSON_DEPTH = 32


def unstorable(text: str) -> str | None:
    """Why ``text`` cannot be stored or sent on as UTF-8 (None when it can)."""
    if "\x00" in text:
        return "contains a NUL character (U+0000)"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "contains a lone surrogate (not valid Unicode text)"
    return None


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _walk(data: Any) -> Iterator[tuple[str, int, Any]]:
    """Every value of a parsed JSON document with its field path and depth, iteratively (no recursion)."""
    stack: list[tuple[str, int, Any]] = [("", 0, data)]
    while stack:
        path, depth, value = stack.pop()
        yield path, depth, value
        if isinstance(value, dict):
            for key, item in value.items():
                yield _join(path, key), depth + 1, key  # keys are text too
                stack.append((_join(path, key), depth + 1, item))
        elif isinstance(value, list):
            stack.extend((_join(path, i), depth + 1, item) for i, item in enumerate(value))


def check_json_document(data: Any) -> None:
    """Refuse documents nested deeper than ``MAX_JSON_DEPTH`` or holding text that cannot be stored."""
    for path, depth, value in _walk(data):
        if depth > MAX_JSON_DEPTH:
            raise InvalidRequest.field(
                path or "body", f"nested deeper than {MAX_JSON_DEPTH} levels", "JSON body nested too deeply"
            )
        if isinstance(value, str):
            reason = unstorable(value)
            if reason is not None:
                raise InvalidRequest.field(path or "body", reason)


def _too_large(limit: int) -> InvalidRequest:
    return InvalidRequest(
        f"Request body too large (limit {limit} bytes)",
        {"field": "body", "reason": f"larger than {limit} bytes"},
        status=413,
    )


def _read_body() -> bytes:
    """The raw body, refusing one past ``MAX_CONTENT_LENGTH`` whether it declared its length or not."""
    limit = request.max_content_length
    if limit is not None and request.content_length is not None and request.content_length > limit:
        raise _too_large(limit)
    if limit is not None and request.content_length is None and "wsgi.input_terminated" in request.environ:
        # A chunked body (the server ends the stream at its last chunk). Werkzeug's own guard would
        # stop reading at the limit and hand over a truncated body, which then reads as malformed
        # JSON; read one byte past the limit instead to tell "too large" apart.
        raw = request.input_stream.read(limit + 1)
        if len(raw) > limit:
            raise _too_large(limit)
        request._cached_data = raw  # what get_data() returns from now on (the stream is consumed)
        return raw
    try:
        return request.get_data(cache=True)
    except RequestEntityTooLarge:
        raise _too_large(limit or 0) from None


def check_request_body() -> None:
    """Refuse oversized, non-JSON, malformed, too deeply nested or unstorable bodies (never a 500)."""
    if request.method not in BODY_METHODS or request.endpoint is None:
        return
    raw = _read_body()
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
    try:
        data = json.loads(raw)  # as Flask reads it (UTF-8/16/32 detected from the bytes)
    except RecursionError:
        raise InvalidRequest.field(
            "body", f"nested deeper than {MAX_JSON_DEPTH} levels", "JSON body nested too deeply"
        ) from None
    except ValueError:
        raise InvalidRequest("Malformed JSON body", {"field": "body", "reason": "not valid JSON"}) from None
    if not isinstance(data, dict):
        raise InvalidRequest(
            "JSON body must be an object", {"field": "body", "reason": "expected a JSON object"}
        )
    check_json_document(data)


def _query_parameters() -> set[str] | None:
    """The query parameters the routed operation documents; None for routes that are not operations."""
    view = current_app.view_functions.get(request.endpoint or "")
    view_class = getattr(view, "view_class", None)
    if view_class is None:
        return None  # the docs pages and the OpenAPI document
    method = "get" if request.method == "HEAD" else request.method.lower()
    func = getattr(view_class, method, None)
    if func is None:
        return None
    names: set[str] = set()
    for parameter in getattr(func, "_apidoc", {}).get("arguments", {}).get("parameters", []):
        if parameter.get("in") != "query":
            continue
        schema = parameter["schema"]
        schema = schema() if isinstance(schema, type) else schema
        names.update(field.data_key or name for name, field in schema.fields.items())
    return names


def check_request_target() -> None:
    """Refuse unstorable text in path ids, query parameters and headers, and unknown query parameters."""
    for name, value in (request.view_args or {}).items():
        reason = unstorable(value) if isinstance(value, str) else None
        if reason is not None:
            raise InvalidRequest.field(name, reason)
    for name, value in request.args.items(multi=True):
        reason = unstorable(name) or unstorable(value)
        if reason is not None:
            raise InvalidRequest.field(name, reason)
    for name, value in request.headers.items():
        if "\x00" in value:
            raise InvalidRequest.field(name, "contains a NUL character (U+0000)")
    if request.endpoint is None or request.method == "OPTIONS":
        return
    allowed = _query_parameters()
    if allowed is None:
        return
    unknown = [name for name in dict.fromkeys(request.args) if name not in allowed]
    if unknown:
        takes = ", ".join(sorted(allowed)) if allowed else "none"
        raise InvalidRequest(
            f"Unknown query parameter: {unknown[0]}",
            {
                "field": unknown[0],
                "reason": f"unknown query parameter; {request.method} {request.url_rule} takes: {takes}",
                **(
                    {"errors": [{"field": n, "reason": "unknown query parameter"} for n in unknown]}
                    if len(unknown) > 1
                    else {}
                ),
            },
        )


def tidy_response(response: Response) -> Response:
    """204 and OPTIONS answers carry no body and no Content-Type (``Allow`` says what OPTIONS found)."""
    if request.method == "OPTIONS" and response.status_code == 200 and "Allow" in response.headers:
        response.status_code = 204
    if response.status_code == 204:
        response.set_data(b"")
        response.headers.pop("Content-Type", None)
        response.headers.pop("Content-Length", None)
    return response


def init_app(app: Flask) -> None:
    app.before_request(check_request_target)
    app.before_request(check_request_body)
    app.after_request(tidy_response)
