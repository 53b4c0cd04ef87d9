"""Extraction cost: CPU milliseconds per page for each extractor, over the crawl corpus's pages."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from bench.common import Section, log, median, percentile
from bench.corpus import build_corpus


def _steps() -> list[tuple[str, Callable[[Any], Any]]]:
    from crawler.extract.company import extract_company
    from crawler.extract.emails import extract_emails
    from crawler.extract.firmographics import extract_firmographics
    from crawler.extract.people import extract_people
    from crawler.extract.phones import extract_phones
    from crawler.extract.rendering import rendering_reason
    from crawler.extract.signals import detect_signals
    from crawler.extract.social import extract_socials

    # Page properties are lazy and shared: forced first, so each is charged once, to itself.
    return [
        ("page: visible text", lambda page: page.text),
        ("page: structured data (extruct)", lambda page: page.structured),
        ("people", extract_people),  # first: socials reuse its per-page cache
        ("emails", extract_emails),
        ("phones", extract_phones),
        ("socials", extract_socials),
        ("company", extract_company),
        ("signals", detect_signals),
        ("firmographics", lambda page: extract_firmographics(page, people=[], phones=[])),
        ("rendering decision", rendering_reason),
    ]


def run(section: Section, *, quick: bool) -> None:
    from crawler.extract import Page, extract_page

    corpus = build_corpus(30 if quick else 120, seed=8)
    pages = [
        (f"http://{site.host}{path}", site.pages[path][0].decode("utf-8"))
        for site in corpus
        for path in site.html_paths
    ]
    steps = _steps()
    costs: dict[str, list[float]] = {"parse (lxml)": [], **{name: [] for name, _ in steps}}
    totals: list[float] = []
    extract_page(pages[0][1], pages[0][0])  # warm imports and caches
    log(f"extraction: {len(pages)} pages, {len(steps) + 1} steps each")
    clock = time.thread_time
    for url, html in pages:
        t0 = clock()
        page = Page(html, url)
        costs["parse (lxml)"].append(clock() - t0)
        for name, step in steps:
            t0 = clock()
            step(page)
            costs[name].append(clock() - t0)
        t0 = clock()
        extract_page(html, url)
        totals.append(clock() - t0)
    section.add("pages", f"{len(pages)} corpus pages; CPU time of this thread (`time.thread_time`)")
    section.add(
        "**extract_page, whole** (per page)",
        f"median {median(totals) * 1000:.2f} ms, p95 {percentile(totals, 95) * 1000:.2f} ms",
    )
    ranked = sorted(costs.items(), key=lambda kv: -median(kv[1]))
    for name, values in ranked:
        share = sum(values) / sum(totals) if sum(totals) else 0
        section.add(
            name,
            f"median {median(values) * 1000:.2f} ms, p95 {percentile(values, 95) * 1000:.2f} ms "
            f"({share:.0%} of extract_page)",
        )
    section.notes.append(
        "Steps run in this order on one parsed page; the people extractor caches its result per page "
        "(socials reuse it, as in `extract_page`), so it is charged once, to `people`."
    )
