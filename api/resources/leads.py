"""Leads: filtered, sorted, paginated listing; details; notes and tags; deletion."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema
from sqlalchemy import Select, and_, func, or_, select

from api.auth import current_account
from api.database import db_session
from api.errors import InvalidRequest
from api.owned import get_owned
from api.pagination import SortColumn, paginate
from api.resources import RATE_LIMIT_HEADERS, Blueprint, documented_errors
from api.schemas import PageArgsSchema, Timestamp, list_schema
from db.models import CONTACT_TYPES, LEAD_STATUSES, JobLead, Lead, LeadSighting
from db.privacy import delete_leads, not_suppressed
from db.types import utcnow

blp = Blueprint("leads", __name__, url_prefix="/v1/leads", description="Leads found by your jobs.")


class LeadSchema(Schema):
    """A lead: the spec's fields plus extras (contact_type, company_domain, phone_national, ...)."""

    id = fields.String(metadata={"example": "lead_01JD3Z8V6M4W9QX2N7B5C1KTRE"})
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True, metadata={"description": "E.164, e.g. +14155550100"})
    full_name = fields.String(allow_none=True)
    job_title = fields.String(allow_none=True)
    company_name = fields.String(allow_none=True)
    linkedin_url = fields.String(allow_none=True)
    twitter_url = fields.String(allow_none=True)
    facebook_url = fields.String(allow_none=True)
    lead_score = fields.Integer(allow_none=True, metadata={"description": "0-100"})
    lead_status = fields.String(allow_none=True, metadata={"enum": list(LEAD_STATUSES)})
    qualification_notes = fields.String(allow_none=True)
    signals_detected = fields.List(fields.Raw(), metadata={"description": "e.g. hiring, recent_funding"})
    enrichment_data = fields.Dict(metadata={"description": "company_size, industry, location, ..."})
    source_url = fields.String(allow_none=True)
    job_id = fields.String(allow_none=True, metadata={"description": "The job that first found the lead"})
    created_at = Timestamp()
    enriched_at = Timestamp(allow_none=True)
    # Extras beyond the spec.
    contact_type = fields.String(
        metadata={"enum": list(CONTACT_TYPES), "description": "personal, or role (info@, sales@)"}
    )
    company_domain = fields.String(allow_none=True)
    phone_national = fields.String(allow_none=True, metadata={"description": "Phone in national format"})
    social_profiles = fields.Dict(metadata={"description": "Every social profile found, by network"})
    custom_notes = fields.String(allow_none=True)
    tags = fields.List(fields.String())
    updated_at = Timestamp()


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


