"""Ground truth for the test sites in ``tests/sites/server.py``, written by hand.

Depth
    The crawler starts at ``/`` with a depth limit N (Scrapy's ``DEPTH_LIMIT`` semantics). The start page
    has depth 0; a page has depth d when the shortest chain of links from ``/`` to it is d hops long (a
    redirect does not add a hop). A crawl with depth N fetches every page of depth <= N, so depth=1 means
    the start page plus the pages it links to, depth=2 adds the pages those link to, and so on.
    ``Lead.min_depth`` is the smallest depth of the pages the lead appears on; ``None`` means no chain of
    links from ``/`` reaches it (the sitemap-only pages of northwind-analytics.io).

Sitemap mode
    The crawler reads ``/robots.txt``, follows its ``Sitemap:`` lines (sitemap indexes, gzipped sitemaps)
    and fetches every listed page. Only northwind-analytics.io has sitemaps; ``SiteTruth.sitemap_pages``
    lists what they contain and :meth:`SiteTruth.sitemap_leads` what a perfect crawler then stores.

Lead identity
    A lead is one contact of the site's company:

    - a person: a name (with a job title), with their own email and/or phone when the page shows them
      together, e.g. a team card. Email and phone in the same card are ONE lead. The same person shown
      again elsewhere is still that one lead (``paths`` lists every page), also where the name stands
      alone: "Geschäftsführer: Dr. Hans Müller" in the Impressum is a sighting of Hans Müller's lead;
    - a role address (info@, sales@, kontakt@, bonjour@, privacy@, ...): one lead per email, no name;
    - a phone shown with no email and no person (the company main line, a support line): one lead keyed
      by the phone.

    A lead's key is its email when it has one, else its phone; a named person with neither is keyed by
    the folded name and the company (``Lead.key``: ``person:<name_key>``). Every person on these five
    sites has an email or a phone somewhere, so none of their leads is keyed by name. Contact points
    that sit near a name in a legal notice but belong to the company (the Impressum's info@ and main line
    next to the Geschäftsführer; bonjour@ and the main line next to the Directrice de la publication)
    stay company leads: they must not be attached to that person. A fax number is never a lead.

    Emails are lower-case. Phones are E.164. ``full_name`` is the name exactly as shown on the card
    (academic titles included, e.g. "Dr. Hans Müller"); compare names with :func:`name_key`, which
    folds case and whitespace and drops academic titles and honorifics. ``exact_name=False`` marks the
    one lead whose name a crawler may legitimately garble (a page whose HTTP header lies about its
    charset); compare only its email.

    ``decision_maker`` is True for owners, founders, managing directors (Geschäftsführer, gérante) and
    C-level officers; VPs, heads of department and board members are not decision makers.

Not leads
    ``SiteTruth.not_leads`` lists values that must never be stored as an email or phone of any lead:
    email-like strings in image names, script URLs and DSNs, form placeholders, addresses that only
    appear on error pages, oversized pages, PDFs or robots-disallowed pages, and phone-like numbers
    (fax, registration and tax numbers) a naive parser would accept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Lead:
    email: str | None
    phone: str | None  # E.164
    full_name: str | None
    job_title: str | None
    paths: tuple[str, ...]  # every page (path) the lead appears on
    min_depth: int | None  # None: not reachable by links from "/" (sitemap only)
    decision_maker: bool = False
    exact_name: bool = True
    named_only: tuple[str, ...] = ()  # paths of ``paths`` that show the name without its email or phone

    @property
    def key(self) -> str:
        """The lead's identity: its email if it has one, else its phone, else ``person:<name_key>``."""
        return self.email or self.phone or f"person:{name_key(self.full_name)}"


@dataclass(frozen=True)
class PathOutcome:
    """What a perfect crawler does with one path of brokenwidgets.net.

    ``outcome`` is one of ``ok`` (fetched, parsed), ``failed`` (recorded as a failed page), ``skipped``
    (fetched or headed, but not parsed because it is not HTML) or ``not_requested`` (must never be
    requested at all). ``accepted`` lists the outcomes a test should accept. ``reason`` lists substrings
    of which at least one should occur (case-insensitively) in the recorded failure/skip reason.
    """

    outcome: str
    http_status: int | None
    reason: tuple[str, ...] = ()
    accepted: tuple[str, ...] = ()
    leads: tuple[str, ...] = ()  # keys of the leads this page yields
    note: str = ""

    def accepts(self, outcome: str) -> bool:
        return outcome == self.outcome or outcome in self.accepted


