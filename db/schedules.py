"""Scheduled crawls: cron ticks, and claiming a due tick so that one tick starts exactly one job."""

from __future__ import annotations

from datetime import datetime

from croniter import croniter
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db.models import Schedule, ScheduleRun


def valid_cron(expression: str) -> bool:
    """Five fields (minute hour day month weekday), as crontab takes them; UTC."""
    return len(expression.split()) == 5 and bool(croniter.is_valid(expression))


def next_tick(expression: str, after: datetime) -> datetime:
    """The first tick of ``expression`` strictly after ``after`` (aware UTC in, aware UTC out)."""
    return croniter(expression, after).get_next(datetime)


def due_schedule_ids(session: Session, now: datetime, limit: int = 100) -> list[str]:
    return list(
        session.scalars(
            select(Schedule.id)
            .where(Schedule.status == "active", Schedule.next_run_at <= now)
            .order_by(Schedule.next_run_at)
            .limit(limit)
        )
    )


def claim_tick(session: Session, schedule_id: str, now: datetime) -> tuple[Schedule, ScheduleRun] | None:
    """Take a schedule's due tick for this worker, in the caller's transaction; None if not due or taken.

    The conditional UPDATE moves ``next_run_at`` from the tick to the next one after ``now`` (ticks
    missed while no worker ran are run once, not once each); only one of any number of racing
    workers matches it. The ``ScheduleRun`` row, unique on (schedule, tick), backs that up.
    """
    schedule = session.scalar(
        select(Schedule).where(Schedule.id == schedule_id).execution_options(populate_existing=True)
    )
    if schedule is None or schedule.status != "active" or schedule.next_run_at is None:
        return None
    tick = schedule.next_run_at
    if tick > now:
        return None
    taken = session.execute(
        update(Schedule)
        .where(Schedule.id == schedule_id, Schedule.status == "active", Schedule.next_run_at == tick)
        .values(next_run_at=next_tick(schedule.cron, now), last_run_at=tick)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        return None
    run = ScheduleRun(schedule_id=schedule_id, tick=tick, created_at=now)
    session.add(run)
    session.flush()  # IntegrityError here means the tick was already taken: the caller rolls back
    session.refresh(schedule)
    return schedule, run
