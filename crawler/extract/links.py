"""Links of a page that a crawl of its site may follow: same registered domain, pages not files."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from scrapy.linkextractors import IGNORED_EXTENSIONS
from w3lib.url import canonicalize_url

from crawler.extract.company import registered_domain
from crawler.extract.page import Page

_IGNORED = frozenset("." + ext for ext in IGNORED_EXTENSIONS)


@lru_cache(maxsize=4096)
def _domain_of_host(host: str) -> str:
    # the nav repeats on every page of a site: one suffix-list look-up per host, not per link
    return registered_domain(host)


def site_links(page: Page, domain: str) -> list[str]:
    """Canonical http(s) URLs of ``<a>``/``<area>`` links inside ``domain``, in page order, once each.

    Like Scrapy's LinkExtractor with its defaults (files such as .pdf/.jpg/.zip skipped, fragments
    dropped, ``<base href>`` honoured), plus the registered-domain filter, on the page's own parse.
    """
    base = page.tree.xpath("string(//base/@href)").strip() or page.url
    base = urljoin(page.url, base)
    seen: set[str] = set()
    links: list[str] = []
    for href in page.tree.xpath("//a/@href | //area/@href"):
        href = href.strip()
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
            continue
        try:
            url = urljoin(base, href)
            parts = urlsplit(url)
        except ValueError:
            continue
        if parts.scheme not in ("http", "https") or not parts.hostname:
            continue
        path = parts.path.lower()
        dot = path.rfind(".")
        if dot > path.rfind("/") and path[dot:] in _IGNORED:
            continue
        if _domain_of_host(parts.hostname) != domain:
            continue
        canonical = canonicalize_url(url)
        if canonical not in seen:
            seen.add(canonical)
            links.append(canonical)
    return links
