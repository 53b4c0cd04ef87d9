"""The worker's schedule task: start each due tick of every active schedule as an ordinary job."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from api.config import default_config
from api.scrapyd.client import ScrapydClient
from api.scrapyd.launch import LaunchSettings, launch_job
from db.credits import reserve_job_credits
from db.jobs import create_job
from db.models import Job, JobUrl, Schedule
from db.schedules import claim_tick, due_schedule_ids
from db.types import utcnow

log = logging.getLogger(__name__)


class ScheduleRunner:
    """Each call starts the due ticks: a job like ``POST /v1/scrape`` makes (``source: schedule``), its
    estimate reserved the same way, started on scrapyd the same way (``api.scrapyd.launch``).

    Several workers may run it at once: a tick is claimed by one conditional UPDATE, so none is
    started twice. A tick the balance cannot cover starts no job; the schedule's ``last_error``
    says why. Reads ``SCRAPYD_URLS`` and the other scrapyd settings (``api.config``) unless given.
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        scrapyd: ScrapydClient | None = None,
        launch: LaunchSettings | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.sessions = sessions
        self.clock = clock
        if scrapyd is None or launch is None:
            config = default_config()
            scrapyd = scrapyd or ScrapydClient(
                config["SCRAPYD_URLS"], config["SCRAPYD_PROJECT"], config["SCRAPYD_TIMEOUT"]
            )
            launch = launch or LaunchSettings.from_config(config)
        self.scrapyd = scrapyd
        self.launch = launch

    def __call__(self) -> int:
        now = self.clock()
        with self.sessions() as session:
            due = due_schedule_ids(session, now)
        return sum(1 for schedule_id in due if self.start_tick(schedule_id, now) is not None)

    def start_tick(self, schedule_id: str, now: datetime) -> str | None:
        """Claim the schedule's due tick and start its job; the job id, None if no job was started."""
        with self.sessions() as session:
            try:
                claimed = claim_tick(session, schedule_id, now)
            except IntegrityError:  # another worker recorded this tick first
                session.rollback()
                return None
            if claimed is None:
                session.rollback()
                return None
            schedule, run = claimed
            job = self._create_job(session, schedule)
            if job is None:
                run.error = schedule.last_error
                session.commit()
                log.warning("schedule %s, tick %s: %s", schedule.id, run.tick, schedule.last_error)
                return None
            run.job_id = schedule.last_job_id = job.id
            schedule.last_error = None
            session.commit()
            log.info("schedule %s, tick %s: job %s", schedule.id, run.tick, job.id)
            reason = launch_job(session, self.scrapyd, job, self.launch)
            if reason is not None:
                session.execute(update(Schedule).where(Schedule.id == schedule.id).values(last_error=reason))
                session.commit()
            return job.id

    @staticmethod
    def _create_job(session: Session, schedule: Schedule) -> Job | None:
        """The job and its reservation, as ``POST /v1/scrape`` makes them; None when credits fall short."""
        job = create_job(
            session,
            schedule.account_id,
            schedule.type,
            list(schedule.urls),
            dict(schedule.options),
            source="schedule",
        )
        if reserve_job_credits(session, schedule.account_id, job.id, job.credits_estimated):
            return job
        # Nothing was reserved: take the job back out (same transaction) and say why on the schedule.
        session.execute(delete(JobUrl).where(JobUrl.job_id == job.id))
        session.execute(delete(Job).where(Job.id == job.id))
        session.expunge(job)
        schedule.last_error = f"insufficient credits: this run needs up to {job.credits_estimated} credits"
        return None
