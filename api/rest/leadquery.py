"""Lead filters, sorts and the lead representation, shared by GET /v1/leads and the export builder."""

from __future__ import annotations

import json
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from sqlalchemy import Select, and_, bindparam, func, or_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import Boolean

from api.rest.pagination import SortColumn
from api.rest.schemas import Timestamp
from db.models import CONTACT_TYPES, EMAIL_STATUSES, LEAD_STATUSES, JobLead, Lead
from db.privacy import not_suppressed


class CompanyRefSchema(Schema):
    """The company a lead belongs to (its registered domain); the whole record: GET /v1/companies/{id}."""

    id = fields.String(metadata={"example": "comp_01JD3Z8V6M4W9QX2N7B5C1KTRE"})
    name = fields.String(allow_none=True)
    domain = fields.String(metadata={"example": "acme-robotics.com"})


class SignalProofSchema(Schema):
    """Where a company signal was seen: the page, the words, how it was read, and the page's date."""

    name = fields.String(metadata={"example": "hiring"})
    url = fields.String(metadata={"description": "The page it was seen on"})
    snippet = fields.String(metadata={"example": "We have 3 open positions in Austin."})
    method = fields.String(
        metadata={"description": "How it was found: jsonld, text, card, link, heading, url, button, ..."}
    )
    page_date = fields.String(
        allow_none=True, metadata={"description": "The date the page or its block states (ISO), if any"}
    )
    confidence = fields.Float(metadata={"description": "0-1; a signal counts from 0.5"})
    reasons = fields.List(fields.String(), metadata={"description": "What counted, in a few words each"})
    detail = fields.Dict(metadata={"description": "What the evidence states: open_roles, amount, round"})


class ScoreLineSchema(Schema):
    """One line of a lead's score: what counted and how many points."""

    key = fields.String(metadata={"example": "hiring"})
    kind = fields.String(metadata={"enum": ["base", "contact", "signal", "adjustment"]})
    points = fields.Integer(metadata={"example": 15})
    reason = fields.String(metadata={"example": "hiring (3 open roles, /careers/)"})


class EmailCheckSchema(Schema):
    """One check of an address and its answer (crawler/verify/README.md lists them all)."""

    check = fields.String(metadata={"enum": ["syntax", "dns", "disposable", "role", "smtp", "catch_all"]})
    result = fields.String(metadata={"example": "mx"})
    detail = fields.String(metadata={"description": "What was seen: reply lines, mail hosts, reasons"})


class GuessVerificationSchema(Schema):
    """The verification of a guessed address."""

    email_status = fields.String(metadata={"enum": list(EMAIL_STATUSES)})
    email_checks = fields.List(fields.Nested(EmailCheckSchema))
    verified_at = fields.String(metadata={"description": "ISO 8601"})


class EmailGuessSchema(Schema):
    """A guessed address for a person without one: never the lead's ``email``."""

    address = fields.String(metadata={"example": "jonas.weber@acme.de"})
    pattern = fields.String(metadata={"example": "first.last"})
    confidence = fields.Float(
        metadata={"description": "The estimated chance (0-1) that the guess is the person's address"}
    )
    basis = fields.List(
        fields.String(), metadata={"description": "The company's known addresses that follow the pattern"}
    )
    verification = fields.Nested(GuessVerificationSchema, allow_none=True)


class LeadSchema(Schema):
    """A lead: the documented fields plus extras (contact_type, company_id, company, phone_national, ...)."""

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
    # Extras beyond the spec: why the lead scores what it does.
    signals = fields.List(
        fields.Nested(SignalProofSchema),
        metadata={"description": "The proof of each signal in signals_detected (its company's)"},
    )
    score_breakdown = fields.List(
        fields.Nested(ScoreLineSchema),
        metadata={"description": "The score as line items; their points add up to lead_score"},
    )
    source_url = fields.String(allow_none=True)
    job_id = fields.String(allow_none=True, metadata={"description": "The job that first found the lead"})
    created_at = Timestamp()
    enriched_at = Timestamp(allow_none=True)
    # Extras beyond the documented lead fields.
    contact_type = fields.String(
        metadata={
            "enum": list(CONTACT_TYPES),
            "description": "personal (a person: a name and/or their own email, phone or profile), or "
            "role (a shared address such as info@ or a main line, carrying the company's profiles)",
        }
    )
    company_id = fields.String(
        allow_none=True, metadata={"description": "The lead's company (GET /v1/companies/{id})"}
    )
    company = fields.Nested(
        CompanyRefSchema,
        attribute="company_ref",
        allow_none=True,
        metadata={"description": "The lead's company: id, name and registered domain"},
    )
    company_domain = fields.String(allow_none=True)
    phone_national = fields.String(allow_none=True, metadata={"description": "Phone in national format"})
    social_profiles = fields.Dict(metadata={"description": "Every social profile found, by network"})
    custom_notes = fields.String(allow_none=True)
    tags = fields.List(fields.String())
    updated_at = Timestamp()
    email_status = fields.String(
        allow_none=True,
        metadata={
            "enum": list(EMAIL_STATUSES),
            "description": "The verification of email: deliverable, undeliverable, risky or unknown; "
            "null when it was not verified",
        },
    )
    email_checks = fields.List(fields.Nested(EmailCheckSchema), allow_none=True)
    verified_at = Timestamp(allow_none=True)
    email_guess = fields.Nested(
        EmailGuessSchema,
        allow_none=True,
        metadata={"description": "For a person without email: a guessed address, marked as a guess"},
    )


