"""Crawl throughput: the ``leads`` spider with its full pipeline against a bare Scrapy spider, same corpus.

Also ``render_js=auto`` against ``render_js=never`` on a mixed corpus where some pages are JS app
shells, and a cProfile of one ``leads`` run summarized by where the time goes.
"""

from __future__ import annotations

import json
import os
import pstats
import resource
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import (
    PYTHON,
    REPO,
    Section,
    corpus_server,
    log,
    median,
    postgres_cpu_seconds,
    scratch_database,
)
from bench.corpus import build_corpus, resolve_map


@dataclass
class CrawlRun:
    """One spider process: pages it fetched, Scrapy's elapsed time and the CPU the process used."""

    kind: str
    pages: int
    elapsed: float
    cpu: float  # the spider process and its children (extraction workers)
    stats: dict[str, Any]
    postgres_cpu: float = 0.0  # the database server during the run

    @property
    def main_cpu(self) -> float:
        """The spider process alone: Scrapy, our spider, pipelines and store (one Python thread)."""
        return float(self.stats.get("bench/main_process_cpu_s", self.cpu))

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.elapsed if self.elapsed else 0.0


def _spider_command(kind: str, urls_file: Path, stats_file: Path, extra: list[str], depth: int) -> list[str]:
    common = [
        "-a",
        f"urls_file={urls_file}",
        "-a",
        f"depth={depth}",
        "-s",
        "STATS_CLASS=bench.stats.JsonFileStatsCollector",
        "-s",
        f"BENCH_STATS_FILE={stats_file}",
        "-s",
        "LOG_LEVEL=WARNING",
        *extra,
    ]
    if kind == "bare":
        return [PYTHON, "-m", "scrapy", "runspider", "bench/bare_spider.py", *common]
    return [PYTHON, "-m", "scrapy", "crawl", "leads", *common]


def run_spider(
    kind: str,
    urls_file: Path,
    env: dict[str, str],
    *,
    extra: list[str] | None = None,
    profile: Path | None = None,
    depth: int = 3,
) -> CrawlRun:
    """Run ``leads`` or ``bare`` to completion in a subprocess and read its stats."""
    with tempfile.TemporaryDirectory(prefix="ls_bench_") as tmp:
        stats_file = Path(tmp) / "stats.json"
        cmd = _spider_command(kind, urls_file, stats_file, extra or [], depth)
        if profile is not None:
            cmd = [PYTHON, "-m", "cProfile", "-o", str(profile), *cmd[1:]]
        before, pg_before = resource.getrusage(resource.RUSAGE_CHILDREN), postgres_cpu_seconds()
        done = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
        after, pg_after = resource.getrusage(resource.RUSAGE_CHILDREN), postgres_cpu_seconds()
        if done.returncode != 0 or not stats_file.exists():
            raise RuntimeError(f"{kind} crawl failed ({done.returncode}):\n{done.stderr[-3000:]}")
        stats = json.loads(stats_file.read_text())
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if kind == "bare":
        pages = int(stats.get("bench/pages", 0))
    else:
        pages = sum(int(v) for k, v in stats.items() if k.startswith("leadscraper/pages_fetched_with/"))
    elapsed = float(stats.get("elapsed_time_seconds", 0.0))
    return CrawlRun(kind, pages, elapsed, cpu, stats, pg_after - pg_before)


