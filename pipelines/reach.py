"""ReachPipeline: every address a job finds is verified, and people without one get a guessed address."""

from __future__ import annotations

import dataclasses
import logging
from typing import TYPE_CHECKING, Any

from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from crawler.extract.leads import LeadCandidate
from crawler.items import PageItem
from crawler.signals import CrawlSignal
from crawler.verify import EmailGuess, EmailVerification, Verifier, VerifierConfig, guess_email, on_domain
from pipelines.members import CompanyMembers

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from crawler.jobrun import JobRun

logger = logging.getLogger(__name__)


def verify_emails_enabled(options: dict[str, Any]) -> bool:
    """The job option ``verify_emails``; unset, it follows ``qualify_leads`` (on by default)."""
    value = options.get("verify_emails")
    if value is None:
        return bool(options.get("qualify_leads", True))
    return bool(value)


class ReachPipeline:
    """Verifies the addresses of each page's lead candidates and guesses the missing ones.

    Runs after the merge (a candidate's address is final for the page) and before the qualify
    pipeline, whose score counts a deliverable address. One ``Verifier`` per job caches DNS and SMTP
    answers per domain, paces probes per mail host and bounds each address in time; it blocks, so
    each page's addresses are verified in a reactor worker thread and the item moves on when they
    are done (pages of other sites keep downloading meanwhile).

    E-mail finding: the run collects, per company domain, the (name, address) pairs of named
    people whose personal address is on that domain. When a page adds one, every person of that
    company still without an address is guessed again (``crawler.verify.guess_email``); a changed
    guess goes to the store on the item (``item.rescored``). A guess is verified like an address
    where possible, is never the candidate's ``email`` and never a key the merge joins on.

    The job option ``verify_emails`` (default: on when the job qualifies its leads) switches all of
    it off for that job. Settings: the ``LEADSCRAPER_SMTP_*``, ``LEADSCRAPER_DNS_*`` and
    ``LEADSCRAPER_VERIFY_BUDGET`` variables (``crawler/verify/README.md``), and the crawl's network
    guard (its allowlist and the platform's services, which no probe ever reaches).
    """

    def __init__(self, crawler: Crawler, config: VerifierConfig) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.config = config
        self.verifier: Verifier | None = None
        self.enabled = False
        # company domain -> {address: name} of its named people with an address on its domain
        self.known: dict[str, dict[str, str]] = {}
        self.members = CompanyMembers()
        self.verified_for: dict[int, str] = {}  # id(candidate) -> the address its verification is of

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReachPipeline:
        settings = crawler.settings
        config = VerifierConfig.from_env().with_platform(settings.getlist("LEADSCRAPER_PLATFORM_ENDPOINTS"))
        pipeline = cls(crawler, config)
        crawler.signals.connect(pipeline.job_opened, signal=CrawlSignal.JOB_OPENED)
        return pipeline

    def job_opened(self, run: JobRun) -> None:
        self.enabled = verify_emails_enabled(run.options)
        if self.enabled:
            self.verifier = Verifier(self.config)

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageItem) or not self.enabled or self.verifier is None:
            return item
        domain = item.company_domain
        self.members.add(item)
        learnt = self._learn(domain, item.leads)
        people = self.members.live(domain) if learnt else list(item.leads)
        guessed = [c for c in people if self._guess(c)]
        for candidate in guessed:
            if all(candidate is not own for own in item.leads) and all(
                candidate is not r for r in item.rescored
            ):
                item.rescored.append(candidate)
        unverified = [c for c in item.leads if c.email and self.verified_for.get(id(c)) != c.email]
        guesses = [c for c in guessed if c.email_guess is not None]
        if not unverified and not guesses:
            return item
        addresses = [c.email for c in unverified] + [c.email_guess.address for c in guesses]
        d = deferToThread(self.verifier.verify_many, addresses)
        d.addCallback(self._verified, unverified, guesses, item)
        d.addErrback(self._failed, item)
        return await maybe_deferred_to_future(d)

    def _verified(
        self,
        results: list[EmailVerification],
        unverified: list[LeadCandidate],
        guesses: list[LeadCandidate],
        item: PageItem,
    ) -> PageItem:
        for candidate, result in zip(unverified, results, strict=False):
            candidate.email_verification = result
            self.verified_for[id(candidate)] = candidate.email or ""
            self.stats.inc_value(f"leadscraper/verify/{result.status.value}")
        for candidate, result in zip(guesses, results[len(unverified) :], strict=False):
            guess = candidate.email_guess
            if guess is not None and guess.address == result.email:
                candidate.email_guess = _with_verification(guess, result)
        return item

    def _failed(self, failure: Any, item: PageItem) -> PageItem:
        # A verifier bug must not lose the page's leads: they are stored unverified.
        logger.error("verifying the addresses of %s failed: %s", item.url, failure.getTraceback())
        self.stats.inc_value("leadscraper/verify/errors")
        return item

    def _learn(self, domain: str, candidates: list[LeadCandidate]) -> bool:
        """Add the page's named people with an address on the company's domain; True if any is new."""
        known = self.known.setdefault(domain, {})
        new = False
        for candidate in candidates:
            email = candidate.email
            if not email or not candidate.full_name or candidate.contact_type != "personal":
                continue
            if not on_domain(email, domain):
                continue
            if known.get(email) != candidate.full_name:
                known[email] = candidate.full_name
                new = True
        return new

    def _guess(self, candidate: LeadCandidate) -> bool:
        """Guess (again) the address of a person without one; True when the guess changed."""
        if candidate.email or not candidate.full_name or candidate.contact_type != "personal":
            if candidate.email_guess is not None and candidate.email:
                candidate.email_guess = None  # the person's own address turned up
            return False
        pairs = [(name, email) for email, name in self.known.get(candidate.company_domain, {}).items()]
        guess = guess_email(candidate.full_name, pairs) if pairs else None
        before = candidate.email_guess
        if guess is None:
            candidate.email_guess = None
            return before is not None
        if before is not None and _same_guess(before, guess):
            return False
        candidate.email_guess = guess
        self.stats.inc_value("leadscraper/verify/guesses")
        return True


def _same_guess(a: EmailGuess, b: EmailGuess) -> bool:
    return (a.address, a.pattern, a.confidence, a.basis) == (b.address, b.pattern, b.confidence, b.basis)


def _with_verification(guess: EmailGuess, result: EmailVerification) -> EmailGuess:
    return dataclasses.replace(guess, verification=result)
