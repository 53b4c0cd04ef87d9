"""Time to leads at real-web latency: one bulk job over the simulated web, through the API and scrapyd.

A fresh simulated web (``bench.simweb``), database, scrapyd node(s) and API for every run. The
whole corpus goes in as one ``POST /v1/scrape`` bulk job (the API's default options: depth 1,
qualification on); the job is then watched through the API every ``TICK`` seconds as a user would
(status, counters, ``estimated_completion``, the first lead in ``GET /v1/leads``) while the
spider processes' memory is read from ``/proc``. Afterwards the database gives exact times (job
created, started, each URL finished, first lead stored) and the server's log what the sites saw
(pages/s over time, requests per site in flight, 429s, disallowed fetches). The same corpus is
crawled by the bare Scrapy spider (``bench/bare_spider.py``) with the same settings, and the
politeness bound (``bench.bound``) is computed from the latencies the server applied.

``python -m bench.web [--quick] [--sites N] [--nodes 1,2] [--no-bare] [--set NAME=VALUE ...]
[--env NAME=VALUE ...] [--nice N] [--json FILE]`` runs it alone (``--set``: Scrapy settings for
every spider, to try a tuning without changing the product; ``--nice -10``: the crawl's processes
ahead of other tenants of a shared machine); ``python -m bench --only web`` writes RESULTS.md.
The spiders' threads' run-queue wait (``/proc/*/schedstat``) is reported either way: it says how
much of a run's time was the machine's, not the crawl's.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import requests

from bench.bound import ROBOTS, Bound, Politeness, SitePlan, politeness_bound, site_plans
from bench.common import Section, log, median, percentile, postgres_cpu_seconds, scratch_database
from bench.corpus import resolve_map
from bench.simweb import Hit, SiteKind, Web, WebConfig, build_web, closed_port, read_log, seed_urls, sim_web

TICK = 0.5  # seconds between two looks at the job through the API
REPO = Path(__file__).resolve().parent.parent  # the checkout whose code the spiders run
FULL_SITES, QUICK_SITES = 1000, 200
JOB_TIMEOUT = 45 * 60.0  # give up on a run after this long
TARGET_RATIO, TARGET_FIRST_LEAD = 1.3, 5.0


# -- /proc: memory and CPU of process trees ---------------------------------------------------

PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024
TICKS = os.sysconf("SC_CLK_TCK")


def proc_table() -> dict[int, tuple[int, float, int]]:
    """pid -> (parent pid, CPU seconds, RSS in KiB) of every process (Linux ``/proc``)."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        cpu = (int(fields[11]) + int(fields[12])) / TICKS
        table[int(entry)] = (int(fields[1]), cpu, int(fields[21]) * PAGE_KB)
    return table


def children(table: Mapping[int, tuple[int, float, int]], pid: int) -> list[int]:
    return [p for p, (parent, _, _) in table.items() if parent == pid]


