"""POST /v1/scrape: validate a job, reserve its credits, store it with its URLs and schedule it on scrapyd."""

from __future__ import annotations

import hashlib
import json
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, request, url_for
from flask.views import MethodView
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from api.rest.auth import current_account
from api.rest.database import db_session
from api.rest.errors import Conflict, InsufficientCredits, ServiceUnavailable
from api.rest.netpolicy import crawl_policy
from api.rest.resources import RATE_LIMIT_HEADERS, Blueprint, documented_errors
from api.rest.resources.jobs import JobSchema, scrapyd_client
from api.rest.schemas import StrictBoolean, Timestamp
from api.scrapyd.launch import SCHEDULING_FAILED, LaunchSettings, launch_job
from crawler.netguard import PLATFORM_REFUSAL, normalize_url
from db.credits import estimate_credits, reserve_job_credits
from db.jobs import DEFAULT_OPTIONS, create_job
from db.models import JOB_STATUSES, JOB_TYPES, Account, Job, JobStatus

blp = Blueprint("scrape", __name__, url_prefix="/v1/scrape", description="Create scraping jobs.")

MAX_URLS = 10_000
MAX_URL_LENGTH = 2048
IDEMPOTENCY_HEADER = "Idempotency-Key"


def _refused_host(host: str, port: int) -> str | None:
    """Why a submitted URL's host is refused: a private address in any spelling (the same network
    guard the crawler applies, with the operator's allowlist), a local name, or one of the
    platform's own services. Other names pass; the crawler checks the addresses they resolve to
    when it fetches them."""
    return crawl_policy().host_reason(host, port)