@dataclass(frozen=True)
class SiteTruth:
    host: str
    company_name: str  # display name (og:site_name, titles)
    legal_name: str
    domain: str
    country: str  # ISO 3166 alpha-2, also the phone region for national numbers
    lang: str
    pages: dict[str, int | None]  # every HTML page served with 200 and parsed -> its link depth
    leads: tuple[Lead, ...]
    company_socials: tuple[str, ...] = ()
    not_leads: tuple[str, ...] = ()
    sitemap_pages: tuple[str, ...] = ()
    outcomes: dict[str, PathOutcome] = field(default_factory=dict)
    robots_disallowed: tuple[str, ...] = ()
    needs_browser: bool = False  # contacts and links appear only after the pages' scripts run

    def leads_at_depth(self, depth: int) -> tuple[Lead, ...]:
        """The leads a perfect link-following crawl with depth limit ``depth`` stores."""
        return tuple(lead for lead in self.leads if lead.min_depth is not None and lead.min_depth <= depth)

    def pages_at_depth(self, depth: int) -> tuple[str, ...]:
        return tuple(p for p, d in self.pages.items() if d is not None and d <= depth)

    def sitemap_leads(self) -> tuple[Lead, ...]:
        """The leads a perfect crawl in sitemap mode stores (pages listed in the sitemaps only)."""
        listed = set(self.sitemap_pages)
        return tuple(lead for lead in self.leads if listed.intersection(lead.paths))

    def lead(self, key: str) -> Lead:
        for lead in self.leads:
            if lead.key == key:
                return lead
        raise KeyError(key)


_TITLES = re.compile(r"\b(dr|prof|mr|mrs|ms|mme|mlle|m|herr|frau|dipl\.?-ing)\.?(?=\s)", re.IGNORECASE)


def name_key(name: str | None) -> str | None:
    """A person's name folded for comparison: no academic titles/honorifics, case or extra spaces."""
    if name is None:
        return None
    return " ".join(_TITLES.sub(" ", name).split()).casefold()


# --------------------------------------------------------------------------------------------------
# acme-robotics.com

_ACME_PAGES: dict[str, int | None] = {
    "/": 0,
    "/about": 1,
    "/team": 1,
    "/careers": 1,
    "/contact": 1,
    "/privacy": 1,
    "/imprint": 1,
    "/about/leadership": 2,
    "/about/leadership/board": 3,
}

ACME = SiteTruth(
    host="acme-robotics.com",
    company_name="Acme Robotics",
    legal_name="Acme Robotics, Inc.",
    domain="acme-robotics.com",
    country="US",
    lang="en",
    pages=_ACME_PAGES,
    leads=(
        # Main line: footer of every page, plus /contact, /imprint and the JSON-LD on /about.
        Lead(None, "+15125550147", None, None, tuple(_ACME_PAGES), 0),
        Lead("sales@acme-robotics.com", None, None, None, ("/contact",), 1),
        # "info [at] acme-robotics [dot] com"
        Lead("info@acme-robotics.com", None, None, None, ("/contact",), 1),
        Lead(None, "+15125550191", None, None, ("/contact",), 1),  # customer support line
        Lead("careers@acme-robotics.com", None, None, None, ("/careers",), 1),
        Lead("privacy@acme-robotics.com", None, None, None, ("/privacy",), 1),
        Lead(
            "dana.whitfield@acme-robotics.com",
            None,
            "Dana Whitfield",
            "CEO & Co-Founder",
            ("/team", "/about/leadership"),
            1,
            decision_maker=True,
        ),
        Lead(
            "marcus.okafor@acme-robotics.com", "+15125550163", "Marcus Okafor", "VP of Sales", ("/team",), 1
        ),
        Lead("priya.raman@acme-robotics.com", None, "Priya Raman", "Head of Engineering", ("/team",), 1),
        Lead(None, "+15125550178", "Tyler Brooks", "Account Executive", ("/team",), 1),
        Lead(
            "elena.vasquez@acme-robotics.com",
            None,
            "Elena Vasquez",
            "Chief Financial Officer",
            ("/about/leadership",),
            2,
            decision_maker=True,
        ),
        Lead(
            "rlinde@acme-robotics.com",
            None,
            "Robert Linde",
            "Independent Board Member",
            ("/about/leadership/board",),
            3,
        ),
    ),
    company_socials=(
        "https://www.linkedin.com/company/acme-robotics",
        "https://x.com/acmerobotics",
        "https://www.youtube.com/@acmerobotics",
    ),
    not_leads=(
        "logo@2x.png",
        "logo-white@2x.png",
        "lodash@4.17.21",
        "8c4f1e2a9b7d4c3e8f6a5b4c3d2e1f0a@o450213.ingest.sentry.io",
        "acme-web@3.4.1",
        "jane@yourcompany.com",  # form placeholder
        "+10802345678",  # Texas SOS file number on /imprint
    ),
    robots_disallowed=("/admin/", "/cart"),
)

