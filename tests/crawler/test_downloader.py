"""The process-wide request cap counts requests on the wire, not the ones parked behind a delay."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from bench.simweb import Hit, WebConfig, build_web, read_log, seed_urls, sim_web
from tests.crawler.conftest import CrawlResult


def _peak(hits: Sequence[Hit]) -> int:
    """The most requests the server was answering at one moment."""
    events = sorted([(h.start, 1) for h in hits] + [(h.end, -1) for h in hits])
    now = peak = 0
    for _, step in events:
        now += step
        peak = max(peak, now)
    return peak


@pytest.mark.db
@pytest.mark.slow
def test_parked_requests_leave_the_wire_to_others_and_the_caps_hold(
    crawl: Callable[..., CrawlResult], account_id: str, tmp_path: Path
) -> None:
    # Twelve live sites of ~13 pages, 100-300 ms away; a long start delay parks most requests in
    # their site's slot, and seeds wait for their robots.txt.
    config = WebConfig(
        sites=12,
        seed=7,
        hang=0,
        refuse=0,
        error=0,
        rate_limited=0,
        median_latency=0.2,
        min_latency=0.1,
        max_latency=0.3,
    )
    web = build_web(config)
    log = tmp_path / "hits.jsonl"
    with sim_web(config, log) as (port, _):
        urls = seed_urls(web, port, port)
        result = crawl(
            f"urls={' '.join(urls)}",
            "depth=1",
            f"account={account_id}",
            settings={
                "CONCURRENT_REQUESTS": "3",
                "CONCURRENT_REQUESTS_PER_DOMAIN": "2",
                "AUTOTHROTTLE_START_DELAY": "0.5",
                "LEADSCRAPER_CLAIM_BATCH": "12",
                "LEADSCRAPER_DOWNLOADER_QUEUE": "3",
            },
            env={"LEADSCRAPER_RESOLVE": ",".join(f"{p.host}=127.0.0.1" for p in web.profiles)},
        )
    assert result.returncode == 0, result.stderr[-3000:]
    hits = read_log(log)
    assert len(hits) > 12 * 5  # robots.txt, home pages and the pages they link to
    # Never more than CONCURRENT_REQUESTS on the wire, nor more than the per-site cap at one site...
    assert _peak(hits) <= 3
    for profile in web.profiles:
        assert _peak([h for h in hits if h.host == profile.host]) <= 2
    # ...and the cap was reached while more requests than it were held (parked, or waiting for a
    # robots.txt): Scrapy's own downloader would have let those parked ones take the three seats.
    assert result.stat("leadscraper/downloader/peak_transfers") == 3
    assert result.stat("leadscraper/downloader/peak_held") > 3
