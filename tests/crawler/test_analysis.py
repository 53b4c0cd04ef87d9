"""The page analyser's worker processes: same answers as analysing in the crawl process, errors raised
where the page is awaited, and a killed worker costs no page (the crawl process takes over)."""

from __future__ import annotations

import asyncio
import logging
import os
import pickle
import signal
from pathlib import Path
from typing import Any

import pytest

from crawler import analysis
from crawler.analysis import PageAnalyser, PageAnalysis, analyse_page

pytestmark = pytest.mark.slow  # spawns processes

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "extract"
PAGES = sorted(FIXTURES.glob("*/input.html"))
OPTIONS: dict[str, Any] = {
    "default_region": "DE",
    "emails": True,
    "phones": True,
    "socials": True,
    "check_render": True,
    "want_links": True,
}


def _analyse_all(analyser: PageAnalyser, pages: list[Path]) -> list[PageAnalysis]:
    async def run() -> list[PageAnalysis]:
        return await asyncio.gather(
            *(
                analyser.analyse(
                    p.read_text(encoding="utf-8"), f"https://{p.parent.name}.example/", "example", **OPTIONS
                )
                for p in pages
            )
        )

    return asyncio.run(run())


def _inline(pages: list[Path]) -> list[PageAnalysis]:
    return [
        analyse_page(p.read_text(encoding="utf-8"), f"https://{p.parent.name}.example/", "example", **OPTIONS)
        for p in pages
    ]


def test_workers_answer_every_page_as_the_crawl_process_would_in_order() -> None:
    analyser = PageAnalyser(2)
    try:
        # every fixture page three times, all in flight at once: answers must not cross
        pages = PAGES * 3
        assert _analyse_all(analyser, pages) == _inline(pages)
        assert analyser.pool is not None and len(analyser.pool) == 2
        assert all(w.process.is_alive() for w in analyser.pool)
    finally:
        analyser.close()


def test_an_error_in_a_worker_is_raised_where_the_page_was_awaited() -> None:
    analyser = PageAnalyser(1)

    async def run() -> None:
        with pytest.raises(TypeError, match="no_such_option"):
            await analyser.analyse("<html></html>", "https://a.example/", "a.example", no_such_option=True)
        # the worker survives its page's error and answers the next one
        page = "<html><body><p>Write to sales@acme-widgets.com</p></body></html>"
        good = await analyser.analyse(page, "https://www.acme-widgets.com/", "acme-widgets.com", **OPTIONS)
        assert [e.email for e in good.facts.emails] == ["sales@acme-widgets.com"]

    try:
        asyncio.run(run())
        assert analyser.pool is not None and analyser.pool[0].process.is_alive()
    finally:
        analyser.close()


def test_a_killed_worker_loses_no_page_the_crawl_process_analyses_them(
    caplog: pytest.LogCaptureFixture,
) -> None:
    analyser = PageAnalyser(2)
    pages = PAGES[:12]

    async def run() -> list[PageAnalysis]:
        analyser.warm_up()
        assert analyser.pool is not None
        worker, other = analyser.pool
        first = await analyser.analyse(
            pages[0].read_text(encoding="utf-8"), "https://x.example/", "x", **OPTIONS
        )

        # pages in flight when the worker dies, and pages submitted after it died
        def submit(p: Path) -> asyncio.Future[PageAnalysis]:
            html = p.read_text(encoding="utf-8")
            return asyncio.ensure_future(
                analyser.analyse(html, f"https://{p.parent.name}.example/", "example", **OPTIONS)
            )

        pending = [submit(p) for p in pages[:8]]
        await asyncio.sleep(0)  # each has written its page to a worker and awaits the answer
        assert len(worker.waiting) == len(other.waiting) == 4
        os.kill(worker.process.pid, signal.SIGKILL)
        worker.process.join(10)  # the other worker's pages in flight must not be left waiting either
        pending += [submit(p) for p in pages[8:]]
        return [first, *await asyncio.gather(*pending)]

    try:
        with caplog.at_level(logging.ERROR, logger="crawler.analysis"):
            results = asyncio.run(run())
        assert results[1:] == _inline(pages)
        assert results[0] == analyse_page(
            pages[0].read_text(encoding="utf-8"), "https://x.example/", "x", **OPTIONS
        )
        assert analyser.pool is None  # from now on, pages are analysed in the crawl process
        assert "analysing pages in the crawl process" in caplog.text
    finally:
        analyser.close()


def test_an_answer_that_cannot_be_read_fails_only_its_page() -> None:
    analyser = PageAnalyser(1)

    async def run() -> None:
        html = PAGES[0].read_text(encoding="utf-8")
        url = f"https://{PAGES[0].parent.name}.example/"
        first = analyser.analyse(html, url, "example", **OPTIONS)
        second = analyser.analyse(html, url, "example", **OPTIONS)
        results = await asyncio.gather(first, second, return_exceptions=True)
        assert isinstance(results[0], pickle.UnpicklingError)
        assert results[1] == _inline([PAGES[0]])[0]

    real_loads = pickle.loads
    calls = []

    def flaky_loads(data: Any, **kwargs: Any) -> Any:  # the first answer read back is garbled
        if isinstance(data, bytearray):
            calls.append(1)
            if len(calls) == 1:
                raise pickle.UnpicklingError("garbled answer")
        return real_loads(data, **kwargs)

    analyser.warm_up()  # the worker starts before the crawl process's pickle.loads is patched
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(analysis.pickle, "loads", flaky_loads)
            asyncio.run(run())
        assert analyser.pool is not None and analyser.pool[0].process.is_alive()
    finally:
        analyser.close()


def test_closing_ends_the_workers() -> None:
    analyser = PageAnalyser(2)
    analyser.warm_up()
    assert analyser.pool is not None
    processes = [w.process for w in analyser.pool]
    analyser.close()
    for process in processes:
        process.join(10)
        assert process.exitcode == 0  # it read end-of-file and returned


def test_a_worker_warms_up_every_extractor_before_its_first_page() -> None:
    """The warm-up page makes each extractor do its work (so its lazy imports and first-use
    compiles are paid before the crawl's first page, not on it), and leaves extruct imported."""
    import subprocess
    import sys

    facts = analyse_page(
        analysis._WARM_UP_PAGE, "https://www.harbourline.co.uk/team", "harbourline.co.uk", **OPTIONS
    ).facts
    assert [e.email for e in facts.emails] == ["priya.raman@harbourline.co.uk"]
    assert facts.phones and facts.socials and facts.company is not None
    assert [p.name for p in facts.people] == ["Priya Raman"]
    assert any(s.name == "hiring" for s in facts.signals)
    probe = "import sys; from crawler import analysis; analysis._warm_up(); print('extruct' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "True"