# --------------------------------------------------------------------------------------------------
# mueller-maschinenbau.de

_MUELLER_PAGES: dict[str, int | None] = {
    "/": 0,
    "/ueber-uns": 1,
    "/team": 1,
    "/karriere": 1,
    "/kontakt": 1,
    "/impressum": 1,
    "/datenschutz": 1,
    "/cdn-cgi/l/email-protection": 2,  # Cloudflare's page, linked from the obfuscated address; no contacts
}
_MUELLER_SITE_PAGES = tuple(p for p in _MUELLER_PAGES if not p.startswith("/cdn-cgi/"))

MUELLER = SiteTruth(
    host="mueller-maschinenbau.de",
    company_name="Müller Maschinenbau",
    legal_name="Müller Maschinenbau GmbH",
    domain="mueller-maschinenbau.de",
    country="DE",
    lang="de",
    pages=_MUELLER_PAGES,
    leads=(
        # Zentrale: footer "+49 (0)89 1234567-0" on every site page, "089 12345670" on /kontakt,
        # "+49 (0)89 1234567-0" on /team (intro) and /impressum.
        Lead(None, "+498912345670", None, None, _MUELLER_SITE_PAGES, 0),
        Lead("kontakt@mueller-maschinenbau.de", None, None, None, ("/kontakt",), 1),  # data-cfemail
        # href="/cdn-cgi/l/email-protection#..."
        Lead("vertrieb@mueller-maschinenbau.de", None, None, None, ("/kontakt",), 1),
        Lead("info@mueller-maschinenbau.de", None, None, None, ("/impressum",), 1),
        Lead("datenschutz@mueller-maschinenbau.de", None, None, None, ("/datenschutz",), 1),
        Lead("bewerbung@mueller-maschinenbau.de", None, None, None, ("/karriere",), 1),
        Lead(
            "h.mueller@mueller-maschinenbau.de",
            None,
            "Dr. Hans Müller",
            "Geschäftsführer",
            ("/team", "/impressum"),
            1,
            decision_maker=True,
            named_only=("/impressum",),  # "Geschäftsführer: Dr. Hans Müller", no contact point
        ),
        Lead(
            "k.schmidt@mueller-maschinenbau.de",
            "+498912345612",
            "Katrin Schmidt",
            "Vertriebsleiterin",
            ("/team",),
            1,
        ),  # "089 / 123 456-12"
        Lead(
            "s.wagner@mueller-maschinenbau.de",
            "+4989123456730",
            "Stefan Wagner",
            "Technischer Leiter",
            ("/team",),
            1,
        ),  # "+49 89 1234567-30"
        Lead(None, "+4989123456740", "Julia Becker", "Kundenservice & Ersatzteile", ("/team",), 1),
    ),
    company_socials=(
        "https://www.linkedin.com/company/mueller-maschinenbau",
        "https://www.xing.com/pages/mueller-maschinenbau-gmbh",
        "https://www.youtube.com/@muellermaschinenbau",
    ),
    not_leads=(
        "+498912345679",  # Fax: footer "+49 (0)89 1234567-9", /kontakt "089 12345679", Impressum Telefax
        "+49123456789",  # USt-IdNr. DE123456789
        "+4914312345678",  # Steuernummer 143/123/45678
        "max.mustermann@firma.de",  # form placeholder
    ),
    robots_disallowed=("/intern/",),
)

