"""Scrapy settings for the ``leads`` spider; the environment is read here, once.

Environment: ``DATABASE_URL`` (read by db/engine.py), ``LEADSCRAPER_RESOLVE`` (static host →
address map, like curl's ``--resolve``), ``LEADSCRAPER_ALLOW_PRIVATE_NETWORKS``,
``LEADSCRAPER_PLATFORM_ENDPOINTS``, ``LEADSCRAPER_MAX_PAGES_PER_SITE``,
``LEADSCRAPER_MAX_FAILED_PAGES_PER_SITE``,
``LEADSCRAPER_DOWNLOAD_TIMEOUT``, ``LEADSCRAPER_DEFAULT_REGION``, ``LEADSCRAPER_CONCURRENCY``,
``LEADSCRAPER_USER_AGENT``, ``LEADSCRAPER_JOB_TIMEOUT``, ``LEADSCRAPER_MEMORY_LIMIT_MB``,
``LEADSCRAPER_PROGRESS_INTERVAL``, ``LEADSCRAPER_LEASE_SECONDS``, ``LEADSCRAPER_CLAIM_BATCH``,
``LEADSCRAPER_MAX_RETRY_AFTER``,
``LEADSCRAPER_EXTRACT_WORKERS``, ``LEADSCRAPER_SCORE_WEIGHTS``, ``LEADSCRAPER_LOG_LEVEL``,
``LLM_MODEL``, ``LLM_TIMEOUT``, ``LLM_MAX_RETRIES``, ``LLM_API_BASE``. Every component reads these
values from ``crawler.settings``, so ``-s NAME=value`` reaches all of them.
"""

from __future__ import annotations

import os

from crawler.startup import platform_endpoints, under_scrapyd

BOT_NAME = "leadscraper"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = os.environ.get(
    "LEADSCRAPER_USER_AGENT", "LeadScraper/0.1 (+https://github.com/leadscraper/leadscraper)"
)
ROBOTSTXT_OBEY = True

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

# Politeness: AutoThrottle adapts the delay to each site's latency; a per-site concurrency cap.
# CONCURRENT_REQUESTS caps the requests on the wire at once per process. Scrapy's own downloader
# counts in it the requests parked behind their site's delay, robots.txt or Retry-After, which left
# a quarter of the slots idle on a bulk job of fresh sites: ours counts transfers, and holds up to
# LEADSCRAPER_DOWNLOADER_QUEUE more requests (default: half as many) ready to go (crawler/downloader.py).
CONCURRENT_REQUESTS = int(os.environ.get("LEADSCRAPER_CONCURRENCY", "64"))
DOWNLOADER = "crawler.downloader.TransferCappedDownloader"
CONCURRENT_REQUESTS_PER_DOMAIN = 4
# Outputs of one callback (a page's item and its links) processed at once. Scrapy starts this many
# asyncio tasks for every callback, whatever it yields: its default of 100 cost ~3 ms of the
# crawl thread per page, more than our whole item pipeline. A page yields one item; requests
# only enter the scheduler, so 4 loses no parallelism.
CONCURRENT_ITEMS = 4
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.25
AUTOTHROTTLE_MAX_DELAY = 10.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0

# Bounded work per request: size and time caps, few retries, few redirects.
# A page that has not fully answered in 10 s is rare on the live web; a hanging host costs this
# much of one request slot (robots.txt is asked once when it times out: crawler/middlewares.py).
DOWNLOAD_TIMEOUT = int(os.environ.get("LEADSCRAPER_DOWNLOAD_TIMEOUT", "10"))
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
# A 429/503's Retry-After is waited for (the site's slot held) up to this long; a longer one fails the page.
LEADSCRAPER_MAX_RETRY_AFTER = float(os.environ.get("LEADSCRAPER_MAX_RETRY_AFTER", "30"))
REDIRECT_MAX_TIMES = 5
DNS_TIMEOUT = 15
TWISTED_DNS_RESOLVER = "crawler.resolver.StaticMapResolver"
# The network guard (README "Security"): private networks crawls may reach, and the platform's own
# services they never reach (crawler/startup.py says where each comes from). Connections go
# direct: a proxy would resolve names where the guard cannot check them.
LEADSCRAPER_ALLOW_PRIVATE_NETWORKS = os.environ.get("LEADSCRAPER_ALLOW_PRIVATE_NETWORKS", "")
LEADSCRAPER_PLATFORM_ENDPOINTS = platform_endpoints(os.environ, scrapyd=under_scrapyd())
HTTPPROXY_ENABLED = False
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# Scrapy's remote control runs Python sent over HTTP on a local port; a crawl process serves no one.
REMOTE_CONTROL_ENABLED = False
# Breadth-first within a site, so contact pages one hop away come before deep archives.
DEPTH_PRIORITY = 1
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"

# A job's wall-clock cap and the process's memory cap; what is open then ends with that reason.
CLOSESPIDER_TIMEOUT = float(os.environ.get("LEADSCRAPER_JOB_TIMEOUT", str(6 * 3600)))
MEMUSAGE_ENABLED = True
MEMUSAGE_LIMIT_MB = int(os.environ.get("LEADSCRAPER_MEMORY_LIMIT_MB", "2048"))
MEMUSAGE_WARNING_MB = int(MEMUSAGE_LIMIT_MB * 0.75)

