"""Account information and the credit ledger."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from sqlalchemy import case, func, select

from api.rest.auth import account_rate_limit, current_account
from api.rest.database import db_session
from api.rest.pagination import SortColumn, paginate
from api.rest.resources import RATE_LIMIT_HEADERS, Blueprint, documented_errors
from api.rest.schemas import PageArgsSchema, Timestamp, list_schema
from db.models import PLANS, CreditTransaction

account_blp = Blueprint("account", __name__, url_prefix="/v1/account", description="Your account.")
credits_blp = Blueprint("credits", __name__, url_prefix="/v1/credits", description="Credit usage ledger.")

TRANSACTION_TYPES = ("purchase", "grant", "usage", "refund", "adjustment")


class CreditsSchema(Schema):
    balance = fields.Integer(metadata={"description": "Always equals the sum of the ledger"})
    total_purchased = fields.Integer(metadata={"description": "Sum of all credits added"})
    total_used = fields.Integer(metadata={"description": "Sum of all credits taken"})


class SubscriptionSchema(Schema):
    status = fields.String()
    current_period_start = Timestamp(allow_none=True)
    current_period_end = Timestamp(allow_none=True)
    monthly_credits = fields.Integer()


class AccountSchema(Schema):
    id = fields.String()
    email = fields.String()
    full_name = fields.String(allow_none=True)
    plan = fields.String(metadata={"enum": list(PLANS)})
    rate_limit_per_hour = fields.Integer(metadata={"description": "Requests per hour (extra)"})
    credits = fields.Nested(CreditsSchema)
    subscription = fields.Nested(SubscriptionSchema)
    created_at = Timestamp()


class TransactionSchema(Schema):
    id = fields.String(metadata={"example": "txn_01JD3Z8V6M4W9QX2N7B5C1KTRE"})
    amount = fields.Integer(metadata={"description": "Negative for usage"})
    type = fields.String(metadata={"enum": list(TRANSACTION_TYPES)})
    description = fields.String()
    job_id = fields.String(allow_none=True)
    created_at = Timestamp()


TransactionListSchema = list_schema(TransactionSchema, "CreditTransactionList")


class UsageArgsSchema(PageArgsSchema):
    start_date = Timestamp(metadata={"description": "ISO 8601 date or date-time (inclusive)"})
    end_date = Timestamp(metadata={"description": "ISO 8601 date or date-time (exclusive)"})
    type = fields.String(
        validate=validate.OneOf(TRANSACTION_TYPES), metadata={"description": "Filter (extra)"}
    )

    @validates_schema
    def _range(self, data: dict[str, Any], **_: Any) -> None:
        if "start_date" in data and "end_date" in data and data["start_date"] >= data["end_date"]:
            raise ValidationError("start_date must be before end_date", field_name="start_date")


TXN_SORT = [
    SortColumn(CreditTransaction.created_at, lambda t: t.created_at, "datetime"),
    SortColumn(CreditTransaction.id, lambda t: t.id, "str"),
]


@account_blp.route("")
class AccountView(MethodView):
    @account_blp.response(200, AccountSchema, headers=RATE_LIMIT_HEADERS)
    @documented_errors(account_blp)
    def get(self) -> dict[str, Any]:
        """Get your account, plan and credit balance"""
        session = db_session()
        account = current_account()
        session.refresh(account)
        added, taken = session.execute(
            select(
                func.coalesce(
                    func.sum(case((CreditTransaction.amount > 0, CreditTransaction.amount), else_=0)), 0
                ),
                func.coalesce(
                    func.sum(case((CreditTransaction.amount < 0, -CreditTransaction.amount), else_=0)), 0
                ),
            ).where(CreditTransaction.account_id == account.id)
        ).one()
        return {
            "id": account.id,
            "email": account.email,
            "full_name": account.full_name,
            "plan": account.plan,
            "rate_limit_per_hour": account_rate_limit(),
            "credits": {
                "balance": account.credit_balance,
                "total_purchased": int(added),
                "total_used": int(taken),
            },
            "subscription": {
                "status": account.subscription_status,
                "current_period_start": account.current_period_start,
                "current_period_end": account.current_period_end,
                "monthly_credits": account.monthly_credits,
            },
            "created_at": account.created_at,
        }


@credits_blp.route("/usage")
class CreditUsage(MethodView):
    @credits_blp.arguments(UsageArgsSchema, location="query")
    @credits_blp.response(200, TransactionListSchema, headers=RATE_LIMIT_HEADERS)
    @documented_errors(credits_blp, 400)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List credit transactions (purchases, usage per job, ...), newest first"""
        stmt = select(CreditTransaction).where(CreditTransaction.account_id == current_account().id)
        if "start_date" in args:
            stmt = stmt.where(CreditTransaction.created_at >= args["start_date"])
        if "end_date" in args:
            stmt = stmt.where(CreditTransaction.created_at < args["end_date"])
        if "type" in args:
            stmt = stmt.where(CreditTransaction.type == args["type"])
        page = paginate(
            db_session(),
            stmt,
            sort_name="credits:created_at:desc",
            columns=TXN_SORT,
            descending=True,
            limit=args["limit"],
            cursor=args.get("cursor"),
        )
        return {"data": page.items, "pagination": page.pagination()}
