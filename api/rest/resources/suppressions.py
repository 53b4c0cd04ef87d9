"""Suppressions: contacts never to store again; adding one erases every lead of that contact."""

from __future__ import annotations

import re
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask.views import MethodView
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from api.rest.auth import current_account
from api.rest.database import db_session
from api.rest.owned import get_owned
from api.rest.pagination import SortColumn, paginate
from api.rest.resources import RATE_LIMIT_HEADERS, Blueprint, documented_errors
from api.rest.schemas import PageArgsSchema, Timestamp, list_schema
from crawler.extract.leads import person_identity
from db.models import Suppression
from db.privacy import SUPPRESSION_KINDS, erase_covered
from db.types import utcnow

blp = Blueprint(
    "suppressions",
    __name__,
    url_prefix="/v1/suppressions",
    description="Opt-outs and erasure requests: suppressed emails, phones and domains are erased and "
    "never stored, exported or sent in a webhook again.",
)

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}[a-z0-9]$")


def normalize(kind: str, value: str) -> str:
    """The stored form of a value: what the crawler stores (lower-case email and domain, E.164 phone).

    Raises ``ValidationError`` when the value is not a valid address of its kind.
    """
    text = value.strip()
    if kind == "email":
        try:
            checked = validate_email(text, check_deliverability=False)
        except EmailNotValidError as exc:
            raise ValidationError(f"Not a valid email address: {exc}") from None
        return checked.normalized.lower()
    if kind == "phone":
        compact = re.sub(r"[\s().-]", "", text)
        if not E164.match(compact):
            raise ValidationError("Not an E.164 phone number (e.g. +14155550100)")
        return compact
    domain = text.lower().rstrip(".")
    domain = domain.removeprefix("www.") if domain.count(".") > 1 else domain
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        raise ValidationError("Not a valid domain name") from None
    if not DOMAIN.match(domain):
        raise ValidationError("Not a valid domain name (e.g. example.com)")
    return domain


class SuppressionCreateSchema(Schema):
    class Meta:
        unknown = RAISE

    kind = fields.String(
        required=True,
        validate=validate.OneOf(SUPPRESSION_KINDS),
        metadata={"description": "email, phone (E.164) or domain (every address and contact at it)"},
    )
    value = fields.String(
        required=True,
        validate=validate.Length(min=1, max=320),
        metadata={"description": "Normalized on input: emails and domains lower-cased, phones to E.164"},
    )
    reason = fields.String(
        allow_none=True,
        validate=validate.Length(max=1000),
        metadata={"description": "Why (e.g. 'opt-out', 'GDPR erasure request 2026-11-02')"},
    )

    @validates_schema
    def _normalize(self, data: dict[str, Any], **_: Any) -> None:
        if "kind" in data and "value" in data:
            try:
                data["value"] = normalize(data["kind"], data["value"])
            except ValidationError as exc:
                raise ValidationError(exc.messages, field_name="value") from None


class ErasedSchema(Schema):
    leads = fields.Integer(metadata={"description": "Leads erased (with their sightings and events)"})


class SuppressionSchema(Schema):
    id = fields.String(metadata={"example": "sup_01JD3Z8V6M4W9QX2N7B5C1KTRE"})
    kind = fields.String(metadata={"enum": list(SUPPRESSION_KINDS)})
    value = fields.String()
    reason = fields.String(allow_none=True)
    created_at = Timestamp()


class SuppressionCreatedSchema(SuppressionSchema):
    erased = fields.Nested(ErasedSchema, metadata={"description": "What this request erased"})


SuppressionListSchema = list_schema(SuppressionSchema, "SuppressionList")


class SuppressionListArgsSchema(PageArgsSchema):
    kind = fields.String(validate=validate.OneOf(SUPPRESSION_KINDS), metadata={"description": "Filter"})


