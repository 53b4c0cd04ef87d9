"""Jobs: live status and progress, listing with filters, each URL's outcome, and cancellation."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from flask import current_app
from flask.views import MethodView
from marshmallow import Schema, fields, validate
from sqlalchemy import select
from sqlalchemy.orm import object_session

from api.rest.auth import current_account
from api.rest.database import db_session
from api.rest.errors import Conflict
from api.rest.owned import get_owned
from api.rest.pagination import SortColumn, paginate
from api.rest.resources import RATE_LIMIT_HEADERS, Blueprint, documented_errors
from api.rest.schemas import PageArgsSchema, Timestamp, list_schema
from api.scrapyd.client import ScrapydClient, ScrapydError
from crawler.chromium import INSTALL_HINT
from db.jobs import cancel_job, count_urls_with_reason, outcome_counts
from db.models import (
    JOB_FINAL_STATUSES,
    JOB_STATUSES,
    JOB_TYPES,
    URL_OUTCOMES,
    Job,
    JobStatus,
    JobUrl,
    JobUrlStatus,
)

log = logging.getLogger(__name__)
blp = Blueprint(
    "jobs", __name__, url_prefix="/v1/jobs", description="Scraping jobs: status, progress, cancel."
)


STATUS_DESCRIPTION = (
    "pending: waiting for a crawler node with a free slot (or not yet handed to one). "
    "processing: a crawler node accepted the job; progress stays 0 for the seconds its spider takes "
    "to start, then counts URLs as they finish. completed: every URL was crawled or failed, at least "
    "one crawled. failed: ended without results it could finish (failure_reason says why). "
    "cancelled: cancelled through the API; what was stored stays. Poll while pending or processing."
)


def progress_percentage(job: Job) -> int:
    if job.status == JobStatus.COMPLETED:
        return 100
    if not job.total_urls:
        return 0
    return min(100, job.processed_urls * 100 // job.total_urls)


def job_warnings(job: Job) -> list[str]:
    """What a user should know although the job did not fail: pages that needed a browser to show
    their contacts were read as plain HTML because the crawler node had none."""
    session = object_session(job)
    unrendered = count_urls_with_reason(session, job.id, INSTALL_HINT) if session is not None else 0
    if not unrendered:
        return []
    return [
        f"{unrendered} URL(s) have pages that build their content with JavaScript, and the crawler had no "
        "browser to render them: they were read as plain HTML and may miss contacts. Install Chromium on "
        "the crawler nodes (Debian/Ubuntu: apt-get install chromium) or set PLAYWRIGHT_CHROMIUM_EXECUTABLE, "
        "then submit those URLs again."
    ]


def live_estimated_completion(job: Job) -> datetime | None:
    """Final jobs: when they ended. Open ones: what the crawl estimates from its measurements each
    progress tick (``db.eta``), the first guess until it has measured something."""
    if job.status in JOB_FINAL_STATUSES:
        return job.completed_at or job.estimated_completion
    return job.estimated_completion


class JobOptionsSchema(Schema):
    depth = fields.Integer(metadata={"description": "Link depth crawled from each URL (1-3)"})
    extract_emails = fields.Boolean()
    extract_phones = fields.Boolean()
    extract_social = fields.Boolean()
    qualify_leads = fields.Boolean()
    verify_emails = fields.Boolean()
    render_js = fields.String(metadata={"enum": ["auto", "always", "never"]})


class JobSchema(Schema):
    """A job with its live progress."""

    id = fields.String(metadata={"example": "job_01JD3Z8V6M4W9QX2N7B5C1KTRE"})
    type = fields.String(metadata={"enum": list(JOB_TYPES)})
    status = fields.String(metadata={"enum": list(JOB_STATUSES), "description": STATUS_DESCRIPTION})
    total_urls = fields.Integer()
    processed_urls = fields.Integer()
    successful_urls = fields.Integer()
    failed_urls = fields.Integer()
    pages_crawled = fields.Integer(metadata={"description": "Pages fetched over all URLs (extra)"})
    leads_found = fields.Integer()
    credits_estimated = fields.Integer()
    credits_used = fields.Integer()
    progress_percentage = fields.Function(progress_percentage, metadata={"type": "integer"})
    options = fields.Nested(JobOptionsSchema)
    source = fields.String(metadata={"description": "api, cli (scrapy crawl) or schedule (extra)"})
    failure_reason = fields.String(
        allow_none=True, metadata={"description": "Why a job failed or stopped early (extra)"}
    )
    warnings = fields.Function(
        job_warnings,
        metadata={
            "type": "array",
            "items": {"type": "string"},
            "description": "Things worth knowing about a job that did not fail, e.g. pages that needed "
            "a browser when the crawler had none (extra; empty when there is nothing to say)",
        },
    )
    created_at = Timestamp()
    started_at = Timestamp(allow_none=True)
    completed_at = Timestamp(allow_none=True)
    estimated_completion = fields.Function(
        lambda job: Timestamp()._serialize(live_estimated_completion(job), None, job),
        metadata={"type": "string", "format": "date-time"},
    )


JobListSchema = list_schema(JobSchema, "JobList")

OUTCOMES_DOC = (
    "Outcome codes: `ok`, `no_contacts`, `page_cap` (crawled, charged); `robots_disallowed`, "
    "`address_refused`, `blocked`, `rate_limited`, `needs_browser`, `dns_failed`, `connection_failed`, "
    "`timeout`, `http_error`, `too_large`, `not_html`, `no_pages`, `cancelled`, `out_of_credits`, "
    "`not_crawled` (free). README, Per-URL results, says what each means."
)


def job_outcome_counts(job: Job) -> dict[str, int]:
    session = object_session(job)
    return outcome_counts(session, job.id) if session is not None else {}


class JobDetailSchema(JobSchema):
    """A job with its live progress and how its URLs ended."""

    outcome_counts = fields.Function(
        job_outcome_counts,
        metadata={
            "type": "object",
            "additionalProperties": {"type": "integer"},
            "description": "How many URLs ended with each outcome code, codes no URL has left out (extra). "
            + OUTCOMES_DOC,
            "example": {"ok": 42, "no_contacts": 2, "http_error": 1},
        },
    )


class JobUrlSchema(Schema):
    """One submitted URL of a job: where it is, how it ended, what it yielded and cost."""

    position = fields.Integer(metadata={"description": "Its place in the submitted list, from 0"})
    url = fields.String()
    status = fields.String(
        metadata={
            "enum": [s.value for s in JobUrlStatus],
            "description": "pending, claimed, done, failed, refused",
        }
    )
    outcome = fields.String(
        allow_none=True,
        metadata={"enum": list(URL_OUTCOMES), "description": "Null until the URL ended. " + OUTCOMES_DOC},
    )
    reason = fields.String(allow_none=True, metadata={"description": "Why it ended so, in words"})
    last_error = fields.String(
        allow_none=True, metadata={"description": "The last error any of its pages met, with the page's URL"}
    )
    http_status = fields.Integer(allow_none=True, metadata={"description": "The start page's HTTP status"})
    pages_crawled = fields.Integer(metadata={"description": "Pages read"})
    pages_failed = fields.Integer(metadata={"description": "Page requests that failed"})
    leads_found = fields.Integer()
    credits_charged = fields.Integer(metadata={"description": "Credits this URL cost (failed URLs: 0)"})
    started_at = Timestamp(allow_none=True)
    finished_at = Timestamp(allow_none=True)


JobUrlListSchema = list_schema(JobUrlSchema, "JobUrlList")


class JobUrlArgsSchema(PageArgsSchema):
    outcome = fields.String(
        validate=validate.OneOf(URL_OUTCOMES), metadata={"description": "Only the URLs with this outcome"}
    )


class JobListArgsSchema(PageArgsSchema):
    status = fields.String(
        validate=validate.OneOf(JOB_STATUSES), metadata={"description": "Filter by status"}
    )
    type = fields.String(validate=validate.OneOf(JOB_TYPES), metadata={"description": "Filter by type"})


class JobCancelledSchema(Schema):
    id = fields.String()
    status = fields.String()
    processed_urls = fields.Integer()
    leads_found = fields.Integer()
    message = fields.String()


JOB_SORT = [
    SortColumn(Job.created_at, lambda j: j.created_at, "datetime"),
    SortColumn(Job.id, lambda j: j.id, "str"),
]
JOB_URL_SORT = [SortColumn(JobUrl.position, lambda u: u.position, "int")]  # unique within a job


def get_own_job(job_id: str) -> Job:
    """The caller's job, or 404 (see api.rest.owned.get_owned)."""
    return get_owned(Job, job_id, "job")


