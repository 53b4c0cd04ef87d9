"""Bearer API keys: identify the caller before rate limiting, then enforce validity and scope."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, g, request
from sqlalchemy import select, update

from api.rest.database import db_session
from api.rest.errors import ApiError, Forbidden, Unauthorized
from db.accounts import PLAN_RATE_LIMITS, hash_api_key
from db.models import Account, ApiKey
from db.types import utcnow

# Which scope each method needs (read for GET, write for POST/PATCH, delete for DELETE).
METHOD_SCOPES = {
    "GET": "read",
    "HEAD": "read",
    "OPTIONS": "read",
    "POST": "write",
    "PATCH": "write",
    "PUT": "write",
    "DELETE": "delete",
}
# export_downloads: authorised by the signed token in the URL (api.rest.resources.exports), not a key.
PUBLIC_BLUEPRINTS = {"api-docs", "export_downloads"}
# last_used_at is written at most once a minute per key, so reads don't all turn into writes.
LAST_USED_GRANULARITY = timedelta(minutes=1)


def _is_public() -> bool:
    return request.blueprint in PUBLIC_BLUEPRINTS or request.endpoint == "static"


def identify_caller() -> None:
    """Before rate limiting: find the key's account (``g.account``) or remember why there is none.

    Unrouted requests (404/405) answer their routing error with or without a key, but one that
    carries a valid key is counted against its account like any other request of that key, not in
    the per-address bucket of anonymous callers (which a whole office behind one address shares).
    """
    g.account = None
    g.api_key = None
    g.auth_error = None
    if _is_public() or request.method == "OPTIONS":
        return
    _identify()
    if request.endpoint is None:
        g.auth_error = None


def _identify() -> None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if not header:
        g.auth_error = Unauthorized(
            "Missing API key. Send 'Authorization: Bearer ls_...'.",
            {"field": "Authorization", "reason": "missing"},
        )
        return
    if scheme.lower() != "bearer" or not token.startswith("ls_"):
        g.auth_error = Unauthorized(
            "Malformed Authorization header. Expected 'Bearer ls_...'.",
            {"field": "Authorization", "reason": "malformed"},
        )
        return
    session = db_session()
    row = session.execute(
        select(ApiKey, Account)
        .join(Account, Account.id == ApiKey.account_id)
        .where(ApiKey.key_hash == hash_api_key(token))
    ).first()
    now = utcnow()
    if row is None:
        g.auth_error = Unauthorized("Invalid API key.", {"field": "Authorization", "reason": "unknown key"})
        return
    key, account = row
    if key.revoked_at is not None:
        g.auth_error = Unauthorized(
            "API key has been revoked.", {"field": "Authorization", "reason": "revoked"}
        )
        return
    if key.expires_at is not None and key.expires_at <= now:
        g.auth_error = Unauthorized("API key has expired.", {"field": "Authorization", "reason": "expired"})
        return
    g.account = account
    g.api_key = key
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_GRANULARITY:
        session.execute(update(ApiKey).where(ApiKey.id == key.id).values(last_used_at=now))
        session.commit()


def enforce_auth() -> None:
    """After rate limiting: refuse requests without a valid key, or without the method's scope."""
    error: ApiError | None = g.get("auth_error")
    if error is not None:
        raise error
    key: ApiKey | None = g.get("api_key")
    if key is None or request.endpoint is None:  # unrouted: its 404/405 follows
        return
    needed = METHOD_SCOPES.get(request.method, "write")
    if needed not in (key.scopes or []):
        raise Forbidden(
            f"This API key lacks the '{needed}' scope required for {request.method} requests.",
            {
                "field": "scopes",
                "reason": f"missing scope '{needed}'",
                "required_scope": needed,
                "key_scopes": list(key.scopes or []),
            },
        )


def current_account() -> Account:
    account: Account | None = g.get("account")
    if account is None:  # only reachable from a public endpoint misuse; never for a client
        raise Unauthorized("Missing API key.")
    return account


def rate_limit_key() -> str:
    account: Account | None = g.get("account")
    return f"account:{account.id}" if account is not None else f"ip:{request.remote_addr or 'unknown'}"


def account_rate_limit() -> int:
    account: Account | None = g.get("account")
    assert account is not None
    return account.rate_limit_per_hour or PLAN_RATE_LIMITS.get(account.plan, PLAN_RATE_LIMITS["free"])


def register_before_rate_limit(app: Flask) -> None:
    app.before_request(identify_caller)


def register_after_rate_limit(app: Flask) -> None:
    app.before_request(enforce_auth)
