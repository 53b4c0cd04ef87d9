"""site_links: the links a crawl of a site follows, as Scrapy's LinkExtractor would find them."""

from __future__ import annotations

from scrapy.http import HtmlResponse
from scrapy.linkextractors import IGNORED_EXTENSIONS as SCRAPY_IGNORED
from scrapy.linkextractors import LinkExtractor
from w3lib.url import canonicalize_url

from crawler.extract.links import IGNORED_EXTENSIONS, site_links
from crawler.extract.page import Page

PAGE = """<!doctype html><html><head><title>Acme Robotics — About</title></head><body>
<nav><a href="/">Home</a> <a href="/about#team">About</a> <a href="/contact">Contact</a>
<a href="https://www.acme-robotics.com/careers?b=2&a=1">Careers</a></nav>
<main><p>Read our <a href="/files/brochure.PDF">brochure</a> or see
<a href="/img/team.jpg">the team photo</a>.</p>
<p><a href="mailto:info@acme-robotics.com">Mail us</a>, <a href="tel:+14155550100">call</a>,
<a href="javascript:void(0)">chat</a>, <a href="#top">top</a>.</p>
<p>Partners: <a href="https://partner.example.org/acme">Partner</a>,
<a href="https://blog.acme-robotics.com/2026/launch">our blog</a>,
<a href="ftp://acme-robotics.com/pub">FTP</a>, <a href="/about">About again</a>,
<a href="news/../press">Press</a> <map><area href="/locations/sf" alt="SF"></map></p></main>
</body></html>"""


def test_ignored_extensions_are_scrapys() -> None:
    assert list(IGNORED_EXTENSIONS) == list(SCRAPY_IGNORED)


def test_same_site_links_match_scrapys_link_extractor() -> None:
    url = "https://acme-robotics.com/company/"
    ours = site_links(Page(PAGE, url), "acme-robotics.com")
    response = HtmlResponse(url, body=PAGE.encode(), encoding="utf-8")
    # Scrapy's, minus what site_links leaves out by design: other schemes (ftp), in-page
    # "#fragment" links back to this page, other sites; and de-duplicated after canonicalizing
    theirs = []
    for link in LinkExtractor(unique=True).extract_links(response):
        canonical = canonicalize_url(link.url)
        scheme, _, host = canonical.split("/")[:3]
        if scheme not in ("http:", "https:") or canonical == url or not host.endswith("acme-robotics.com"):
            continue
        if canonical not in theirs:
            theirs.append(canonical)
    assert ours == theirs
    assert ours == [
        "https://acme-robotics.com/",
        "https://acme-robotics.com/about",
        "https://acme-robotics.com/contact",
        "https://www.acme-robotics.com/careers?a=1&b=2",
        "https://blog.acme-robotics.com/2026/launch",
        "https://acme-robotics.com/company/press",
        "https://acme-robotics.com/locations/sf",
    ]


def test_base_href_is_honoured_and_repeated_pages_give_the_same_links() -> None:
    html = PAGE.replace("<head>", '<head><base href="https://acme-robotics.com/en/">')
    first = site_links(Page(html, "https://acme-robotics.com/x"), "acme-robotics.com")
    again = site_links(Page(html, "https://acme-robotics.com/y"), "acme-robotics.com")
    assert first == again  # served from the canonical-URL cache the second time
    assert "https://acme-robotics.com/en/company/press" not in first
    assert "https://acme-robotics.com/en/press" in first
