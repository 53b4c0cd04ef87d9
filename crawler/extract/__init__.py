"""Pure extractors: HTML in, facts with evidence out. No Scrapy engine, no database, no network."""

from __future__ import annotations

from datetime import datetime

from crawler.extract.facts import (
    CompanyFact,
    EmailFact,
    Evidence,
    PageFacts,
    PersonFact,
    PhoneFact,
    SocialFact,
)
from crawler.extract.page import Page

__all__ = [
    "CompanyFact",
    "EmailFact",
    "Evidence",
    "Page",
    "PageFacts",
    "PersonFact",
    "PhoneFact",
    "SocialFact",
    "extract_facts",
    "extract_page",
]

# Page text kept per page for the LLM scorer: enough for an about or careers page, small enough
# that a 40-page site stays a few hundred kB in memory.
QUALIFY_TEXT_CHARS = 4000


def extract_page(
    html: str,
    url: str,
    *,
    default_region: str = "US",
    emails: bool = True,
    phones: bool = True,
    socials: bool = True,
    now: datetime | None = None,
) -> PageFacts:
    """Run every extractor over one page and return what they found.

    ``emails``/``phones``/``socials`` switch off a kind of contact point (the job options
    ``extract_emails`` etc.); people are always extracted, but keep only the switched-on contacts.
    Buying signals, enrichment facts, the company's postal address and a trimmed copy of the page
    text are extracted for the company and lead qualification; ``now`` is the crawl time that
    "recent" is measured from (default: now).
    """
    page = Page(html, url, default_region=default_region)
    return extract_facts(page, emails=emails, phones=phones, socials=socials, now=now)


def extract_facts(
    page: Page,
    *,
    emails: bool = True,
    phones: bool = True,
    socials: bool = True,
    now: datetime | None = None,
) -> PageFacts:
    """``extract_page`` on an already parsed page (so callers can reuse the parse)."""
    from crawler.extract.address import extract_addresses
    from crawler.extract.company import extract_company
    from crawler.extract.emails import extract_emails
    from crawler.extract.firmographics import extract_firmographics
    from crawler.extract.people import extract_people
    from crawler.extract.phones import extract_phones
    from crawler.extract.signals import detect_signals
    from crawler.extract.social import extract_socials

    url = page.url
    facts = PageFacts(url=url)
    if emails:
        facts.emails = extract_emails(page)
    if phones:
        facts.phones = extract_phones(page)
    if socials:
        facts.socials = extract_socials(page)
    people = extract_people(page)
    facts.people = [
        PersonFact(
            name=p.name,
            evidence=p.evidence,
            job_title=p.job_title,
            email=p.email if emails else None,
            phone=p.phone if phones else None,
            profiles=p.profiles if socials else {},
        )
        for p in people
    ]
    facts.company = extract_company(page)
    facts.signals = detect_signals(page, now=now)
    facts.firmographics = extract_firmographics(page, people=people, phones=facts.phones)
    facts.addresses = extract_addresses(page)
    facts.text = page.text[:QUALIFY_TEXT_CHARS]
    return facts
