"""The baseline: a bare Scrapy spider that follows the same same-site links as ``leads`` and keeps nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from w3lib.url import canonicalize_url


class BareSpider(scrapy.Spider):
    """Start from every URL of ``urls_file``; follow links on the same host to ``depth`` hops,
    at most ``LEADSCRAPER_MAX_PAGES_PER_SITE`` pages a site, as ``leads`` does; discard the pages.

    Runs with the project's settings (concurrency, AutoThrottle, robots.txt, resolver), minus the
    item pipelines and the job extension, so the difference to ``leads`` is our per-page work.
    """

    name = "bare"
    custom_settings = {"ITEM_PIPELINES": {}, "EXTENSIONS": {}}

    def __init__(self, urls_file: str = "", depth: str = "3", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        with open(urls_file, encoding="utf-8") as f:
            self.seeds = [line.strip() for line in f if line.strip()]
        self.depth = int(depth)
        self.link_extractor = LinkExtractor(unique=True)
        self.seen: dict[str, set[str]] = {}  # host -> canonical URLs scheduled

    async def start(self) -> Any:
        for url in self.seeds:
            self.seen[urlsplit(url).netloc] = {canonicalize_url(url)}
            yield scrapy.Request(url, cb_kwargs={"depth": 0}, dont_filter=True)

    def parse(self, response: Response, depth: int) -> Iterator[scrapy.Request]:
        self.crawler.stats.inc_value("bench/pages")
        if not isinstance(response, TextResponse) or depth >= self.depth:
            return
        cap = self.settings.getint("LEADSCRAPER_MAX_PAGES_PER_SITE")
        host = urlsplit(response.url).netloc
        seen = self.seen[host]
        for link in self.link_extractor.extract_links(response):
            url = canonicalize_url(link.url)
            if urlsplit(url).netloc != host or url in seen or len(seen) >= cap:
                continue
            seen.add(url)
            yield scrapy.Request(link.url, cb_kwargs={"depth": depth + 1})