# --------------------------------------------------------------------------------------------------
# atelier-dupont.fr

_DUPONT_PAGES: dict[str, int | None] = {
    "/": 0,
    "/realisations": 1,
    "/equipe": 1,
    "/contact": 1,
    "/mentions-legales": 1,
}

DUPONT = SiteTruth(
    host="atelier-dupont.fr",
    company_name="Atelier Dupont",
    legal_name="Atelier Dupont SARL",
    domain="atelier-dupont.fr",
    country="FR",
    lang="fr",
    pages=_DUPONT_PAGES,
    leads=(
        # Main line "01 42 68 53 00": footer of every page and /mentions-legales.
        Lead(None, "+33142685300", None, None, tuple(_DUPONT_PAGES), 0),
        Lead("bonjour@atelier-dupont.fr", None, None, None, ("/contact", "/mentions-legales"), 1),
        # presse&#64;atelier-dupont&#46;fr
        Lead("presse@atelier-dupont.fr", None, None, None, ("/contact",), 1),
        Lead(
            "s.dupont@atelier-dupont.fr",
            None,
            "Sophie Dupont",
            "Fondatrice et gérante",
            ("/equipe", "/mentions-legales"),
            1,
            decision_maker=True,
            named_only=("/mentions-legales",),  # "Directrice de la publication : Sophie Dupont, gérante."
        ),
        # c.martin<span>@</span>atelier-dupont.fr, "+33 6 12 34 56 78", on both pages
        Lead(
            "c.martin@atelier-dupont.fr",
            "+33612345678",
            "Claire Martin",
            "Directrice commerciale",
            ("/equipe", "/contact"),
            1,
        ),
        Lead(None, "+33142685304", "Thomas Leroy", "Chef d'atelier", ("/equipe",), 1),  # "01 42 68 53 04"
        # a.rousseau<!-- -->@<!-- -->atelier-dupont.fr, "06 98 76 54 32"
        Lead(
            "a.rousseau@atelier-dupont.fr",
            "+33698765432",
            "Amélie Rousseau",
            "Architecte d'intérieur",
            ("/equipe",),
            1,
        ),
    ),
    company_socials=(
        "https://www.instagram.com/atelierdupont",
        "https://www.linkedin.com/company/atelier-dupont",
        "https://www.pinterest.fr/atelierdupont",
    ),
    not_leads=(
        "+33812345678",  # RCS Paris / SIREN 812 345 678 (also in SIRET and TVA numbers)
        "prenom.nom@exemple.fr",  # form placeholder
    ),
)

# --------------------------------------------------------------------------------------------------
# northwind-analytics.io (sitemap only)

NORTHWIND = SiteTruth(
    host="northwind-analytics.io",
    company_name="Northwind Analytics",
    legal_name="Northwind Analytics, Inc.",
    domain="northwind-analytics.io",
    country="US",
    lang="en",
    pages={
        "/": 0,
        "/product": None,
        "/company/contact": None,
        "/company/people/ana-lima": None,
        "/company/people/raj-patel": None,
    },
    leads=(
        Lead("hello@northwind-analytics.io", None, None, None, ("/company/contact",), None),
        Lead(None, "+14155550132", None, None, ("/company/contact",), None),  # office line
        Lead(
            "ana@northwind-analytics.io",
            None,
            "Ana Lima",
            "Co-founder & CEO",
            ("/company/people/ana-lima",),
            None,
            decision_maker=True,
        ),
        Lead(
            "raj.patel@northwind-analytics.io",
            "+14155550186",
            "Raj Patel",
            "Head of Partnerships",
            ("/company/people/raj-patel",),
            None,
        ),
    ),
    # /sitemap_index.xml -> /sitemap-pages.xml.gz (first three) + /sitemap-team.xml (last two)
    sitemap_pages=(
        "/",
        "/product",
        "/company/contact",
        "/company/people/ana-lima",
        "/company/people/raj-patel",
    ),
)

# --------------------------------------------------------------------------------------------------
# brokenwidgets.net (hostile)

