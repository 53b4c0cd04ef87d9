"""Leads: filtered, sorted, paginated listing; details; notes and tags; deletion."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import RAISE, Schema, fields, validate
from sqlalchemy import func, select

from api.rest.auth import current_account
from api.rest.database import db_session
from api.rest.errors import InvalidRequest
from api.rest.leadquery import LeadFilterSchema, LeadSchema, Tag, filter_leads, lead_sort_columns
from api.rest.owned import get_owned
from api.rest.pagination import paginate
from api.rest.resources import RATE_LIMIT_HEADERS, Blueprint, documented_errors
from api.rest.schemas import PageArgsSchema, Timestamp, list_schema
from db.models import Lead, LeadSighting
from db.privacy import delete_leads
from db.types import utcnow

blp = Blueprint("leads", __name__, url_prefix="/v1/leads", description="Leads found by your jobs.")


LeadListSchema = list_schema(LeadSchema, "LeadList")
MAX_SIGHTINGS = 100  # newest first; sightings_total says how many there are


class SightingSchema(Schema):
    """Where and when a lead was collected: the page, the extraction method and the job."""

    source_url = fields.String()
    method = fields.String(metadata={"description": "How it was found, e.g. mailto, text, json-ld"})
    job_id = fields.String(allow_none=True, metadata={"description": "None once the job was deleted"})
    seen_at = Timestamp()


class LeadDetailSchema(LeadSchema):
    """A lead with its provenance: every sighting (newest first, at most 100) and their count."""

    sightings = fields.List(fields.Nested(SightingSchema))
    sightings_total = fields.Integer()
    last_seen_at = Timestamp(
        allow_none=True, metadata={"description": "Newest sighting; retention counts from here"}
    )


SORTS = ("created_at", "score", "company")


class LeadListArgsSchema(LeadFilterSchema, PageArgsSchema):
    sort = fields.String(load_default="created_at", validate=validate.OneOf(SORTS))
    order = fields.String(load_default="desc", validate=validate.OneOf(("asc", "desc")))


class LeadUpdateSchema(Schema):
    """Only ``custom_notes`` and ``tags`` can change; any other field is refused by name."""

    class Meta:
        unknown = RAISE

    error_messages = {"unknown": "This field cannot be updated; only custom_notes and tags can."}

    custom_notes = fields.String(allow_none=True, validate=validate.Length(max=10_000))
    tags = fields.List(
        Tag(),
        validate=validate.Length(max=100),
        metadata={
            "description": "Replaces the lead's tags (max 100; each 1-100 characters, trimmed, without "
            "commas or semicolons)"
        },
    )


def get_own_lead(lead_id: str) -> Lead:
    """The caller's lead, or 404 (see api.rest.owned.get_owned)."""
    return get_owned(Lead, lead_id, "lead")


@blp.route("")
class Leads(MethodView):
    @blp.arguments(LeadListArgsSchema, location="query")
    @blp.response(200, LeadListSchema, headers=RATE_LIMIT_HEADERS)
    @documented_errors(blp, 400)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List your leads, with filters, sorting and cursor pagination"""
        stmt = filter_leads(select(Lead).where(Lead.account_id == current_account().id), args)
        page = paginate(
            db_session(),
            stmt,
            sort_name=f"leads:{args['sort']}:{args['order']}",
            columns=lead_sort_columns(args),
            descending=args["order"] == "desc",
            limit=args["limit"],
            cursor=args.get("cursor"),
        )
        return {"data": page.items, "pagination": page.pagination()}


@blp.route("/<lead_id>")
class LeadById(MethodView):
    @blp.response(200, LeadDetailSchema, headers=RATE_LIMIT_HEADERS)
    @documented_errors(blp, 404)
    def get(self, lead_id: str) -> Lead:
        """Get a lead with its signals, enrichment data and where and when it was collected"""
        session = db_session()
        lead = get_own_lead(lead_id)
        where = LeadSighting.lead_id == lead.id
        sightings = list(
            session.scalars(
                select(LeadSighting)
                .where(where)
                .order_by(LeadSighting.seen_at.desc(), LeadSighting.id.desc())
                .limit(MAX_SIGHTINGS)
            )
        )
        total = session.scalar(select(func.count()).select_from(LeadSighting).where(where)) or 0
        # Plain attributes the detail schema reads (not columns; nothing is written).
        lead.sightings = sightings  # type: ignore[attr-defined]
        lead.sightings_total = total  # type: ignore[attr-defined]
        lead.last_seen_at = sightings[0].seen_at if sightings else None  # type: ignore[attr-defined]
        return lead

    @blp.arguments(LeadUpdateSchema)
    @blp.response(200, LeadSchema, headers=RATE_LIMIT_HEADERS)
    @documented_errors(blp, 404, body=True)
    def patch(self, changes: dict[str, Any], lead_id: str) -> Lead:
        """Update a lead's custom_notes and/or tags (nothing else can change)"""
        if not changes:
            raise InvalidRequest.field("body", "send custom_notes and/or tags")
        session = db_session()
        lead = get_own_lead(lead_id)
        if "custom_notes" in changes:
            lead.custom_notes = changes["custom_notes"]
        if "tags" in changes:
            lead.tags = list(dict.fromkeys(changes["tags"]))
        lead.updated_at = utcnow()
        session.commit()
        return lead

    @blp.response(204, headers=RATE_LIMIT_HEADERS)
    @documented_errors(blp, 404)
    def delete(self, lead_id: str) -> None:
        """Delete a lead (with its sightings and its `lead.qualified` webhook events)"""
        session = db_session()
        lead = get_own_lead(lead_id)
        delete_leads(session, lead.account_id, [lead.id])
        session.commit()
