"""``scrapy crawl``, as a cron job needs it: an exit code that says how the job ended, a quiet console."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError
from scrapy.settings import SETTINGS_PRIORITIES
from twisted.internet.defer import Deferred

from crawler.signals import JOB_STATUS_STAT
from db.models import JobStatus

if TYPE_CHECKING:
    from scrapy.statscollectors import StatsCollector
    from twisted.python.failure import Failure

logger = logging.getLogger(__name__)


class ExitCode(IntEnum):
    """What ``scrapy crawl leads`` exits with (README, Crawling from the command line)."""

    COMPLETED = 0
    """The job completed, or this process's share is done and other processes still work on it."""
    FAILED = 1
    """The job failed (all URLs failed, out of credits, a limit, interrupted) or could not start."""
    USAGE = 2
    """Wrong command line (Scrapy's own code for usage errors)."""
    CANCELLED = 3
    """The job was cancelled."""


def exit_code(stats: StatsCollector) -> ExitCode:
    """The exit code for a finished crawl, from the job status JobProgress recorded in the stats."""
    status = stats.get_value(JOB_STATUS_STAT)
    if status == JobStatus.COMPLETED:
        return ExitCode.COMPLETED
    if status == JobStatus.CANCELLED:
        return ExitCode.CANCELLED
    if status in (JobStatus.PENDING, JobStatus.PROCESSING) and stats.get_value("finish_reason") == "finished":
        return ExitCode.COMPLETED  # the rest of the job is with other processes
    return ExitCode.FAILED


class Command(ScrapyCrawlCommand):
    """Scrapy's ``crawl`` with two differences for the ``leads`` spider run from a terminal or cron.

    The console shows the progress lines and the summary only: Scrapy's log is at WARNING there,
    unless a level was asked for (``-L``, ``-s LOG_LEVEL=``, ``LEADSCRAPER_LOG_LEVEL``) or the log
    goes to a file (``--logfile``, ``-s LOG_FILE=``, which scrapyd sets for every job); under
    scrapyd nothing changes (``LEADSCRAPER_CONSOLE`` is off). And the exit code says how the job
    ended (``ExitCode``).
    """

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        settings = self.settings
        assert settings is not None
        quiet_level = settings.get("LEADSCRAPER_CONSOLE_LOG_LEVEL")
        if (
            settings.getbool("LEADSCRAPER_CONSOLE")
            and quiet_level
            and not settings.get("LOG_FILE")
            and (settings.getpriority("LOG_LEVEL") or 0) < SETTINGS_PRIORITIES["cmdline"]
        ):
            settings.set("LOG_LEVEL", quiet_level, priority="cmdline")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one spider: scrapy crawl leads -a urls=...")
        assert self.crawler_process is not None
        crawler = self._create_crawler(args[0])
        errors: list[BaseException] = []

        def failed(failure: Failure) -> None:
            if failure.value is not None:
                errors.append(failure.value)

        started: Any = self.crawler_process.crawl(crawler, **opts.spargs)
        if isinstance(started, Deferred):
            started.addErrback(failed)
        self.crawler_process.start()
        if isinstance(started, asyncio.Task) and started.done() and not started.cancelled():
            # retrieving a failed task's exception also keeps asyncio from dumping it at exit
            error = started.exception()
            if error is not None:
                errors.append(error)
        if errors:
            self.exitcode = _report_start_error(errors[0])
        elif self.crawler_process.bootstrap_failed or crawler.stats is None:
            self.exitcode = ExitCode.FAILED
        else:
            self.exitcode = exit_code(crawler.stats)


def _report_start_error(error: BaseException) -> ExitCode:
    """A crawl that could not start: a wrong argument in one line, anything else with its traceback."""
    if isinstance(error, UsageError):
        print(f"scrapy crawl: error: {error}", file=sys.stderr)
        return ExitCode.USAGE
    logger.error("the crawl could not start", exc_info=error)
    return ExitCode.FAILED
