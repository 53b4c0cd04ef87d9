"""Per-account hourly rate limits (Flask-Limiter): memory storage by default, Redis with ``REDIS_URL``."""

from __future__ import annotations

from flask import Flask, Response, current_app, g, request
from flask_limiter import ApplicationLimit, Limiter

from api.rest.auth import account_rate_limit, rate_limit_key


def _limit_for_request() -> str:
    if g.get("account") is not None:
        return f"{account_rate_limit()}/hour"
    return str(current_app.config["RATELIMIT_ANONYMOUS"])


def _keep_own_retry_after(response: Response) -> Response:
    """Flask-Limiter puts Retry-After on every response; keep it on 429 and on our own 503s only."""
    own = g.pop("retry_after", None)
    if own is not None:
        response.headers["Retry-After"] = own
    elif response.status_code != 429:
        response.headers.pop("Retry-After", None)
    return response


def init_app(app: Flask) -> Limiter:
    """Bind a limiter to ``app``: one shared hourly bucket per account (per address without a key).

    A Limiter keeps its storage on the instance, so each app gets its own (tests build many apps).
    Unrouted requests (404/405) are counted too, so every response carries the X-RateLimit headers.
    """
    app.config.setdefault("RATELIMIT_REQUEST_IDENTIFIER", lambda: request.endpoint or "unrouted")
    app.after_request(_keep_own_retry_after)  # registered first, so it runs after the limiter's
    limiter = Limiter(
        key_func=rate_limit_key,
        application_limits=[ApplicationLimit(limit_provider=_limit_for_request, scope="account")],
        headers_enabled=True,
    )
    limiter.init_app(app)
    app.extensions["leadscraper_limiter"] = limiter
    return limiter
