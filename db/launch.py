"""Launch tokens: a job runs on scrapyd only with the token the API gave its launch."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from db.models import JobLaunch
from db.types import utcnow


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def prepare_launch(session: Session, job_id: str, endpoints: Iterable[dict[str, Any]] = ()) -> str:
    """A new launch token for ``job_id`` (only its hash is stored, in the caller's transaction), with
    the platform's services its spiders must never contact; returns the token to give scrapyd.

    Every process of the job gets the same token. A spider that scrapyd starts with another token,
    or for a job without one, refuses to run (so a ``schedule.json`` that reaches scrapyd without
    going through the API runs nothing).
    """
    token = secrets.token_urlsafe(24)
    session.execute(delete(JobLaunch).where(JobLaunch.job_id == job_id))
    session.add(
        JobLaunch(
            job_id=job_id, token_hash=_digest(token), guard_endpoints=list(endpoints), created_at=utcnow()
        )
    )
    session.flush()
    return token


def job_launch(session: Session, job_id: str, token: str | None) -> JobLaunch | None:
    """The job's launch if ``token`` is the one the API gave it (constant-time comparison), else None."""
    launch = session.get(JobLaunch, job_id)
    if launch is None or not token:
        return None
    return launch if hmac.compare_digest(launch.token_hash, _digest(token)) else None


def guard_endpoints(session: Session, job_id: str) -> list[dict[str, Any]]:
    """The API's list of the platform's services for this job ([] for a job the API did not launch)."""
    launch = session.get(JobLaunch, job_id)
    return list(launch.guard_endpoints or []) if launch is not None else []
