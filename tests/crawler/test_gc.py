"""The crawl process's garbage collector: start-up frozen out, the young generation collected
rarely, everything as it was once the engine stops."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator

import pytest
from scrapy.utils.test import get_crawler
from sqlalchemy import Engine

from crawler.extensions import GarbageCollection
from db.accounts import create_account
from db.engine import session_factory
from tests.crawler.conftest import CrawlResult
from tests.sites.expected import ACME, MUELLER
from tests.sites.runner import SitesServer


@pytest.fixture
def collector_untouched() -> Iterator[None]:
    thresholds, frozen = gc.get_threshold(), gc.get_freeze_count()
    yield
    gc.set_threshold(*thresholds)
    if gc.get_freeze_count() != frozen:
        gc.unfreeze()


def test_the_engine_stopping_gives_the_collector_back(collector_untouched: None) -> None:
    before = gc.get_threshold()
    crawler = get_crawler(settings_dict={"LEADSCRAPER_GC_THRESHOLD": 5000})
    ext = GarbageCollection.from_crawler(crawler)
    ext.engine_started()
    assert gc.get_threshold() == (5000, *before[1:])
    assert gc.get_freeze_count() > 1000  # this process's modules, at least
    garbage: list[object] = []
    garbage.append(garbage)  # a cycle only the collector frees
    del garbage
    gc.collect()
    ext.spider_closed(None)  # type: ignore[arg-type]
    ext.engine_stopped()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
    assert ext.collections[2] >= 1  # the explicit collection was measured
    assert crawler.stats.get_value("leadscraper/gc/collections/2") >= 1


@pytest.mark.db
@pytest.mark.slow
def test_a_crawl_collects_far_less_often_and_finds_the_same_leads(
    crawl: Callable[..., CrawlResult], sites: SitesServer, engine: Engine, account_id: str
) -> None:
    with session_factory(engine).begin() as session:
        other_account_id = create_account(
            session, f"gc-{os.urandom(3).hex()}@tests.leadscraper.dev", plan="pro", credits=1_000
        ).id
    urls = f"urls={sites.url(ACME.host)} {sites.url(MUELLER.host)}"
    tuned = crawl(urls, "depth=3", f"account={account_id}")
    python = crawl(urls, "depth=3", f"account={other_account_id}", settings={"LEADSCRAPER_GC_THRESHOLD": "0"})
    for result in (tuned, python):
        assert result.returncode == 0, result.stderr[-3000:]
    assert tuned.stat("leadscraper/gc/threshold") == 20000
    assert tuned.stat("leadscraper/gc/frozen") > 10_000  # Scrapy, Twisted, SQLAlchemy, lxml...
    assert python.stat("leadscraper/gc/threshold") == 700
    assert python.stat("leadscraper/gc/frozen") == 0
    # the same crawl, a fraction of the young collections and no walk of the whole heap
    young = python.stat("leadscraper/gc/collections/0")
    assert tuned.stat("leadscraper/gc/collections/0") * 5 < young
    assert tuned.stat("leadscraper/gc/collections/2") == 0
    assert tuned.job is not None and python.job is not None
    assert tuned.job.leads_found == python.job.leads_found > 0
    assert tuned.job.pages_crawled == python.job.pages_crawled
