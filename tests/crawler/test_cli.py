"""``scrapy crawl leads`` as a cron job runs it: the exit code says how the job ended, and the console
shows progress lines and the summary only, unless the full log is asked for.

Exit codes (README, Crawling from the command line): 0 completed, 1 failed, 2 wrong arguments,
3 cancelled.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db.jobs import cancel_job, create_job
from db.models import Job
from tests.conftest import REPO_ROOT
from tests.crawler.conftest import CrawlResult
from tests.sites.expected import ACME
from tests.sites.runner import SitesServer

pytestmark = [pytest.mark.db, pytest.mark.slow]

QUIET = {"LEADSCRAPER_LOG_LEVEL": ""}  # as a user runs it: no level chosen, no log file
PROGRESS = re.compile(r"^\[leads\] \d+ pages crawled, \d+ leads found, \d+ page errors, \d+/\d+ URLs done$")
LOGGED_PROGRESS = re.compile(
    r"^\S+ \S+ \[leads\] INFO: \d+ pages crawled, \d+ leads found, \d+ page errors, \d+/\d+ URLs done$"
)
SCRAPY_INFO = re.compile(r"\[scrapy[.\w-]*\] INFO: ")


def test_a_completed_job_exits_0_with_progress_lines_and_the_summary_only(
    crawl: Callable[..., CrawlResult], sites: SitesServer, account_id: str
) -> None:
    result = crawl(f"urls={sites.url(ACME.host)}", f"account={account_id}", env=QUIET)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.job is not None and result.job.status == "completed"
    lines = result.stderr.splitlines()
    assert lines, "no progress line"
    assert [line for line in lines if not PROGRESS.match(line)] == []
    assert lines[-1].endswith(" 1/1 URLs done")  # the last line has the final counts
    assert "Warning" not in result.stderr  # no ScrapyDeprecationWarning (nor any other)
    assert f"Job {result.job.id}: completed" in result.stdout
    assert f"Read them with: GET /v1/leads?job_id={result.job.id}" in result.stdout
    # the summary says which private networks the crawl could reach, and the setting that allows more
    assert "private networks allowed (LEADSCRAPER_ALLOW_PRIVATE_NETWORKS): 127.0.0.1/32" in result.stdout


def test_a_failed_job_exits_1(crawl: Callable[..., CrawlResult], sites: SitesServer, account_id: str) -> None:
    result = crawl(f"urls={sites.url('brokenwidgets.net', '/error')}", f"account={account_id}", env=QUIET)
    assert result.job is not None and result.job.status == "failed"
    assert result.returncode == 1
    assert f"Job {result.job.id}: failed - all 1 URL(s) failed: HTTP 500 (1)" in result.stdout


def test_wrong_arguments_exit_2_with_one_line(crawl: Callable[..., CrawlResult]) -> None:
    result = crawl("urls=ftp://files.acme-robotics.com/x", env=QUIET)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "scrapy crawl: error: 'ftp://files.acme-robotics.com/x': only http and https URLs can be crawled "
        "(missing protocol?)"
    )


def test_a_cancelled_job_exits_3(
    crawl: Callable[..., CrawlResult], sites: SitesServer, engine: Engine, account_id: str
) -> None:
    with Session(engine) as session, session.begin():
        job_id = create_job(session, account_id, "single", [sites.url("brokenwidgets.net", "/slow")]).id

    def cancel_once_running() -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with Session(engine) as session, session.begin():
                job = session.get(Job, job_id)
                if job is not None and job.status == "processing":
                    assert cancel_job(session, job_id)
                    return
            time.sleep(0.2)

    canceller = threading.Thread(target=cancel_once_running)
    canceller.start()
    result = crawl(f"job_id={job_id}", settings={"DOWNLOAD_TIMEOUT": "60"}, env=QUIET)
    canceller.join()
    assert result.job is not None and result.job.status == "cancelled"
    assert result.returncode == 3


def test_the_full_log_comes_back_with_a_level_or_a_log_file(
    crawl: Callable[..., CrawlResult],
    sites: SitesServer,
    database_url: str,
    account_id: str,
    tmp_path: Path,
) -> None:
    url = f"urls={sites.url(ACME.host)}"
    env = {
        **{k: v for k, v in os.environ.items() if k != "LEADSCRAPER_LOG_LEVEL"},
        "DATABASE_URL": database_url,
        "LEADSCRAPER_RESOLVE": ",".join(f"{host}=127.0.0.1" for host in sites.hosts),
        "LEADSCRAPER_ALLOW_PRIVATE_NETWORKS": "127.0.0.1/32",
    }
    verbose = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "leads",
            "-L",
            "INFO",
            "-a",
            url,
            "-a",
            f"account={account_id}",
        ],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert verbose.returncode == 0, verbose.stderr[-3000:]
    lines = verbose.stderr.splitlines()
    assert any(SCRAPY_INFO.search(line) for line in lines)
    assert any("Spider closed (finished)" in line for line in lines)
    # progress in one format: the log's, never also printed beside it
    progress = [line for line in lines if "pages crawled" in line]
    assert progress and all(LOGGED_PROGRESS.match(line) for line in progress)
    assert not [line for line in lines if line.startswith("[leads]")]
    assert "Warning" not in verbose.stderr

    log_file = tmp_path / "crawl.log"
    logged = crawl(url, f"account={account_id}", settings={"LOG_FILE": str(log_file)}, env=QUIET)
    assert logged.returncode == 0, logged.stderr[-3000:]
    log = log_file.read_text().splitlines()
    assert any(SCRAPY_INFO.search(line) for line in log)  # the file has the full INFO log
    assert any(LOGGED_PROGRESS.match(line) for line in log)
    console = logged.stderr.splitlines()  # and the console keeps its progress lines only
    assert console and all(PROGRESS.match(line) for line in console)
