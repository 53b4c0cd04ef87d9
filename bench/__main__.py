"""``python -m bench [--quick] [--only NAMES]``: run the benchmarks, print and write bench/RESULTS.md."""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import subprocess
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

from bench.common import ADMIN_DSN, REPO, Section, log

SECTIONS = ("crawl", "extraction", "api", "writes", "exports", "submit", "web")


def machine() -> list[str]:
    import psycopg2

    mem = 0
    with open("/proc/meminfo", encoding="ascii") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) // 1024
    cpu = platform.processor() or ""
    with open("/proc/cpuinfo", encoding="ascii", errors="replace") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    conn = psycopg2.connect(ADMIN_DSN)
    try:
        with conn.cursor() as cur:
            cur.execute("SHOW server_version")
            pg = cur.fetchone()[0]  # type: ignore[index]
    finally:
        conn.close()
    import scrapy
    import sqlalchemy

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True)
    return [
        f"- CPU: {os.cpu_count()} cores ({cpu}); memory {mem / 1024:.1f} GiB; shared, noisy machine",
        f"- OS: {platform.platform()}",
        f"- Python {platform.python_version()}, PostgreSQL {pg}, Scrapy {scrapy.__version__}, "
        f"SQLAlchemy {sqlalchemy.__version__}",
        f"- commit {commit.stdout.strip()} (plus the working tree), "
        f"run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
    ]


def table(sections: list[Section]) -> str:
    lines = ["| benchmark | measure | result | target | verdict |", "|---|---|---|---|---|"]
    for section in sections:
        for row in section.rows:
            verdict = f"**{row.verdict}**" if row.verdict == "MISSED" else row.verdict
            value = row.value.replace("|", "\\|")
            lines.append(f"| {section.title} | {row.metric} | {value} | {row.target} | {verdict} |")
    return "\n".join(lines)


def run(names: list[str], quick: bool) -> list[Section]:
    sections: list[Section] = []
    for name in names:
        started = time.monotonic()
        log(f"== {name}")
        try:
            if name == "crawl":
                from bench import crawl

                throughput, render = Section("1. crawl throughput"), Section("1b. JS rendering")
                sections += [throughput, render]
                crawl.run(throughput, render, quick=quick)
            else:
                module = __import__(f"bench.{ {'api': 'api_latency'}.get(name, name) }", fromlist=["run"])
                title = {
                    "extraction": "2. extraction cost",
                    "api": "3. API latency",
                    "writes": "4. writes",
                    "exports": "5. exports",
                    "submit": "6. bulk submit",
                    "web": "7. real-latency web",
                }[name]
                section = Section(title)
                sections.append(section)
                module.run(section, quick=quick)
        except Exception:
            failed = Section(f"{name} (failed)")
            failed.notes.append("```\n" + traceback.format_exc()[-3000:] + "\n```")
            sections.append(failed)
            log(traceback.format_exc())
        log(f"== {name}: {time.monotonic() - started:.0f} s")
    return sections


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="smaller corpora (web: 200 sites) and 100k leads: a few minutes"
    )
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated subset of {SECTIONS}")
    parser.add_argument("--output", default=str(REPO / "bench" / "RESULTS.md"))
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = set(names) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    started = time.monotonic()
    sections = run(names, args.quick)
    command = "python -m bench " + " ".join(
        shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:])
    )
    report = [
        f"# Benchmark results ({'quick' if args.quick else 'full'} run)",
        "",
        f"Produced by `{command.strip()}` (`make {'bench-quick' if args.quick else 'bench'}`) in "
        f"{(time.monotonic() - started) / 60:.1f} minutes.",
        "",
        *machine(),
        "",
        table(sections),
        "",
    ]
    for section in sections:
        if section.notes:
            report += [f"## {section.title}: notes", "", *("\n\n".join(section.notes).splitlines()), ""]
    text = "\n".join(report)
    print(text)
    Path(args.output).write_text(text, encoding="utf-8")
    log(f"written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
