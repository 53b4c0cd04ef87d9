"""Companies: the organisations behind your leads, with address, profiles, signals, people and leads."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import Boolean

from api.rest.auth import current_account
from api.rest.database import db_session
from api.rest.errors import NotFound
from api.rest.leadquery import LeadSchema, SignalProofSchema
from api.rest.owned import get_owned
from api.rest.pagination import SortColumn, paginate
from api.rest.resources import RATE_LIMIT_HEADERS, Blueprint, documented_errors
from api.rest.schemas import PageArgsSchema, Timestamp, list_schema
from db.models import Company, JobCompany, Lead, Suppression
from db.privacy import not_suppressed

blp = Blueprint(
    "companies",
    __name__,
    url_prefix="/v1/companies",
    description="Companies your jobs found: address, own profiles, signals, enrichment, people and leads.",
)

# The signal vocabulary of the crawl (crawler/extract/signals.py SIGNALS; a test keeps them equal).
SIGNALS = (
    "hiring",
    "recent_funding",
    "growing_company",
    "b2b_saas",
    "has_pricing_page",
    "ecommerce",
    "recent_news",
)
DETECTED = 0.5  # a signal counts from this confidence (README.md, Lead qualification); weaker is evidence
MAX_LEADS = 100  # on GET /v1/companies/{id}, newest first; lead_count says how many there are


class CompanyAddressSchema(Schema):
    """The company's postal address as its site states it; parts it does not state are null."""

    street = fields.String(allow_none=True, metadata={"example": "Sendlinger Straße 42"})
    postal_code = fields.String(allow_none=True, metadata={"example": "80331"})
    city = fields.String(allow_none=True, metadata={"example": "München"})
    region = fields.String(allow_none=True, metadata={"description": "State or region, e.g. TX"})
    country = fields.String(allow_none=True, metadata={"description": "ISO 3166 alpha-2 when recognised"})
    source_url = fields.String(allow_none=True, metadata={"description": "The page that states it"})


class CompanyProfileSchema(Schema):
    """One of the company's own social profiles and the page it was found on."""

    platform = fields.String(
        metadata={"description": "linkedin, twitter, facebook, instagram, youtube, github, tiktok, xing, ..."}
    )
    url = fields.String(metadata={"example": "https://linkedin.com/company/acme-robotics"})
    source_url = fields.String(metadata={"description": "The page it was first found on"})


class CompanySignalSchema(SignalProofSchema):
    """One of the company's signals: its best proof and its history across crawls."""

    first_seen_at = fields.String(
        allow_none=True, metadata={"format": "date-time", "description": "When a crawl first found it"}
    )
    last_seen_at = fields.String(
        allow_none=True, metadata={"format": "date-time", "description": "When a crawl last found it"}
    )
    ended_at = fields.String(
        allow_none=True,
        metadata={
            "format": "date-time",
            "description": "When a complete re-crawl of the site no longer found it; null while it lasts",
        },
    )
    active = fields.Function(
        lambda entry: float(entry.get("confidence") or 0) >= DETECTED and not entry.get("ended_at"),
        metadata={"type": "boolean", "description": "Detected (confidence >= 0.5) and not ended"},
    )


class CompanySchema(Schema):
    """A company (one per registered domain): what its site states and what its leads add up to."""

    id = fields.String(metadata={"example": "comp_01JD3Z8V6M4W9QX2N7B5C1KTRE"})
    name = fields.String(allow_none=True)
    domain = fields.String(metadata={"example": "acme-robotics.com"})
    address = fields.Nested(CompanyAddressSchema, allow_none=True)
    social_profiles = fields.List(fields.Nested(CompanyProfileSchema))
    signals = fields.List(
        fields.Nested(CompanySignalSchema),
        metadata={
            "description": "Every buying signal seen, one per name: its proof (url, snippet, method, "
            "page_date, confidence counted from 0.5, reasons, detail) and history (first_seen_at, "
            "last_seen_at, ended_at)"
        },
    )
    enrichment = fields.Dict(
        metadata={"description": "company_size, industry, location, revenue_estimate, ..., with sources"}
    )
    score = fields.Integer(allow_none=True, metadata={"description": "0-100: the company's signals alone"})
    qualification_notes = fields.String(allow_none=True)
    lead_count = fields.Integer(metadata={"description": "Leads of the company"})
    people_count = fields.Integer(metadata={"description": "Named people among them (personal leads)"})
    first_seen_at = fields.Function(
        lambda company: Timestamp()._serialize(company.created_at, None, company),
        metadata={"type": "string", "format": "date-time", "description": "When a crawl first stored it"},
    )
    last_seen_at = Timestamp(
        allow_none=True, metadata={"description": "When a crawl last stored a page of the company"}
    )
    enriched_at = Timestamp(allow_none=True)
    created_at = Timestamp()
    updated_at = Timestamp()