class LeadFilterSchema(Schema):
    """The filters of GET /v1/leads (also used by exports)."""

    job_id = fields.String(
        validate=validate.Length(max=40), metadata={"description": "Leads seen by this job (any sighting)"}
    )
    score_min = fields.Integer(validate=validate.Range(min=0, max=100))
    score_max = fields.Integer(validate=validate.Range(min=0, max=100))
    status = fields.String(
        validate=validate.OneOf(LEAD_STATUSES), metadata={"description": "hot, warm or cold"}
    )
    search = fields.String(
        validate=validate.Length(min=1, max=200),
        metadata={"description": "Case-insensitive substring of email, company, phone or name"},
    )
    created_after = Timestamp(metadata={"description": "ISO 8601, e.g. 2026-02-01T00:00:00Z (inclusive)"})
    created_before = Timestamp(metadata={"description": "ISO 8601 (exclusive)"})

    @validates_schema
    def _ranges(self, data: dict[str, Any], **_: Any) -> None:
        if "score_min" in data and "score_max" in data and data["score_min"] > data["score_max"]:
            raise ValidationError("score_min must not exceed score_max", field_name="score_min")
        if (
            "created_after" in data
            and "created_before" in data
            and data["created_after"] >= data["created_before"]
        ):
            raise ValidationError("created_after must be before created_before", field_name="created_after")


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
        fields.String(validate=validate.Length(min=1, max=100)),
        validate=validate.Length(max=100),
        metadata={"description": "Replaces the lead's tags (max 100)"},
    )


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def filter_leads(stmt: Select[Any], args: dict[str, Any]) -> Select[Any]:
    """Apply every filter of ``args`` (all combinable) to a select of the caller's leads.

    ``job_id`` joins the job's listing (``job_leads``: the leads whose ``job_id`` it is or that it
    sighted), one row per lead; sort by ``lead_sort_columns(args)`` to page along its index.
    """
    created = Lead.created_at
    if "job_id" in args:
        stmt = stmt.join(JobLead, and_(JobLead.lead_id == Lead.id, JobLead.job_id == args["job_id"]))
        created = JobLead.lead_created_at  # the same value, in the index the join walks
    if "score_min" in args:
        stmt = stmt.where(Lead.lead_score >= args["score_min"])
    if "score_max" in args:
        stmt = stmt.where(Lead.lead_score <= args["score_max"])
    if "status" in args:
        stmt = stmt.where(Lead.lead_status == args["status"])
    if "search" in args:
        pattern = _like(args["search"].strip())
        digits = "".join(c for c in args["search"] if c.isdigit())
        clauses = [
            Lead.email.ilike(pattern, escape="\\"),
            Lead.company_name.ilike(pattern, escape="\\"),
            Lead.full_name.ilike(pattern, escape="\\"),
            Lead.phone.ilike(pattern, escape="\\"),
            Lead.phone_national.ilike(pattern, escape="\\"),
        ]
        if len(digits) >= 3:  # "+1 (415) 555" finds +14155550100
            clauses.append(Lead.phone.like(f"%{digits}%"))
        stmt = stmt.where(or_(*clauses))
    if "created_after" in args:
        stmt = stmt.where(created >= args["created_after"])
    if "created_before" in args:
        stmt = stmt.where(created < args["created_before"])
    # A contact suppressed while a crawl was storing it never shows (erasure removes it soon after).
    return stmt.where(not_suppressed())


_ID = SortColumn(Lead.id, lambda lead: lead.id, "str")
LEAD_SORTS: dict[str, list[SortColumn]] = {
    "created_at": [SortColumn(Lead.created_at, lambda lead: lead.created_at, "datetime"), _ID],
    # Unscored leads sort as -1 and unnamed companies as "", so every row has a comparable key.
    "score": [
        SortColumn(
            func.coalesce(Lead.lead_score, -1),
            lambda lead: -1 if lead.lead_score is None else lead.lead_score,
            "int",
        ),
        _ID,
    ],
    "company": [
        SortColumn(
            func.lower(func.coalesce(Lead.company_name, "")),
            lambda lead: (lead.company_name or "").lower(),
            "str",
        ),
        _ID,
    ],
}


# With job_id, every sort reads the job's listing in index order (job_id, sort key, lead_id) and stops
# after a page: job_leads copies the lead's created_at and its score and company sort keys (the
# expressions above, kept by the database). Same values as LEAD_SORTS' columns and Lead.id, so the
# same order and the same cursors (a cursor from either query pages the other).
def _job_sort(key: Any, lead_sort: list[SortColumn]) -> list[SortColumn]:
    return [
        SortColumn(key, lead_sort[0].value, lead_sort[0].kind),
        SortColumn(JobLead.lead_id, _ID.value, _ID.kind),
    ]


JOB_SORTS: dict[str, list[SortColumn]] = {
    "created_at": _job_sort(JobLead.lead_created_at, LEAD_SORTS["created_at"]),
    "score": _job_sort(JobLead.score_key, LEAD_SORTS["score"]),
    "company": _job_sort(JobLead.company_key, LEAD_SORTS["company"]),
}


def lead_sort_columns(args: dict[str, Any]) -> list[SortColumn]:
    """The sort key of a lead listing with these ``args`` (filters, ``sort``)."""
    return (JOB_SORTS if "job_id" in args else LEAD_SORTS)[args["sort"]]


def get_own_lead(lead_id: str) -> Lead:
    """The caller's lead, or 404 (see api.owned.get_owned)."""
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
            lead.tags = list(dict.fromkeys(t.strip() for t in changes["tags"]))
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
