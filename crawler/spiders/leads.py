"""The ``leads`` spider: crawls each claimed site of a job to its depth and yields one item per page."""

from __future__ import annotations

import heapq
import itertools
import re
import time
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import (
    CannotResolveHostError,
    DontCloseSpider,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
    StopDownload,
    UsageError,
)
from scrapy.http import Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.gz import gunzip, gzip_magic_number
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots
from twisted.internet import error as twisted_error
from twisted.internet.threads import deferToThread
from twisted.python.failure import Failure
from w3lib.url import canonicalize_url

from crawler import startup
from crawler.analysis import PageAnalyser, PageAnalysis, default_workers
from crawler.browser import INSTALL_HINT, browser_available, playwright_settings, render_meta
from crawler.extract.company import registered_domain
from crawler.items import PageItem
from crawler.jobrun import JobRun, Seed
from crawler.netguard import NetworkPolicy, endpoints_from_dicts
from crawler.resolver import GUARD_PREFIX, REFUSED_NAMES, installed_resolver
from crawler.signals import JOB_STATUS_STAT, CrawlSignal
from crawler.spiders.args import NAMES, SCRAPYD_NAMES, LeadsArgs
from db import jobs as jobdb
from db.accounts import get_or_create_cli_account
from db.credits import affordable_urls
from db.engine import session_scope
from db.launch import guard_endpoints, job_launch
from db.leads import suppressed_values
from db.models import Account, Job, UrlOutcome

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

# Pages that hold contacts, in any of the languages we crawl: fetched first, so the page cap
# never cuts them off.
CONTACT_PATH = re.compile(
    r"contact|kontakt|impressum|imprint|about|ueber-uns|uber-uns|über-uns|team|people|staff|leadership|"
    r"management|founders|equipe|équipe|qui-sommes-nous|a-propos|mentions-legales|legal|careers|jobs|"
    r"karriere|emplois|recrutement|press|presse|company|unternehmen|societe|office|locations|standort",
    re.IGNORECASE,
)
TIME_LIMIT = "closespider_timeout"  # Scrapy's close reason for CLOSESPIDER_TIMEOUT
HTML_TYPES = (b"text/html", b"application/xhtml+xml", b"text/plain", b"application/xml", b"text/xml")
SITEMAP_GUESSES = ("/sitemap.xml", "/sitemap_index.xml")
# Bot walls that answer with a challenge page instead of the site (the status alone says 503).
CHALLENGE_MARKERS = (b"cf-challenge", b"challenge-platform", b"captcha")
# A bot wall served with 200: one of these titles *and* a challenge marker (a contact form's
# reCAPTCHA alone is no wall).
CHALLENGE_TITLE = re.compile(
    rb"<title>\s*(just a moment|attention required|are you a robot|verify you are human|"
    rb"pardon our interruption|security check|access denied)",
    re.IGNORECASE,
)