BROKEN = SiteTruth(
    host="brokenwidgets.net",
    company_name="Broken Widgets",
    legal_name="BrokenWidgets LLC",
    domain="brokenwidgets.net",
    country="US",
    lang="en",
    pages={"/": 0, "/contact": 1, "/latin1": 1, "/wrong-charset": 1},
    leads=(
        Lead("hello@brokenwidgets.net", None, None, None, ("/contact",), 1),
        Lead(None, "+13125550188", None, None, ("/contact",), 1),
        # windows-1252 page with <meta charset> and no charset in the header: the name must come out right.
        Lead(
            "j.weiss@brokenwidgets.net",
            None,
            "Jürgen Weiß",
            "Founder & CEO",
            ("/latin1",),
            1,
            decision_maker=True,
        ),
        # header says utf-8, bytes are windows-1252: the email must be found, the name may be garbled.
        Lead(
            "r.fassbender@brokenwidgets.net",
            None,
            "Renée Faßbender",
            "Head of Customer Success",
            ("/wrong-charset",),
            1,
            exact_name=False,
        ),
    ),
    company_socials=("https://www.facebook.com/brokenwidgets", "https://www.instagram.com/brokenwidgets"),
    not_leads=(
        "webmaster@brokenwidgets.net",  # only on the 500 page
        "status@brokenwidgets.net",  # only on the 503 page
        "late@brokenwidgets.net",  # only in /slow's body, sent after 60 s
        "catalog@brokenwidgets.net",  # only in /huge and /huge-nolength
        "orders@brokenwidgets.net",  # only in /file.pdf
        "secret.person@brokenwidgets.net",  # only on /private/contact (robots.txt disallows it)
        "+13125550199",  # only on /private/contact
    ),
    robots_disallowed=("/private/",),
    outcomes={
        "/": PathOutcome("ok", 200),
        "/contact": PathOutcome("ok", 200, leads=("hello@brokenwidgets.net", "+13125550188")),
        "/latin1": PathOutcome(
            "ok",
            200,
            leads=("j.weiss@brokenwidgets.net",),
            note="windows-1252 bytes; Content-Type has no charset; <meta charset=windows-1252>",
        ),
        "/wrong-charset": PathOutcome(
            "ok",
            200,
            leads=("r.fassbender@brokenwidgets.net",),
            note="windows-1252 bytes; Content-Type says utf-8; meta says windows-1252",
        ),
        "/error": PathOutcome("failed", 500, reason=("500",)),
        "/flaky": PathOutcome(
            "failed", 503, reason=("503",), note="always 503 (Retry-After: 1); retries may occur"
        ),
        "/slow": PathOutcome(
            "failed",
            200,
            reason=("timeout", "timed out"),
            note="status and headers arrive at once, the body only after 60 s",
        ),
        "/drip": PathOutcome(
            "failed", 200, reason=("timeout", "timed out"), note="Content-Length: 3600 at one byte per second"
        ),
        "/huge": PathOutcome(
            "failed",
            200,
            reason=("size", "large", "maxsize"),
            note="50 MiB with Content-Length: can be refused before the body",
        ),
        "/huge-nolength": PathOutcome(
            "failed",
            200,
            reason=("size", "large", "maxsize"),
            note="50 MiB chunked, no Content-Length: must be cut off while "
            "streaming (Scrapy raises DownloadCancelledError with an empty "
            "message)",
        ),
        "/binary.html": PathOutcome(
            "skipped", 200, accepted=("ok",), note="random bytes served as text/html: no leads, no crash"
        ),
        "/redirect-loop": PathOutcome(
            "failed",
            302,
            reason=("redirect",),
            note="302 -> /redirect-loop2 -> 302 -> /redirect-loop ... (with "
            "Scrapy's defaults the dupefilter silently drops the repeat "
            "instead)",
        ),
        "/file.pdf": PathOutcome(
            "skipped",
            200,
            reason=("html", "content-type", "pdf"),
            note="application/pdf: not parsed; may be skipped without a request (.pdf link)",
            accepted=("not_requested",),
        ),
        "/bomb": PathOutcome(
            "failed", 200, reason=("large", "size"), note="gzip bomb: ~200 KiB on the wire, 200 MiB inflated"
        ),
        "/private/contact": PathOutcome(
            "not_requested", None, reason=("robots",), note="Disallow: /private/ in /robots.txt"
        ),
    },
)