TAG_SEPARATORS = (",", ";")  # a tag filter lists tags with commas; CSV exports join them with "; "
MAX_TAG_LENGTH = 100
MAX_FILTER_TAGS = 20


class Tag(fields.String):
    """One tag: trimmed, 1-100 characters, no commas, semicolons or control characters (so that a
    filter's comma list and an export's "a; b" cell read back as the same tags)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not text:
            raise ValidationError("Empty tag")
        if len(text) > MAX_TAG_LENGTH:
            raise ValidationError(f"Longer than {MAX_TAG_LENGTH} characters")
        if any(c in TAG_SEPARATORS for c in text):
            raise ValidationError("Tags cannot contain commas or semicolons")
        if any(ord(c) < 32 or ord(c) == 127 for c in text):
            raise ValidationError("Tags cannot contain control characters")
        return text


class TagFilter(fields.List):
    """``tags=a&tags=b`` or ``tags=a,b`` (query), ``["a", "b"]`` (export filters): leads with all of them."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(Tag(), **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, list):
            value = [
                part for item in value for part in (item.split(",") if isinstance(item, str) else [item])
            ]
        tags = list(dict.fromkeys(super()._deserialize(value, attr, data, **kwargs)))
        if not 1 <= len(tags) <= MAX_FILTER_TAGS:
            raise ValidationError(f"Between 1 and {MAX_FILTER_TAGS} tags")
        return tags


class has_tags(FunctionElement[bool]):
    """``has_tags(Lead.tags, ["a", "b"])``: the lead's tags include every one given.

    PostgreSQL: JSONB containment (``tags @> '["a","b"]'``), served by the GIN index ``ix_leads_tags``.
    SQLite: no given tag is missing from the lead's JSON array (``json_each``).
    """

    type = Boolean()
    inherit_cache = True

    def __init__(self, column: Any, tags: list[str]) -> None:
        super().__init__(column, bindparam(None, json.dumps(tags), unique=True))


@compiles(has_tags, "postgresql")
def _has_tags_pg(element: has_tags, compiler: Any, **kw: Any) -> str:
    column, tags = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"({column} @> CAST({tags} AS JSONB))"


@compiles(has_tags)
def _has_tags_default(element: has_tags, compiler: Any, **kw: Any) -> str:
    column, tags = (compiler.process(clause, **kw) for clause in element.clauses)
    return (
        f"(NOT EXISTS (SELECT 1 FROM json_each({tags}) AS wanted "
        f"WHERE wanted.value NOT IN (SELECT value FROM json_each({column}))))"
    )


HAS_EMAIL = ("true", "false", "guess")


class HasEmail(fields.String):
    """``true``, ``false`` or ``guess``; an export's JSON filters may write the first two as booleans."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        text = super()._deserialize(value, attr, data, **kwargs).strip().lower()
        if text not in HAS_EMAIL:
            raise ValidationError("Must be one of: true, false, guess.")
        return text


class LeadFilterSchema(Schema):
    """The filters of GET /v1/leads (also used by exports)."""

    job_id = fields.String(
        validate=validate.Length(max=40), metadata={"description": "Leads seen by this job (any sighting)"}
    )
    company_id = fields.String(
        validate=validate.Length(max=40),
        metadata={"description": "Leads of this company (GET /v1/companies)"},
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
    email_status = fields.String(
        validate=validate.OneOf(EMAIL_STATUSES),
        metadata={"description": "deliverable, undeliverable, risky or unknown (the verification of email)"},
    )
    has_email = HasEmail(
        metadata={
            "description": "true: leads with an email; guess: no email but a guessed one; false: neither"
        },
    )
    tags = TagFilter(
        metadata={
            "description": "Leads tagged with every one of these (exact, case-sensitive): repeat the "
            "parameter (`tags=q1-campaign&tags=high-priority`) or list them with commas; up to 20"
        }
    )

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
    if "company_id" in args:
        stmt = stmt.where(Lead.company_id == args["company_id"])
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
    if "tags" in args:
        stmt = stmt.where(has_tags(Lead.tags, args["tags"]))
    if "email_status" in args:
        stmt = stmt.where(Lead.email_status == args["email_status"])
    if "has_email" in args:
        stmt = stmt.where(_has_email(args["has_email"]))
    # A contact suppressed while a crawl was storing it never shows (erasure removes it soon after).
    return stmt.where(not_suppressed())


def _has_email(value: str) -> Any:
    if value == "true":
        return Lead.email.is_not(None)
    if value == "guess":
        return and_(Lead.email.is_(None), Lead.email_guess.is_not(None))
    return and_(Lead.email.is_(None), Lead.email_guess.is_(None))


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
