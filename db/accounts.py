"""Accounts and API keys: the queries the API and the crawler share (credits: db/credits.py)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db.credits import add_credits
from db.models import Account, ApiKey
from db.types import utcnow

KEY_PREFIX_LEN = 8  # "ls_" + 5 characters: enough for a human to tell keys apart, useless to guess
PLAN_MONTHLY_CREDITS = {"free": 100, "starter": 1_000, "pro": 10_000, "enterprise": 100_000}
PLAN_RATE_LIMITS = {"free": 100, "starter": 1_000, "pro": 10_000, "enterprise": 100_000}
SCOPES = ("read", "write", "delete")


class KeyBoundsError(Exception):
    """Raised when a new key would outrank (scopes) or outlive (expiry) the key that creates it."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def generate_api_key() -> str:
    """A new secret key: ``ls_`` + 40 url-safe random characters (240 bits)."""
    return "ls_" + secrets.token_urlsafe(30)


def create_api_key(
    session: Session,
    account_id: str,
    name: str,
    scopes: Iterable[str] = SCOPES,
    expires_at: datetime | None = None,
    *,
    parent: ApiKey | None = None,
) -> tuple[ApiKey, str]:
    """Store a new key's hash and return the row plus the plain key (shown once, never stored).

    A key made with another (``parent``, through the API) is bounded by it: its scopes must be the
    parent's or fewer and its expiry no later (the parent's when none is given); ``KeyBoundsError``
    otherwise. It is revoked with its parent (``revoke_api_key``).
    """
    scopes = list(scopes)
    if parent is not None:
        extra = [s for s in scopes if s not in (parent.scopes or [])]
        if extra:
            raise KeyBoundsError("scopes", f"your key lacks: {', '.join(extra)}")
        if parent.expires_at is not None:
            if expires_at is None:
                expires_at = parent.expires_at
            elif expires_at > parent.expires_at:
                raise KeyBoundsError(
                    "expires_at",
                    f"your key expires at {parent.expires_at.isoformat().replace('+00:00', 'Z')}",
                )
    key = generate_api_key()
    row = ApiKey(
        account_id=account_id,
        name=name,
        key_hash=hash_api_key(key),
        key_prefix=key[:KEY_PREFIX_LEN],
        scopes=scopes,
        expires_at=expires_at,
        parent_id=parent.id if parent is not None else None,
    )
    session.add(row)
    session.flush()
    return row, key


def revoke_api_key(session: Session, key: ApiKey, now: datetime | None = None) -> list[str]:
    """Revoke ``key`` and every key made from it, at any depth (a leaked key takes the keys made
    with it along); returns the ids revoked, ``key`` first."""
    now = now or utcnow()
    revoked, frontier = [key.id], [key.id]
    while frontier:
        children = list(
            session.scalars(
                select(ApiKey.id).where(ApiKey.parent_id.in_(frontier), ApiKey.revoked_at.is_(None))
            )
        )
        revoked += children
        frontier = children
    session.execute(
        update(ApiKey)
        .where(ApiKey.id.in_(revoked), ApiKey.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    session.expire(key)
    return revoked


def create_account(
    session: Session,
    email: str,
    *,
    plan: str = "free",
    credits: int | None = None,
    full_name: str | None = None,
    rate_limit_per_hour: int | None = None,
) -> Account:
    """Create an account with its plan's monthly credits (or ``credits``) granted through the ledger."""
    monthly = PLAN_MONTHLY_CREDITS.get(plan, 0)
    now = utcnow()
    account = Account(
        email=email,
        full_name=full_name,
        plan=plan,
        monthly_credits=monthly,
        credit_balance=0,
        rate_limit_per_hour=rate_limit_per_hour,
        current_period_start=now,
        current_period_end=now.replace(year=now.year + (now.month == 12), month=now.month % 12 + 1, day=1)
        if now.day <= 28
        else None,
    )
    session.add(account)
    session.flush()
    grant = monthly if credits is None else credits
    if grant:
        add_credits(session, account.id, grant, "purchase", f"Credit purchase - {plan.title()} Plan")
    return account


def lock_account(session: Session, account_id: str) -> None:
    """Hold the account's row until the caller's transaction ends, so that checks of per-account
    limits (how many webhooks, schedules ...) made after it see every change of the requests that
    queued before, and parallel requests cannot pass a cap together.

    PostgreSQL: ``SELECT ... FOR UPDATE`` (a row lock). SQLite has no row locks: a write that
    changes nothing takes the database's write lock for the transaction, which serialises the same.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(Account.id).where(Account.id == account_id).with_for_update())
    else:
        session.execute(
            update(Account)
            .where(Account.id == account_id)
            .values(email=Account.email)
            .execution_options(synchronize_session=False)
        )


def get_or_create_cli_account(session: Session) -> Account:
    """The account that command-line crawls (no API key) belong to: the oldest account, else a local one."""
    account = session.scalars(select(Account).order_by(Account.created_at, Account.id).limit(1)).first()
    if account is None:
        account = create_account(session, "local@localhost", plan="enterprise", full_name="Local operator")
    return account