def descendants(table: Mapping[int, tuple[int, float, int]], pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        for child in children(table, todo.pop()):
            out.append(child)
            todo.append(child)
    return out


def set_priority(pid: int, nice: int) -> None:
    """Give ``pid``'s scheduling group this niceness. With autogroup scheduling (Linux's default for
    desktop-like kernels, on here) CPU is shared between sessions first and a process's own nice
    only counts inside its session; scrapyd runs in a session of its own."""
    try:
        with open(f"/proc/{pid}/autogroup", "w", encoding="ascii") as f:
            f.write(str(nice))
    except OSError:
        pass  # no autogroup: the process's own niceness is what counts
    os.setpriority(os.PRIO_PROCESS, pid, nice)


def group_niceness(pid: int) -> int:
    """The niceness of ``pid``'s autogroup (0 without autogroups)."""
    try:
        with open(f"/proc/{pid}/autogroup", encoding="ascii") as f:
            return int(f.read().split()[-1])
    except (OSError, ValueError, IndexError):
        return 0


@contextmanager
def priority(nice: int | None) -> Iterator[None]:
    """This process's scheduling group (the simulated web, the API, the bare spider) at ``nice``
    for the duration, then back: the group is shared with whatever started the benchmark."""
    if nice is None:
        yield
        return
    before = os.getpriority(os.PRIO_PROCESS, 0), group_niceness(os.getpid())
    set_priority(os.getpid(), nice)
    try:
        yield
    finally:
        set_priority(os.getpid(), before[1])
        os.setpriority(os.PRIO_PROCESS, 0, before[0])


def schedstat(pid: int) -> tuple[float, float]:
    """Seconds the process's threads ran on a CPU and waited, runnable, for one (``schedstat``)."""
    ran = waited = 0.0
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return 0.0, 0.0
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/schedstat", encoding="ascii") as f:
                on_cpu, on_queue, _ = f.read().split()
        except (OSError, ValueError):
            continue
        ran += int(on_cpu) / 1e9
        waited += int(on_queue) / 1e9
    return ran, waited


def peak_rss_kb(pid: int) -> int:
    """The process's high-water mark of resident memory (``VmHWM``), 0 once it has ended."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


@dataclass
class Spiders:
    """What the sampler saw of the spider processes: per process its peaks and last CPU reading."""

    hwm_kb: dict[int, int] = field(default_factory=dict)  # spider process -> VmHWM
    tree_kb: dict[int, int] = field(default_factory=dict)  # spider process -> peak RSS with its workers
    cpu: dict[int, float] = field(default_factory=dict)  # every pid of the trees -> CPU seconds
    sched: dict[int, tuple[float, float]] = field(default_factory=dict)  # spider -> (ran, waited) s

    def sample(self, roots: Sequence[int]) -> None:
        table = proc_table()
        for root in roots:
            for spider in children(table, root):
                tree = [spider, *descendants(table, spider)]
                self.hwm_kb[spider] = max(self.hwm_kb.get(spider, 0), peak_rss_kb(spider))
                ran, waited = schedstat(spider)
                if ran:
                    self.sched[spider] = (ran, waited)
                rss = sum(table[p][2] for p in tree if p in table)
                self.tree_kb[spider] = max(self.tree_kb.get(spider, 0), rss)
                for p in tree:
                    if p in table:
                        self.cpu[p] = table[p][1]


# -- one job through the API ------------------------------------------------------------------


@dataclass
class Sample:
    """One look at the job through the API, ``t`` seconds after submission."""

    t: float
    status: str
    processed: int
    total: int
    pages: int
    leads: int
    eta: float | None  # estimated_completion, in seconds after submission


@dataclass
class JobRun:
    """Everything measured of one bulk job."""

    label: str
    nodes: int
    overrides: dict[str, str]
    samples: list[Sample]
    job: dict[str, Any]  # the final GET /v1/jobs/{id}
    first_lead_api: float | None  # first tick at which GET /v1/leads?job_id= listed a lead
    started: float  # job.started_at, s after submission
    completed: float  # job.completed_at
    first_lead_db: float | None  # earliest leads.created_at
    url_done: list[float]  # every URL's finished_at
    urls: list[list[Any]]  # every URL: started_at, finished_at (s after submission), pages, status
    eta_ticks: list[dict[str, Any]]  # the first spider process's progress ticks (db.eta.Tick + eta)
    reasons: Counter[str]  # failed URLs' reasons
    spiders: Spiders
    hits: list[Hit]
    submitted: float  # wall clock
    stats: list[dict[str, float]]  # Scrapy's final stats of each spider process (from its log)
    load: list[float]  # 1-minute load average at each tick
    cpu: dict[str, float]  # CPU seconds: spiders, server, postgres
    # the same list submitted again on the same account once this job ended (its first guess comes
    # from this job's measurements): estimated_completion at submission and the job time, s
    again: dict[str, float | None] = field(default_factory=dict)


def _seconds(stamp: str | None, origin: float) -> float | None:
    if not stamp:
        return None
    return datetime.fromisoformat(stamp).timestamp() - origin


_STAT = re.compile(r"'([^']+)': (-?\d+(?:\.\d+)?)")


def scrapy_stats(log_file: Path) -> dict[str, float]:
    """The numeric entries of the last ``Dumping Scrapy stats`` block of a spider's log."""
    try:
        text = log_file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return {}
    block = text.rsplit("Dumping Scrapy stats:", 1)
    if len(block) < 2:
        return {}
    body = block[1].split("}", 1)[0]
    return {k: float(v) for k, v in _STAT.findall(body)}


@contextmanager
def api_server(config: dict[str, Any]) -> Iterator[str]:
    """The API (``api.create_app``) on a free port, served by werkzeug's threaded server as in
    ``make run``; yields its base URL."""
    from werkzeug.serving import make_server

    from api.rest.app import create_app

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one access-log line per look otherwise
    app = create_app(config)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        app.extensions["leadscraper_sessions"].kw["bind"].dispose()


def _db_times(
    database_url: str, job_id: str, origin: float
) -> tuple[list[float], Counter[str], float | None, list[list[Any]]]:
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT finished_at, status, reason, started_at, pages_crawled FROM job_urls"
                    " WHERE job_id = :j ORDER BY position"
                ),
                {"j": job_id},
            ).all()
            first = conn.execute(text("SELECT min(created_at) FROM leads")).scalar()
    finally:
        engine.dispose()
    done = sorted(r[0].timestamp() - origin for r in rows if r[0] is not None)
    reasons = Counter(_reason_kind(r[2]) for r in rows if r[1] != "done")
    # every URL: claimed, finished (s after submission), pages, status: what db.eta measures
    urls = [
        [
            round(r[3].timestamp() - origin, 3) if r[3] else None,
            round(r[0].timestamp() - origin, 3) if r[0] else None,
            r[4],
            r[1],
        ]
        for r in rows
    ]
    return done, reasons, (first.timestamp() - origin) if first else None, urls


