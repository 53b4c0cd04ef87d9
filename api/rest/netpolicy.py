"""The network guard as the API applies it at submission: the app's policies for scraped URLs and
webhook URLs, on the platform's services its configuration names (``api.config``)."""

from __future__ import annotations

from flask import current_app, g

from api import config
from crawler.netguard import NetworkPolicy, PlatformEndpoints


def platform() -> PlatformEndpoints:
    """The app's platform services, kept while the settings that name them are unchanged (an
    endpoint given by name is looked up at most once a minute)."""
    cfg = current_app.config
    key = (
        tuple(cfg.get("SCRAPYD_URLS") or ()),
        cfg.get("DATABASE_URL"),
        cfg.get("RATELIMIT_STORAGE_URI"),
        cfg.get("PUBLIC_URL"),
        tuple(cfg.get("API_BIND") or ()),
        tuple(cfg.get("PLATFORM_ENDPOINTS") or ()),
    )
    cached = current_app.extensions.get("leadscraper_platform")
    if cached is None or cached[0] != key:
        cached = (key, PlatformEndpoints(config.platform_endpoints(cfg)))
        current_app.extensions["leadscraper_platform"] = cached
    endpoints: PlatformEndpoints = cached[1]
    return endpoints


def crawl_policy() -> NetworkPolicy:
    """The policy for submitted URLs, once per request (a submission judges up to 10,000 URLs)."""
    if "leadscraper_crawl_policy" not in g:
        g.leadscraper_crawl_policy = config.crawl_policy(current_app.config, platform())
    policy: NetworkPolicy = g.leadscraper_crawl_policy
    return policy


def webhook_policy() -> NetworkPolicy:
    return config.webhook_policy(current_app.config, platform())
