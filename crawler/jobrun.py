"""This process's share of one job: the seed URLs it has claimed and how each one is going."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from db.credits import credits_per_url
from db.models import JobUrlStatus, UrlOutcome


@dataclass
class Seed:
    """One claimed ``JobUrl``: a site crawl rooted at ``url``, with its open and finished pages."""

    url_id: int
    url: str
    domain: str
    outstanding: int = 0  # page requests scheduled and not yet answered, failed or dropped
    scheduled: int = 0  # requests scheduled and not dropped (pages and robots/sitemaps)
    pages_ok: int = 0
    pages_failed: int = 0
    seed_error: str | None = None  # why the seed page itself failed
    seed_failure: UrlOutcome | None = None  # the outcome code of ``seed_error``
    last_error: str | None = None  # the last error any page of the site met, with its URL
    http_status: int | None = None
    finished: bool = False
    rendered: bool = False  # some page of this site needed the browser (costs a surcharge)
    pages_rendered: int = 0
    render_note: str | None = None  # why a page that needed the browser was read without it
    needed_browser: bool = False  # a page needed the browser and there was none
    seen: set[str] = field(default_factory=set)  # canonical URLs scheduled (or waiting) for this site
    # same-site links found but not yet scheduled: the page budget lets them in as pages end
    backlog: list[tuple[int, int, int, str]] = field(default_factory=list)  # (-priority, order, depth, url)
    cap_note: str | None = None  # set when the per-site page cap stopped the crawl of this site
    claimed_at: float = field(default_factory=time.time)  # wall clock, as the claim's ``started_at``
    finished_at: float | None = None

    def outcome(self, leads_found: int) -> tuple[JobUrlStatus, str | None, UrlOutcome]:
        """The ``JobUrl`` status, reason and outcome code once the site's crawl has ended.

        Read pages make the URL ``done`` (charged) — unless they needed the browser, there was
        none, and they held no contact: that site was not really read, so it fails, for free.
        Otherwise the seed page's failure decides; robots.txt and the network guard "refuse".
        """
        if self.pages_ok:
            if self.needed_browser and not leads_found:
                return JobUrlStatus.FAILED, self.render_note, UrlOutcome.NEEDS_BROWSER
            notes = [n for n in (self.cap_note, self.render_note) if n]
            if self.cap_note:
                code = UrlOutcome.PAGE_CAP
            else:
                code = UrlOutcome.OK if leads_found else UrlOutcome.NO_CONTACTS
            return JobUrlStatus.DONE, "; ".join(notes) or None, code
        reason = self.seed_error or "no page of the site could be crawled"
        code = self.seed_failure or UrlOutcome.CONNECTION_FAILED
        never_fetched = code in (UrlOutcome.ROBOTS_DISALLOWED, UrlOutcome.ADDRESS_REFUSED)
        return (JobUrlStatus.REFUSED if never_fetched else JobUrlStatus.FAILED), reason, code


@dataclass
class JobRun:
    """State of one job inside one spider process, kept by the spider.

    The spider adds seeds when it claims them and marks pages as they finish; a finished seed
    leaves ``seeds`` and goes to the store pipeline (signal ``SEED_FINISHED``), which records its
    outcome and credit charge with its leads. The spider hands this object to the other
    components when the job opens (``JOB_OPENED``): they read its identity, options and
    suppressions, and the claims still open (``claimed_url_ids``).
    """

    job_id: str
    account_id: str
    job_type: str
    options: dict[str, Any]
    worker: str = ""  # this process's name in ``JobUrl.claimed_by``
    seeds: dict[int, Seed] = field(default_factory=dict)  # claimed and not finished
    exhausted: bool = False  # no more URLs to claim (for this process)
    stop_reason: str | None = None  # set when the job must stop early (credits, cancel)
    suppressed: set[str] = field(default_factory=set)  # kind:value strings (db.leads.suppressed_values)
    # people pages named beside a suppressed contact, since the store last wrote them down:
    # {(kind, value): {person key}} (db.privacy.remember_people)
    suppressed_people: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    uncharged: int = 0  # seeds claimed whose outcome (and charge) is not yet written

    @property
    def credits_per_url(self) -> int:
        return credits_per_url(self.options)

    @property
    def depth(self) -> int:
        return int(self.options.get("depth", 1))

    @property
    def active(self) -> int:
        return len(self.seeds)

    def claimed_url_ids(self) -> list[int]:
        """The ``JobUrl`` ids this process holds and has not finished (their leases need renewal)."""
        return list(self.seeds)

    def page_started(self, seed: Seed) -> None:
        seed.outstanding += 1
        seed.scheduled += 1

    def page_ended(
        self,
        seed: Seed,
        *,
        ok: bool,
        error: str | None = None,
        status: int | None = None,
        is_seed_page: bool = False,
        failure: UrlOutcome | None = None,
        url: str = "",
    ) -> bool:
        """Count a finished page; returns True when that was the seed's last open page."""
        if ok:
            seed.pages_ok += 1
        else:
            seed.pages_failed += 1
            if error:
                seed.last_error = f"{error} ({url})" if url else error
        if is_seed_page:
            seed.seed_error = None if ok else error
            seed.seed_failure = None if ok else failure
            seed.http_status = status
        elif error and seed.pages_ok == 0 and seed.seed_error is None:
            seed.seed_error = error
            seed.seed_failure = failure
        seed.outstanding -= 1
        if seed.outstanding <= 0 and not seed.finished:
            self.finish(seed)
            return True
        return False

    def finish(self, seed: Seed) -> None:
        seed.finished = True
        seed.finished_at = time.time()
        self.seeds.pop(seed.url_id, None)