def _eta_ticks(trace: Path) -> list[dict[str, Any]]:
    """The ticks one spider process wrote to ``LEADSCRAPER_ETA_TRACE`` (the first one's, with two)."""
    try:
        lines = trace.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    ticks = [json.loads(line) for line in lines if line.strip()]
    first = ticks[0]["pid"] if ticks else None
    return [t for t in ticks if t["pid"] == first]


def _reason_kind(reason: str | None) -> str:
    """A failure reason without its details (URLs, counts), to group by."""
    return re.sub(r"\s*\(.*", "", reason or "unknown")[:80]


def run_job(
    web: Web,
    *,
    nodes: int,
    egg: bytes,
    tmp: Path,
    label: str,
    overrides: Mapping[str, str] | None = None,
    env: Mapping[str, str] | None = None,
    api_config: Mapping[str, Any] | None = None,
    poll_interval: float = 1.0,
    nice: int | None = None,
    again: bool = False,
) -> JobRun:
    """One bulk job of every site of ``web`` on ``nodes`` scrapyd nodes; everything fresh, then removed.
    ``again``: then the same job once more on the same account, for its first guess at submission."""
    from api.scrapyd.deploy import deploy
    from api.scrapyd.localnode import LocalScrapyd, free_port, start_scrapyd
    from bench.seed import create_accounts

    hits_file = tmp / f"hits-{label}.jsonl"
    overrides = dict(overrides or {})
    with (
        closed_port() as refused,
        sim_web(web.config, hits_file) as (port, server_pid),
        scratch_database() as url,
    ):
        account = create_accounts(url, [0], jobs_per_account=0)[0]
        node_env = {
            "DATABASE_URL": url,
            "LEADSCRAPER_RESOLVE": resolve_map(web.corpus),
            "LEADSCRAPER_ALLOW_PRIVATE_NETWORKS": "127.0.0.1/32",
            "LITELLM_LOCAL_MODEL_COST_MAP": "True",
            # every progress tick's measurements and estimate (db/eta.py), for its tests
            "LEADSCRAPER_ETA_TRACE": str(tmp / f"{label}-eta.jsonl"),
            # the spiders run this checkout's code: scrapyd appends the deployed egg to sys.path,
            # after the installed (editable) checkout, which may be another one
            "PYTHONPATH": os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p),
            **(env or {}),
        }
        scrapyds: list[LocalScrapyd] = []
        try:
            for i in range(nodes):
                scrapyds.append(
                    start_scrapyd(
                        tmp / f"{label}-node{i}", port=free_port(), env=node_env, poll_interval=poll_interval
                    )
                )
                if nice is not None:
                    set_priority(scrapyds[-1].process.pid, nice)  # its spiders inherit it
            deployed = deploy([n.auth_url for n in scrapyds], egg=egg)
            if set(deployed.values()) != {"ok"}:
                raise RuntimeError(f"deploy failed: {deployed}")
            config = {
                "DATABASE_URL": url,
                "SCRAPYD_URLS": [n.auth_url for n in scrapyds],  # the nodes want their credentials
                "SCRAPYD_SPIDER_SETTINGS": overrides,
                **(api_config or {}),
            }
            cpu_before = postgres_cpu_seconds()
            with api_server(config) as api:
                urls = seed_urls(web, port, refused)
                run = _watch(api, account.key, urls, scrapyds, label, nodes)
                run.overrides = overrides
                run.cpu["postgres"] = postgres_cpu_seconds() - cpu_before
                run.cpu["server"] = proc_table().get(server_pid, (0, 0.0, 0))[1]
                run.url_done, run.reasons, run.first_lead_db, run.urls = _db_times(
                    url, run.job["id"], run.submitted
                )
                run.eta_ticks = _eta_ticks(Path(node_env["LEADSCRAPER_ETA_TRACE"]))
                job_id = run.job["id"]
                run.stats = [
                    scrapy_stats(n.workdir / "logs" / "leadscraper" / "leads" / f"{job_id}.log")
                    for n in scrapyds
                ]
                ended = time.time()
                if again:
                    second = _watch(api, account.key, urls, scrapyds, f"{label} again", nodes)
                    told = second.samples[0].eta if second.samples else None
                    run.again = {"eta_at_submission": told, "completed": second.completed}
        finally:
            for node in scrapyds:
                node.stop()
    run.hits = [hit for hit in read_log(hits_file) if hit.start <= ended]
    return run


def _spider_died(scrapyds: Sequence[Any]) -> str | None:
    """A spider process scrapyd saw die (a refused setting, a crash at start), with the last thing
    it wrote to stderr; None while every one lives or ended normally."""
    for node in scrapyds:
        path = node.workdir / "scrapyd.log"
        text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
        if "Process died" in text:
            said = [line.split("/stderr] ", 1)[1] for line in text.splitlines() if "/stderr] " in line]
            return said[-1] if said else "see " + str(path)
    return None


