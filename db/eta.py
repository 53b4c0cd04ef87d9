"""When a job will be done: the first guess at submission, then what the crawl measures.

Before a crawl starts, ``first_guess`` answers from what the account's own finished jobs of the
same depth measured (``past_jobs``): how long after submission their first URL was claimed, how
long each URL took from claim to finish, how many URLs a spider process had open at once (Little's
law: the sum of the durations over the crawl's span), and how long their store lagged the crawl.
An account with no such job gets ``estimated_duration``, a guess from the URL count and depth.
While it runs,
each spider process's progress tick reads the job's state (``measure``) and feeds a
``CompletionEstimator``, whose answer becomes ``jobs.estimated_completion``.

A linear extrapolation (elapsed × total / processed) misses the shape of a crawl: most sites end in
seconds, while a few (hosts that never answer, slow sites with many pages) end many seconds after
they were claimed, and they make the tail. So the estimate is the latest of:

- the pages left at the measured pace (pages per second over the last ``window`` seconds; pages
  per URL from the URLs already finished, whose pages are the ones the job counts);
- every open URL's end, expected from how long the finished URLs took that lasted at least as long
  as it has been open so far (a URL open for 8 s, when the only ones that took longer took 10 s,
  ends ~2 s from now);
- the last pending URL's claim at the measured claim rate, plus the duration the slowest of them
  can be expected to take (the quantile n / (n + 1) of the durations measured, n pending).

The job is done when its outcomes are stored (``written``); a busy store can lag the crawl by many
seconds, and that lag is not predicted: the store writes in a few large batches, whose pace says
little until they are written.
"""

from __future__ import annotations

import bisect
import math
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Job, JobStatus, JobUrl, JobUrlStatus


