"""Exports: leads to CSV/JSON through ``api.worker.exports.write_export``: rows/s, peak memory."""

from __future__ import annotations

import json
import subprocess
import time
from typing import Any

from bench.common import PYTHON, REPO, Section, log, scratch_database
from bench.seed import copy_leads, create_accounts


def _export(url: str, account_id: str, fmt: str, profile: bool = False) -> dict[str, Any]:
    done = subprocess.run(
        [PYTHON, "-m", "bench.export_worker", url, account_id, fmt, *(["--profile"] if profile else [])],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(section: Section, *, quick: bool) -> None:
    big = 100_000 if quick else 1_000_000
    small = big // 10
    with scratch_database() as url:
        log(f"exports: seeding {big:,} + {small:,} leads")
        t0 = time.monotonic()
        accounts = create_accounts(url, [big, small], jobs_per_account=5)
        copy_leads(url, accounts, with_sightings=False)
        log(f"  seeded in {time.monotonic() - t0:.0f} s")
        section.add(
            "setup",
            "`api.worker.exports.write_export` (one streamed query, server-side cursor in batches of 1,000; "
            "on "
            "PostgreSQL the database builds each line's text cells, JSON columns converted once per "
            "distinct value; csv / json) to a local file, each run in a fresh process; peak = the "
            "process's VmHWM, and its growth over the peak before the export started (imports, connection)",
        )
        for fmt in ("csv", "json"):
            results = {}
            for account in (accounts[1], accounts[0]):
                log(f"  {fmt}: {account.leads:,} leads")
                results[account.leads] = r = _export(url, account.id, fmt)
                rate = r["rows"] / r["seconds"]
                section.add(
                    f"{fmt.upper()}, {int(r['rows']):,} leads",
                    f"{rate:,.0f} rows/s ({r['seconds']:.1f} s, {r['bytes'] / 1e6:,.0f} MB); "
                    f"peak RSS {r['peak_kb'] / 1024:,.0f} MiB "
                    f"(+{(r['peak_kb'] - r['baseline_kb']) / 1024:,.1f} MiB during the export)",
                    "≥ 100,000 rows/s" if account is accounts[0] else "",
                    ("met" if rate >= 100_000 else "MISSED") if account is accounts[0] else "",
                )
            growth = results[big]["peak_kb"] / results[small]["peak_kb"]
            section.add(
                f"{fmt.upper()} peak memory, {big:,} vs {small:,} leads",
                f"{growth:.2f}×",
                "flat (≈ 1×)",
                "met" if growth < 1.15 else "MISSED",
            )
        profiled = _export(url, accounts[1].id, "csv", profile=True)
        section.notes.append(
            f"cProfile of a CSV export of {int(profiled['rows']):,} leads (top functions by own time):\n\n"
            "```\n" + _trim_profile(str(profiled["profile"])) + "\n```"
        )


def _trim_profile(text: str) -> str:
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    start = next((i for i, line in enumerate(lines) if "function calls" in line), 0)
    return "\n".join(
        line.replace(str(REPO) + "/", "").replace("/work/main/.venv/lib/python3.11/site-packages/", "")
        for line in lines[start:]
    )