def spider_env(resolve: str, database_url: str) -> dict[str, str]:
    """The environment of a spider run on a local corpus: its host map, a database, loopback allowed."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "LEADSCRAPER_RESOLVE": resolve,
        "LEADSCRAPER_ALLOW_PRIVATE_NETWORKS": "127.0.0.1",
        "LEADSCRAPER_LOG_LEVEL": "WARNING",
    }


def _lead_count(database_url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM leads")).scalar() or 0)
    finally:
        engine.dispose()


def _leads_run(
    urls_file: Path, resolve: str, extra: list[str] | None = None, profile: Path | None = None
) -> CrawlRun:
    with scratch_database() as url:
        run = run_spider("leads", urls_file, spider_env(resolve, url), extra=extra, profile=profile)
        run.stats["bench/leads_stored"] = _lead_count(url)
    return run


def _summary(runs: list[CrawlRun]) -> tuple[float, float, float, int]:
    return (
        median([r.pages_per_s for r in runs]),
        median([r.cpu / r.pages * 1000 for r in runs if r.pages]),
        median([r.elapsed for r in runs]),
        int(median([r.pages for r in runs])),
    )


def throughput(section: Section, sites: int, repeats: int, tmp: Path) -> None:
    """Alternate leads / bare runs over a static corpus; report medians and their ratio."""
    corpus = build_corpus(sites, seed=8)
    total = sum(len(s.html_paths) for s in corpus)
    resolve = resolve_map(corpus)
    leads_runs: list[CrawlRun] = []
    bare_runs: list[CrawlRun] = []
    with corpus_server(sites, seed=8) as port:
        urls_file = tmp / "urls.txt"
        urls_file.write_text("".join(f"http://{s.host}:{port}/\n" for s in corpus))
        for i in range(repeats):
            for kind in ("leads", "bare") if i % 2 == 0 else ("bare", "leads"):
                log(f"crawl {i + 1}/{repeats}: {kind} over {sites} sites / {total} pages")
                if kind == "leads":
                    leads_runs.append(_leads_run(urls_file, resolve))
                    run = leads_runs[-1]
                else:
                    bare_runs.append(run_spider("bare", urls_file, spider_env(resolve, "sqlite://")))
                    run = bare_runs[-1]
                log(
                    f"  {run.pages} pages in {run.elapsed:.1f} s = {run.pages_per_s:.1f} pages/s, "
                    f"cpu {run.cpu:.1f} s (crawl process {run.main_cpu:.1f} s), "
                    f"PostgreSQL {run.postgres_cpu:.1f} s"
                )
    lp, lcpu, lel, lpages = _summary(leads_runs)
    bp, bcpu, bel, bpages = _summary(bare_runs)
    ratio = lp / bp if bp else float("nan")
    section.add(
        "corpus", f"{sites} sites, {total} HTML pages (en/de/fr), depth 3, {repeats} runs each, alternating"
    )
    section.add(
        "bare spider pages/s (median)", f"{bp:.1f} ({bpages} pages in {bel:.1f} s; {bcpu:.2f} CPU ms/page)"
    )
    stored = int(median([r.stats.get("bench/leads_stored", 0) for r in leads_runs]))
    section.add(
        "`leads` spider pages/s (median)",
        f"{lp:.1f} ({lpages} pages in {lel:.1f} s; {lcpu:.2f} CPU ms/page; {stored} leads stored)",
    )
    section.add("ratio leads / bare", f"{ratio:.2f}", "≥ 0.80", "met" if ratio >= 0.8 else "MISSED")

    def per_page(runs: list[CrawlRun], cpu: Any) -> float:
        return median([cpu(r) / r.pages * 1000 for r in runs if r.pages])

    section.add(
        "CPU ms/page by process (median)",
        f"`leads`: crawl process {per_page(leads_runs, lambda r: r.main_cpu):.2f}, extraction processes "
        f"{per_page(leads_runs, lambda r: r.cpu - r.main_cpu):.2f}, PostgreSQL "
        f"{per_page(leads_runs, lambda r: r.postgres_cpu):.2f}; bare: crawl process "
        f"{per_page(bare_runs, lambda r: r.main_cpu):.2f}",
    )
    section.add(
        "runs (pages/s)",
        "leads "
        + ", ".join(f"{r.pages_per_s:.1f}" for r in leads_runs)
        + "; bare "
        + ", ".join(f"{r.pages_per_s:.1f}" for r in bare_runs),
    )


def profile_leads(section: Section, sites: int, tmp: Path) -> None:
    """One ``leads`` run under cProfile (main thread: reactor, parsing, extraction, pipelines)."""
    corpus = build_corpus(sites, seed=8)
    resolve = resolve_map(corpus)
    prof = tmp / "leads.prof"
    with corpus_server(sites, seed=8) as port:
        urls_file = tmp / "urls-profile.txt"
        urls_file.write_text("".join(f"http://{s.host}:{port}/\n" for s in corpus))
        log(f"profiling one leads crawl over {sites} sites")
        run = _leads_run(urls_file, resolve, profile=prof)
    section.notes.append(profile_summary(prof, run.pages))


BUCKETS = (
    ("crawler/extract/", "extraction (crawler/extract)"),
    ("pipelines/", "pipelines (validate, merge, qualify, store)"),
    ("crawler/", "spider and crawl bookkeeping (crawler/)"),
    ("db/", "db/ (in the reactor thread)"),
    ("extruct", "extruct (structured data)"),
    ("rdflib", "extruct (structured data)"),
    ("pyrdfa", "extruct (structured data)"),
    ("mf2py", "extruct (structured data)"),
    ("w3lib", "w3lib"),
    ("phonenumbers", "phonenumbers"),
    ("lxml", "lxml"),
    ("parsel", "parsel / link extraction"),
    ("scrapy/linkextractors", "parsel / link extraction"),
    ("scrapy", "scrapy engine"),
    ("twisted", "twisted / asyncio reactor"),
    ("asyncio", "twisted / asyncio reactor"),
    ("sqlalchemy", "sqlalchemy"),
    ("psycopg2", "sqlalchemy"),
    ("tldextract", "tldextract"),
    ("re/", "re"),
)


def _bucket(filename: str) -> str:
    for marker, name in BUCKETS:
        if f"/{marker}" in filename or filename.startswith(marker):
            return name
    if filename == "~":
        return "builtins (C calls: regex, lxml C API, ...)"
    return "other"


def profile_summary(path: Path, pages: int) -> str:
    """Own time (tottime) grouped by component, and the costliest functions of ours by cumulative time."""
    stats = pstats.Stats(str(path))
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    by_bucket: dict[str, float] = {}
    total = 0.0
    for (filename, _line, _func), (_cc, _nc, tt, _ct, _callers) in raw.items():
        total += tt
        by_bucket[_bucket(filename)] = by_bucket.get(_bucket(filename), 0.0) + tt
    lines = [
        f"cProfile of one `leads` crawl ({pages} pages; main thread only, store writes run in a "
        f"worker thread): {total:.1f} s of profiled time, {total / max(pages, 1) * 1000:.1f} ms per page "
        "(cProfile itself inflates Python-heavy code).",
        "",
        "| component (own time) | s | share | ms/page |",
        "|---|---:|---:|---:|",
    ]
    for name, tt in sorted(by_bucket.items(), key=lambda kv: -kv[1])[:14]:
        lines.append(f"| {name} | {tt:.1f} | {tt / total:.0%} | {tt / max(pages, 1) * 1000:.2f} |")
    ours = [
        (ct, f"{Path(fn).parent.name}/{Path(fn).name}:{line} {func}")
        for (fn, line, func), (_cc, _nc, _tt, ct, _c) in raw.items()
        if "/crawler/" in fn or "/pipelines/" in fn
    ]
    lines += [
        "",
        "Costliest functions of ours, by cumulative time:",
        "",
        "| function | cumulative s | ms/page |",
        "|---|---:|---:|",
    ]
    for ct, name in sorted(ours, reverse=True)[:15]:
        lines.append(f"| `{name}` | {ct:.1f} | {ct / max(pages, 1) * 1000:.2f} |")
    return "\n".join(lines)


def render_modes(section: Section, sites: int, js_every: int, repeats: int, tmp: Path) -> None:
    """``render_js=auto`` (the default) against ``never`` on a mixed corpus with some app-shell pages."""
    corpus = build_corpus(sites, seed=9, js_every=js_every)
    total = sum(len(s.html_paths) for s in corpus)
    shells = sum(len(s.shells) for s in corpus)
    resolve = resolve_map(corpus)
    runs: dict[str, list[CrawlRun]] = {"auto": [], "never": []}
    with corpus_server(sites, seed=9, js_every=js_every) as port:
        urls_file = tmp / "urls-js.txt"
        urls_file.write_text("".join(f"http://{s.host}:{port}/\n" for s in corpus))
        for i in range(repeats):
            for mode in ("auto", "never") if i % 2 == 0 else ("never", "auto"):
                log(f"render_js={mode} {i + 1}/{repeats} over {sites} sites ({shells} app shells)")
                run = _leads_run(urls_file, resolve, extra=["-a", f"render_js={mode}"])
                runs[mode].append(run)
                rendered = run.stats.get("leadscraper/pages_fetched_with/browser", 0)
                log(
                    f"  {run.pages} pages ({rendered} rendered) in {run.elapsed:.1f} s "
                    f"= {run.pages_per_s:.1f} pages/s"
                )
    auto, never = (
        median([r.pages_per_s for r in runs["auto"]]),
        median([r.pages_per_s for r in runs["never"]]),
    )
    rendered = int(median([r.stats.get("leadscraper/pages_fetched_with/browser", 0) for r in runs["auto"]]))
    leads_auto = int(median([r.stats.get("bench/leads_stored", 0) for r in runs["auto"]]))
    leads_never = int(median([r.stats.get("bench/leads_stored", 0) for r in runs["never"]]))
    section.add(
        "mixed corpus",
        f"{sites} sites, {total} HTML pages, {shells} of them JS app shells ({shells / total:.1%}); "
        f"{repeats} runs each",
    )
    section.add("render_js=never pages/s (median)", f"{never:.1f} ({leads_never} leads stored)")
    section.add(
        "render_js=auto pages/s (median)",
        f"{auto:.1f} ({rendered} pages rendered in Chromium; {leads_auto} leads stored)",
    )
    section.add("ratio auto / never", f"{auto / never:.2f}" if never else "n/a", "(reported, no target)")


def run(section: Section, section_js: Section, *, quick: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="ls_bench_crawl_") as tmp_name:
        tmp = Path(tmp_name)
        started = time.monotonic()
        throughput(section, 30 if quick else 120, 2, tmp)
        if not quick or os.environ.get("BENCH_PROFILE"):
            profile_leads(section, 30 if quick else 60, tmp)
        render_modes(section_js, 8 if quick else 24, 4, 2, tmp)
        log(f"crawl benchmarks took {time.monotonic() - started:.0f} s")