class LeadsSpider(scrapy.Spider):
    """Crawl the sites of one job and yield a ``PageItem`` per HTML page.

    Seed URLs are claimed from the job's ``job_urls`` rows in batches (``LEADSCRAPER_CLAIM_BATCH``),
    so several processes can share a job. From each seed, links inside the same registered domain are
    followed up to ``depth`` hops, contact-like pages first: at most ``LEADSCRAPER_MAX_PAGES_PER_SITE``
    pages read a site, and at most ``LEADSCRAPER_MAX_FAILED_PAGES_PER_SITE`` failed requests, so broken
    links neither use up the pages' budget nor keep a crawl going. A seed ends ``done`` when at least
    one of its pages was crawled, else ``failed`` with the seed page's reason; either way with one
    outcome code (``jobrun.Seed.outcome``).
    """

    name = "leads"
    # set in from_crawler, from settings
    max_pages: int
    max_failed_pages: int
    claim_batch: int
    default_region: str
    job_timeout: float
    page_timeout: float  # DOWNLOAD_TIMEOUT (a spider attribute named download_timeout is deprecated)
    deadline: float
    lease: timedelta
    render_mode: str
    browser: bool
    analyser: PageAnalyser

    def __init__(self, **kwargs: Any) -> None:
        scrapyd = startup.launched_by_scrapyd(kwargs)
        # under scrapyd every argument is judged (only job_id and launch_token pass); else only ours
        ours = kwargs if scrapyd else {k: v for k, v in kwargs.items() if k in NAMES}
        self.args = LeadsArgs.parse(scrapyd=scrapyd, **ours)
        super().__init__(**{k: v for k, v in kwargs.items() if k not in NAMES | SCRAPYD_NAMES})
        self.run: JobRun | None = None
        self._claiming = False
        self._warned_no_browser = False
        # Seed requests bypass the dupefilter (each seed must be fetched for its own outcome), so
        # links to another seed's URL are skipped here instead of fetching the page twice.
        self.seed_urls: set[str] = set()
        self.worker = jobdb.worker_name()
        self._link_order = itertools.count()  # keeps the backlog's order stable among equals

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> LeadsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider._check_launch_settings(settings)
        spider.max_pages = settings.getint("LEADSCRAPER_MAX_PAGES_PER_SITE")
        spider.max_failed_pages = settings.getint("LEADSCRAPER_MAX_FAILED_PAGES_PER_SITE")
        spider.claim_batch = settings.getint("LEADSCRAPER_CLAIM_BATCH")
        spider.default_region = settings.get("LEADSCRAPER_DEFAULT_REGION")
        spider.job_timeout = settings.getfloat("CLOSESPIDER_TIMEOUT")
        spider.page_timeout = settings.getfloat("DOWNLOAD_TIMEOUT")
        spider.deadline = time.monotonic() + spider.job_timeout if spider.job_timeout else 0.0
        spider.lease = timedelta(seconds=settings.getfloat("LEADSCRAPER_LEASE_SECONDS"))
        spider.render_mode = spider._render_mode()
        spider.analyser = PageAnalyser(default_workers(settings.get("LEADSCRAPER_EXTRACT_WORKERS")))
        spider.browser = spider.render_mode != "never" and browser_available()
        if spider.browser:
            # Settings are still open here (Scrapy >= 2.11): only crawls that may render pay for
            # the Playwright driver; the browser itself starts on the first rendered page.
            for key, value in playwright_settings(settings.get("LEADSCRAPER_RESOLVE", "")).items():
                settings.set(key, value, priority="spider")
        crawler.signals.connect(spider._on_batch_stored, signal=CrawlSignal.BATCH_STORED)
        crawler.signals.connect(spider._on_job_stopping, signal=CrawlSignal.JOB_STOPPING)
        crawler.signals.connect(spider._on_idle, signal=signals.spider_idle)
        crawler.signals.connect(spider._analyser_stop, signal=signals.spider_closed)
        # Started now, not when the spider opens: a worker's start-up and warm-up page (~1.3 s of
        # CPU on a slow machine) overlap Scrapy building its engine on the other core, instead of
        # delaying the first page. Should the engine fail to build, they end with this process.
        spider.analyser.warm_up()
        crawler.signals.connect(spider._on_dropped, signal=signals.request_dropped)
        crawler.signals.connect(spider._on_headers, signal=signals.headers_received)
        return spider

    def _check_launch_settings(self, settings: Any) -> None:
        """Fail closed: no crawl without the network guard, and no guard-relevant override from scrapyd."""
        problems = startup.settings_problems(settings)
        if self.args.scrapyd:
            refused = startup.refused_overrides(settings)
            if refused:
                problems.append(f"started by scrapyd: setting(s) {', '.join(refused)} may not be overridden")
        if problems:
            raise UsageError("the network guard is not in place: " + "; ".join(problems))

    def _render_mode(self) -> str:
        """The job's ``render_js`` option: from the arguments, or the job row for ``job_id`` runs."""
        if self.args.job_id is None:
            return str(self.args.options.get("render_js", "auto"))
        try:
            with session_scope() as session:
                job = session.get(Job, self.args.job_id)
                return str((job.options if job else {}).get("render_js", "auto"))
        except Exception:  # the database is checked again (and reported) when the job opens
            return "auto"

    def _analyser_stop(self, spider: Any = None, reason: str = "") -> None:
        self.analyser.close()

    # -- job set-up and claiming ------------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        # the reactor runs now, so the guard resolver is installed (or not: then nothing is fetched)
        problems = startup.runtime_problems(self.crawler)
        if problems:
            self.logger.error(
                "the network guard is not in place, nothing is crawled: %s", "; ".join(problems)
            )
            return
        self.logger.info("network guard: %s", installed_policy().describe())
        self.run = await maybe_deferred_to_future(deferToThread(self._open_job))
        if self.run is None:
            return
        self.crawler.signals.send_catch_log(signal=CrawlSignal.JOB_OPENED, run=self.run)
        for request in self._claimed(await maybe_deferred_to_future(deferToThread(self._claim))):
            yield request

    def _open_job(self) -> JobRun | None:
        with session_scope() as session:
            if self.args.job_id is None:
                account = None
                if self.args.account:
                    account = (
                        session.get(Account, self.args.account)
                        or session.query(Account).filter(Account.email == self.args.account).one_or_none()
                    )
                    if account is None:
                        self.logger.error(
                            "no account %r: see `leadscraper create-account`", self.args.account
                        )
                        return None
                account = account or get_or_create_cli_account(session)
                options = {**self.args.options, "depth": self.args.depth}
                created = jobdb.create_job(
                    session, account.id, self.args.type, self.args.urls, options, source="cli"
                )
                self.args.job_id = created.id
            job = session.get(Job, self.args.job_id)
            if job is None:
                self.logger.error("job %s does not exist", self.args.job_id)
                return None
            if self.args.scrapyd and job_launch(session, job.id, self.args.launch_token) is None:
                self.logger.error(
                    "job %s: refused, its launch token does not match (not started by the API)", job.id
                )
                return None
            # the API's list of the platform's services (scrapyd nodes, itself, Redis ...) joins ours
            installed_policy().platform.add(endpoints_from_dicts(guard_endpoints(session, job.id)))
            if not jobdb.start_job(session, job.id):
                self.logger.warning("job %s is already %s; nothing to do", job.id, job.status)
                self.crawler.stats.set_value(JOB_STATUS_STAT, str(job.status))
                return None
            self.logger.info(
                "job %s: %d URL(s), type %s, depth %s",
                job.id,
                job.total_urls,
                job.type,
                job.options.get("depth", 1),
            )
            return JobRun(
                job_id=job.id,
                account_id=job.account_id,
                job_type=job.type,
                options=dict(job.options),
                worker=self.worker,
                suppressed=suppressed_values(session, job.account_id),
            )

    def _claim(self) -> tuple[list[tuple[int, str]], bool]:
        """Claim as many seed URLs as the batch size and the account's credits allow (thread).

        Seeds claimed but not yet charged count against the balance plus what is left of the job's
        reservation, so a job never crawls more URLs than the account can pay for. Returns the
        claimed ``(id, url)`` pairs and whether the job is out of credits.

        When the credits cover no further URL, the charges not yet written decide first (a URL that
        fails costs nothing): until they are, nothing is claimed and the idle spider asks again.
        Then the job is out of credits if URLs are left, and this process's share is done if none
        are — a job that spends its last credits on its last URL ends then, not at its time limit.
        """
        run = self.run
        assert run is not None
        if run.stop_reason:
            return [], False
        with session_scope() as session:
            affordable = (
                affordable_urls(session, run.account_id, run.job_id, run.credits_per_url) - run.uncharged
            )
            limit = min(self.claim_batch - run.active, affordable)
            if limit <= 0:
                if affordable > 0 or run.uncharged:
                    return [], False
                if jobdb.open_url_count(session, run.job_id, exclude_worker=self.worker):
                    return [], True
                run.exhausted = True
                return [], False
            rows = jobdb.claim_job_urls(session, run.job_id, limit, worker=self.worker, lease=self.lease)
            claimed = [(row.id, row.url) for row in rows]
        if not claimed:
            run.exhausted = True
        return claimed, False

    def _claimed(self, result: tuple[list[tuple[int, str]], bool]) -> list[Request]:
        """What a claim brought (reactor thread): the new seeds' requests; a stop when out of credits."""
        claimed, out_of_credits = result
        if out_of_credits:
            self.crawler.signals.send_catch_log(
                signal=CrawlSignal.JOB_STOPPING, reason=jobdb.CrawlStop.OUT_OF_CREDITS
            )
        return self._register(claimed)

    def _register(self, claimed: list[tuple[int, str]]) -> list[Request]:
        """Track newly claimed seeds and build their first requests (reactor thread)."""
        assert self.run is not None
        requests = []
        for url_id, url in claimed:
            self.seed_urls.add(canonicalize_url(url))
            seed = Seed(url_id=url_id, url=url, domain=registered_domain(url))
            self.run.seeds[url_id] = seed
            self.run.uncharged += 1
            requests.extend(self._seed_requests(seed))
        return requests

    def _seed_requests(self, seed: Seed) -> list[Request]:
        assert self.run is not None
        if self.run.job_type == "sitemap":
            parts = urlsplit(seed.url)
            root = f"{parts.scheme}://{parts.netloc}"
            if parts.path.endswith((".xml", ".xml.gz")):
                return [self._sitemap_request(seed, seed.url, guesses=())]
            return [
                self._page_request(seed, seed.url, depth=0, is_seed=True),
                self._robots_request(seed, root + "/robots.txt"),
            ]
        return [self._page_request(seed, seed.url, depth=0, is_seed=True)]

    def _page_request(
        self, seed: Seed, url: str, *, depth: int, is_seed: bool = False, priority: int = 0
    ) -> Request:
        assert self.run is not None
        self.run.page_started(seed)
        meta: dict[str, Any] = {"seed_id": seed.url_id, "page_depth": depth, "is_seed": is_seed}
        if self.deadline:
            # no download may outlive the job's time limit (Scrapy's close waits for open downloads)
            left = self.deadline - time.monotonic()
            meta["download_timeout"] = max(1.0, min(self.page_timeout, left))
        if self.render_mode == "always" and self.browser:
            meta.update(render_meta())
            seed.rendered = True
        return Request(
            url,
            callback=self.parse_page,
            errback=self.page_failed,
            priority=priority,
            dont_filter=is_seed,
            meta=meta,
        )

    def _robots_request(self, seed: Seed, url: str) -> Request:
        assert self.run is not None
        self.run.page_started(seed)
        return Request(
            url,
            callback=self.parse_robots,
            errback=self.aux_failed,
            dont_filter=True,
            meta={
                "seed_id": seed.url_id,
                "aux": True,
                "dont_obey_robotstxt": True,
                "handle_httpstatus_all": True,
            },
            priority=10,
        )

    def _sitemap_request(self, seed: Seed, url: str, guesses: tuple[str, ...]) -> Request:
        assert self.run is not None
        self.run.page_started(seed)
        return Request(
            url,
            callback=self.parse_sitemap,
            errback=self.aux_failed,
            dont_filter=True,
            meta={"seed_id": seed.url_id, "aux": True, "guesses": guesses, "handle_httpstatus_all": True},
            priority=10,
        )

    # -- callbacks ----------------------------------------------------------------------------

    async def parse_page(self, response: Response) -> AsyncIterator[Any]:
        seed = self._seed(response.request)
        if seed is None:
            return
        meta = response.meta
        if not isinstance(response, TextResponse) or _looks_binary(response.body):
            ctype = (response.headers.get(b"Content-Type") or b"").decode("latin-1").split(";")[0]
            what = "binary content" if isinstance(response, TextResponse) else "content"
            error = f"not an HTML page ({what} served as {ctype or 'no type'})"
            done = self._page_done(seed, response.request, ok=False, error=error, failure=UrlOutcome.NOT_HTML)
            for out in done:
                yield out
            return
        if is_challenge_page(response.body):
            error = "a bot challenge (captcha) page instead of the site"
            done = self._page_done(
                seed,
                response.request,
                ok=False,
                error=error,
                status=response.status,
                failure=UrlOutcome.BLOCKED,
            )
            for out in done:
                yield out
            return
        run = self.run
        assert run is not None
        rendered = bool(meta.get("playwright"))
        depth = meta["page_depth"]
        analysis = await self.analyser.analyse(
            decoded_html(response),
            response.url,
            seed.domain,
            default_region=self.default_region,
            emails=bool(run.options.get("extract_emails", True)),
            phones=bool(run.options.get("extract_phones", True)),
            socials=bool(run.options.get("extract_social", True)),
            check_render=not rendered and self.render_mode == "auto",
            want_links=depth < run.depth,
        )
        self.crawler.stats.inc_value("leadscraper/pages_parsed")
        if analysis.render_reason:
            for out in self._render_instead(seed, response, analysis):
                yield out
            return
        if rendered:
            seed.pages_rendered += 1
        yield self._page_item(seed, response.url, depth, analysis.facts, "browser" if rendered else "http")
        for out in self._follow(seed, analysis.links, depth + 1):
            yield out
        for out in self._page_done(seed, response.request, ok=True, status=response.status):
            yield out

    def _page_item(self, seed: Seed, url: str, depth: int, facts: Any, fetched_with: str) -> PageItem:
        run = self.run
        assert run is not None
        self.crawler.stats.inc_value(f"leadscraper/pages_fetched_with/{fetched_with}")
        return PageItem(
            job_id=run.job_id,
            account_id=run.account_id,
            job_url_id=seed.url_id,
            url=url,
            depth=depth,
            facts=facts,
            company_domain=seed.domain,
            fetched_with=fetched_with,
        )

    def _render_instead(self, seed: Seed, response: TextResponse, analysis: PageAnalysis) -> Iterator[Any]:
        """Re-fetch a page in the browser; its plain-HTML facts stay as the fallback."""
        depth = response.meta["page_depth"]
        facts, reason = analysis.facts, analysis.render_reason
        # links of the plain HTML are valid whatever the browser shows
        yield from self._follow(seed, analysis.links, depth + 1)
        if not self.browser:
            self.crawler.stats.inc_value("leadscraper/render_unavailable")
            seed.render_note = INSTALL_HINT
            seed.needed_browser = True
            if not self._warned_no_browser:
                self._warned_no_browser = True
                self.logger.warning("%s (%s: %s)", INSTALL_HINT, response.url, reason)
            yield self._page_item(seed, response.url, depth, facts, "http")
            yield from self._page_done(seed, response.request, ok=True, status=response.status)
            return
        self.logger.info("rendering %s in the browser: %s", response.url, reason)
        self.crawler.stats.inc_value("leadscraper/render_requested")
        seed.rendered = True
        plain = response.request
        assert plain is not None
        yield plain.replace(
            dont_filter=True,
            priority=plain.priority + 1,
            errback=self.render_failed,
            meta={
                **response.meta,
                **render_meta(),
                "plain_facts": facts,
                "render_reason": reason,
            },
        )

    def render_failed(self, failure: Failure) -> Iterator[Any]:
        """The browser crashed, hung or refused: the page keeps what its plain HTML showed."""
        request = failure.request  # type: ignore[attr-defined]
        seed = self._seed(request)
        if seed is None:
            return
        why = failure_reason(failure, self.crawler.settings).reason
        self.logger.warning("rendering %s failed (%s); using its plain HTML", request.url, why)
        self.crawler.stats.inc_value("leadscraper/render_failed")
        seed.render_note = f"browser failed: {why}"
        yield self._page_item(
            seed, request.url, request.meta["page_depth"], request.meta["plain_facts"], "http"
        )
        yield from self._page_done(seed, request, ok=True)

    def _follow(self, seed: Seed, links: list[str], depth: int) -> Iterator[Request]:
        """Queue a page's same-site links (canonical, from the analysis); schedule what the budget allows."""
        for url in links:
            if url in seed.seen or url in self.seed_urls:
                continue
            seed.seen.add(url)
            # contact-like pages first, then shallower ones; in the order found otherwise (repeatable)
            priority = 5 - depth + (3 if CONTACT_PATH.search(urlsplit(url).path) else 0)
            heapq.heappush(seed.backlog, (-priority, next(self._link_order), depth, url))
        yield from self._schedule(seed)

    def _schedule(self, seed: Seed, *, failing: int = 0) -> Iterator[Request]:
        """Schedule backlog pages while the site's budgets allow.

        The page cap counts pages read and pages still open, not failed ones, so a page that fails
        gives its place to the next link; failed requests stop the site at their own bound.
        ``failing`` counts a page that is failing now and not yet counted.
        """
        failed = seed.pages_failed + failing
        while seed.backlog and failed < self.max_failed_pages:
            if seed.scheduled - failed >= self.max_pages:
                return
            neg_priority, _, depth, url = heapq.heappop(seed.backlog)
            yield self._page_request(seed, url, depth=depth, priority=-neg_priority)

    def _note_cut(self, seed: Seed) -> None:
        """A site that ends with links left unread says which bound stopped it."""
        if not seed.backlog or seed.cap_note is not None:
            return
        if seed.pages_failed >= self.max_failed_pages:
            self.crawler.stats.inc_value("leadscraper/failed_cap_reached")
            seed.cap_note = f"stopped after {self.max_failed_pages} failed pages (the failed-page cap)"
        else:
            self.crawler.stats.inc_value("leadscraper/page_cap_reached")
            seed.cap_note = f"stopped at the page cap ({self.max_pages} pages a site)"
        seed.backlog.clear()

    def parse_robots(self, response: Response) -> Iterator[Any]:
        seed = self._seed(response.request)
        if seed is None:
            return
        sitemaps: list[str] = []
        if response.status == 200 and isinstance(response, TextResponse):
            sitemaps = list(sitemap_urls_from_robots(response.text, base_url=response.url))
        root = response.url.rsplit("/robots.txt", 1)[0]
        if sitemaps:
            for url in sitemaps:
                yield self._sitemap_request(seed, url, guesses=())
        else:
            yield self._sitemap_request(seed, root + SITEMAP_GUESSES[0], guesses=SITEMAP_GUESSES[1:])
        yield from self._aux_done(seed)

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        seed = self._seed(response.request)
        if seed is None:
            return
        body = sitemap_body(response) if response.status == 200 else None
        sitemap = None
        if body:
            try:
                sitemap = Sitemap(body)
            except Exception:  # lxml raises several kinds on broken XML; such a sitemap is just skipped
                sitemap = None
        if sitemap is None:
            guesses = response.meta.get("guesses") or ()
            if guesses:
                root = f"{urlsplit(response.url).scheme}://{urlsplit(response.url).netloc}"
                yield self._sitemap_request(seed, root + guesses[0], guesses=tuple(guesses[1:]))
            yield from self._aux_done(seed)
            return
        locations = [urljoin(response.url, entry["loc"]) for entry in sitemap if entry.get("loc")]
        if sitemap.type == "sitemapindex":
            for loc in locations:
                if registered_domain(loc) == seed.domain:
                    yield self._sitemap_request(seed, loc, guesses=())
        else:
            same_site = [loc for loc in locations if registered_domain(loc) == seed.domain]
            yield from self._follow(seed, same_site, 1)
        yield from self._aux_done(seed)

    def page_failed(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        seed = self._seed(request)
        if seed is None:
            return
        reason, status, code = failure_reason(failure, self.crawler.settings)
        if code == UrlOutcome.TIMEOUT and self.deadline and time.monotonic() >= self.deadline - 1:
            reason = f"not crawled: the job's time limit ({int(self.job_timeout)} s) was reached"
            code = UrlOutcome.NOT_CRAWLED
            if self.run is not None and self.run.stop_reason is None:
                # The limit ended these downloads (their timeout is cut to it); the job ends for
                # that reason even if the spider goes idle before Scrapy's own timer closes it.
                self.crawler.signals.send_catch_log(signal=CrawlSignal.JOB_STOPPING, reason=TIME_LIMIT)
        self.crawler.stats.inc_value(f"leadscraper/page_failed/{reason.split(' (')[0].split(':')[0]}")
        self.logger.info("page failed: %s: %s", request.url, reason)
        yield from self._page_done(seed, request, ok=False, error=reason, status=status, failure=code)

    def aux_failed(self, failure: Failure) -> Iterator[Any]:
        seed = self._seed(failure.request)  # type: ignore[attr-defined]
        if seed is not None:
            yield from self._aux_done(seed)

    # -- bookkeeping --------------------------------------------------------------------------

    def _seed(self, request: Request | None) -> Seed | None:
        if self.run is None or request is None:
            return None
        return self.run.seeds.get(request.meta.get("seed_id", -1))

    def _page_done(
        self,
        seed: Seed,
        request: Request | None,
        *,
        ok: bool,
        error: str | None = None,
        status: int | None = None,
        failure: UrlOutcome | None = None,
    ) -> Iterator[Any]:
        assert self.run is not None
        is_seed = bool(request is not None and request.meta.get("is_seed"))
        if not ok:
            # the failed page's place in the budget goes to the next link, before the seed could end
            yield from self._schedule(seed, failing=1)
        ended = self.run.page_ended(
            seed,
            ok=ok,
            error=error,
            status=status,
            is_seed_page=is_seed,
            failure=failure,
            url=request.url if request is not None else "",
        )
        if ended:
            self._seed_finished(seed)
            yield from self._refill()

    def _finish(self, seed: Seed) -> None:
        assert self.run is not None
        self.run.finish(seed)
        self._seed_finished(seed)

    def _seed_finished(self, seed: Seed) -> None:
        self._note_cut(seed)
        self.crawler.signals.send_catch_log(signal=CrawlSignal.SEED_FINISHED, seed=seed)

    def _aux_done(self, seed: Seed) -> Iterator[Any]:
        # robots.txt and sitemaps are not pages: they neither succeed nor fail the seed
        assert self.run is not None
        seed.outstanding -= 1
        seed.scheduled -= 1
        if seed.outstanding <= 0 and not seed.finished:
            if seed.pages_ok == 0 and seed.pages_failed == 0:
                seed.seed_error = seed.seed_error or "no pages found in the site's sitemaps"
                seed.seed_failure = seed.seed_failure or UrlOutcome.NO_PAGES
            self._finish(seed)
            yield from self._refill()

    def _refill(self) -> Iterator[Any]:
        """Claim more seeds in the background once a quarter of the window has finished: the
        window stays nearly full, so seeds waiting on dead hosts do not starve the live ones."""
        run = self.run
        if (
            run
            and not (run.exhausted or self._claiming or run.stop_reason)
            and run.active <= self.claim_batch - max(1, self.claim_batch // 4)
        ):
            self._claim_in_background()
        yield from ()

    def _claim_in_background(self) -> None:
        self._claiming = True

        def schedule(result: tuple[list[tuple[int, str]], bool]) -> None:
            self._claiming = False
            for request in self._claimed(result):
                self.crawler.engine.crawl(request)

        def failed(failure: Failure) -> None:
            self._claiming = False
            self.logger.error("claiming URLs failed: %s", failure.getErrorMessage())

        deferToThread(self._claim).addCallbacks(schedule, failed)

    def _on_dropped(self, request: Request, spider: Any = None) -> None:
        seed = self._seed(request)
        if seed is None:
            return
        if request.meta.get("aux"):
            for _ in self._aux_done(seed):
                pass
        else:
            # a duplicate of a page already fetched for this site: not a failure, just nothing new,
            # and its place in the budget goes to the next link
            seed.scheduled -= 1
            for more in self._schedule(seed):
                self.crawler.engine.crawl(more)
            seed.outstanding -= 1
            if seed.outstanding <= 0 and not seed.finished and self.run is not None:
                self._finish(seed)
                for _ in self._refill():
                    pass

    def _on_headers(self, headers: Any, body_length: int, request: Request, spider: Any = None) -> None:
        """Stop downloading a page whose headers say it is not HTML (PDFs, images, archives)."""
        if (
            request.meta.get("aux")
            or request.meta.get("dont_obey_robotstxt")
            or "seed_id" not in request.meta
        ):
            return
        ctype = (headers.get(b"Content-Type") or b"").split(b";")[0].strip().lower()
        if ctype and not ctype.startswith(HTML_TYPES):
            raise StopDownload(fail=True)

    def _on_idle(self, spider: Any = None) -> None:
        run = self.run
        if run is None or run.stop_reason:
            return
        if self._claiming:
            raise DontCloseSpider
        for seed in list(run.seeds.values()):
            if not seed.finished:  # bookkeeping safety net: the engine is idle, so nothing is open
                seed.outstanding = 0
                self._finish(seed)
        if not run.exhausted:
            self._claim_in_background()
            raise DontCloseSpider
        # Our share is done. While other processes still hold URLs of this job, stay and retry
        # claiming: a process that died leaves expired leases, which we then take over.
        with session_scope() as session:
            others = jobdb.open_url_count(session, run.job_id, exclude_worker=self.worker)
        if others:
            run.exhausted = False
            raise DontCloseSpider

    def _on_batch_stored(self, batch: Any, unpaid: list[int]) -> None:
        # batch: the store pipeline's Batch (the crawler does not import its pipelines)
        if self.run is not None:  # these seeds' charges are written: the balance says the rest
            self.run.uncharged -= len(batch.seeds)

    def _on_job_stopping(self, reason: str) -> None:
        """The job stops early (credits, cancel): claim no more; what is open finishes or closes."""
        if self.run is not None:
            self.run.stop_reason = self.run.stop_reason or reason


def installed_policy() -> NetworkPolicy:
    resolver = installed_resolver()
    assert resolver is not None  # checked when the crawl starts
    return resolver.policy


class PageFailure(NamedTuple):
    """Why a page failed: a short human reason, its HTTP status if it had one, and its outcome code."""

    reason: str
    status: int | None
    outcome: UrlOutcome


def http_failure(response: Response) -> PageFailure:
    """An HTTP error status as a failure: bot walls and rate limits told apart from other errors."""
    status = response.status
    if status in (401, 403):
        return PageFailure(f"HTTP {status}: the site refused the crawler", status, UrlOutcome.BLOCKED)
    if status == 429:
        return PageFailure("HTTP 429: the site limits the rate of requests", status, UrlOutcome.RATE_LIMITED)
    if status == 503 and (
        response.headers.get(b"cf-mitigated") or any(m in response.body[:65536] for m in CHALLENGE_MARKERS)
    ):
        return PageFailure(
            "HTTP 503: a bot challenge (captcha) page instead of the site", status, UrlOutcome.BLOCKED
        )
    return PageFailure(f"HTTP {status}", status, UrlOutcome.HTTP_ERROR)


def is_challenge_page(body: bytes) -> bool:
    """True for a bot wall's challenge page (a captcha) in place of the site's own page."""
    head = body[:65536]
    return bool(CHALLENGE_TITLE.search(head)) and any(m in head.lower() for m in CHALLENGE_MARKERS)


def failure_reason(failure: Failure, settings: Any) -> PageFailure:
    """A short, human reason for a failed page, its HTTP status if it had one, and its outcome code."""
    exc: Any = failure.value
    message = str(exc)
    if GUARD_PREFIX in message:
        return PageFailure(message[message.index(GUARD_PREFIX) :], None, UrlOutcome.ADDRESS_REFUSED)
    if failure.check(HttpError):
        return http_failure(exc.response)
    if failure.check(StopDownload):
        response = exc.response
        ctype = response.headers.get(b"Content-Type", b"").decode("latin-1").split(";")[0] if response else ""
        return PageFailure(
            f"not an HTML page ({ctype or 'unknown type'})",
            response.status if response else None,
            UrlOutcome.NOT_HTML,
        )
    if failure.check(DownloadTimeoutError, twisted_error.TimeoutError, twisted_error.TCPTimedOutError):
        return PageFailure(
            f"timeout: no complete answer within {settings.getint('DOWNLOAD_TIMEOUT')} s",
            None,
            UrlOutcome.TIMEOUT,
        )
    limit = settings.getint("DOWNLOAD_MAXSIZE") // (1024 * 1024)
    if failure.check(DownloadCancelledError):
        return PageFailure(
            f"too large: the page exceeds the {limit} MB download cap", None, UrlOutcome.TOO_LARGE
        )
    if failure.check(IgnoreRequest):
        if "robots.txt" in message:
            return PageFailure("disallowed by robots.txt", None, UrlOutcome.ROBOTS_DISALLOWED)
        if "redirection" in message:
            return PageFailure(
                f"too many redirects (more than {settings.getint('REDIRECT_MAX_TIMES')})",
                None,
                UrlOutcome.HTTP_ERROR,
            )
        if "decompress" in message.lower() or "max size" in message.lower():
            return PageFailure(
                f"too large: the page exceeds the {limit} MB download cap once decompressed",
                None,
                UrlOutcome.TOO_LARGE,
            )
        return PageFailure(f"skipped: {message}", None, UrlOutcome.CONNECTION_FAILED)
    if failure.check(CannotResolveHostError, twisted_error.DNSLookupError):
        host = (urlsplit(failure.request.url).hostname or "") if hasattr(failure, "request") else ""
        if host in REFUSED_NAMES:
            return PageFailure(REFUSED_NAMES[host], None, UrlOutcome.ADDRESS_REFUSED)
        return PageFailure("DNS lookup failed: the host name does not resolve", None, UrlOutcome.DNS_FAILED)
    if failure.check(DownloadConnectionRefusedError, twisted_error.ConnectionRefusedError):
        return PageFailure("connection refused", None, UrlOutcome.CONNECTION_FAILED)
    if failure.check(ResponseDataLossError):
        return PageFailure("connection lost: incomplete response", None, UrlOutcome.CONNECTION_FAILED)
    if type(exc).__module__.startswith("playwright"):
        first_line = (message.splitlines() or [""])[0]
        if type(exc).__name__ == "TimeoutError":
            return PageFailure(
                f"timeout: the page did not finish loading in the browser ({first_line})",
                None,
                UrlOutcome.TIMEOUT,
            )
        return PageFailure(
            f"browser error: {first_line or type(exc).__name__}", None, UrlOutcome.CONNECTION_FAILED
        )
    return PageFailure(
        f"download failed: {failure.getErrorMessage() or type(exc).__name__}",
        None,
        UrlOutcome.CONNECTION_FAILED,
    )


_CHARSET_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)


def decoded_html(response: TextResponse) -> str:
    """The page's text, trusting the bytes over a header that lies about the charset.

    Scrapy decodes by the Content-Type header first; when that says UTF-8 but the bytes are not
    UTF-8 (a common server misconfiguration), the page's own ``<meta charset>`` or Windows-1252 is
    used instead, so that ``Jürgen`` does not become ``J�rgen``.
    """
    text = response.text
    if "\ufffd" not in text:
        return text
    body = response.body
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    match = _CHARSET_META.search(body[:4096])
    for encoding in ([match.group(1).decode("ascii", "ignore")] if match else []) + ["cp1252"]:
        try:
            return body.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return text


def _looks_binary(body: bytes) -> bool:
    """True for bodies that are not text whatever their Content-Type says (images, archives)."""
    head = body[:2048]
    if not head:
        return False
    if b"\x00" in head:
        return True
    control = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return control / len(head) > 0.05


_CONTROL_BYTES = bytes(b for b in range(32) if b < 9 or b > 13)  # not tab, newlines, form feed


def sitemap_body(response: Response) -> bytes | None:
    """A sitemap's XML, gunzipped when needed (``.xml.gz`` files and gzip bodies)."""
    body = response.body
    if gzip_magic_number(response):
        try:
            return gunzip(body, max_size=50 * 1024 * 1024)
        except Exception:  # a corrupt or oversized archive: no sitemap
            return None
    if b"<urlset" in body[:2048] or b"<sitemapindex" in body[:2048] or b"<?xml" in body[:100]:
        return body
    return None