def _watch(api: str, key: str, urls: list[str], scrapyds: Sequence[Any], label: str, nodes: int) -> JobRun:
    """Submit the bulk job and look at it every TICK seconds until it ends and its spiders exit."""
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {key}"
    spiders = Spiders()
    roots = [n.process.pid for n in scrapyds]
    body = {"type": "bulk", "urls": urls, "options": {"qualify_leads": True}}
    submitted = time.time()
    created = http.post(f"{api}/v1/scrape", json=body, timeout=60)
    if created.status_code != 201:
        raise RuntimeError(f"POST /v1/scrape answered {created.status_code}: {created.text[:300]}")
    job_id = created.json()["id"]
    samples: list[Sample] = []
    load: list[float] = []
    first_lead: float | None = None
    job: dict[str, Any] = {}
    log(f"{label}: job {job_id}, {len(urls)} URLs on {nodes} node(s)")
    last_log = 0.0
    while True:
        now = time.time() - submitted
        job = http.get(f"{api}/v1/jobs/{job_id}", timeout=30).json()
        samples.append(
            Sample(
                now,
                job["status"],
                job["processed_urls"],
                job["total_urls"],
                job.get("pages_crawled", 0),
                job["leads_found"],
                _seconds(job.get("estimated_completion"), submitted),
            )
        )
        if first_lead is None:
            listed = http.get(f"{api}/v1/leads", params={"job_id": job_id, "limit": 1}, timeout=30).json()
            if listed.get("data"):
                first_lead = time.time() - submitted
        spiders.sample(roots)
        load.append(os.getloadavg()[0])
        if now - last_log >= 15:
            last_log = now
            done = f"{job['processed_urls']}/{job['total_urls']}"
            log(f"  {now:5.0f} s: {done} URLs, {job['leads_found']} leads")
        if job["status"] not in ("pending", "processing"):
            break
        if now > JOB_TIMEOUT:
            raise RuntimeError(f"{label}: job {job_id} still {job['status']} after {now:.0f} s")
        if job["status"] == "pending" or not job["processed_urls"]:
            died = _spider_died(scrapyds)
            if died:
                raise RuntimeError(f"{label}: a spider process of job {job_id} died: {died}")
        time.sleep(TICK)
    # the spiders write their final stats to their logs as they exit, after the job's final status
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and any(children(proc_table(), r) for r in roots):
        spiders.sample(roots)
        time.sleep(0.2)
    log(f"  done in {time.time() - submitted:.0f} s: {job['status']}")
    return JobRun(
        label=label,
        nodes=nodes,
        overrides={},
        samples=samples,
        job=job,
        first_lead_api=first_lead,
        started=_seconds(job.get("started_at"), submitted) or 0.0,
        completed=_seconds(job.get("completed_at"), submitted) or 0.0,
        first_lead_db=None,
        url_done=[],
        urls=[],
        eta_ticks=[],
        reasons=Counter(),
        spiders=spiders,
        hits=[],
        submitted=submitted,
        stats=[],
        load=load,
        cpu={"spiders": sum(spiders.cpu.values())},
    )


# -- the bare spider ---------------------------------------------------------------------------


@dataclass
class BareRun:
    """The bare Scrapy spider over the same web: wall time from launch, Scrapy's stats, the server's log."""

    wall: float
    launched: float
    stats: dict[str, Any]
    hits: list[Hit]
    cpu: float


def run_bare(web: Web, tmp: Path, overrides: Mapping[str, str], depth: int) -> BareRun:
    from bench.crawl import run_spider, spider_env

    hits_file = tmp / "hits-bare.jsonl"
    with closed_port() as refused, sim_web(web.config, hits_file) as (port, _pid):
        urls_file = tmp / "urls-bare.txt"
        urls_file.write_text("".join(u + "\n" for u in seed_urls(web, port, refused)))
        extra = [a for name, value in overrides.items() for a in ("-s", f"{name}={value}")]
        env = spider_env(resolve_map(web.corpus), "sqlite://")
        env["LEADSCRAPER_ALLOW_PRIVATE_NETWORKS"] = "127.0.0.1/32"
        log(f"bare spider over {len(web.profiles)} sites")
        launched = time.time()
        run = run_spider("bare", urls_file, env, extra=extra, depth=depth)
        wall = time.time() - launched
    log(f"  bare: {run.pages} pages, {wall:.0f} s")
    return BareRun(wall, launched, run.stats, read_log(hits_file), run.cpu)


# -- what the server saw -----------------------------------------------------------------------


@dataclass
class ServerView:
    """The simulated sites' side of a crawl."""

    requests: int
    statuses: Counter[int]
    pages: int  # HTML pages answered 200
    site_done: list[float]  # per site, when its last request ended (s after the origin)
    per_site_peak: int  # most requests one site had in flight at once
    disallowed: int  # requests for paths the site's robots.txt disallows
    lateness_p99: float  # server answered this much later than its latency said (s)
    rate: list[tuple[float, float, float]]  # (bucket start, pages/s, mean requests in flight)
    inflight: float  # mean requests in flight from the first request to the last page
    hanging: float  # of which to sites that never answer


