"""The worker: fans out the outbox, delivers webhooks, builds lead exports and deletes expired ones."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path
from types import FrameType

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from api.scrapyd.client import ScrapydClient
from api.worker.exports import build_export, claim_export, export_dir, purge_expired
from api.worker.retention import Maintenance
from api.worker.schedules import ScheduleRunner
from api.worker.webhooks import (
    TIMEOUT,
    DeliverySettings,
    attempt_delivery,
    claim_deliveries,
    default_jitter,
    dispatch_outbox,
)
from crawler.netguard import IPNetwork, Resolver, allowlist_from_env
from db.engine import database_failure, get_engine, session_factory
from db.jobs import reap_stale_jobs
from db.types import utcnow

log = logging.getLogger(__name__)


class Worker:
    """One worker process (several may run side by side on PostgreSQL: claims use ``SKIP LOCKED`` and
    conditional updates). Reads ``DATABASE_URL``, ``LEADSCRAPER_ALLOW_PRIVATE_NETWORKS`` and
    ``LEADSCRAPER_EXPORT_DIR`` unless given; ``clock`` and ``jitter`` are injectable for tests.
    """

    def __init__(
        self,
        database_url: str | None = None,
        *,
        clock: Callable[[], datetime] = utcnow,
        jitter: Callable[[timedelta], timedelta] = default_jitter,
        allow: tuple[IPNetwork, ...] | None = None,
        directory: Path | None = None,
        timeout: float = TIMEOUT,
        resolver: Resolver | None = None,
        concurrency: int = 8,
        retention_days: int | None = None,
        scrapyd: ScrapydClient | None = None,
    ) -> None:
        self.sessions: sessionmaker[Session] = session_factory(get_engine(database_url))
        self.clock = clock
        self.directory = directory or export_dir()
        self.concurrency = concurrency
        self.settings = DeliverySettings(
            allow=allowlist_from_env() if allow is None else allow,
            timeout=timeout,
            clock=clock,
            jitter=jitter,
            resolver=resolver,
        )
        # Retention purge (LEADSCRAPER_RETENTION_DAYS unless given) and suppression sweep, hourly.
        self.maintain = Maintenance(self.sessions, days=retention_days, clock=clock)
        # Due ticks of schedules become jobs on scrapyd (SCRAPYD_URLS unless ``scrapyd`` is given).
        self.schedules = ScheduleRunner(self.sessions, scrapyd=scrapyd, clock=clock)

    def dispatch(self) -> int:
        with self.sessions() as session:
            taken = dispatch_outbox(session, self.clock())
            session.commit()
        return taken

    def deliver(self) -> int:
        """Claim due deliveries and attempt them in parallel (a slow endpoint must not hold up others)."""
        with self.sessions() as session:
            claimed = claim_deliveries(session, self.clock(), limit=self.concurrency * 4)
            session.commit()
        if not claimed:
            return 0
        with ThreadPoolExecutor(max_workers=min(self.concurrency, len(claimed))) as pool:
            list(pool.map(lambda d: attempt_delivery(self.sessions, d, self.settings), claimed))
        return len(claimed)

    def exports(self) -> int:
        built = 0
        while True:
            with self.sessions() as session:
                export_id = claim_export(session, self.clock())
                session.commit()
            if export_id is None:
                return built
            build_export(self.sessions, export_id, self.directory, self.clock())
            built += 1

    def purge(self) -> int:
        with self.sessions() as session:
            purged = purge_expired(session, self.clock())
            session.commit()
        return purged

    def reap(self) -> int:
        """Fail jobs whose crawl process died (no heartbeat, no live lease): see reap_stale_jobs."""
        with self.sessions() as session:
            reaped = reap_stale_jobs(session, self.clock())
            session.commit()
        for job_id in reaped:
            log.warning("job %s: its crawl stopped reporting; marked failed", job_id)
        return len(reaped)

    def run_once(self) -> int:
        """One pass over every queue; returns how much work it found (0: idle)."""
        work = self.reap()
        work += self.dispatch()
        work += self.deliver()
        work += self.exports()
        work += self.purge()
        work += self.maintain()
        work += self.schedules()
        return work

    def run_until_idle(self, max_passes: int = 1000) -> int:
        total = 0
        for _ in range(max_passes):
            done = self.run_once()
            total += done
            if not done:
                break
        return total

    def run_forever(self, poll: float = 1.0, stop: threading.Event | None = None) -> None:
        stop = stop or threading.Event()
        while not stop.is_set():
            try:
                busy = self.run_once()
            except Exception:
                log.exception("worker pass failed; retrying")
                busy = 0
            if not busy:
                stop.wait(poll)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m api.worker", description=__doc__)
    parser.add_argument("--once", action="store_true", help="process what is due now, then exit")
    parser.add_argument("--poll", type=float, default=1.0, help="seconds between passes when idle")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s worker %(levelname)s %(message)s")
    try:
        worker = Worker()
        with worker.sessions() as session:  # a wrong URL or an unreachable server: say so once, exit
            session.execute(text("SELECT 1"))
    except Exception as exc:
        message = database_failure(exc)
        if message is None:
            raise
        print(f"worker: {message}", file=sys.stderr)
        return 2
    if args.once:
        print(f"worker: {worker.run_until_idle()} item(s) processed")
        return 0
    stop = threading.Event()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    log.info("worker started (exports in %s)", worker.directory)
    worker.run_forever(args.poll, stop)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
