"""Page analysis off Scrapy's reactor thread: extraction, the render decision and links, in a
process pool, so the one Python thread that runs the crawl only crawls."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import signal
import sys
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from crawler.extract import Page, PageFacts, extract_facts
from crawler.extract.links import site_links
from crawler.extract.rendering import rendering_reason

logger = logging.getLogger(__name__)


@dataclass
class PageAnalysis:
    """What one parse of a page yields: its facts, why it needs a browser (if it does), its links."""

    facts: PageFacts
    render_reason: str | None
    links: list[str]


def analyse_page(
    html: str,
    url: str,
    domain: str,
    *,
    default_region: str,
    emails: bool,
    phones: bool,
    socials: bool,
    check_render: bool,
    want_links: bool,
) -> PageAnalysis:
    """Parse once; extract facts, decide on rendering, list followable links (pure, picklable)."""
    page = Page(html, url, default_region=default_region)
    facts = extract_facts(page, emails=emails, phones=phones, socials=socials)
    reason = rendering_reason(page) if check_render else None
    links = site_links(page, domain) if want_links and not reason else []
    return PageAnalysis(facts, reason, links)


def default_workers() -> int:
    """``LEADSCRAPER_EXTRACT_WORKERS``, else one process per core beyond the reactor's (0: inline)."""
    configured = os.environ.get("LEADSCRAPER_EXTRACT_WORKERS")
    if configured is not None and configured.strip():
        return max(0, int(configured))
    return max(0, (os.cpu_count() or 1) - 1)


class PageAnalyser:
    """Runs ``analyse_page`` in worker processes (or inline with 0 workers, or if the pool breaks).

    Extraction is pure CPU work: in Scrapy's one thread it would stall every download while it runs;
    in another process it uses another core. The pool uses ``spawn`` (no fork of a process that
    already runs reactor threads).
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.pool: Executor | None = None
        if workers > 0:
            self.pool = ProcessPoolExecutor(
                workers, mp_context=multiprocessing.get_context("spawn"), initializer=_die_with_parent
            )

    def warm_up(self) -> None:
        """Start the worker processes now, not on the first page."""
        if self.pool is not None:
            for _ in range(self.workers):
                self.pool.submit(_noop)

    async def analyse(self, html: str, url: str, domain: str, **options: Any) -> PageAnalysis:
        if self.pool is not None:
            try:
                future = self.pool.submit(analyse_page, html, url, domain, **options)
                return await asyncio.wrap_future(future)
            except BrokenProcessPool:
                logger.error("the page analysis processes died; analysing pages in the crawl process")
                self.pool = None
        return analyse_page(html, url, domain, **options)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None


def _noop() -> None:
    return None


def _die_with_parent() -> None:
    """Linux: the kernel kills this worker when the crawl process dies, even by SIGKILL, so a
    killed crawl leaves no orphan behind (elsewhere the worker ends when its queue closes)."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError):  # no glibc: the queue closing ends the worker instead
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    # a crawl stopped with Ctrl-C interrupts its workers too; they should end quietly
    signal.signal(signal.SIGINT, signal.SIG_IGN)