def server_view(web: Web, hits: Sequence[Hit], origin: float, bucket: float) -> ServerView:
    by_host: dict[str, list[Hit]] = {}
    for hit in hits:
        by_host.setdefault(hit.host, []).append(hit)
    peak = 0
    for host_hits in by_host.values():
        edges = sorted([(h.start, 1) for h in host_hits] + [(h.end, -1) for h in host_hits])
        level = 0
        for _, step in edges:
            level += step
            peak = max(peak, level)
    disallowed = sum(
        1
        for h in hits
        if h.path != ROBOTS and h.host in web.by_host and not web.by_host[h.host].allowed(h.path)
    )
    answered = [h for h in hits if h.status]
    late = [h.end - h.start - h.latency for h in answered]
    pages = sorted(h.end - origin for h in answered if h.status == 200 and h.path != ROBOTS)
    end = max(pages, default=0.0)
    spans = sorted((h.start - origin, h.end - origin) for h in hits)
    rate = []
    t = 0.0
    while t < end:
        count = sum(1 for p in pages if t <= p < t + bucket)
        busy = sum(max(0.0, min(b, t + bucket) - max(a, t)) for a, b in spans if a < t + bucket)
        rate.append((t, count / bucket, busy / bucket))
        t += bucket
    first = spans[0][0] if spans else 0.0
    span = max(end - first, 1e-9)
    busy = sum(max(0.0, min(b, end) - a) for a, b in spans)
    hung = sum(max(0.0, min(h.end - origin, end) - (h.start - origin)) for h in hits if not h.status)
    return ServerView(
        requests=len(hits),
        statuses=Counter(h.status for h in hits),
        pages=len(pages),
        site_done=sorted(max(h.end for h in hs) - origin for hs in by_host.values()),
        per_site_peak=peak,
        disallowed=disallowed,
        lateness_p99=percentile(late, 99) if late else 0.0,
        rate=rate,
        inflight=busy / span,
        hanging=hung / span,
    )


# -- the report --------------------------------------------------------------------------------


def done_at(times: Sequence[float], total: int, share: float) -> float | None:
    """When ``share`` of ``total`` items were done, from their sorted completion times."""
    k = max(1, round(share * total))
    return times[k - 1] if len(times) >= k else None


def _fmt(seconds: float | None) -> str:
    return "n/a" if seconds is None else f"{seconds:.1f} s"


def eta_points(run: JobRun) -> list[str]:
    """``estimated_completion`` as the API reported it when 10/50/90 % of the URLs were done."""
    out = []
    actual = run.completed
    first = run.samples[0] if run.samples else None
    if first is not None and first.eta is not None:
        out.append(f"at submission: {first.eta:.0f} s (actual {actual:.0f} s)")
    for share in (0.1, 0.5, 0.9):
        sample = next((s for s in run.samples if s.total and s.processed >= share * s.total), None)
        if sample is None or sample.eta is None:
            out.append(f"{share:.0%}: not sampled")
            continue
        error = sample.eta - actual
        left = actual - sample.t
        out.append(
            f"at {share:.0%} done (t = {sample.t:.0f} s): {sample.eta:.0f} s, actual {actual:.0f} s "
            f"({error:+.0f} s, {error / left:+.0%} of the time that was left)"
            if left > 0
            else f"at {share:.0%} done (t = {sample.t:.0f} s): {sample.eta:.0f} s, actual {actual:.0f} s"
        )
    return out


def rate_line(view: ServerView) -> str:
    return ", ".join(f"{t:.0f}–{t + 10:.0f} s: {r:.0f} ({f:.0f})" for t, r, f in view.rate)


def describe_web(web: Web, plans: Sequence[SitePlan], policy: Politeness) -> str:
    lat = sorted(p.latency for p in web.profiles)
    kinds = web.kinds()
    faults = ", ".join(
        f"{kinds.get(k.value, 0)} {k.value.replace('_', '-')}" for k in SiteKind if k is not SiteKind.OK
    )
    disallow = sum(1 for p in web.profiles if p.disallow)
    missing = sum(1 for p in web.profiles if not p.robots)
    pages = sum(p.pages for p in plans)
    return (
        f"{len(web.profiles)} sites; site latency median {median(lat) * 1000:.0f} ms, p90 "
        f"{percentile(lat, 90) * 1000:.0f} ms, p99 {percentile(lat, 99) * 1000:.0f} ms, max {lat[-1]:.1f} s "
        f"(lognormal σ {web.config.sigma}, per-request jitter σ {web.config.jitter}); faults: {faults} "
        f"(rate limit: {web.config.rate_burst} at once, then 1 per {web.config.rate_interval:g} s); "
        f"robots.txt disallows a section on {disallow}, missing on {missing}; "
        f"{pages} pages to fetch at depth {policy.depth}"
    )


