"""Schedules: recurring crawls from a cron expression; each tick the worker starts an ordinary job."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema
from sqlalchemy import select

from api.rest.auth import current_account
from api.rest.database import db_session
from api.rest.errors import Conflict
from api.rest.owned import get_owned
from api.rest.pagination import SortColumn, paginate
from api.rest.resources import RATE_LIMIT_HEADERS, Blueprint, documented_errors
from api.rest.resources.jobs import JobOptionsSchema
from api.rest.resources.scrape import MAX_URLS, ScrapeOptionsSchema, ScrapeUrl
from api.rest.schemas import PageArgsSchema, Timestamp, list_schema
from db.accounts import lock_account
from db.jobs import DEFAULT_OPTIONS
from db.models import JOB_TYPES, SCHEDULE_STATUSES, Schedule
from db.schedules import next_tick, valid_cron
from db.types import utcnow

blp = Blueprint(
    "schedules",
    __name__,
    url_prefix="/v1/schedules",
    description="Scheduled crawls: a cron expression, URLs and job options; every tick starts a job.",
)

MAX_SCHEDULES = 100
CRON_HELP = "Five fields, UTC: minute hour day-of-month month day-of-week, e.g. `0 6 * * 1` (Mondays 06:00)"


class CronField(fields.String):
    """A five-field cron expression that fires: ``0 0 30 2 *`` (30 February) parses but never runs."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = " ".join(super()._deserialize(value, attr, data, **kwargs).split())
        if not valid_cron(text):
            raise ValidationError(f"Not a cron expression. {CRON_HELP}")
        try:
            next_tick(text, utcnow())
        except (ValueError, KeyError, OverflowError):  # croniter's "no such date" errors are ValueErrors
            raise ValidationError(
                f"This schedule never fires (no such date, e.g. 30 February). {CRON_HELP}"
            ) from None
        return text


