"""Start a stored job on scrapyd: spread over nodes by its size and their free slots, every process kept."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from api.config import platform_endpoints
from api.scrapyd.client import QUEUED, ScrapydClient, ScrapydError
from db.eta import estimate_first
from db.jobs import finish_job, launch_accepted
from db.launch import prepare_launch
from db.models import Job, JobStatus

log = logging.getLogger(__name__)
SCHEDULING_FAILED = "scheduling failed: "


@dataclass(frozen=True)
class LaunchSettings:
    """How jobs are spread: ``SCRAPYD_URLS_PER_PROCESS``, ``SCRAPYD_SLOTS_PER_NODE``, the spider's name
    and Scrapy settings passed to every process (``SCRAPYD_SPIDER_SETTINGS``, tests use it); and the
    platform's services the spiders' network guard must refuse (``api.config.platform_endpoints``)."""

    spider: str = "leads"
    urls_per_process: int = 100
    slots_per_node: int = 4
    spider_settings: Mapping[str, str] = field(default_factory=dict)
    guard_endpoints: tuple[dict[str, Any], ...] = ()

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> LaunchSettings:
        return cls(
            spider=str(config.get("SCRAPYD_SPIDER", "leads")),
            urls_per_process=int(config.get("SCRAPYD_URLS_PER_PROCESS", 100)),
            slots_per_node=int(config.get("SCRAPYD_SLOTS_PER_NODE", 4)),
            spider_settings=dict(config.get("SCRAPYD_SPIDER_SETTINGS") or {}),
            guard_endpoints=tuple(e.as_dict() for e in platform_endpoints(config)),
        )


def launch_job(session: Session, client: ScrapydClient, job: Job, settings: LaunchSettings) -> str | None:
    """Start ``job`` (already committed with its URLs and reservation) on one or more scrapyd nodes.

    The spiders get the job's id and a launch token (``db.launch``: stored, hashed, with the
    platform's services for their guard, before anything is scheduled), nothing else. Every
    started ``{"node", "jobid"}`` goes into ``Job.scrapyd_jobs``, so a cancel reaches them all.
    When no node accepts it the job ends ``failed`` (its reservation refunded) and the reason is
    returned; None means it started: ``processing`` from here on, unless every process it got waits
    in a full node's queue, where it stays ``pending`` until its spider starts.
    """
    token = prepare_launch(session, job.id, settings.guard_endpoints)
    session.commit()
    try:
        entries = client.schedule_spread(
            settings.spider,
            url_count=job.total_urls,
            urls_per_process=settings.urls_per_process,
            slots_per_node=settings.slots_per_node,
            jobid=job.id,
            settings=settings.spider_settings,
            job_id=job.id,
            launch_token=token,
        )
    except ScrapydError as exc:
        reason = f"{SCHEDULING_FAILED}{exc}"
        finish_job(session, job.id, JobStatus.FAILED, reason)
        session.commit()
        log.error("job %s: %s", job.id, reason)
        return reason
    queued = all(entry.get(QUEUED) for entry in entries)
    entries = [{"node": entry["node"], "jobid": entry["jobid"]} for entry in entries]
    # Only this column: the spiders may already be updating the job's status and counters.
    session.execute(update(Job).where(Job.id == job.id).values(scrapyd_jobs=entries))
    if len(entries) > 1:
        # the first guess assumed one process; unless a spider has measured the job already
        guess = job.created_at + estimate_first(
            session, job.account_id, job.total_urls, job.options, len(entries)
        )
        session.execute(
            update(Job)
            .where(Job.id == job.id, Job.estimated_completion == job.estimated_completion)
            .values(estimated_completion=guess)
        )
    if not queued:
        launch_accepted(session, job.id)
    session.commit()
    if len(entries) > 1:
        log.info("job %s: %d spider processes on %s", job.id, len(entries), [e["node"] for e in entries])
    return None
