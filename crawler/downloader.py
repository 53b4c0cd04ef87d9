"""Scrapy's downloader with ``CONCURRENT_REQUESTS`` counting requests on the wire, not parked ones."""

from __future__ import annotations

from time import monotonic
from typing import TYPE_CHECKING, Any

from scrapy.core.downloader import Downloader, Slot
from scrapy.utils.asyncio import call_later
from scrapy.utils.defer import _schedule_coro

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from twisted.internet.defer import Deferred


class TransferCappedDownloader(Downloader):
    """At most ``CONCURRENT_REQUESTS`` requests transfer at once; more may wait inside.

    Scrapy's own downloader counts against ``CONCURRENT_REQUESTS`` every request it holds: those
    parked in their site's slot behind its AutoThrottle delay, a seed held by the robots.txt
    middleware until its site's robots.txt has answered, a retry waiting out a ``Retry-After``.
    A bulk job opens many fresh sites, whose first requests are exactly those (the delay starts at
    ``AUTOTHROTTLE_START_DELAY`` and each seed waits for a robots.txt): in ``bench.web``'s
    1,000-site job 47 of the 64 allowed requests were on the wire on average, the rest parked.

    Here the cap applies where a request goes on the wire: a site's slot that may send (its delay
    has passed, it has a free seat of ``CONCURRENT_REQUESTS_PER_DOMAIN``) waits while the process
    has ``CONCURRENT_REQUESTS`` transfers open, and the waiting slots go on in turn as transfers
    end. The engine keeps feeding the downloader until it holds ``LEADSCRAPER_DOWNLOADER_QUEUE``
    more requests than that (default: half as many), so a request is ready whenever a transfer
    ends. Half: with none (Scrapy's count) the 1,000-site job took 72.7 s, with 32 64.8 s, with
    64 62–68 s; on the CPU-bound local corpus (``bench --only crawl``) 64 cost the crawl process
    ~0.2–0.3 ms a page more than 32 or none, for no faster crawl (``bench/RESULTS.md`` section 7).
    Every per-site rule is Scrapy's, unchanged: a slot still sends no sooner than its delay after
    its previous request, and never more than its concurrency at once.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.transfer_cap: int = self.total_concurrency
        queue = crawler.settings.getint("LEADSCRAPER_DOWNLOADER_QUEUE", -1)
        if self.transfer_cap > 0:
            # what the engine's back-out test (needs_backout) counts against: all requests held
            self.total_concurrency = self.transfer_cap + (self.transfer_cap // 2 if queue < 0 else queue)
        self.transfers = 0  # requests handed to a download handler and not yet answered
        self._waiting: dict[Slot, None] = {}  # slots that could send but for the cap, in order
        self.peak_transfers = 0
        self.peak_held = 0  # requests inside the downloader (on the wire, parked, in middlewares)

    def at_transfer_cap(self) -> bool:
        return 0 < self.transfer_cap <= self.transfers

    def _process_queue(self, slot: Slot) -> None:
        # Scrapy's own, plus the process-wide cap on transfers (and the transfer counted when it
        # is started, not when its task first runs). Scrapy calls it for every request it enqueues.
        self.peak_held = max(self.peak_held, len(self.active))
        if slot.latercall:
            return
        now = monotonic()
        delay = slot.download_delay()
        if delay:
            penalty = delay - now + slot.lastseen
            if penalty > 0:
                slot.latercall = call_later(penalty, self._latercall, slot)
                return
        while slot.queue and slot.free_transfer_slots() > 0:
            if self.at_transfer_cap():
                self._waiting[slot] = None
                return
            slot.lastseen = now
            request, queue_dfd = slot.queue.popleft()
            self.transfers += 1
            self.peak_transfers = max(self.peak_transfers, self.transfers)
            _schedule_coro(self._wait_for_download(slot, request, queue_dfd))
            if delay:
                self._process_queue(slot)
                break

    async def _wait_for_download(self, slot: Slot, request: Request, queue_dfd: Deferred[Any]) -> None:
        try:
            await super()._wait_for_download(slot, request, queue_dfd)
        finally:
            self.transfers -= 1
            self._resume_waiting()

    def _resume_waiting(self) -> None:
        while self._waiting and not self.at_transfer_cap():
            slot = next(iter(self._waiting))
            del self._waiting[slot]
            self._process_queue(slot)

    def close(self) -> None:
        self._waiting.clear()
        if self.crawler.stats is not None:
            self.crawler.stats.set_value("leadscraper/downloader/peak_transfers", self.peak_transfers)
            self.crawler.stats.set_value("leadscraper/downloader/peak_held", self.peak_held)
        super().close()