class CompanyDetailSchema(CompanySchema):
    """A company with its leads (newest first, at most 100; all: GET /v1/leads?company_id=)."""

    leads = fields.List(fields.Nested(LeadSchema))


CompanyListSchema = list_schema(CompanySchema, "CompanyList")

SORTS = ("created_at", "name", "lead_count", "last_seen_at")
_ID = SortColumn(Company.id, lambda c: c.id, "str")
COMPANY_SORTS: dict[str, list[SortColumn]] = {
    "created_at": [SortColumn(Company.created_at, lambda c: c.created_at, "datetime"), _ID],
    # unnamed companies sort as "", like the leads' company sort (index ix_companies_account_name_sort)
    "name": [
        SortColumn(func.lower(func.coalesce(Company.name, "")), lambda c: (c.name or "").lower(), "str"),
        _ID,
    ],
    "lead_count": [SortColumn(Company.lead_count, lambda c: c.lead_count, "int"), _ID],
    "last_seen_at": [
        SortColumn(
            func.coalesce(Company.last_seen_at, Company.created_at),
            lambda c: c.last_seen_at or c.created_at,
            "datetime",
        ),
        _ID,
    ],
}


class CompanyListArgsSchema(PageArgsSchema):
    domain = fields.String(
        validate=validate.Length(min=1, max=253),
        metadata={
            "description": "The company of this domain or host (www.acme.com, shop.acme.com: acme.com)"
        },
    )
    search = fields.String(
        validate=validate.Length(min=1, max=200),
        metadata={"description": "Case-insensitive substring of the company's name or domain"},
    )
    signal = fields.String(
        validate=validate.OneOf(SIGNALS), metadata={"description": "Companies showing this buying signal"}
    )
    job_id = fields.String(
        validate=validate.Length(max=40), metadata={"description": "Companies whose pages this job stored"}
    )
    created_after = Timestamp(metadata={"description": "ISO 8601, first seen at or after (inclusive)"})
    created_before = Timestamp(metadata={"description": "ISO 8601, first seen before (exclusive)"})
    sort = fields.String(
        load_default="created_at",
        validate=validate.OneOf(SORTS),
        metadata={"description": "created_at (first seen), name, lead_count or last_seen_at"},
    )
    order = fields.String(load_default="desc", validate=validate.OneOf(("asc", "desc")))

    @validates_schema
    def _ranges(self, data: dict[str, Any], **_: Any) -> None:
        if (
            "created_after" in data
            and "created_before" in data
            and data["created_after"] >= data["created_before"]
        ):
            raise ValidationError("created_after must be before created_before", field_name="created_after")


class has_signal(FunctionElement[bool]):
    """The company's ``signals`` hold a detected signal of this name that has not ended, in each
    database's JSON dialect."""

    type = Boolean()
    inherit_cache = True


@compiles(has_signal, "postgresql")
def _has_signal_pg(element: has_signal, compiler: Any, **kw: Any) -> str:
    name, threshold = (compiler.process(c, **kw) for c in element.clauses)
    return (
        "EXISTS (SELECT 1 FROM jsonb_array_elements(companies.signals) AS s "
        f"WHERE s->>'name' = {name} AND (s->>'confidence')::float >= {threshold} "
        "AND s->>'ended_at' IS NULL)"
    )


