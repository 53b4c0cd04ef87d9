"""One export in a fresh process: ``python -m bench.export_worker URL ACCOUNT FORMAT [--profile]``."""

from __future__ import annotations

import cProfile
import io
import json
import pstats
import sys
import tempfile
import time
from pathlib import Path


def peak_rss_kb() -> int:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited across exec)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def main(argv: list[str]) -> int:
    url, account_id, fmt = argv[:3]
    profile = cProfile.Profile() if "--profile" in argv else None
    from api.worker.exports import write_export
    from db.engine import make_engine, session_factory
    from db.models import Export

    engine = make_engine(url)
    baseline = peak_rss_kb()
    with session_factory(engine)() as session, tempfile.TemporaryDirectory(prefix="ls_bench_export_") as tmp:
        export = Export(account_id=account_id, format=fmt, filters={}, fields=[])
        session.add(export)
        session.flush()
        path = Path(tmp) / f"export.{fmt}"
        started = time.perf_counter()
        with open(path, "w", encoding="utf-8", newline="") as out:
            if profile is not None:
                profile.enable()
            rows = write_export(session, export, out)
            if profile is not None:
                profile.disable()
        seconds = time.perf_counter() - started
        size = path.stat().st_size
        session.rollback()
    engine.dispose()
    result = {
        "rows": rows,
        "seconds": seconds,
        "peak_kb": peak_rss_kb(),
        "baseline_kb": baseline,
        "bytes": size,
    }
    if profile is not None:
        text = io.StringIO()
        pstats.Stats(profile, stream=text).sort_stats("tottime").print_stats(12)
        result["profile"] = text.getvalue()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