def bound_line(bound: Bound) -> str:
    kinds = ", ".join(f"{k} {v:.0f}" for k, v in sorted(bound.work_by_kind.items(), key=lambda kv: -kv[1]))
    return (
        f"{bound.lower:.1f} s (binding: {bound.binding}; longest site alone {bound.longest_site:.1f} s, "
        f"request-slot seconds {bound.work:.0f} / {bound.slots} slots = {bound.work / bound.slots:.1f} s; "
        f"slot-seconds by site kind: {kinds}); a greedy schedule under the same rules: "
        f"{bound.greedy.makespan:.1f} s"
    )


def report_job(section: Section, run: JobRun, bound: Bound, web: Web) -> None:
    job = run.job
    total = job["total_urls"]
    name = f"{run.nodes} node{'s' if run.nodes > 1 else ''}"
    ratio = run.completed / bound.lower if bound.lower else float("nan")
    section.add(
        f"{name}: job time (submit → completed)",
        f"{run.completed:.1f} s (spider started at {run.started:.1f} s; "
        f"crawl {run.completed - run.started:.1f} s)",
    )
    section.add(
        f"{name}: job time / bound",
        f"{ratio:.2f} ({run.completed:.1f} / {bound.lower:.1f} s)",
        f"≤ {TARGET_RATIO}",
        "met" if ratio <= TARGET_RATIO else "MISSED",
    )
    # the CPU the job's processes used, spread over every core of this machine: it cannot end sooner here
    cpu = sum(run.cpu.get(k, 0.0) for k in ("spiders", "postgres", "server"))
    cores = os.cpu_count() or 1
    section.add(
        f"{name}: job time / CPU floor on this machine",
        f"{run.completed / max(cpu / cores, 1e-9):.2f} ({run.completed:.1f} s / {cpu / cores:.1f} s: "
        f"{cpu:.0f} CPU s of spiders, PostgreSQL and the simulated web over {cores} cores)",
    )
    first = run.first_lead_api
    section.add(
        f"{name}: first lead",
        f"{_fmt(first)} in GET /v1/leads (stored at {_fmt(run.first_lead_db)})",
        f"≤ {TARGET_FIRST_LEAD:.0f} s",
        "met" if first is not None and first <= TARGET_FIRST_LEAD else "MISSED",
    )
    section.add(
        f"{name}: URLs done 10 / 50 / 90 / 100 %",
        " / ".join(_fmt(done_at(run.url_done, total, s)) for s in (0.1, 0.5, 0.9, 1.0))
        + f" (greedy schedule: {' / '.join(_fmt(bound.greedy.done_at(s)) for s in (0.1, 0.5, 0.9, 1.0))})",
    )
    view = server_view(web, run.hits, run.submitted, 10.0)
    crawl = max(run.completed - run.started, 1e-9)
    section.add(
        f"{name}: final counts",
        f"{job['status']}: {job['processed_urls']}/{total} URLs ({job['successful_urls']} ok, "
        f"{job['failed_urls']} failed), {job['pages_crawled']} pages, {job['leads_found']} leads, "
        f"{job['credits_used']} credits; {view.pages / crawl:.1f} pages/s over the crawl",
    )
    trees = sorted(run.spiders.tree_kb.values(), reverse=True)
    hwm = sorted(run.spiders.hwm_kb.values(), reverse=True)
    section.add(
        f"{name}: peak memory of the spider processes",
        ", ".join(f"{h / 1024:.0f} MiB" for h in hwm)
        + " (VmHWM of each); with their extraction workers: "
        + ", ".join(f"{t / 1024:.0f} MiB" for t in trees),
    )
    section.notes.append(_job_notes(run, view, name))