LEADSCRAPER_MAX_PAGES_PER_SITE = int(os.environ.get("LEADSCRAPER_MAX_PAGES_PER_SITE", "40"))
# The page cap counts pages read; failed requests (broken links, errors) have this bound of their own.
LEADSCRAPER_MAX_FAILED_PAGES_PER_SITE = int(os.environ.get("LEADSCRAPER_MAX_FAILED_PAGES_PER_SITE", "20"))
LEADSCRAPER_DEFAULT_REGION = os.environ.get("LEADSCRAPER_DEFAULT_REGION", "US")
LEADSCRAPER_RESOLVE = os.environ.get("LEADSCRAPER_RESOLVE", "")
# Seeds one process crawls at once: enough that live sites fill the request slots while some
# seeds wait on hosts that never answer (twice the slots: most sites hold one or two at a time).
LEADSCRAPER_CLAIM_BATCH = int(os.environ.get("LEADSCRAPER_CLAIM_BATCH", str(2 * CONCURRENT_REQUESTS)))
# How long a claimed URL stays this process's without renewal (renewed every progress tick); a
# process that dies leaves its URLs to the others once the lease expires.
LEADSCRAPER_LEASE_SECONDS = float(os.environ.get("LEADSCRAPER_LEASE_SECONDS", "600"))
LEADSCRAPER_PROGRESS_INTERVAL = float(os.environ.get("LEADSCRAPER_PROGRESS_INTERVAL", "3"))
# A file that gets each progress tick's measurements and estimated completion (bench/web.py)
LEADSCRAPER_ETA_TRACE = os.environ.get("LEADSCRAPER_ETA_TRACE", "")
LEADSCRAPER_SUMMARY = True  # the table of stored leads printed at the end (-s LEADSCRAPER_SUMMARY=0: off)
# Processes that parse pages beside the crawl ("": one per core beyond the crawl's own; 0: inline).
LEADSCRAPER_EXTRACT_WORKERS = os.environ.get("LEADSCRAPER_EXTRACT_WORKERS", "")
LEADSCRAPER_STORE_BATCH = 200
LEADSCRAPER_STORE_INTERVAL = 2.0

# Lead qualification (README "Lead qualification"): built-in weights as JSON overrides, and the
# LLM scorer, used only when LLM_MODEL is set.
LEADSCRAPER_SCORE_WEIGHTS = os.environ.get("LEADSCRAPER_SCORE_WEIGHTS", "")
LLM_MODEL = os.environ.get("LLM_MODEL", "")
LLM_TIMEOUT = float(os.environ.get("LLM_TIMEOUT", "30"))
LLM_MAX_RETRIES = int(os.environ.get("LLM_MAX_RETRIES", "2"))
LLM_API_BASE = os.environ.get("LLM_API_BASE", "")

ITEM_PIPELINES = {
    "pipelines.validate.ValidatePipeline": 100,
    "pipelines.merge.LeadMergePipeline": 200,
    "pipelines.reach.ReachPipeline": 250,
    "pipelines.qualify.QualifyPipeline": 300,
    "pipelines.store.StorePipeline": 900,
}
DOWNLOADER_MIDDLEWARES = {
    # first: nothing the network guard refuses reaches another middleware or the network
    "crawler.middlewares.NetworkGuardMiddleware": 50,
    # replaces Scrapy's own at the same position: see SharedRobotsTxtMiddleware for why
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.SharedRobotsTxtMiddleware": 100,
    # replaces Scrapy's retries at the same position: Retry-After, and robots.txt asked once
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.RetryAfterMiddleware": 550,
}
EXTENSIONS = {
    "crawler.extensions.JobProgress": 500,
    "crawler.extensions.GarbageCollection": 510,
}
# The cyclic garbage collector's youngest-generation threshold in the crawl process, whose
# start-up objects are frozen out of collections (crawler.extensions.GarbageCollection; 0: Python's
# own 700, nothing frozen).
LEADSCRAPER_GC_THRESHOLD = int(os.environ.get("LEADSCRAPER_GC_THRESHOLD", "20000"))

# Logging. From a terminal or cron the console shows the progress lines and the summary: `scrapy
# crawl` (crawler/commands/crawl.py) turns Scrapy's log down to LEADSCRAPER_CONSOLE_LOG_LEVEL unless
# a level was asked for (-L, -s LOG_LEVEL=, LEADSCRAPER_LOG_LEVEL) or the log goes to a file
# (--logfile; scrapyd sets LOG_FILE for every job). Under scrapyd there is no console: nothing is
# turned down and progress is only logged.
COMMANDS_MODULE = "crawler.commands"
LOG_LEVEL = os.environ.get("LEADSCRAPER_LOG_LEVEL") or "INFO"
LEADSCRAPER_CONSOLE = not under_scrapyd()
LEADSCRAPER_CONSOLE_LOG_LEVEL = "" if os.environ.get("LEADSCRAPER_LOG_LEVEL") else "WARNING"
LOGSTATS_INTERVAL = 60.0
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
