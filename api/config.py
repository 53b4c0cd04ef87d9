"""API configuration: defaults read from the environment once, overridable per app (tests)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from crawler.netguard import (
    ALLOW_ENV,
    PLATFORM_ENV,
    WEBHOOK_ALLOW_ENV,
    Endpoint,
    NetworkPolicy,
    PlatformEndpoints,
    endpoints_from_url,
    parse_allowlist,
    parse_endpoints,
)
from db.engine import database_url

DEFAULT_SCRAPYD_URL = "http://127.0.0.1:6800"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def scrapyd_urls(value: str | None = None) -> list[str]:
    """``SCRAPYD_URLS`` (comma-separated) as a list of base URLs without trailing slashes; a node's
    credentials ride in its URL (``http://user:password@node:6800``)."""
    raw = value if value is not None else os.environ.get("SCRAPYD_URLS", DEFAULT_SCRAPYD_URL)
    return [u.strip().rstrip("/") for u in raw.split(",") if u.strip()]


def without_credentials(url: str) -> str:
    """``url`` without its ``user:password@`` part: what may be logged, stored or shown."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def api_bind() -> tuple[str, int]:
    """Where the API listens: ``HOST`` and ``PORT`` (``make run``; set them for gunicorn too)."""
    return os.environ.get("HOST") or DEFAULT_HOST, int(os.environ.get("PORT") or DEFAULT_PORT)


def public_url() -> str:
    """``LEADSCRAPER_PUBLIC_URL``: the base URL clients reach the API at (download links are built
    on it, never on a request's ``Host`` header); default ``http://HOST:PORT``."""
    configured = os.environ.get("LEADSCRAPER_PUBLIC_URL", "").strip().rstrip("/")
    if configured:
        return configured
    host, port = api_bind()
    shown = DEFAULT_HOST if host in ("0.0.0.0", "::", "") else host
    return f"http://{'[' + shown + ']' if ':' in shown else shown}:{port}"


def default_config() -> dict[str, Any]:
    """Every setting the API reads, with its environment variable where one exists."""
    redis_url = os.environ.get("REDIS_URL")
    host, port = api_bind()
    return {
        "DATABASE_URL": database_url(),
        "SCRAPYD_URLS": scrapyd_urls(),
        "SCRAPYD_PROJECT": os.environ.get("SCRAPYD_PROJECT", "leadscraper"),
        "SCRAPYD_SPIDER": "leads",
        "SCRAPYD_TIMEOUT": float(os.environ.get("SCRAPYD_TIMEOUT", "30")),
        # A job gets one spider process per this many URLs, one a node, on nodes with a free slot;
        # scrapyd does not report its max_proc, so each node is taken to run this many processes.
        "SCRAPYD_URLS_PER_PROCESS": int(os.environ.get("SCRAPYD_URLS_PER_PROCESS", "100")),
        "SCRAPYD_SLOTS_PER_NODE": int(os.environ.get("SCRAPYD_SLOTS_PER_NODE", "4")),
        "SCRAPYD_SPIDER_SETTINGS": {},  # Scrapy settings passed to every spider process (tests)
        # The worker fails a processing job whose crawl sent no heartbeat for this long (db.jobs).
        "STALE_JOB_MINUTES": float(os.environ.get("LEADSCRAPER_STALE_JOB_MINUTES", "15")),
        # The network guard (crawler.netguard, README "Security"): the private networks submitted
        # URLs may point at (LEADSCRAPER_ALLOW_PRIVATE_NETWORKS) and webhooks may reach
        # (LEADSCRAPER_WEBHOOK_ALLOW_PRIVATE_NETWORKS); () = public addresses only.
        "CRAWL_ALLOWED_NETWORKS": parse_allowlist(os.environ.get(ALLOW_ENV)),
        "WEBHOOK_ALLOWED_NETWORKS": parse_allowlist(os.environ.get(WEBHOOK_ALLOW_ENV)),
        # Services of the platform beyond those the other settings name (LEADSCRAPER_PLATFORM_ENDPOINTS).
        "PLATFORM_ENDPOINTS": parse_endpoints(os.environ.get(PLATFORM_ENV)),
        "PUBLIC_URL": public_url(),
        "API_BIND": (host, port),
        # 10,000 URLs of 2,000 characters fit; anything larger is refused before it is parsed.
        "MAX_CONTENT_LENGTH": int(os.environ.get("API_MAX_BODY_BYTES", str(4 * 1024 * 1024))),
        # Rate limits: per account and plan (db.accounts.PLAN_RATE_LIMITS); requests without a valid
        # key are counted per client address.
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_ANONYMOUS": os.environ.get("API_ANONYMOUS_RATE_LIMIT", "300/hour"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_STRATEGY": "fixed-window",
        # The docs page and the OpenAPI document.
        "API_TITLE": "LeadScraper API",
        "API_VERSION": "1.0",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/",
        "OPENAPI_JSON_PATH": "v1/openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "docs",
        # Swagger UI's scripts and styles are served by this installation (package flask-swagger-ui),
        # so /docs works on servers without internet access. No validator badge: it would call out.
        "OPENAPI_SWAGGER_UI_URL": "/docs/assets/",
        "OPENAPI_SWAGGER_UI_CONFIG": {"validatorUrl": None, "deepLinking": True},
    }


def platform_endpoints(config: Mapping[str, Any]) -> list[Endpoint]:
    """The platform's own services as the API and the worker know them: every scrapyd node, the
    database, Redis, the API's public URL and its bind address, and ``PLATFORM_ENDPOINTS``."""
    found: list[Endpoint] = []
    for url in config.get("SCRAPYD_URLS") or ():
        found += endpoints_from_url(url, "SCRAPYD_URLS")
    found += endpoints_from_url(str(config.get("DATABASE_URL") or ""), "DATABASE_URL")
    storage = str(config.get("RATELIMIT_STORAGE_URI") or "")
    if storage.startswith(("redis://", "rediss://")):
        found += endpoints_from_url(storage, "REDIS_URL")
    bind = config.get("API_BIND")
    if bind:
        found += parse_endpoints(
            f"[{bind[0]}]:{bind[1]}" if ":" in bind[0] else f"{bind[0]}:{bind[1]}", "HOST/PORT"
        )
    if config.get("PUBLIC_URL"):
        found += endpoints_from_url(str(config["PUBLIC_URL"]), "LEADSCRAPER_PUBLIC_URL")
    found += list(config.get("PLATFORM_ENDPOINTS") or ())
    return list(dict.fromkeys(found))


def crawl_policy(config: Mapping[str, Any], platform: PlatformEndpoints | None = None) -> NetworkPolicy:
    """The guard for submitted URLs (the crawler applies the same rule when it fetches them)."""
    return NetworkPolicy(
        tuple(config.get("CRAWL_ALLOWED_NETWORKS") or ()),
        platform or PlatformEndpoints(platform_endpoints(config)),
        ALLOW_ENV,
    )


def webhook_policy(config: Mapping[str, Any], platform: PlatformEndpoints | None = None) -> NetworkPolicy:
    """The guard for webhook URLs, at registration and at every delivery."""
    return NetworkPolicy(
        tuple(config.get("WEBHOOK_ALLOWED_NETWORKS") or ()),
        platform or PlatformEndpoints(platform_endpoints(config)),
        WEBHOOK_ALLOW_ENV,
    )
