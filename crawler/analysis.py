"""Page analysis off Scrapy's reactor thread: extraction, the render decision and links, in
worker processes, so the one Python thread that runs the crawl only crawls."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import pickle
import signal
import struct
import sys
from collections import deque
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


def default_workers(configured: str | int | None = None) -> int:
    """``configured`` (the ``LEADSCRAPER_EXTRACT_WORKERS`` setting) if given, else one process per
    core beyond the reactor's (0: inline)."""
    if configured is not None and str(configured).strip():
        return max(0, int(configured))
    return max(0, (os.cpu_count() or 1) - 1)


class PageAnalyser:
    """Runs ``analyse_page`` in worker processes (or inline with 0 workers, or once they died).

    Extraction is pure CPU work: in Scrapy's one thread it would stall every download while it runs;
    in another process it uses another core. Pages go to the workers through pipes that the
    reactor's own event loop writes and reads (see ``_Worker``): no helper thread has to win the
    GIL from the busy reactor thread before a page moves, so a worker always has the next pages
    waiting in its pipe. The workers are ``spawn``ed (no fork of a process that already runs
    reactor threads).
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.context = multiprocessing.get_context("spawn")
        self.pool: list[_Worker] | None = [] if workers > 0 else None

    def warm_up(self) -> None:
        """Start the worker processes now, not on the first page."""
        if self.pool is not None and not self.pool:
            self.pool = [_Worker(self.context) for _ in range(self.workers)]

    async def analyse(self, html: str, url: str, domain: str, **options: Any) -> PageAnalysis:
        if self.pool is not None:
            self.warm_up()
            try:
                worker = min(self.pool, key=lambda w: len(w.waiting))
                return await worker.submit((html, url, domain, options))
            except WorkerDied:
                if self.pool is not None:
                    logger.error("the page analysis processes died; analysing pages in the crawl process")
                    self.close(WorkerDied())  # the other workers' pages in flight come back here too
        return analyse_page(html, url, domain, **options)

    def close(self, error: WorkerDied | None = None) -> None:
        """Stop the workers; pages still in flight are cancelled, or fail with ``error``."""
        if self.pool is not None:
            for worker in self.pool:
                worker.close(error)
            self.pool = None


class WorkerDied(Exception):
    """An analysis process ended (killed, crashed) before it answered."""


_HEADER = struct.Struct("!Q")  # length of the pickled frame that follows


class _Worker:
    """One analysis process and its two pipes, driven by the reactor thread's asyncio loop.

    Pages are written as length-prefixed pickles to the task pipe (non-blocking: what the pipe
    cannot take yet waits in ``outbox`` until the loop says it is writable); answers come back in
    order on the result pipe, read when the loop says it is readable, and resolve ``waiting``'s
    futures first-in first-out.
    """

    def __init__(self, context: Any) -> None:
        task_out, task_in = context.Pipe(duplex=False)
        result_out, result_in = context.Pipe(duplex=False)
        self.process = context.Process(target=_serve, args=(task_out, result_in), daemon=True)
        self.process.start()
        task_out.close()
        result_in.close()
        self.pipes = (task_in, result_out)
        self.task_fd, self.result_fd = task_in.fileno(), result_out.fileno()
        os.set_blocking(self.task_fd, False)
        os.set_blocking(self.result_fd, False)
        self.loop: asyncio.AbstractEventLoop | None = None
        self.waiting: deque[asyncio.Future[PageAnalysis]] = deque()
        self.outbox = bytearray()
        self.inbox = bytearray()
        self.dead = False

    def submit(self, work: tuple[Any, ...]) -> asyncio.Future[PageAnalysis]:
        if self.dead:
            raise WorkerDied
        if self.loop is None:
            self.loop = asyncio.get_running_loop()
            self.loop.add_reader(self.result_fd, self._readable)
        future: asyncio.Future[PageAnalysis] = self.loop.create_future()
        data = pickle.dumps(work, protocol=pickle.HIGHEST_PROTOCOL)
        self.waiting.append(future)
        pending = bool(self.outbox)
        self.outbox += _HEADER.pack(len(data))
        self.outbox += data
        if not pending:
            self._writable()
        return future

    def _writable(self) -> None:
        try:
            sent = os.write(self.task_fd, self.outbox)
        except BlockingIOError:
            sent = 0
        except OSError:  # the worker is gone (EPIPE)
            self._died()
            return
        del self.outbox[:sent]
        assert self.loop is not None
        if self.outbox:
            self.loop.add_writer(self.task_fd, self._writable)
        else:
            self.loop.remove_writer(self.task_fd)

    def _readable(self) -> None:
        try:
            chunk = os.read(self.result_fd, 1 << 20)
        except BlockingIOError:
            return
        except OSError:
            chunk = b""
        if not chunk:  # EOF: the worker ended
            self._died()
            return
        inbox = self.inbox
        inbox += chunk
        start = 0  # answers are cut from the front once, after the loop
        while len(inbox) - start >= _HEADER.size:
            (size,) = _HEADER.unpack_from(inbox, start)
            end = start + _HEADER.size + size
            if len(inbox) < end:
                break
            future = self.waiting.popleft()
            try:
                # a copy, not a memoryview: an exception's traceback could keep a view alive,
                # and a bytearray with a live view cannot be cut
                ok, value = pickle.loads(inbox[start + _HEADER.size : end])
            except Exception as exc:  # an answer that cannot be read fails its page, not the others
                ok, value = False, exc
            start = end
            if future.cancelled():
                continue
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)
        del inbox[:start]

    def _died(self) -> None:
        self.close(WorkerDied())

    def close(self, error: BaseException | None = None) -> None:
        """Close the pipes (the worker reads end-of-file and exits); pages still waiting for an
        answer are cancelled, or fail with ``error``."""
        if self.dead:
            return
        self.dead = True
        if self.loop is not None:
            self.loop.remove_reader(self.result_fd)
            self.loop.remove_writer(self.task_fd)
        for pipe in self.pipes:
            with contextlib.suppress(OSError):
                pipe.close()
        while self.waiting:
            future = self.waiting.popleft()
            if future.done():
                continue
            if error is None:
                future.cancel()
            else:
                future.set_exception(error)


def _read_exactly(fd: int, size: int) -> bytes | None:
    parts = []
    while size:
        chunk = os.read(fd, size)
        if not chunk:
            return None
        parts.append(chunk)
        size -= len(chunk)
    return b"".join(parts)


def _serve(tasks: Any, results: Any) -> None:
    """A worker process: analyse each page read from ``tasks``, answer on ``results``, until EOF."""
    _die_with_parent()
    _warm_up()
    task_fd, result_fd = tasks.fileno(), results.fileno()
    while True:
        header = _read_exactly(task_fd, _HEADER.size)
        data = header and _read_exactly(task_fd, _HEADER.unpack(header)[0])
        if data is None:
            return
        html, url, domain, options = pickle.loads(data)
        try:
            answer = pickle.dumps((True, analyse_page(html, url, domain, **options)), pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # the crawl process raises it where the page was awaited
            try:
                answer = pickle.dumps((False, exc), pickle.HIGHEST_PROTOCOL)
            except Exception:
                answer = pickle.dumps((False, RuntimeError(repr(exc))), pickle.HIGHEST_PROTOCOL)
        view = memoryview(_HEADER.pack(len(answer)) + answer)
        while view:
            view = view[os.write(result_fd, view) :]


# A page that wakes every extractor: structured data (extruct is imported on first use), a
# person's card, an e-mail, a phone number, a profile link, a careers link.
_WARM_UP_PAGE = """<!doctype html><html lang="en"><head><title>Harbourline Ltd</title>
<meta property="og:title" content="Harbourline Ltd"><script type="application/ld+json">
{"@context": "https://schema.org", "@type": "Organization", "name": "Harbourline Ltd",
 "telephone": "+44 20 7946 0000"}
