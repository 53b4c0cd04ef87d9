"""What a crawl process learns and checks when it starts: how it was launched, which services are the
platform's own, and that the network guard is in place (README.md, "Security")."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from crawler.netguard import Endpoint, endpoints_from_url, parse_endpoints

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

GUARD_MIDDLEWARE = "crawler.middlewares.NetworkGuardMiddleware"
GUARD_RESOLVER = "crawler.resolver.StaticMapResolver"
# Download handlers that connect through the guard resolver (plain HTTP) or the browser guard.
GUARDED_HANDLERS = frozenset(
    {
        "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler",
        "scrapy.core.downloader.handlers.http.HTTPDownloadHandler",
        "crawler.playwright_handler.LazyPlaywrightDownloadHandler",
    }
)
# The only Scrapy settings a scrapyd ``schedule.json`` may set (``setting=NAME=value``): scrapyd's
# own (log file, items feed, job directory) and crawl tunables. Anything else — middlewares, the
# resolver, handlers, pipelines, extensions, the allowlist, the host map — refuses the launch.
SCRAPYD_SETTABLE = frozenset(
    {
        "LOG_FILE",
        "LOG_LEVEL",
        "LOG_ENABLED",
        "FEEDS",
        "JOBDIR",
        "LEADSCRAPER_CLAIM_BATCH",
        "LEADSCRAPER_DOWNLOADER_QUEUE",
        "LEADSCRAPER_PROGRESS_INTERVAL",
        "LEADSCRAPER_MAX_PAGES_PER_SITE",
        "LEADSCRAPER_MAX_FAILED_PAGES_PER_SITE",
        "LEADSCRAPER_EXTRACT_WORKERS",
        "LEADSCRAPER_GC_THRESHOLD",
        "DOWNLOAD_DELAY",
        "DOWNLOAD_TIMEOUT",
        "CONCURRENT_REQUESTS",
        "CONCURRENT_REQUESTS_PER_DOMAIN",
        "RETRY_TIMES",
        "CLOSESPIDER_TIMEOUT",
        "AUTOTHROTTLE_ENABLED",
        "AUTOTHROTTLE_START_DELAY",
        "AUTOTHROTTLE_MAX_DELAY",
        "AUTOTHROTTLE_TARGET_CONCURRENCY",
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT",
        "MEMUSAGE_LIMIT_MB",
    }
)
SCRAPYD_RUNNER = "scrapyd.runner"


def launched_by_scrapyd(spider_kwargs: Mapping[str, Any]) -> bool:
    """True for a spider scrapyd started: scrapyd passes every spider ``_job``; its runner is the
    main module. Neither can be taken away through ``schedule.json``."""
    return "_job" in spider_kwargs or under_scrapyd()


def under_scrapyd() -> bool:
    """True in a process scrapyd started (its runner is the main module): what it was told came
    through ``schedule.json``, from whoever could reach scrapyd."""
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    return getattr(spec, "name", None) == SCRAPYD_RUNNER


def own_scrapyd_endpoints() -> list[Endpoint]:
    """The scrapyd this process runs under: its ``bind_address`` and ``http_port`` from the same
    configuration files scrapyd read (the spider runs in scrapyd's directory)."""
    try:
        from scrapyd.config import Config
    except ImportError:  # pragma: no cover - a runner without scrapyd installed
        return [Endpoint("127.0.0.1", 6800, "scrapyd (default)")]
    config = Config()
    host = config.get("bind_address", "127.0.0.1")
    port = config.getint("http_port", 6800)
    from crawler.netguard import normalize_host

    return [Endpoint(normalize_host(host), port, "scrapyd.conf")]


def platform_endpoints(environ: Mapping[str, str], *, scrapyd: bool) -> list[dict[str, Any]]:
    """The platform's services a crawl process knows from its environment: ``DATABASE_URL``,
    ``REDIS_URL``, ``SCRAPYD_URLS``, ``LEADSCRAPER_PUBLIC_URL`` and ``LEADSCRAPER_PLATFORM_ENDPOINTS``
    where set, and, under scrapyd, scrapyd's own port. A job the API created adds the API's own
    list (its job row) when it opens. Malformed values raise ValueError: a typo must not silently
    leave a service reachable."""
    found: list[Endpoint] = []
    for name in ("DATABASE_URL", "REDIS_URL", "LEADSCRAPER_PUBLIC_URL"):
        if environ.get(name):
            found += endpoints_from_url(environ[name], name)
    for url in (environ.get("SCRAPYD_URLS") or "").split(","):
        if url.strip():
            found += endpoints_from_url(url.strip(), "SCRAPYD_URLS")
    found += parse_endpoints(environ.get("LEADSCRAPER_PLATFORM_ENDPOINTS"))
    if scrapyd:
        found += own_scrapyd_endpoints()
    return [e.as_dict() for e in dict.fromkeys(found)]


def refused_overrides(settings: BaseSettings) -> list[str]:
    """Settings given on the command line (scrapyd's ``setting=``) that a scrapyd launch may not set."""
    from scrapy.settings import SETTINGS_PRIORITIES

    cmdline = SETTINGS_PRIORITIES["cmdline"]
    return sorted(
        name
        for name in settings.attributes
        if settings.getpriority(name) == cmdline and name not in SCRAPYD_SETTABLE
    )


def _class_path(value: Any) -> str:
    if isinstance(value, str):
        return value
    return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', '')}"


def settings_problems(settings: BaseSettings) -> list[str]:
    """What in the settings would let a request bypass the network guard (empty: all in place)."""
    problems = []
    middlewares = settings.getwithbase("DOWNLOADER_MIDDLEWARES")
    if middlewares.get(GUARD_MIDDLEWARE) is None:
        problems.append(f"DOWNLOADER_MIDDLEWARES does not enable {GUARD_MIDDLEWARE}")
    if _class_path(settings.get("TWISTED_DNS_RESOLVER")) != GUARD_RESOLVER:
        problems.append(f"TWISTED_DNS_RESOLVER is not {GUARD_RESOLVER}")
    # priorities first: reading DNS_RESOLVER (deprecated) warns, so only when it could matter
    if (settings.getpriority("DNS_RESOLVER") or 0) > (
        settings.getpriority("TWISTED_DNS_RESOLVER") or 0
    ) and settings.get("DNS_RESOLVER") not in (None, "scrapy.resolver.CachingThreadedResolver"):
        problems.append("DNS_RESOLVER overrides the guard resolver")
    handlers = settings.getwithbase("DOWNLOAD_HANDLERS")
    for scheme in ("http", "https"):
        if _class_path(handlers.get(scheme)) not in GUARDED_HANDLERS:
            problems.append(f"DOWNLOAD_HANDLERS[{scheme!r}] is not a guarded handler")
    if settings.getbool("HTTPPROXY_ENABLED") and middlewares.get(
        "scrapy.downloadermiddlewares.httpproxy.HttpProxyMiddleware"
    ):
        problems.append("HTTPPROXY_ENABLED: a proxy would resolve names outside the guard")
    return problems


def runtime_problems(crawler: Crawler) -> list[str]:
    """What is not in place in the running crawler: the guard resolver installed on the reactor,
    the guard middleware in the downloader's chain."""
    from crawler.middlewares import NetworkGuardMiddleware
    from crawler.resolver import installed_resolver

    problems = []
    if installed_resolver() is None:
        problems.append("the reactor's name resolver is not the guard resolver")
    engine = getattr(crawler, "engine", None)
    chain = getattr(getattr(getattr(engine, "downloader", None), "middleware", None), "middlewares", ())
    if not any(isinstance(m, NetworkGuardMiddleware) for m in chain):
        problems.append("the guard middleware is not in the downloader's chain")
    return problems
