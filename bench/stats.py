"""A Scrapy stats collector that also writes the final stats as JSON (``BENCH_STATS_FILE``)."""

from __future__ import annotations

import json
import resource
from typing import Any

from scrapy.statscollectors import MemoryStatsCollector


class JsonFileStatsCollector(MemoryStatsCollector):
    """Scrapy's in-memory stats, dumped to ``BENCH_STATS_FILE`` when the spider closes.

    Lets the benchmark read ``elapsed_time_seconds`` and page counts of any spider, ours or the
    bare one, without parsing logs or touching the project's settings.
    """

    def _persist_stats(self, stats: dict[str, Any]) -> None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        stats["bench/main_process_cpu_s"] = usage.ru_utime + usage.ru_stime
        super()._persist_stats(stats)
        path = self._crawler.settings.get("BENCH_STATS_FILE")
        if path:
            with open(path, "w", encoding="utf-8") as out:
                json.dump(stats, out, default=str, indent=1, sort_keys=True)