def _job_notes(run: JobRun, view: ServerView, name: str) -> str:
    stats: Counter[str] = Counter()
    for one in run.stats:
        stats.update({k: int(v) for k, v in one.items()})
    wanted = (
        "downloader/request_count",
        "retry/count",
        "retry/max_reached",
        "robotstxt/forbidden",
        "downloader/response_status_count/429",
        "leadscraper/page_failed/HTTP 429",
    )
    picked = "; ".join(f"{k} {stats[k]}" for k in wanted if k in stats)
    exceptions = "; ".join(
        f"{k.rsplit('/', 1)[-1].rsplit('.', 1)[-1]} {v}"
        for k, v in stats.items()
        if k.startswith("downloader/exception_type_count/")
    )
    reasons = "; ".join(f"{r} ({n})" for r, n in run.reasons.most_common(6))
    load = (
        f"{min(run.load):.1f}–{max(run.load):.1f} (mean {sum(run.load) / len(run.load):.1f})"
        if run.load
        else "n/a"
    )
    statuses = ", ".join(f"{s or 'unanswered'}: {n}" for s, n in sorted(view.statuses.items()))
    lines = [
        f"**{name}** ({'overrides: ' + json.dumps(run.overrides) if run.overrides else 'project settings'}):",
        "",
        f"- pages/s answered by the sites (and requests in flight), per 10 s after submission: "
        f"{rate_line(view)}; mean in flight {view.inflight:.1f}, of which to hanging sites "
        f"{view.hanging:.1f}",
        f"- estimated_completion: {'; '.join(eta_points(run))}",
        *(
            [
                f"- the same list submitted again once it ended, on the same account: estimated_completion "
                f"at submission {_fmt(run.again['eta_at_submission'])} (a first guess from this job's "
                f"measurements), job time {_fmt(run.again['completed'])}"
            ]
            if run.again
            else []
        ),
        f"- failed URLs by reason: {reasons or 'none'}",
        f"- Scrapy stats (all processes): {picked}; exceptions: {exceptions or 'none'}",
        "- the store, per process: "
        + "; ".join(
            f"{one.get('leadscraper/store/flushes', 0):.0f} flushes, "
            f"{one.get('leadscraper/store/flush_ms', 0) / 1000:.1f} s writing, the longest "
            f"{one.get('leadscraper/store/flush_ms_max', 0) / 1000:.1f} s "
            f"(most leads in one {one.get('leadscraper/store/flush_leads_max', 0):.0f}, "
            f"seeds {one.get('leadscraper/store/flush_seeds_max', 0):.0f}; leads rows written "
            f"{one.get('leadscraper/store/leads_written', 0):.0f})"
            for one in run.stats
        ),
        f"- the sites saw {view.requests} requests ({statuses}); "
        f"most in flight at one site: {view.per_site_peak}; disallowed paths fetched: {view.disallowed}; "
        f"server lateness p99 {view.lateness_p99 * 1000:.1f} ms",
        f"- CPU: spider processes {run.cpu.get('spiders', 0):.0f} s, "
        f"PostgreSQL {run.cpu.get('postgres', 0):.0f} s, simulated web {run.cpu.get('server', 0):.1f} s; "
        f"load average (1 min) during the run {load}",
        "- spider processes' threads: "
        + "; ".join(
            f"on a CPU {ran:.0f} s, runnable but waiting for one {waited:.0f} s"
            for ran, waited in run.spiders.sched.values()
        )
        + f" (of a {run.completed - run.started:.0f} s crawl)",
    ]
    return "\n".join(lines)


def report_bare(section: Section, bare: BareRun, bound: Bound, web: Web) -> None:
    view = server_view(web, bare.hits, bare.launched, 10.0)
    elapsed = float(bare.stats.get("elapsed_time_seconds", 0.0))
    seen = len(view.site_done)  # refusing sites never reach the server
    ratio = bare.wall / bound.lower if bound.lower else float("nan")
    section.add(
        "bare Scrapy spider: time (launch → exit)",
        f"{bare.wall:.1f} s (Scrapy's elapsed {elapsed:.1f} s); {ratio:.2f}× the 1-process bound; "
        f"{view.pages} pages; sites done 50 / 90 / 100 % (their last request, server side, of the "
        f"{seen} sites it reached): "
        + " / ".join(_fmt(done_at(view.site_done, seen, s)) for s in (0.5, 0.9, 1.0))
        + f"; peak memory {float(bare.stats.get('memusage/max', 0)) / 2**20:.0f} MiB",
    )
    section.notes.append(
        "\n".join(
            [
                "**bare spider**:",
                "",
                f"- pages/s answered by the sites (and requests in flight), per 10 s after launch: "
                f"{rate_line(view)}; mean in flight {view.inflight:.1f}, of which to hanging sites "
                f"{view.hanging:.1f}",
                f"- the sites saw {view.requests} requests; "
                f"most in flight at one site: {view.per_site_peak}; "
                f"disallowed paths fetched: {view.disallowed}; CPU {bare.cpu:.0f} s",
            ]
        )
    )


def parse_pairs(values: Sequence[str]) -> dict[str, str]:
    out = {}
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep:
            raise SystemExit(f"expected NAME=VALUE, got {value!r}")
        out[name.strip()] = setting.strip()
    return out


