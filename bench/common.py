"""Shared plumbing for the benchmarks: scratch databases, the corpus server, timing and statistics."""

from __future__ import annotations

import contextlib
import os
import secrets
import statistics
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
ADMIN_DSN = os.environ.get("BENCH_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")


@dataclass
class Row:
    """One line of the results table: what was measured, the figure, the target and a verdict."""

    section: str
    metric: str
    value: str
    target: str = ""
    verdict: str = ""


@dataclass
class Section:
    """A benchmark's rows plus free-form notes (profiles, gaps) for RESULTS.md."""

    title: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, metric: str, value: str, target: str = "", verdict: str = "") -> None:
        self.rows.append(Row(self.title, metric, value, target, verdict))


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (0-100) by linear interpolation between closest ranks."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def sqlalchemy_url(dbname: str) -> str:
    base = ADMIN_DSN.rsplit("/", 1)[0]
    return f"{base}/{dbname}".replace("postgresql://", "postgresql+psycopg2://", 1)


def _admin(sql: str) -> None:
    conn = psycopg2.connect(ADMIN_DSN)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
    finally:
        conn.close()


@contextmanager
def scratch_database(migrate: bool = True) -> Iterator[str]:
    """A fresh PostgreSQL database ``ls_bench_<random>`` at the latest schema, dropped afterwards."""
    name = f"ls_bench_{secrets.token_hex(4)}"
    _admin(f"CREATE DATABASE {name}")
    url = sqlalchemy_url(name)
    try:
        if migrate:
            subprocess.run(
                [PYTHON, "-m", "db.migrate", "upgrade"],
                cwd=REPO,
                env={**os.environ, "DATABASE_URL": url},
                check=True,
                stdout=subprocess.DEVNULL,
            )
        yield url
    finally:
        from db.engine import get_engine

        with contextlib.suppress(Exception):  # never created in this process
            get_engine(url).dispose()
        _admin(
            f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' "
            "AND pid <> pg_backend_pid()"
        )
        _admin(f"DROP DATABASE IF EXISTS {name}")


@contextmanager
def corpus_server(sites: int, seed: int, js_every: int = 0) -> Iterator[int]:
    """``python -m bench.corpus`` in a subprocess; yields its port and stops it afterwards."""
    args = ["--sites", str(sites), "--seed", str(seed), "--js-every", str(js_every)]
    with server_process("bench.corpus", args) as (port, _pid):
        yield port


@contextmanager
def server_process(module: str, args: Sequence[str]) -> Iterator[tuple[int, int]]:
    """``python -m <module> <args>`` in a subprocess that prints ``PORT <n>`` once it listens;
    yields (port, pid) and stops it with SIGTERM afterwards (SIGKILL if it does not end)."""
    proc = subprocess.Popen([PYTHON, "-m", module, *args], cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line.startswith("PORT "):
            raise RuntimeError(f"{module} did not start: {line!r}")
        yield int(line.split()[1]), proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def postgres_cpu_seconds() -> float:
    """CPU seconds used so far by this machine's PostgreSQL server (Linux ``/proc``): the live
    processes' own time, plus, for the postmaster, the time of the backends it has reaped.
    Read before and after a run, the difference is what the run cost the database server."""
    try:
        pids = subprocess.run(["pgrep", "-x", "postgres"], capture_output=True, text=True).stdout.split()
        tick = os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError):
        return 0.0
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        utime, stime, cutime, cstime = (int(v) for v in fields[11:15])
        total += utime + stime
        if fields[1] not in pids:  # the postmaster: its reaped children are the backends
            total += cutime + cstime
    return total / tick