# --------------------------------------------------------------------------------------------------
# helio-labs.io (contacts only after JavaScript runs)

HELIO = SiteTruth(
    host="helio-labs.io",
    company_name="Helio Labs",
    legal_name="Helio Labs, Inc.",
    domain="helio-labs.io",
    country="US",
    lang="en",
    # link depths as a browser sees them; the plain HTML of "/" has no links at all
    pages={"/": 0, "/team": 1, "/contact": 1, "/hang": None},
    leads=(
        Lead("hello@helio-labs.io", None, None, None, ("/",), 0),  # mailto built by app.js
        Lead(
            "mira@helio-labs.io",
            None,
            "Mira Okonkwo",
            "Chief Executive Officer",
            ("/",),
            0,
            decision_maker=True,
        ),
        Lead("sales@helio-labs.io", None, None, None, ("/contact",), 1),  # glued by an inline script
        # fetch()ed from /api/team.json
        Lead("jonas.berg@helio-labs.io", "+14155550199", "Jonas Berg", "Head of Sales", ("/team",), 1),
    ),
    needs_browser=True,
)
# Pages whose contacts only a browser sees, and why a plain-HTML check should send them to one.
HELIO_RENDER_REASONS = {
    "/": "empty app root",
    "/contact": "script",
    "/team": "script",
    "/hang": "empty app root",
}

SITES: dict[str, SiteTruth] = {s.host: s for s in (ACME, MUELLER, DUPONT, NORTHWIND, BROKEN, HELIO)}

# --------------------------------------------------------------------------------------------------
# The labelled companies (tests/sites/site_labelled.py): hand-written expected statuses.
#
# Not part of ``SITES`` above: those hosts carry full lead-by-lead truth for the crawl tests; these carry
# only a company verdict, for measuring the scorer (tests/crawler/test_labelled_scoring.py).
#
# The company's status is the ``lead_status`` of its best stored lead (the highest ``lead_score``); a
# company with no stored lead is ``cold``. (``Company.score`` rates the company's signals only, not any
# contact, so it is not a status.) The labels were written from the pages alone, before running the
# scorer, as a salesperson would judge the company:
#
# - hot: a decision maker (owner, founder, managing director, Geschäftsführer, gérant, C-level) can be
#   reached at their own email or phone, AND the company shows a current buying signal: open roles, or
#   a funding round in the last 18 months;
# - warm: worth a look but something is missing: a reachable decision maker without a current signal
#   (soft signals such as SaaS, pricing or a shop, or only old news); a senior manager (VP, head,
#   Leiter) as the best contact; or only role addresses at a company with strong signals (hiring AND
#   recent funding);
# - cold: nobody but role addresses and at most one signal; no decision maker and no signal; a
#   one-person business with no signal; news or funding that is years old.


@dataclass(frozen=True)
class LabelledCompany:
    host: str
    lang: str
    status: str  # hot | warm | cold
    why: str
    key_leads: tuple[str, ...]  # the leads (email, else E.164 phone) the verdict rests on


def _labelled(host: str, lang: str, status: str, why: str, *key_leads: str) -> LabelledCompany:
    return LabelledCompany(host, lang, status, why, key_leads)