@compiles(has_signal)
def _has_signal_default(element: has_signal, compiler: Any, **kw: Any) -> str:
    name, threshold = (compiler.process(c, **kw) for c in element.clauses)
    return (
        "EXISTS (SELECT 1 FROM json_each(companies.signals) AS s "
        f"WHERE json_extract(s.value, '$.name') = {name} "
        f"AND json_extract(s.value, '$.confidence') >= {threshold} "
        "AND json_extract(s.value, '$.ended_at') IS NULL)"
    )


def domain_candidates(value: str) -> list[str]:
    """A domain or host as typed (``https://www.Acme.com/``) and every parent domain of it: the
    companies' registered domains it can name."""
    host = value.strip().lower()
    if "://" in host:
        host = host.split("://", 1)[1]
    host = host.split("/", 1)[0].split("?", 1)[0].rsplit("@", 1)[-1].split(":", 1)[0].rstrip(".")
    labels = [label for label in host.split(".") if label]
    return [".".join(labels[i:]) for i in range(len(labels) - 1)] or [host]


def not_suppressed_company() -> ColumnElement[bool]:
    """For a select of companies: the company's domain is not on its account's suppression list."""
    return ~exists().where(
        Suppression.account_id == Company.account_id,
        Suppression.kind == "domain",
        Suppression.value == Company.domain,
    )


def filter_companies(stmt: Any, args: dict[str, Any]) -> Any:
    """Apply every filter of ``args`` (all combinable) to a select of the caller's companies."""
    if "job_id" in args:
        # a job lists the companies it stored (job_companies): at most one per submitted URL
        stmt = stmt.join(
            JobCompany, and_(JobCompany.company_id == Company.id, JobCompany.job_id == args["job_id"])
        )
    if "domain" in args:
        stmt = stmt.where(Company.domain.in_(domain_candidates(args["domain"])))
    if "search" in args:
        term = args["search"].strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{term}%"
        stmt = stmt.where(
            or_(Company.name.ilike(pattern, escape="\\"), Company.domain.ilike(pattern, escape="\\"))
        )
    if "signal" in args:
        stmt = stmt.where(has_signal(args["signal"], DETECTED))
    if "created_after" in args:
        stmt = stmt.where(Company.created_at >= args["created_after"])
    if "created_before" in args:
        stmt = stmt.where(Company.created_at < args["created_before"])
    return stmt.where(not_suppressed_company())


def get_own_company(company_id: str) -> Company:
    """The caller's company, or 404 (see api.rest.owned.get_owned); a suppressed domain's too."""
    company = get_owned(Company, company_id, "company")
    suppressed = db_session().scalar(
        select(Suppression.id).where(
            Suppression.account_id == company.account_id,
            Suppression.kind == "domain",
            Suppression.value == company.domain,
        )
    )
    if suppressed is not None:
        raise NotFound(
            f"Company {company_id} not found", {"field": "id", "reason": "no such company in your account"}
        )
    return company


@blp.route("")
class Companies(MethodView):
    @blp.arguments(CompanyListArgsSchema, location="query")
    @blp.response(200, CompanyListSchema, headers=RATE_LIMIT_HEADERS)
    @documented_errors(blp, 400)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List your companies, with filters, sorting and cursor pagination"""
        stmt = filter_companies(select(Company).where(Company.account_id == current_account().id), args)
        page = paginate(
            db_session(),
            stmt,
            sort_name=f"companies:{args['sort']}:{args['order']}",
            columns=COMPANY_SORTS[args["sort"]],
            descending=args["order"] == "desc",
            limit=args["limit"],
            cursor=args.get("cursor"),
        )
        return {"data": page.items, "pagination": page.pagination()}


@blp.route("/<company_id>")
class CompanyById(MethodView):
    @blp.response(200, CompanyDetailSchema, headers=RATE_LIMIT_HEADERS)
    @documented_errors(blp, 404)
    def get(self, company_id: str) -> Company:
        """Get a company: address, own profiles, signals and enrichment with evidence, counts and its leads"""
        company = get_own_company(company_id)
        leads = db_session().scalars(
            select(Lead)
            .where(Lead.account_id == company.account_id, Lead.company_id == company.id, not_suppressed())
            .order_by(Lead.created_at.desc(), Lead.id.desc())
            .limit(MAX_LEADS)
        )
        company.leads = list(leads)  # type: ignore[attr-defined]  # read by the schema; nothing is written
        return company