def scrapyd_client() -> ScrapydClient:
    cfg = current_app.config
    client = current_app.extensions.get("leadscraper_scrapyd")
    if client is None:
        client = ScrapydClient(cfg["SCRAPYD_URLS"], cfg["SCRAPYD_PROJECT"], cfg["SCRAPYD_TIMEOUT"])
        current_app.extensions["leadscraper_scrapyd"] = client
    return client


@blp.route("")
class Jobs(MethodView):
    @blp.arguments(JobListArgsSchema, location="query")
    @blp.response(200, JobListSchema, headers=RATE_LIMIT_HEADERS)
    @documented_errors(blp, 400)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List your jobs, newest first"""
        stmt = select(Job).where(Job.account_id == current_account().id)
        if "status" in args:
            stmt = stmt.where(Job.status == args["status"])
        if "type" in args:
            stmt = stmt.where(Job.type == args["type"])
        page = paginate(
            db_session(),
            stmt,
            sort_name="jobs:created_at:desc",
            columns=JOB_SORT,
            descending=True,
            limit=args["limit"],
            cursor=args.get("cursor"),
        )
        return {"data": page.items, "pagination": page.pagination()}


@blp.route("/<job_id>")
class JobById(MethodView):
    @blp.response(200, JobDetailSchema, headers=RATE_LIMIT_HEADERS)
    @documented_errors(blp, 404)
    def get(self, job_id: str) -> Job:
        """Get a job's status and live progress"""
        return get_own_job(job_id)


