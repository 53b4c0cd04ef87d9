"""Data-protection maintenance: purge leads past the retention period, re-apply suppressions."""

from __future__ import annotations

import argparse
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from crawler.extract.leads import person_identity
from db.engine import get_engine, session_factory
from db.privacy import erase_all_suppressed, purge_unseen_leads
from db.types import utcnow

log = logging.getLogger(__name__)

RETENTION_ENV = "LEADSCRAPER_RETENTION_DAYS"
# The worker runs maintenance at most this often: both sweeps read every lead of every account.
DEFAULT_INTERVAL = timedelta(hours=1)


def retention_days(value: str | None = None) -> int | None:
    """``LEADSCRAPER_RETENTION_DAYS`` as a positive number of days; None (off) when unset, empty or 0."""
    raw = (os.environ.get(RETENTION_ENV, "") if value is None else value).strip()
    if not raw:
        return None
    days = int(raw)
    if days < 0:
        raise ValueError(f"{RETENTION_ENV} must be a number of days >= 0, not {raw!r}")
    return days or None


@dataclass
class MaintenanceResult:
    purged: int = 0  # leads not seen within the retention period
    erased: int = 0  # leads stored despite a suppression (a crawl that started before it)

    @property
    def total(self) -> int:
        return self.purged + self.erased


def run_maintenance(session: Session, now: datetime, days: int | None) -> MaintenanceResult:
    """One pass, in the caller's transaction: erase suppressed leads, then purge unseen ones."""
    result = MaintenanceResult(erased=erase_all_suppressed(session, person_identity))
    if days:
        cutoff = now - timedelta(days=days)
        while batch := purge_unseen_leads(session, cutoff):
            result.purged += batch
    return result


class Maintenance:
    """What the worker calls every pass; does the work at most once per ``interval``.

    Reads ``LEADSCRAPER_RETENTION_DAYS`` unless ``days`` is given; ``clock`` is injectable for tests.
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        days: int | None = None,
        clock: Callable[[], datetime] = utcnow,
        interval: timedelta = DEFAULT_INTERVAL,
    ) -> None:
        self.sessions = sessions
        self.days = retention_days() if days is None else (days or None)
        self.clock = clock
        self.interval = interval
        self.last_run: datetime | None = None

    def __call__(self) -> int:
        now = self.clock()
        if self.last_run is not None and now - self.last_run < self.interval:
            return 0
        self.last_run = now
        with self.sessions() as session:
            result = run_maintenance(session, now, self.days)
            session.commit()
        if result.total:
            log.info(
                "maintenance: %d unseen lead(s) purged, %d suppressed erased", result.purged, result.erased
            )
        return result.total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m api.worker.retention", description=__doc__)
    parser.add_argument(
        "--days",
        type=int,
        default=None,
        help=f"retention period in days (default: ${RETENTION_ENV}; 0 = off)",
    )
    args = parser.parse_args(argv)
    days = retention_days() if args.days is None else (args.days or None)
    sessions = session_factory(get_engine())
    with sessions() as session:
        result = run_maintenance(session, utcnow(), days)
        session.commit()
    period = f"{days} days" if days else "off"
    print(f"retention ({period}): {result.purged} lead(s) purged; {result.erased} suppressed lead(s) erased")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
