"""API configuration: defaults read from the environment once, overridable per app (tests)."""

from __future__ import annotations

import os
from typing import Any

from crawler.netguard import allowlist_from_env
from db.engine import database_url

DEFAULT_SCRAPYD_URL = "http://127.0.0.1:6800"


def scrapyd_urls(value: str | None = None) -> list[str]:
    """``SCRAPYD_URLS`` (comma-separated) as a list of base URLs without trailing slashes."""
    raw = value if value is not None else os.environ.get("SCRAPYD_URLS", DEFAULT_SCRAPYD_URL)
    return [u.strip().rstrip("/") for u in raw.split(",") if u.strip()]


def default_config() -> dict[str, Any]:
    """Every setting the API reads, with its environment variable where one exists."""
    redis_url = os.environ.get("REDIS_URL")
    return {
        "DATABASE_URL": database_url(),
        "SCRAPYD_URLS": scrapyd_urls(),
        "SCRAPYD_PROJECT": os.environ.get("SCRAPYD_PROJECT", "leadscraper"),
        "SCRAPYD_SPIDER": "leads",
        "SCRAPYD_TIMEOUT": float(os.environ.get("SCRAPYD_TIMEOUT", "10")),
        # A job gets one spider process per this many URLs, one a node, on nodes with a free slot;
        # scrapyd does not report its max_proc, so each node is taken to run this many processes.
        "SCRAPYD_URLS_PER_PROCESS": int(os.environ.get("SCRAPYD_URLS_PER_PROCESS", "100")),
        "SCRAPYD_SLOTS_PER_NODE": int(os.environ.get("SCRAPYD_SLOTS_PER_NODE", "4")),
        "SCRAPYD_SPIDER_SETTINGS": {},  # Scrapy settings passed to every spider process (tests)
        # Literal private/loopback hosts are refused at submission unless an operator allows them.
        # CIDRs (LEADSCRAPER_ALLOW_PRIVATE_NETWORKS) the network guard lets through; () = public only
        "NETWORK_ALLOWLIST": allowlist_from_env(),
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