@blp.route("/<job_id>/cancel")
class JobCancel(MethodView):
    @blp.response(200, JobCancelledSchema, headers=RATE_LIMIT_HEADERS)
    @documented_errors(blp, 404, 409)
    def post(self, job_id: str) -> dict[str, Any]:
        """Cancel a pending or running job; its partial results are kept

        The spider sees the status and stops; its scrapyd processes are also cancelled.
        A job that already ended (completed, failed, cancelled) answers 409 `conflict`.
        """
        session = db_session()
        job = get_own_job(job_id)
        if not cancel_job(session, job.id):
            session.rollback()
            session.refresh(job)
            raise Conflict(
                f"Job {job.id} is already {job.status} and cannot be cancelled",
                {"field": "status", "reason": f"job is {job.status}", "status": job.status},
            )
        session.commit()
        client = scrapyd_client()
        for entry in job.scrapyd_jobs or []:
            try:
                client.cancel(entry["node"], entry["jobid"])
            except (ScrapydError, KeyError, TypeError) as exc:
                # The status in the database is what stops the spider; scrapyd's cancel only hurries it.
                log.warning("scrapyd cancel of %s failed: %s", entry, exc)
        session.refresh(job)
        return {
            "id": job.id,
            "status": job.status,
            "processed_urls": job.processed_urls,
            "leads_found": job.leads_found,
            "message": "Job cancelled successfully. Partial results saved.",
        }


@blp.route("/<job_id>/urls")
class JobUrls(MethodView):
    @blp.arguments(JobUrlArgsSchema, location="query")
    @blp.response(200, JobUrlListSchema, headers=RATE_LIMIT_HEADERS)
    @documented_errors(blp, 400, 404)
    def get(self, args: dict[str, Any], job_id: str) -> dict[str, Any]:
        """List a job's URLs in submission order, each with its outcome

        Every URL ends with exactly one outcome code; a pending or claimed URL has none yet.
        Filter with `outcome=` (e.g. `outcome=http_error` for the URLs to check).
        """
        job = get_own_job(job_id)
        stmt = select(JobUrl).where(JobUrl.job_id == job.id)
        if "outcome" in args:
            stmt = stmt.where(JobUrl.outcome == args["outcome"])
        sort_name = f"job_urls:{job.id}:{args.get('outcome', '')}"
        page = paginate(
            db_session(),
            stmt,
            sort_name=sort_name,
            columns=JOB_URL_SORT,
            descending=False,
            limit=args["limit"],
            cursor=args.get("cursor"),
        )
        return {"data": page.items, "pagination": page.pagination()}