class ScrapeUrl(fields.String):
    """An absolute http(s) URL with a host, its host normalized (one spelling per host, so one
    site is one company); private addresses only when the operator allows them."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not text:
            raise ValidationError("Empty URL")
        if len(text) > MAX_URL_LENGTH:
            raise ValidationError(f"URL longer than {MAX_URL_LENGTH} characters")
        if any(c.isspace() for c in text):
            raise ValidationError("URL contains whitespace")
        try:
            parts = urlsplit(text)
            host = parts.hostname
            _ = parts.port  # raises ValueError on a malformed port
        except ValueError:
            raise ValidationError("Malformed URL") from None
        if parts.scheme.lower() not in ("http", "https"):
            raise ValidationError(
                "Missing protocol (http/https)" if "://" not in text else "Only http and https URLs"
            )
        if not host:
            raise ValidationError("Missing host")
        refused = _refused_host(host, parts.port or (443 if parts.scheme.lower() == "https" else 80))
        if refused and PLATFORM_REFUSAL in refused:
            raise ValidationError(f"The platform's own services are not crawled ({refused})")
        if refused:
            raise ValidationError(f"Private, loopback and local addresses are not crawled ({refused})")
        try:
            return normalize_url(text, parts)
        except ValueError as exc:
            raise ValidationError(f"Malformed URL ({exc})") from None


class ScrapeOptionsSchema(Schema):
    class Meta:
        unknown = RAISE

    depth = fields.Integer(
        strict=True, validate=validate.Range(min=1, max=3), metadata={"description": "Default 1, max 3"}
    )
    extract_emails = StrictBoolean(metadata={"description": "Default true"})
    extract_phones = StrictBoolean(metadata={"description": "Default true"})
    extract_social = StrictBoolean(metadata={"description": "Default true"})
    qualify_leads = StrictBoolean(
        metadata={"description": "AI lead qualification (default true); +1 credit/URL"}
    )
    verify_emails = StrictBoolean(
        metadata={
            "description": "Verify every e-mail found (syntax, MX, disposable and role flags; the SMTP "
            "probe where the operator enables it) and guess the addresses of people without one. "
            "Default: the value of qualify_leads. No extra credits."
        }
    )
    render_js = fields.String(
        validate=validate.OneOf(("auto", "always", "never")),
        metadata={
            "description": "Render pages in a headless browser: auto (default; only pages whose HTML is an "
            "app shell or whose scripts build the contacts), always, or never. A URL that needed the "
            "browser costs 1 credit more."
        },
    )


class ScrapeRequestSchema(Schema):
    class Meta:
        unknown = RAISE

    type = fields.String(
        required=True, validate=validate.OneOf(JOB_TYPES), metadata={"description": "single, bulk or sitemap"}
    )
    urls = fields.List(
        ScrapeUrl(),
        required=True,
        validate=validate.Length(min=1, max=MAX_URLS, error="Between 1 and 10,000 URLs"),
        metadata={"description": "http/https URLs (1-10,000); `single` takes exactly one"},
    )
    options = fields.Nested(ScrapeOptionsSchema, load_default=dict)

    @validates_schema
    def _single_means_one(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("type") == "single" and len(data.get("urls") or []) > 1:
            raise ValidationError("A 'single' job takes exactly one URL; use 'bulk'", field_name="urls")


class JobCreatedSchema(Schema):
    """The 201 answer (the documented job fields); GET /v1/jobs/{id} has the full job."""

    id = fields.String()
    type = fields.String(metadata={"enum": list(JOB_TYPES)})
    status = fields.String(
        metadata={
            "enum": list(JOB_STATUSES),
            "description": "processing once a crawler node accepted the job (progress 0 until its spider "
            "starts); pending while it waits for a free slot; on a replay, the job's current status",
        }
    )
    total_urls = fields.Integer()
    processed_urls = fields.Integer()
    credits_estimated = fields.Integer()
    created_at = Timestamp()
    estimated_completion = JobSchema._declared_fields["estimated_completion"]


class IdempotencyHeaderSchema(Schema):
    class Meta:
        unknown = "exclude"

    idempotency_key = fields.String(
        data_key=IDEMPOTENCY_HEADER,
        validate=validate.Length(min=1, max=200),
        metadata={"description": "Retrying with the same key and body returns the first job, not a new one"},
    )


def _request_hash() -> str:
    body = request.get_json(silent=True) or {}
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _created(job: Job, *, replayed: bool = False) -> tuple[Job, int, dict[str, str]]:
    headers = {"Location": url_for("jobs.JobById", job_id=job.id)}
    if replayed:
        headers["Idempotent-Replayed"] = "true"
    return job, 201, headers


def _replay(account: Account, key: str, request_hash: str) -> Job | None:
    """The job an earlier request with this key created, None if there is none (or it never got scheduled)."""
    session = db_session()
    job = session.scalar(select(Job).where(Job.account_id == account.id, Job.idempotency_key == key))
    if job is None:
        return None
    if job.request_hash != request_hash:
        raise Conflict(
            "Idempotency-Key was already used with a different request body",
            {"field": IDEMPOTENCY_HEADER, "reason": "reused with a different body", "job_id": job.id},
        )
    if job.status == JobStatus.FAILED and (job.failure_reason or "").startswith(SCHEDULING_FAILED):
        # Never ran: release the key so the retry gets a real job.
        session.execute(update(Job).where(Job.id == job.id).values(idempotency_key=None))
        session.commit()
        return None
    return job


@blp.route("")
class Scrape(MethodView):
    @blp.arguments(IdempotencyHeaderSchema, location="headers")
    @blp.arguments(ScrapeRequestSchema)
    @blp.response(201, JobCreatedSchema, headers=RATE_LIMIT_HEADERS)
    @documented_errors(blp, 402, 409, body=True)
    def post(self, headers: dict[str, Any], body: dict[str, Any]) -> tuple[Job, int, dict[str, str]]:
        """Create a scraping job

        Reserves the estimate (URLs x (1 + 1 if `qualify_leads`)) from the balance, or answers 402
        `insufficient_credits`; crawled URLs consume the reservation and what is left comes back when
        the job ends (a failed URL costs nothing). With an `Idempotency-Key` header, a retry returns
        the first job. If no scrapyd node accepts the job it is kept as `failed` (reason saved), its
        reservation is refunded, and the call answers 503 `service_unavailable` with the job id.
        """
        session = db_session()
        account = current_account()
        key = headers.get("idempotency_key")
        request_hash = _request_hash()
        if key:
            earlier = _replay(account, key, request_hash)
            if earlier is not None:
                return _created(earlier, replayed=True)
        options = {**DEFAULT_OPTIONS, **body["options"]}
        urls: list[str] = body["urls"]
        estimate = estimate_credits(len(urls), options)
        try:
            job = create_job(
                session,
                account.id,
                body["type"],
                urls,
                options,
                idempotency_key=key,
                request_hash=request_hash if key else None,
            )
            # The job and its reservation commit together or not at all: one conditional UPDATE, so
            # however many submissions race, only those the balance covers get a job.
            if not reserve_job_credits(session, account.id, job.id, estimate):
                session.rollback()
                raise self._insufficient(account, estimate)
            session.commit()
        except IntegrityError:  # the same key raced in from a concurrent retry
            session.rollback()
            earlier = _replay(account, key, request_hash) if key else None
            if earlier is None:
                raise
            return _created(earlier, replayed=True)
        self._schedule(job)
        session.refresh(job)
        return _created(job)

    @staticmethod
    def _insufficient(account: Account, estimate: int) -> InsufficientCredits:
        balance = db_session().scalar(select(Account.credit_balance).where(Account.id == account.id)) or 0
        return InsufficientCredits(
            f"This job needs up to {estimate} credits; your balance is {balance}.",
            {
                "field": "urls",
                "reason": "credit balance does not cover the estimate",
                "credits_required": estimate,
                "credits_available": balance,
            },
        )

    @staticmethod
    def _schedule(job: Job) -> None:
        session = db_session()
        reason = launch_job(session, scrapyd_client(), job, LaunchSettings.from_config(current_app.config))
        if reason is not None:
            raise ServiceUnavailable(
                "No crawler node accepted the job; it was not started and costs nothing. Please retry.",
                {"field": "scrapyd", "reason": reason, "job_id": job.id},
                headers={"Retry-After": "30"},
            )
