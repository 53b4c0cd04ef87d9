"""The ``leadscraper`` command: create accounts and API keys (the key is printed once, never stored)."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

from sqlalchemy import select

from db.accounts import PLAN_MONTHLY_CREDITS, SCOPES, create_account, create_api_key
from db.engine import get_engine, session_scope
from db.models import PLANS, Account
from db.types import utcnow


def _scopes(value: str) -> list[str]:
    scopes = [s.strip() for s in value.split(",") if s.strip()]
    bad = [s for s in scopes if s not in SCOPES]
    if bad or not scopes:
        raise argparse.ArgumentTypeError(f"scopes must be a comma-separated subset of {','.join(SCOPES)}")
    return scopes


def _expiry(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError("expected ISO 8601, e.g. 2027-02-10T00:00:00Z") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=utcnow().tzinfo)


def create_account_with_key(
    email: str,
    *,
    plan: str = "pro",
    credits: int | None = None,
    full_name: str | None = None,
    rate_limit: int | None = None,
    key_name: str = "First key",
    scopes: list[str] | None = None,
) -> tuple[str, str]:
    """Create an account (credits granted through the ledger) and its first key; returns (account id, key)."""
    with session_scope(get_engine()) as session:
        account = create_account(
            session, email, plan=plan, credits=credits, full_name=full_name, rate_limit_per_hour=rate_limit
        )
        _row, key = create_api_key(session, account.id, key_name, scopes or list(SCOPES))
        return account.id, key


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="leadscraper", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    acc = sub.add_parser(
        "create-account", help="create an account with a plan and credits; print its first key"
    )
    acc.add_argument("--email", required=True)
    acc.add_argument("--plan", choices=PLANS, default="pro")
    acc.add_argument("--credits", type=int, help="initial credits (default: the plan's monthly credits)")
    acc.add_argument("--name", help="the account holder's full name")
    acc.add_argument("--rate-limit", type=int, help="requests per hour (default: the plan's; for enterprise)")
    acc.add_argument("--scopes", type=_scopes, default=list(SCOPES), help="of the first key (default: all)")

    key = sub.add_parser("create-key", help="create another API key for an existing account")
    key.add_argument("--email", required=True)
    key.add_argument("--name", default="CLI key")
    key.add_argument("--scopes", type=_scopes, default=list(SCOPES))
    key.add_argument("--expires-at", type=_expiry)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "create-account":
        with session_scope(get_engine()) as session:
            if session.scalar(select(Account.id).where(Account.email == args.email)):
                print(f"error: an account with email {args.email} already exists", file=sys.stderr)
                return 1
        account_id, key = create_account_with_key(
            args.email, plan=args.plan, credits=args.credits, full_name=args.name, rate_limit=args.rate_limit,
            scopes=args.scopes,
        )  # fmt: skip
        credits = args.credits if args.credits is not None else PLAN_MONTHLY_CREDITS[args.plan]
        print(f"account {account_id} ({args.email}, plan {args.plan}, {credits} credits)")
        print(f"API key (shown once, store it now): {key}")
        return 0
    with session_scope(get_engine()) as session:
        account = session.scalar(select(Account).where(Account.email == args.email))
        if account is None:
            print(f"error: no account with email {args.email}", file=sys.stderr)
            return 1
        row, key = create_api_key(session, account.id, args.name, args.scopes, args.expires_at)
        print(f"key {row.id} for {args.email} (scopes {','.join(args.scopes)})")
        print(f"API key (shown once, store it now): {key}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