def measure(
    section: Section,
    *,
    sites: int,
    nodes: Sequence[int] = (1, 2),
    bare: bool = True,
    overrides: Mapping[str, str] | None = None,
    env: Mapping[str, str] | None = None,
    api_config: Mapping[str, Any] | None = None,
    poll_interval: float = 1.0,
    nice: int | None = None,
    again: bool = True,
) -> dict[str, Any]:
    """The whole benchmark into ``section``; returns the raw figures (for ``--json``). ``again``:
    each job is submitted a second time once it ended (``run_job``)."""
    from api.scrapyd.deploy import build_egg

    overrides = dict(overrides or {})
    web = build_web(WebConfig(sites=sites))
    policy = Politeness.from_settings(overrides, depth=1)
    plans = site_plans(web, policy)
    bounds = {n: politeness_bound(plans, policy, n) for n in sorted({*nodes, 1})}
    section.add("simulated web", describe_web(web, plans, policy))
    section.add("politeness rules (the crawler's settings)", policy.describe())
    for n, bound in bounds.items():
        section.add(f"bound, {n} spider process{'es' if n > 1 else ''}", bound_line(bound))
    load_start = os.getloadavg()
    raw: dict[str, Any] = {"sites": sites, "overrides": overrides, "nice": nice, "bounds": {}, "runs": {}}
    for n, bound in bounds.items():
        raw["bounds"][n] = {"lower": bound.lower, "greedy": bound.greedy.makespan, "binding": bound.binding}
    egg = build_egg()
    with priority(nice), tempfile.TemporaryDirectory(prefix="ls_bench_web_") as tmp_name:
        tmp = Path(tmp_name)
        for n in nodes:
            run = run_job(
                web,
                nodes=n,
                egg=egg,
                tmp=tmp,
                label=f"{n}node",
                overrides=overrides,
                env=env,
                api_config=api_config,
                poll_interval=poll_interval,
                nice=nice,
                again=again,
            )
            report_job(section, run, bounds[n], web)
            raw["runs"][f"{n}node"] = {
                "completed": run.completed,
                "started": run.started,
                "ratio": run.completed / bounds[n].lower,
                "first_lead_api": run.first_lead_api,
                "first_lead_db": run.first_lead_db,
                "done": {s: done_at(run.url_done, run.job["total_urls"], s) for s in (0.1, 0.5, 0.9, 1.0)},
                "job": run.job,
                "reasons": dict(run.reasons),
                "stats": run.stats,
                "eta": eta_points(run),
                "again": run.again,
                "rate": server_view(web, run.hits, run.submitted, 10.0).rate,
                "load": [min(run.load), max(run.load)] if run.load else [],
                # every look at the job: t, processed, total, pages, leads, estimated_completion (s)
                "samples": [[s.t, s.processed, s.total, s.pages, s.leads, s.eta] for s in run.samples],
                "urls": run.urls,
                "eta_ticks": run.eta_ticks,
            }
        if bare:
            result = run_bare(web, tmp, overrides, policy.depth)
            report_bare(section, result, bounds[1], web)
            raw["runs"]["bare"] = {"wall": result.wall, "pages": result.stats.get("bench/pages")}
    load_end = os.getloadavg()
    section.notes.insert(
        0,
        "Load average (1/5/15 min) at the start "
        + "/".join(f"{v:.1f}" for v in load_start)
        + ", at the end "
        + "/".join(f"{v:.1f}" for v in load_end)
        + (f"; the benchmark's processes at niceness {nice}." if nice is not None else "."),
    )
    return raw


def run(section: Section, *, quick: bool) -> None:
    """``python -m bench --only web``; ``BENCH_NICE=-10`` runs it ahead of other tenants (see ``--nice``)."""
    nice = os.environ.get("BENCH_NICE")
    measure(section, sites=QUICK_SITES if quick else FULL_SITES, nice=int(nice) if nice else None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_SITES} sites instead of {FULL_SITES}")
    parser.add_argument("--sites", type=int, default=0)
    parser.add_argument("--nodes", default="1,2", help="comma-separated node counts, one job each")
    parser.add_argument("--no-bare", action="store_true")
    parser.add_argument(
        "--no-again", action="store_true", help="don't submit each job a second time (its first guess)"
    )
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="Scrapy setting")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE", help="spider environment")
    parser.add_argument("--api", action="append", default=[], metavar="NAME=VALUE", help="API config (ints)")
    parser.add_argument("--poll-interval", type=float, default=1.0, help="scrapyd's poll_interval")
    parser.add_argument("--json", type=Path, default=None, help="write the raw figures here")
    parser.add_argument(
        "--nice",
        type=int,
        default=None,
        help="run at this niceness (negative: before other tenants; the spiders and servers inherit it)",
    )
    args = parser.parse_args(argv)
    sites = args.sites or (QUICK_SITES if args.quick else FULL_SITES)
    section = Section("7. real-latency web")
    raw = measure(
        section,
        sites=sites,
        nodes=[int(n) for n in args.nodes.split(",") if n.strip()],
        bare=not args.no_bare,
        again=not args.no_again,
        overrides=parse_pairs(args.set),
        env=parse_pairs(args.env),
        api_config={k: int(v) for k, v in parse_pairs(args.api).items()},
        poll_interval=args.poll_interval,
        nice=args.nice,
    )
    for row in section.rows:
        print(f"| {row.metric} | {row.value} | {row.target} | {row.verdict} |")
    print("\n\n".join(section.notes))
    if args.json:
        args.json.write_text(json.dumps(raw, indent=1, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
