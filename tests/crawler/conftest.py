"""Fixtures for crawl tests: the fake company sites and a runner for the real ``scrapy crawl leads``."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.accounts import create_account
from db.engine import session_factory
from db.models import Job
from tests.conftest import REPO_ROOT
from tests.sites.runner import SitesServer, run_test_sites


@pytest.fixture(scope="session")
def sites() -> Iterator[SitesServer]:
    with run_test_sites() as server:
        yield server


STATS_DUMP = re.compile(r"Dumping Scrapy stats:\n(\{.*?\})\n", re.DOTALL)
INT_STAT = re.compile(r"'([^']+)': (\d+)[,}]")


@dataclass
class CrawlResult:
    returncode: int
    stdout: str
    stderr: str
    job: Job | None

    def stats(self) -> dict[str, int]:
        """The integer stats of Scrapy's dump at the end of the crawl's log. A crawl whose log has no
        dump is an error, so a check that a counter stayed at zero cannot pass on a missing log."""
        dumps = STATS_DUMP.findall(self.stderr)
        assert dumps, f"no stats dump in the crawl's log: {self.stderr[-2000:]}"
        return {name: int(value) for name, value in INT_STAT.findall(dumps[-1])}

    def stat(self, name: str) -> int:
        """One stat of the dump; a stat the crawl never set is an error, not a zero."""
        stats = self.stats()
        assert name in stats, f"stat {name!r} not in the crawl's stats: {sorted(stats)}"
        return stats[name]


@pytest.fixture
def account_id(engine: Engine, request: pytest.FixtureRequest) -> str:
    """A fresh account per test, so leads of one test never merge with another's."""
    with session_factory(engine).begin() as session:
        account = create_account(
            session,
            f"{request.node.name[:60]}-{os.urandom(3).hex()}@tests.leadscraper.dev",
            plan="pro",
            credits=1_000,
        )
        return account.id


@pytest.fixture
def crawl(sites: SitesServer, database_url: str, engine: Engine) -> Callable[..., CrawlResult]:
    """Run ``python -m scrapy crawl leads`` with the given ``-a`` arguments against the test sites."""

    def run(
        *args: str,
        settings: dict[str, str] | None = None,
        env: dict[str, str] | None = None,
        timeout: float = 180,
    ) -> CrawlResult:
        environ = {
            **os.environ,
            "DATABASE_URL": database_url,
            "LEADSCRAPER_RESOLVE": ",".join(f"{host}=127.0.0.1" for host in sites.hosts),
            "LEADSCRAPER_PROGRESS_INTERVAL": "1",
            # the network guard lets the crawler reach the test sites' address, and only that one
            "LEADSCRAPER_ALLOW_PRIVATE_NETWORKS": "127.0.0.1/32",
            # Scrapy's full log on stderr (the console's default is progress lines only): tests
            # read its stats dump and messages
            "LEADSCRAPER_LOG_LEVEL": "INFO",
            **(env or {}),
        }
        cmd = [sys.executable, "-m", "scrapy", "crawl", "leads"]
        for arg in args:
            cmd += ["-a", arg]
        merged = {"DOWNLOAD_TIMEOUT": "3", "RETRY_TIMES": "1", **(settings or {})}
        for key, value in merged.items():
            cmd += ["-s", f"{key}={value}"]
        # Started by a small shell that forks it, not by this process: Linux carries a process's peak
        # RSS (ru_maxrss, what Scrapy's memusage reads) across fork + exec, so a crawl spawned from a
        # pytest worker that has grown to 300 MB would start "at" 300 MB and its memory stats and
        # limits would measure the worker. A new process group, so a timeout ends the crawl too.
        launcher = ["sh", "-c", '"$@"; exit $?', "sh", *cmd]
        with subprocess.Popen(
            launcher,
            cwd=REPO_ROOT,
            env=environ,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        ) as child:
            try:
                stdout, stderr = child.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.communicate()
                raise
        proc = subprocess.CompletedProcess(launcher, child.returncode, stdout, stderr)
        job = None
        for line in proc.stdout.splitlines():
            if line.startswith("Job job_"):
                job_id = line.split()[1].rstrip(":")
                with Session(engine) as session:
                    job = session.scalars(select(Job).where(Job.id == job_id)).one()
                    session.expunge(job)
        return CrawlResult(proc.returncode, proc.stdout, proc.stderr, job)

    return run