LABELLED: dict[str, LabelledCompany] = {
    c.host: c
    for c in (
        _labelled(
            "brightline-payroll.com",
            "en",
            "hot",
            "CEO with own email and phone; 4 open roles (JobPosting); $12M Series A 75 days ago",
            "megan@brightline-payroll.com",
        ),
        _labelled(
            "nordlicht-software.de",
            "de",
            "hot",
            "Geschäftsführer reachable; 3 offene Stellen; 4 Mio. Euro Finanzierungsrunde 75 days ago",
            "j.petersen@nordlicht-software.de",
        ),
        _labelled(
            "cafe-lumiere.fr",
            "fr",
            "cold",
            "a café: bonjour@ and the main line only, the owner named without contact, no signal",
            "bonjour@cafe-lumiere.fr",
        ),
        _labelled(
            "keystone-logistics.com",
            "en",
            "warm",
            "info@ is the only contact (trap: must not be hot) but 3 open roles and a $30M Series B",
            "info@keystone-logistics.com",
        ),
        _labelled(
            "harborview-dental.com",
            "en",
            "cold",
            "frontdesk@ only; a Careers footer link to a page with no open positions",
            "frontdesk@harborview-dental.com",
        ),
        _labelled(
            "meridian-analytics.io",
            "en",
            "warm",
            "founder & CEO reachable; SaaS with a pricing page, but no hiring and no funding",
            "daniel@meridian-analytics.io",
        ),
        _labelled(
            "oakridge-advisory.com",
            "en",
            "cold",
            "a one-person consultancy ('I work alone'): the owner is reachable but there is no signal",
            "tom@oakridge-advisory.com",
        ),
        _labelled(
            "boulangerie-martin.fr",
            "fr",
            "cold",
            "a local bakery: contact@ and the shop's phone, no signal",
            "contact@boulangerie-martin.fr",
        ),
        _labelled(
            "alpenblick-hotel.de",
            "de",
            "hot",
            "Inhaberin reachable by email; 2 open roles as JobPostings",
            "k.reiter@alpenblick-hotel.de",
        ),
        _labelled(
            "vektor-robotik.de",
            "de",
            "hot",
            "Gründer & CEO and CTO reachable; 6 offene Stellen; 2,5 Mio. Euro seed round 75 days ago",
            "felix.aumann@vektor-robotik.de",
        ),
        _labelled(
            "atelier-sauvage.fr",
            "fr",
            "warm",
            "fondatrice reachable at a 4-person studio; the only news is from 2019",
            "camille@atelier-sauvage.fr",
        ),
        _labelled(
            "greenfield-solar.com",
            "en",
            "warm",
            "hiring 5 roles and growing, but the best contact is the VP of Sales, not a decision maker",
            "carlos.mendoza@greenfield-solar.com",
        ),
        _labelled(
            "lumen-health.io",
            "en",
            "warm",
            "CTO reachable (the CEO has no contact); the only funding is a 2015 seed round",
            "arjun@lumen-health.io",
        ),
        _labelled(
            "fjord-outdoor.com",
            "en",
            "cold",
            "an online shop with support@ and hello@ only; a shop alone is no buying signal",
            "support@fjord-outdoor.com",
        ),
        _labelled(
            "schreinerei-huber.de",
            "de",
            "hot",
            "Inhaber reachable by email and direct line; hiring a Schreinergeselle",
            "josef@schreinerei-huber.de",
        ),
        _labelled(
            "cabinet-lefevre.fr",
            "fr",
            "hot",
            "associée gérante reachable by email and direct line; 2 postes à pourvoir",
            "n.lefevre@cabinet-lefevre.fr",
        ),
        _labelled(
            "quantum-leaf.com",
            "en",
            "warm",
            "press@ and careers@ only, but 8 open roles and a $45M Series C 75 days ago",
            "press@quantum-leaf.com",
        ),
        _labelled(
            "riverside-print.com",
            "en",
            "cold",
            "a print shop whose only named contact is the office manager; no signal",
            "linda@riverside-print.com",
        ),
        _labelled(
            "datenwerk-berlin.de",
            "de",
            "warm",
            "Vertriebsleiter (senior) reachable; SaaS with a pricing page; no hiring or funding",
            "t.krueger@datenwerk-berlin.de",
        ),
        _labelled(
            "maison-verdier.fr",
            "fr",
            "warm",
            "propriétaire reachable; an online shop, nothing else",
            "antoine@maison-verdier.fr",
        ),
        _labelled(
            "tidewater-capital.com",
            "en",
            "warm",
            "managing partner reachable; the rounds on the page are its portfolio's (trap), not its own",
            "elaine@tidewater-capital.com",
        ),
        _labelled(
            "pixelforge-studio.com",
            "en",
            "warm",
            "CEO reachable; careers page says nothing is open, its JobPosting expired in 2023",
            "noah@pixelforge-studio.com",
        ),
        _labelled(
            "bergmann-steuerberatung.de",
            "de",
            "cold",
            "kanzlei@ and the main line only; hiring 2 clerks is the one signal",
            "kanzlei@bergmann-steuerberatung.de",
        ),
        _labelled(
            "solstice-events.com",
            "en",
            "hot",
            "founder & CEO reachable by email and direct line; 2 open roles, a new office, recent award news",
            "olivia@solstice-events.com",
        ),
    )
}