class ScheduleCreateSchema(Schema):
    class Meta:
        unknown = RAISE

    name = fields.String(validate=validate.Length(max=200), metadata={"description": "A label for you"})
    cron = CronField(required=True, metadata={"description": CRON_HELP, "example": "0 6 * * 1"})
    type = fields.String(
        load_default="bulk", validate=validate.OneOf(JOB_TYPES), metadata={"description": "Default bulk"}
    )
    urls = fields.List(
        ScrapeUrl(),
        required=True,
        validate=validate.Length(min=1, max=MAX_URLS, error="Between 1 and 10,000 URLs"),
        metadata={"description": "The URL list every run crawls (1-10,000)"},
    )
    options = fields.Nested(
        ScrapeOptionsSchema, load_default=dict, metadata={"description": "As POST /v1/scrape"}
    )
    status = fields.String(
        load_default="active",
        validate=validate.OneOf(SCHEDULE_STATUSES),
        metadata={"description": "Default active"},
    )

    @validates_schema
    def _single_means_one(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("type") == "single" and len(data.get("urls") or []) > 1:
            raise ValidationError("A 'single' job takes exactly one URL; use 'bulk'", field_name="urls")


class ScheduleUpdateSchema(Schema):
    class Meta:
        unknown = RAISE

    status = fields.String(
        validate=validate.OneOf(SCHEDULE_STATUSES),
        metadata={"description": "paused stops the runs; active resumes"},
    )
    name = fields.String(validate=validate.Length(max=200))
    cron = CronField(metadata={"description": CRON_HELP})


class ScheduleSchema(Schema):
    """A schedule and when it runs next."""

    id = fields.String(metadata={"example": "sched_01JD3Z8V6M4W9QX2N7B5C1KTRE"})
    name = fields.String(allow_none=True)
    cron = fields.String()
    type = fields.String(metadata={"enum": list(JOB_TYPES)})
    urls = fields.List(fields.String())
    total_urls = fields.Function(lambda s: len(s.urls or []), metadata={"type": "integer"})
    options = fields.Nested(JobOptionsSchema)
    status = fields.String(metadata={"enum": list(SCHEDULE_STATUSES)})
    next_run_at = Timestamp(allow_none=True, metadata={"description": "The next tick (null while paused)"})
    last_run_at = Timestamp(allow_none=True, metadata={"description": "The last tick a worker started"})
    last_job_id = fields.String(allow_none=True, metadata={"description": "The job the last run started"})
    last_error = fields.String(allow_none=True, metadata={"description": "Why the last run started no job"})
    created_at = Timestamp()


ScheduleListSchema = list_schema(ScheduleSchema, "ScheduleList")
SCHEDULE_SORT = [
    SortColumn(Schedule.created_at, lambda s: s.created_at, "datetime"),
    SortColumn(Schedule.id, lambda s: s.id, "str"),
]


def get_own_schedule(schedule_id: str) -> Schedule:
    """The caller's schedule, or 404 (see api.rest.owned.get_owned)."""
    return get_owned(Schedule, schedule_id, "schedule")


@blp.route("")
class Schedules(MethodView):
    @blp.arguments(ScheduleCreateSchema)
    @blp.response(201, ScheduleSchema, headers=RATE_LIMIT_HEADERS)
    @documented_errors(blp, 409, body=True)
    def post(self, body: dict[str, Any]) -> Schedule:
        """Create a schedule: every tick of `cron` (UTC) the worker starts a job with these URLs

        Each run is an ordinary job (`source: schedule`, listed by GET /v1/jobs), its estimate
        reserved like POST /v1/scrape; a run the balance does not cover starts no job and
        `last_error` says so. Leads found again merge into the existing ones.
        """
        session = db_session()
        account = current_account()
        lock_account(session, account.id)  # parallel creations queue here: the cap holds
        count = len(session.scalars(select(Schedule.id).where(Schedule.account_id == account.id)).all())
        if count >= MAX_SCHEDULES:
            raise Conflict(
                f"An account can have at most {MAX_SCHEDULES} schedules",
                {"field": "cron", "reason": "too many schedules; delete one first"},
            )
        now = utcnow()
        schedule = Schedule(
            account_id=account.id,
            name=body.get("name"),
            cron=body["cron"],
            type=body["type"],
            urls=list(body["urls"]),
            options={**DEFAULT_OPTIONS, **body["options"]},
            status=body["status"],
            next_run_at=next_tick(body["cron"], now) if body["status"] == "active" else None,
            created_at=now,
        )
        session.add(schedule)
        session.commit()
        return schedule

    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, ScheduleListSchema, headers=RATE_LIMIT_HEADERS)
    @documented_errors(blp, 400)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List your schedules, newest first"""
        page = paginate(
            db_session(),
            select(Schedule).where(Schedule.account_id == current_account().id),
            sort_name="schedules:created_at:desc",
            columns=SCHEDULE_SORT,
            descending=True,
            limit=args["limit"],
            cursor=args.get("cursor"),
        )
        return {"data": page.items, "pagination": page.pagination()}


@blp.route("/<schedule_id>")
class ScheduleById(MethodView):
    @blp.response(200, ScheduleSchema, headers=RATE_LIMIT_HEADERS)
    @documented_errors(blp, 404)
    def get(self, schedule_id: str) -> Schedule:
        """Get a schedule and its next run"""
        return get_own_schedule(schedule_id)

    @blp.arguments(ScheduleUpdateSchema)
    @blp.response(200, ScheduleSchema, headers=RATE_LIMIT_HEADERS)
    @documented_errors(blp, 404, body=True)
    def patch(self, body: dict[str, Any], schedule_id: str) -> Schedule:
        """Pause or resume a schedule, rename it or change its cron

        Pausing clears `next_run_at`; resuming (or a new cron) sets it to the next tick from now,
        so ticks missed while paused are not made up.
        """
        session = db_session()
        schedule = get_own_schedule(schedule_id)
        if "name" in body:
            schedule.name = body["name"]
        status = body.get("status", schedule.status)
        reschedule = "cron" in body or status != schedule.status
        if "cron" in body:
            schedule.cron = body["cron"]
        schedule.status = status
        if status == "paused":
            schedule.next_run_at = None
        elif reschedule or schedule.next_run_at is None:
            schedule.next_run_at = next_tick(schedule.cron, utcnow())
        session.commit()
        return schedule

    @blp.response(204, headers=RATE_LIMIT_HEADERS)
    @documented_errors(blp, 404)
    def delete(self, schedule_id: str) -> None:
        """Delete a schedule; the jobs it started are kept"""
        session = db_session()
        session.delete(get_own_schedule(schedule_id))
        session.commit()
