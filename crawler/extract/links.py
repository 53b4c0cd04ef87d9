"""Links of a page that a crawl of its site may follow: same registered domain, pages not files."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from w3lib.url import canonicalize_url

from crawler.extract.company import domain_of_host
from crawler.extract.page import Page

# scrapy.linkextractors.IGNORED_EXTENSIONS, copied (tests/crawler/extract pins it to Scrapy's): importing
# scrapy here would put the whole framework into every extraction process for one constant.
IGNORED_EXTENSIONS = (
    *("7z", "7zip", "bz2", "rar", "tar", "tar.gz", "xz", "zip"),  # archives
    *("mng", "pct", "bmp", "gif", "jpg", "jpeg", "png", "pst", "psp", "tif", "tiff", "ai", "drw", "dxf"),
    *("eps", "ps", "svg", "cdr", "ico", "webp"),  # images
    *("mp3", "wma", "ogg", "wav", "ra", "aac", "mid", "au", "aiff"),  # audio
    *("3gp", "asf", "asx", "avi", "mov", "mp4", "mpg", "qt", "rm", "swf", "wmv", "m4a", "m4v", "flv", "webm"),
    *("xls", "xlsm", "xlsx", "xltm", "xltx", "potm", "potx", "ppt", "pptm", "pptx", "pps", "doc", "docb"),
    *("docm", "docx", "dotm", "dotx", "odt", "ods", "odg", "odp"),  # office
    *("css", "pdf", "exe", "bin", "rss", "dmg", "iso", "apk"),  # other
    *("jar", "sh", "rb", "js", "hta", "bat", "cpl", "msi", "msp", "py"),
)
_IGNORED = frozenset("." + ext for ext in IGNORED_EXTENSIONS)


def site_links(page: Page, domain: str) -> list[str]:
    """Canonical http(s) URLs of ``<a>``/``<area>`` links inside ``domain``, in page order, once each.

    Like Scrapy's LinkExtractor with its defaults (files such as .pdf/.jpg/.zip skipped, fragments
    dropped, ``<base href>`` honoured), plus the registered-domain filter, on the page's own parse.
    """
    base = page.tree.xpath("string(//base/@href)").strip() or page.url
    base = urljoin(page.url, base)
    try:
        scheme, netloc = urlsplit(base)[:2]
    except ValueError:
        return []
    origin = f"{scheme}://{netloc}"
    seen: set[str] = set()
    links: list[str] = []
    for href in page.tree.xpath("//a/@href | //area/@href"):
        href = href.strip()
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
            continue
        # "/about" resolves the same against any page of the site: keyed by the origin, the nav's
        # links are worked out once per site instead of once per page
        local = href.startswith("/") and not href.startswith("//")
        canonical = _follow(origin if local else base, href, domain)
        if canonical is not None and canonical not in seen:
            seen.add(canonical)
            links.append(canonical)
    return links


@lru_cache(maxsize=32768)
def _follow(base: str, href: str, domain: str) -> str | None:
    """The canonical URL ``href`` leads to from ``base``, if a crawl of ``domain`` follows it.

    Memoized: w3lib's canonicalize_url and urljoin are the costliest steps of link listing, and a
    site's nav and footer links repeat on every page."""
    try:
        url = urljoin(base, href)
        parts = urlsplit(url)
        hostname = parts.hostname
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not hostname:
        return None
    path = parts.path.lower()
    dot = path.rfind(".")
    if dot > path.rfind("/") and path[dot:] in _IGNORED:
        return None
    if domain_of_host(hostname.rstrip(".")) != domain:
        return None
    return canonicalize_url(url)