</script></head><body><nav><a href="/careers">Careers</a></nav><main><h1>Our team</h1>
<div class="team-member"><h3>Priya Raman</h3><p>Chief Executive Officer</p>
<a href="mailto:priya.raman@harbourline.co.uk">priya.raman@harbourline.co.uk</a>
<a href="tel:+442079460001">+44 20 7946 0001</a>
<a href="https://www.linkedin.com/in/priya-raman-harbourline">LinkedIn</a></div>
<p>We are hiring: 3 open positions. Add to cart</p></main>
<footer>Harbourline Ltd, 1 High Street, London EC1A 1AA</footer></body></html>"""


def _warm_up() -> None:
    """Analyse a made-up page before the first real one: the first page a fresh worker analysed
    cost ~0.7 s more than the next (lazy imports, first-use compiles), and the crawl's first lead
    waited for it; now that cost falls in the seconds the first downloads take."""
    try:
        analyse_page(
            _WARM_UP_PAGE,
            "https://www.harbourline.co.uk/team",
            "harbourline.co.uk",
            default_region="GB",
            emails=True,
            phones=True,
            socials=True,
            check_render=True,
            want_links=True,
        )
    except Exception:  # a warm-up that fails changes nothing: the real pages report their own errors
        logger.debug("warm-up page failed", exc_info=True)


def _die_with_parent() -> None:
    """Linux: the kernel kills this worker when the crawl process dies, even by SIGKILL, so a
    killed crawl leaves no orphan behind (elsewhere the worker ends when its pipe closes)."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError):  # no glibc: the pipe closing ends the worker instead
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    # a crawl stopped with Ctrl-C interrupts its workers too; they should end quietly
    signal.signal(signal.SIGINT, signal.SIG_IGN)