SUPPRESSION_SORT = [
    SortColumn(Suppression.created_at, lambda s: s.created_at, "datetime"),
    SortColumn(Suppression.id, lambda s: s.id, "str"),
]


def get_own_suppression(suppression_id: str) -> Suppression:
    """The caller's suppression, or 404 (see api.rest.owned.get_owned)."""
    return get_owned(Suppression, suppression_id, "suppression")


def _existing(account_id: str, kind: str, value: str) -> Suppression | None:
    return db_session().scalar(
        select(Suppression).where(
            Suppression.account_id == account_id, Suppression.kind == kind, Suppression.value == value
        )
    )


@blp.route("")
class Suppressions(MethodView):
    @blp.arguments(SuppressionCreateSchema)
    @blp.response(201, SuppressionCreatedSchema, headers=RATE_LIMIT_HEADERS)
    @blp.alt_response(
        200,
        schema=SuppressionCreatedSchema,
        description="Already suppressed: the existing suppression (erasure is applied again)",
    )
    @documented_errors(blp, body=True)
    def post(self, body: dict[str, Any]) -> tuple[Suppression, int]:
        """Suppress an email, phone or domain and erase every lead of it (an erasure request)

        Every lead of the account with that email (phone; for a domain: every email at the domain or
        its subdomains, and every contact of the company) is deleted with its sightings and its
        `lead.qualified` webhook events, in one transaction. From then on the contact is dropped at
        extraction, left out of lead lists and exports, and never sent in a webhook. An email or
        phone suppression is for its person too: the named people of the leads it erases (and
        those a crawl later sees beside the contact) are not collected from pages that name them
        without it, and their leads without an email at that company are erased as well.

        Idempotent: suppressing a value again answers 200 with the existing suppression (and erases
        anything stored since), so an erasure request can be retried safely.
        """
        session = db_session()
        account = current_account()
        kind, value = body["kind"], body["value"]
        status = 200
        row = _existing(account.id, kind, value)
        if row is None:
            row = Suppression(
                account_id=account.id, kind=kind, value=value, reason=body.get("reason"), created_at=utcnow()
            )
            session.add(row)
            try:
                session.flush()
                status = 201
            except IntegrityError:  # the same value raced in from a concurrent request
                session.rollback()
                row = _existing(account.id, kind, value)
                if row is None:
                    raise
        erased = erase_covered(session, row, person_identity)
        session.commit()
        row.erased = {"leads": erased}  # type: ignore[attr-defined]  # read by the schema, not stored
        return row, status

    @blp.arguments(SuppressionListArgsSchema, location="query")
    @blp.response(200, SuppressionListSchema, headers=RATE_LIMIT_HEADERS)
    @documented_errors(blp, 400)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List your suppressions, newest first"""
        stmt = select(Suppression).where(Suppression.account_id == current_account().id)
        if "kind" in args:
            stmt = stmt.where(Suppression.kind == args["kind"])
        page = paginate(
            db_session(),
            stmt,
            sort_name="suppressions:created_at:desc",
            columns=SUPPRESSION_SORT,
            descending=True,
            limit=args["limit"],
            cursor=args.get("cursor"),
        )
        return {"data": page.items, "pagination": page.pagination()}


@blp.route("/<suppression_id>")
class SuppressionById(MethodView):
    @blp.response(200, SuppressionSchema, headers=RATE_LIMIT_HEADERS)
    @documented_errors(blp, 404)
    def get(self, suppression_id: str) -> Suppression:
        """Get a suppression"""
        return get_own_suppression(suppression_id)

    @blp.response(204, headers=RATE_LIMIT_HEADERS)
    @documented_errors(blp, 404)
    def delete(self, suppression_id: str) -> None:
        """Lift a suppression: the contact may be collected again (erased leads do not come back)"""
        session = db_session()
        row = get_own_suppression(suppression_id)
        session.execute(delete(Suppression).where(Suppression.id == row.id))
        session.commit()
