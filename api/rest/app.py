"""The Flask application factory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import flask
import flask_swagger_ui
from flask import Flask, Response, send_from_directory
from flask_smorest import Api

from api.config import default_config
from api.rest import accesslog, auth, database, errors, ratelimit, requests_guard
from api.rest.resources import (
    account,
    api_keys,
    companies,
    exports,
    jobs,
    lead_verify,  # noqa: F401  (registers POST /v1/leads/{id}/verify on leads.blp)
    leads,
    schedules,
    scrape,
    suppressions,
    webhooks,
)
from api.rest.schemas import ErrorSchema

SECURITY_SCHEME = {"type": "http", "scheme": "bearer", "description": "Authorization: Bearer ls_..."}
API_DESCRIPTION = """\
LeadScraper: submit URLs, crawl them on scrapyd, and read scored leads back.

Every request needs `Authorization: Bearer ls_...`. Scopes: `read` for GET, `write` for POST/PATCH,
`delete` for DELETE. Every response carries `X-RateLimit-Limit`, `X-RateLimit-Remaining` and
`X-RateLimit-Reset`. Lists take `limit` (1-100, default 50) and `cursor` and answer
`{"data": [...], "pagination": {"has_more", "next_cursor"}}`.

Errors are always `{"error": {"code", "message", "details"}}` with `details.field` and `details.reason`.
Codes: """ + ", ".join(f"`{c}` ({s})" for c, (s, _d) in errors.ERROR_CODES.items())


SWAGGER_UI_ASSETS = Path(flask_swagger_ui.__file__).resolve().parent / "dist"


def swagger_ui_asset(filename: str) -> Response:
    """One of Swagger UI's files (scripts, styles, icons), from the installed flask-swagger-ui package."""
    return send_from_directory(SWAGGER_UI_ASSETS, filename, max_age=24 * 3600)


class LeadScraperApi(Api):
    """flask-smorest's Api documenting the API's error shape instead of its own, with Swagger UI's
    assets served from this installation (``/docs/assets/...``) instead of a CDN."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self) -> None:
        """Errors are rendered by ``api.rest.errors`` (registered in ``create_app``), not by flask-smorest."""

    def _register_swagger_ui_rule(self, blueprint: flask.Blueprint) -> None:
        super()._register_swagger_ui_rule(blueprint)
        # On the docs blueprint, which needs no API key (api.rest.auth.PUBLIC_BLUEPRINTS).
        blueprint.add_url_rule("/docs/assets/<filename>", "swagger_ui_asset", swagger_ui_asset)  # flat files


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the API app; ``config`` overrides the environment-derived defaults (``api.config``)."""
    app = Flask(__name__)
    app.config.from_mapping(default_config())
    app.config.update(config or {})
    app.config.setdefault(
        "API_SPEC_OPTIONS",
        {
            "info": {"description": API_DESCRIPTION},
            "servers": [{"url": "/", "description": "This server"}],
            "components": {"securitySchemes": {"bearerAuth": SECURITY_SCHEME}},
            "security": [{"bearerAuth": []}],
        },
    )
    app.json.sort_keys = False  # type: ignore[attr-defined]

    database.init_app(app)
    errors.init_app(app)
    accesslog.init_app(app)
    # Order matters: identify the caller, count the request against its account, then refuse it
    # if the key was bad or lacks the scope, then check the body.
    auth.register_before_rate_limit(app)
    ratelimit.init_app(app)
    auth.register_after_rate_limit(app)
    requests_guard.init_app(app)

    api = LeadScraperApi()
    api.init_app(app)
    for blp in (
        scrape.blp,
        jobs.blp,
        exports.blp,  # before leads: POST /v1/leads/export is not a lead id
        leads.blp,  # with lead_verify's POST /v1/leads/{id}/verify
        companies.blp,
        api_keys.blp,
        account.account_blp,
        account.credits_blp,
        webhooks.blp,
        suppressions.blp,
        schedules.blp,
        exports.downloads_blp,
    ):
        api.register_blueprint(blp)
    app.extensions["leadscraper_api"] = api
    return app
