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

from api.config import default_config, platform_endpoints, webhook_policy
from api.scrapyd.client import ScrapydClient
from api.worker.exports import build_export, claim_export, export_dir, purge_expired
from api.worker.retention import Maintenance
from api.worker.schedules import ScheduleRunner
from api.worker.webhooks import (
    TIMEOUT,
    AttemptResult,
    DeliverySettings,
    attempt_delivery,
    claim_deliveries,
    default_jitter,
    dispatch_outbox,
    record_attempt,
)
from crawler.netguard import IPNetwork, PlatformEndpoints, Resolver
from db.engine import database_failure, get_engine, session_factory
from db.jobs import reap_stale_jobs
from db.types import utcnow

log = logging.getLogger(__name__)


class Worker:
    """One worker process (several may run side by side on PostgreSQL: claims use ``SKIP LOCKED`` and
    conditional updates). Reads its configuration from ``api.config`` (``DATABASE_URL``, the webhook
    allowlist ``LEADSCRAPER_WEBHOOK_ALLOW_PRIVATE_NETWORKS``, the platform's services, the stale-job
    time ``LEADSCRAPER_STALE_JOB_MINUTES``) and ``LEADSCRAPER_EXPORT_DIR`` unless given; ``clock``
    and ``jitter`` are injectable for tests.

    One pass runs every task; a task that fails (a bug, a database hiccup) is logged and the
    others still run, and one delivery that fails unexpectedly is recorded as a failed attempt
    without holding up the rest.
    """

    def __init__(
        self,
        database_url: str | None = None,
        *,
        clock: Callable[[], datetime] = utcnow,
        jitter: Callable[[timedelta], timedelta] = default_jitter,
        allow: tuple[IPNetwork, ...] | None = None,
        platform: PlatformEndpoints | None = None,
        directory: Path | None = None,
        timeout: float = TIMEOUT,
        resolver: Resolver | None = None,
        concurrency: int = 8,
        retention_days: int | None = None,
        scrapyd: ScrapydClient | None = None,
        stale_after: timedelta | None = None,
    ) -> None:
        self.sessions: sessionmaker[Session] = session_factory(get_engine(database_url))
        self.clock = clock
        self.directory = directory or export_dir()
        self.concurrency = concurrency
        config = default_config()
        if database_url:
            config["DATABASE_URL"] = database_url
        self.stale_after = stale_after or timedelta(minutes=config["STALE_JOB_MINUTES"])
        if allow is not None:
            config["WEBHOOK_ALLOWED_NETWORKS"] = allow
        self.settings = DeliverySettings(
            policy=webhook_policy(config, platform or PlatformEndpoints(platform_endpoints(config))),
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
            list(pool.map(self._attempt, claimed))
        return len(claimed)

    def _attempt(self, delivery_id: str) -> str:
        """One delivery; an unexpected error is its own failed attempt, never the whole pass's."""
        try:
            return attempt_delivery(self.sessions, delivery_id, self.settings)
        except Exception:
            log.exception("webhook delivery %s: unexpected error; recorded as a failed attempt", delivery_id)
            failed = AttemptResult(None, 0, "internal error while sending; retried later")
            try:
                return record_attempt(self.sessions, delivery_id, failed, self.clock(), self.settings)
            except Exception:
                log.exception("webhook delivery %s: the failed attempt could not be recorded", delivery_id)
                return "error"

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
            reaped = reap_stale_jobs(
                session, self.clock(), self.stale_after, still_queued=self.schedules.scrapyd.still_queued
            )
            session.commit()
        for job_id in reaped:
            log.warning("job %s: its crawl stopped reporting; marked failed", job_id)
        return len(reaped)

    def run_once(self) -> int:
        """One pass over every queue; returns how much work it found (0: idle)."""
        work = 0
        tasks: tuple[tuple[str, Callable[[], int]], ...] = (
            ("reap", self.reap),
            ("dispatch", self.dispatch),
            ("deliver", self.deliver),
            ("exports", self.exports),
            ("purge", self.purge),
            ("maintain", self.maintain),
            ("schedules", self.schedules),
        )
        for name, task in tasks:
            try:
                work += task()
            except Exception:
                log.exception("worker task %s failed; the other tasks went on", name)
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
    log.info("webhooks: %s", worker.settings.policy.describe())
    worker.run_forever(args.poll, stop)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
