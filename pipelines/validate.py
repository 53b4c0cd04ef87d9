"""ValidatePipeline: every contact point re-checked before it can become a lead."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import DropItem

from crawler.extract.emails import normalize_email
from crawler.extract.leads import person_identity
from crawler.items import PageItem
from crawler.signals import CrawlSignal
from db.privacy import suppression_keys

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from crawler.jobrun import JobRun

E164 = re.compile(r"^\+[1-9]\d{6,14}$")


class ValidatePipeline:
    """Drops malformed items and any email, phone or person that fails validation or is suppressed.

    Emails go through ``normalize_email`` again (the single source of truth), phones must be E.164,
    and contacts on the account's suppression list (email, phone or whole domain, as
    ``db.privacy.suppression_keys`` defines it; read when the job opens) never pass. Nor does a
    person of a suppressed email or phone named without it (``person:`` keys the suppression
    remembers, or that a page of this crawl showed beside the contact: ``run.suppressed_people``,
    which the store writes down).
    Stats: ``leadscraper/validate/items``, ``.../dropped_items``, ``.../dropped_contacts``,
    ``.../suppressed``.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.suppressed: set[str] = set()  # kind:value strings (db.leads.suppressed_values)
        self.run: JobRun | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.job_opened, signal=CrawlSignal.JOB_OPENED)
        return pipeline

    def job_opened(self, run: JobRun) -> None:
        self.run = run
        self.suppressed = run.suppressed

    def _suppressed(
        self, email: str | None = None, phone: str | None = None, domain: str | None = None
    ) -> bool:
        suppressed = self.suppressed
        if not suppressed:
            return False
        return any(f"{kind}:{value}" in suppressed for kind, value in suppression_keys(email, phone, domain))

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageItem):
            return item
        self.stats.inc_value("leadscraper/validate/items")
        if not item.job_id or not item.url.startswith(("http://", "https://")):
            self.stats.inc_value("leadscraper/validate/dropped_items")
            raise DropItem(f"page item without a job or an http(s) URL: {item.url!r}")
        suppressed = self.suppressed
        facts = item.facts

        def email_ok(email: str | None) -> bool:
            if email is None:
                return True
            if normalize_email(email) != email:
                self.stats.inc_value("leadscraper/validate/dropped_contacts")
                return False
            if self._suppressed(email=email):
                self.stats.inc_value("leadscraper/validate/suppressed")
                return False
            return True

        def phone_ok(phone: str | None) -> bool:
            if phone is None:
                return True
            if not E164.match(phone):
                self.stats.inc_value("leadscraper/validate/dropped_contacts")
                return False
            if self._suppressed(phone=phone):
                self.stats.inc_value("leadscraper/validate/suppressed")
                return False
            return True

        if self._suppressed(domain=item.company_domain):
            self.stats.inc_value("leadscraper/validate/suppressed")
            raise DropItem(f"{item.company_domain} is suppressed for this account")
        facts.emails = [e for e in facts.emails if email_ok(e.email)]
        facts.phones = [p for p in facts.phones if phone_ok(p.e164)]
        people = []
        for person in facts.people:
            email = person.email if email_ok(person.email) else None
            phone = person.phone if phone_ok(person.phone) else None
            # (an account without suppressions has no person to look for)
            key = person_identity(person.name, item.company_domain) if suppressed and person.name else None
            contact = None
            if person.email and email is None and f"email:{person.email.lower()}" in suppressed:
                contact = ("email", person.email.lower())
            elif person.phone and phone is None and self._suppressed(phone=person.phone):
                contact = ("phone", person.phone)
            if contact is not None:
                # a suppressed person is dropped whole, not stored without the address; their name
                # is theirs too, on the next page and in the next job
                if key is not None:
                    suppressed.add(key)
                    if self.run is not None:
                        self.run.suppressed_people.setdefault(contact, set()).add(key)
                continue
            if email is None and key is not None and key in suppressed:
                self.stats.inc_value("leadscraper/validate/suppressed")
                continue  # the person of a suppressed contact, named without it
            people.append(replace(person, email=email, phone=phone))
        facts.people = people
        return item