def estimated_duration(url_count: int, options: dict[str, Any]) -> timedelta:
    """A rough, honest guess: ~5 s per page, pages per site growing with depth, 16 sites at a time."""
    pages_per_site = {1: 4, 2: 12, 3: 25}.get(int(options.get("depth", 1)), 4)
    waves = max(1, -(-url_count // 16))
    return timedelta(seconds=10 + waves * pages_per_site * 2)


# The account's finished jobs a first guess looks at (newest first), how many of them, the
# nearest in size, it reads and learns from, and the URL rows it reads of each.
HISTORY_LOOKBACK = 20
HISTORY_JOBS = 3
HISTORY_ROWS = 5000
# When no finished job had more URLs than it could hold open at once, how many a process is
# assumed to hold for a larger job (at most; its measured durations still apply).
ASSUMED_OPEN = 32


@dataclass(frozen=True)
class PastJob:
    """What one finished job measured, in seconds."""

    urls: int  # URLs with a claim and a finish
    processes: int  # spider processes it ran on
    start_lag: float  # submitted → its first URL claimed
    claiming: float  # first claim → last claim (about 0 when every URL was claimed at once)
    crawl: float  # first claim → last URL finished
    store_lag: float  # last URL finished → the job completed (its outcomes stored)
    durations: tuple[float, ...]  # claim → finish of (a sample of) its URLs, sorted

    @property
    def per_process(self) -> float:
        return self.urls / self.processes

    @property
    def held_all(self) -> bool:
        """Every URL was claimed at the start: the job was smaller than what a process holds."""
        return self.claiming <= max(1.0, 0.1 * self.crawl)

    @property
    def open_at_once(self) -> float:
        """URLs a process had open at once, on average (Little's law)."""
        if self.crawl <= 0 or not self.durations:
            return self.per_process
        mean = sum(self.durations) / len(self.durations)
        return min(self.per_process, self.urls * mean / self.crawl / self.processes)


def past_jobs(
    session: Session, account_id: str, depth: int, url_count: int = 1, processes: int = 1
) -> list[PastJob]:
    """Up to ``HISTORY_JOBS`` of the account's newest completed jobs of this depth (``HISTORY_LOOKBACK``
    looked at), the nearest in URLs per process to a job of ``url_count`` URLs on ``processes``, as
    their URL rows measured them. Only those are read row by row; a job whose rows are gone is
    skipped for the next nearest."""
    jobs = session.execute(
        select(Job.id, Job.created_at, Job.completed_at, Job.options, Job.scrapyd_jobs, Job.total_urls)
        .where(Job.account_id == account_id, Job.status == JobStatus.COMPLETED, Job.completed_at.is_not(None))
        .order_by(Job.completed_at.desc())
        .limit(HISTORY_LOOKBACK)
    ).all()
    wanted = max(1, url_count) / max(1, processes)
    same_depth = [job for job in jobs if job.total_urls and int((job.options or {}).get("depth", 1)) == depth]
    same_depth.sort(
        key=lambda job: abs(math.log(job.total_urls / max(1, len(job.scrapyd_jobs or [])) / wanted))
    )
    out: list[PastJob] = []
    for job_id, created, completed, _, entries, _ in same_depth:
        if len(out) == HISTORY_JOBS:
            break
        ran = (JobUrl.job_id == job_id) & JobUrl.started_at.is_not(None) & JobUrl.finished_at.is_not(None)
        count, first, last_claim, last = session.execute(
            select(
                func.count(),
                func.min(JobUrl.started_at),
                func.max(JobUrl.started_at),
                func.max(JobUrl.finished_at),
            ).where(ran)
        ).one()
        if not count or first is None or last_claim is None or last is None or completed is None:
            continue
        rows = session.execute(select(JobUrl.started_at, JobUrl.finished_at).where(ran).limit(HISTORY_ROWS))
        durations = sorted(
            max(0.0, (end - start).total_seconds())
            for start, end in rows
            if start is not None and end is not None
        )
        out.append(
            PastJob(
                urls=int(count),
                processes=max(1, len(entries or [])),
                start_lag=max(0.0, (first - created).total_seconds()),
                claiming=max(0.0, (last_claim - first).total_seconds()),
                crawl=max(0.0, (last - first).total_seconds()),
                store_lag=max(0.0, (completed - last).total_seconds()),
                durations=tuple(durations),
            )
        )
    return out


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def first_guess(url_count: int, options: dict[str, Any], processes: int, history: list[PastJob]) -> timedelta:
    """How long a job of ``url_count`` URLs on ``processes`` spider processes should take, from the
    finished jobs nearest in URLs per process (``estimated_duration`` without any).

    Its crawl lasts as long as its URLs at the measured pace (URLs per process × mean duration /
    URLs open at once), and no less than the slowest of its URLs can be expected to take (the
    quantile n / (n + 1) of the measured durations); before it, the measured start lag; after it,
    the store's lag.
    """
    history = [job for job in history if job.durations]
    if not history or url_count <= 0:
        return estimated_duration(url_count, options)
    per_process = url_count / max(1, processes)
    nearest = sorted(history, key=lambda job: abs(math.log(job.per_process / per_process)))[:HISTORY_JOBS]
    durations = sorted(d for job in nearest for d in job.durations)
    mean = sum(durations) / len(durations)
    open_at_once = max(job.open_at_once for job in nearest)
    if per_process > max(job.per_process for job in nearest) and all(job.held_all for job in nearest):
        # every URL of those jobs was open at once: how many a process can hold was not measured
        open_at_once = max(open_at_once, ASSUMED_OPEN)
    open_at_once = min(per_process, open_at_once)
    slowest = durations[min(len(durations) - 1, int(len(durations) * url_count / (url_count + 1)))]
    crawl = max(per_process * mean / open_at_once, slowest)
    start_lag = _median([job.start_lag for job in nearest])
    store_lag = _median([job.store_lag for job in nearest])
    return timedelta(seconds=start_lag + crawl + store_lag)


def estimate_first(
    session: Session, account_id: str, url_count: int, options: dict[str, Any], processes: int = 1
) -> timedelta:
    """``first_guess`` from the account's own finished jobs of the same depth."""
    if url_count <= 0:
        return estimated_duration(url_count, options)
    history = past_jobs(session, account_id, int(options.get("depth", 1)), url_count, processes)
    return first_guess(url_count, options, processes, history)


PACE_AFTER = 20  # the pace of pages counts once 1 / PACE_AFTER of the URLs are done


@dataclass(frozen=True)
class Tick:
    """The job's state at one moment; times in seconds since the job started."""

    at: float
    total: int  # URLs in the job
    pending: int  # not yet claimed
    processed: int  # finished (done, failed, refused)
    pages: int  # pages crawled by the finished URLs (what the job's counter shows)
    open_ages: tuple[float, ...] = ()  # for each claimed, unfinished URL: seconds since its claim
    durations: tuple[float, ...] = ()  # claim → finish of the URLs finished since the last tick
    written: int | None = None  # of ``processed``, those whose outcome is stored (None: all of them)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, times rounded (a trace of what the estimator saw)."""
        return {
            "at": round(self.at, 2),
            "total": self.total,
            "pending": self.pending,
            "processed": self.processed,
            "pages": self.pages,
            "open_ages": [round(a, 1) for a in self.open_ages],
            "durations": [round(d, 2) for d in self.durations],
            "written": self.written,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Tick:
        fields = ("at", "total", "pending", "processed", "pages")
        return cls(
            **{k: data[k] for k in fields},
            open_ages=tuple(data["open_ages"]),
            durations=tuple(data["durations"]),
            written=data.get("written"),
        )


@dataclass
class CompletionEstimator:
    """Turns successive ``Tick``s into an estimated end (seconds since the job started)."""

    window: float = 30.0
    ticks: deque[Tick] = field(default_factory=deque)
    durations: list[float] = field(default_factory=list)  # sorted
    suffix_sums: list[float] = field(default_factory=list)  # suffix_sums[i] = sum(durations[i:])

    def observe(self, tick: Tick) -> float | None:
        """Record a tick; the estimated end, or None while nothing has been measured yet."""
        self.ticks.append(tick)
        while len(self.ticks) > 2 and self.ticks[1].at <= tick.at - self.window:
            self.ticks.popleft()
        if tick.durations:
            for d in tick.durations:
                bisect.insort(self.durations, d)
            self.suffix_sums = [0.0] * (len(self.durations) + 1)
            for i in range(len(self.durations) - 1, -1, -1):
                self.suffix_sums[i] = self.suffix_sums[i + 1] + self.durations[i]
        written = tick.processed if tick.written is None else tick.written
        if written >= tick.total:
            return tick.at
        if not tick.processed or not tick.pages:
            return None
        return max(tick.at, self._by_pace(tick), self._by_open(tick), self._by_pending(tick))

    def _rate(self, tick: Tick, value: Any) -> float:
        """Per second over the window, but never below the rate since the start: a crawl starts with
        a burst of claims and then waits for its first sites, and a store's or another process's
        outcomes arrive in lumps, so a short window can see almost nothing move."""
        since_start = float(value(tick)) / tick.at if tick.at > 0 else 0.0
        first = self.ticks[0]
        if tick.at - first.at >= min(self.window, tick.at) / 2 and value(tick) > value(first):
            return max(since_start, float(value(tick) - value(first)) / (tick.at - first.at))
        return since_start

    def _by_pace(self, tick: Tick) -> float:
        # until a few URLs are done, their pace mostly says how long one site takes
        if tick.processed * PACE_AFTER < tick.total:
            return tick.at
        left = (tick.total - tick.processed) * tick.pages / tick.processed
        rate = self._rate(tick, lambda t: t.pages)
        return tick.at + left / rate if rate > 0 else tick.at

    def _remaining(self, age: float) -> float:
        """Expected seconds left for a URL open ``age`` seconds: mean of longer durations, minus age."""
        i = bisect.bisect_right(self.durations, age)
        longer = len(self.durations) - i
        return self.suffix_sums[i] / longer - age if longer else 0.0

    def _by_open(self, tick: Tick) -> float:
        if not tick.open_ages or not self.durations:
            return tick.at
        return tick.at + max(self._remaining(age) for age in tick.open_ages)

    def _by_pending(self, tick: Tick) -> float:
        if not tick.pending:
            return tick.at
        rate = self._rate(tick, lambda t: t.total - t.pending)
        claimed_by = tick.at + tick.pending / rate if rate > 0 else tick.at
        if not self.durations:
            return claimed_by
        n = tick.pending
        slowest = self.durations[min(len(self.durations) - 1, int(len(self.durations) * n / (n + 1)))]
        return claimed_by + slowest


@dataclass
class JobMeasure:
    """What ``measure`` reads of a job for its ticks; keeps which finished URLs it has seen."""

    seen: set[int] = field(default_factory=set)
    since: datetime | None = None


def measure(
    session: Session,
    job_id: str,
    started_at: datetime,
    now: datetime,
    state: JobMeasure,
    unwritten: Mapping[int, tuple[float, int]] | None = None,
) -> Tick:
    """The job's ``Tick`` at ``now`` from its URL rows (any process's claims), with the durations
    of the URLs finished since ``state`` last looked.

    ``unwritten``: URLs the calling process has finished whose rows do not say so yet (url id →
    seconds from claim to finish, pages crawled): counted as finished now, as are the claimed rows
    another process marked crawled (``crawled_at``).
    """
    unwritten = unwritten or {}
    counts: dict[str, tuple[int, int]] = {
        status: (count, int(pages or 0))
        for status, count, pages in session.execute(
            select(JobUrl.status, func.count(), func.sum(JobUrl.pages_crawled))
            .where(JobUrl.job_id == job_id)
            .group_by(JobUrl.status)
        )
    }
    pending = counts.get(JobUrlStatus.PENDING, (0, 0))[0]
    total = sum(count for count, _ in counts.values())
    finished = [counts.get(s, (0, 0)) for s in (JobUrlStatus.DONE, JobUrlStatus.FAILED, JobUrlStatus.REFUSED)]
    open_rows = session.execute(
        select(JobUrl.id, JobUrl.started_at, JobUrl.crawled_at, JobUrl.pages_crawled).where(
            JobUrl.job_id == job_id, JobUrl.status == JobUrlStatus.CLAIMED, JobUrl.started_at.is_not(None)
        )
    )
    open_ages = []
    durations = []
    for url_id, (seconds, _) in unwritten.items():
        if url_id not in state.seen:
            state.seen.add(url_id)
            durations.append(seconds)
    ended_here = ended_pages = 0  # crawled, still claimed in the rows: the store has not written them
    for url_id, claimed, crawled, pages in open_rows:
        if url_id in unwritten:
            ended_here += 1
            ended_pages += unwritten[url_id][1]
        elif crawled is not None:  # another process's, marked by its tick
            ended_here += 1
            ended_pages += int(pages or 0)
            if url_id not in state.seen and claimed is not None:
                state.seen.add(url_id)
                durations.append(max(0.0, (crawled - claimed).total_seconds()))
        elif claimed is not None:
            open_ages.append((now - claimed).total_seconds())
    # Rows a flush wrote a little before the newest one seen may commit after it: look back a bit.
    since = state.since - timedelta(seconds=10) if state.since else None
    query = select(JobUrl.id, JobUrl.started_at, JobUrl.finished_at).where(
        JobUrl.job_id == job_id, JobUrl.finished_at.is_not(None), JobUrl.started_at.is_not(None)
    )
    if since is not None:
        query = query.where(JobUrl.finished_at >= since)
    for url_id, claimed, ended in session.execute(query):
        if claimed is None or ended is None:
            continue
        state.since = ended if state.since is None else max(state.since, ended)
        if url_id not in state.seen:
            state.seen.add(url_id)
            durations.append(max(0.0, (ended - claimed).total_seconds()))
    return Tick(
        at=max(0.0, (now - started_at).total_seconds()),
        total=total,
        pending=pending,
        processed=sum(count for count, _ in finished) + ended_here,
        written=sum(count for count, _ in finished),
        pages=sum(pages for _, pages in finished) + ended_pages,
        open_ages=tuple(open_ages),
        durations=tuple(durations),
    )
