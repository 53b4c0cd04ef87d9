"""Buying signals on one page (hiring, funding, growth, SaaS, pricing, shop, news), each with evidence.

Each detector reads the pages where its signal lives and says what counted (``reasons``); hiring
is in ``signals_hiring``, what a company sells and how in ``signals_commerce``. "Recent" is
measured from the crawl time to the date of the announcement: the block's own date, the page's
publication date, or the date in its URL (``/2026/05/...``).
"""

# ruff: noqa: E501  (multilingual vocabulary regexes read better unwrapped than split mid-alternation)

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from crawler.extract.blocks import SNIPPET_CHARS, in_chrome, sentence_around
from crawler.extract.dates import block_date, page_date, parse_date
from crawler.extract.facts import Evidence, SignalFact
from crawler.extract.page import Page
from crawler.extract.prefilter import Prefiltered
from crawler.extract.seniority import decision_maker_level
from crawler.extract.signals_commerce import detect_ecommerce, detect_pricing, detect_saas
from crawler.extract.signals_hiring import detect_hiring
from crawler.extract.structured import first_text, schema_types

__all__ = [
    "FUNDING_RECENT_DAYS",
    "NEWS_RECENT_DAYS",
    "SIGNALS",
    "decision_maker_level",
    "detect_signals",
]

# Every signal name, documented in README.md ("Lead qualification").
SIGNALS = (
    "hiring",
    "recent_funding",
    "growing_company",
    "b2b_saas",
    "has_pricing_page",
    "ecommerce",
    "recent_news",
)
FUNDING_RECENT_DAYS = 548  # 18 months
GROWTH_RECENT_DAYS = 548  # a new office opened three years ago says nothing about today
NEWS_RECENT_DAYS = 183
MANY_OPEN_ROLES = 5  # this many open roles on one page is itself growth


def _age_days(when: date | None, now: datetime) -> int | None:
    return None if when is None else (now.date() - when).days


def _path(page: Page) -> str:
    return urlsplit(page.url).path.lower()


# --- funding ------------------------------------------------------------------------------------

_ROUND = re.compile(
    r"\b(pre-seed|seed(?: round| funding| financing|-runde|runde| investment)?|series [a-h]\b|serie [a-h]\b|série [a-h]\b|"
    r"growth (?:round|equity)|finanzierungsrunde|wachstumsfinanzierung|levée de fonds|tour de table|"
    r"ronda de (?:financiación|financiamiento|inversión)|financieringsronde|investeringsronde|"
    r"funding round|financing round|investment round|venture round|bridge round)\b",
    re.I,
)
_AMOUNT = re.compile(
    r"(?:[$€£]\s?\d+(?:[.,]\d+)?\s?(?:m\b|mn\b|million|bn\b|billion|k\b|mio\.?|millionen|millones|miljoen)|"
    r"\d+(?:[.,]\d+)?\s?(?:million|millionen|mio\.?|millions?|millones|miljoen|m)\s?(?:(?:us-?)?dollars?|euros?|usd|eur|€|\$|£|de dollars|d['’]euros|de euros|de dólares))",
    re.I,
)
_FUNDING_VERB = re.compile(
    r"\b(?:rais(?:e|ed|es|ing)|secur(?:e|ed|es|ing)|clos(?:e|ed|es|ing)|announc(?:e|ed|es|ing)|complet(?:ed|es)|"
    r"land(?:ed|s)|funding|financing|investment|invest(?:ed|ors)|led by|backed by|lève|levé|lever|levée|clôtur|"
    r"sammelt|sammelte|erhält|erhielt|abgeschlossen|finanzierung|investoren|"
    r"cierra|cerró|levanta|levantó|obtiene|obtuvo|recauda|recaudó|financiación|inversores|"
    r"haalt|haalde|sluit|sloot|financiering|investeerders|opgehaald)\b",
    re.I,
)
_FUNDING_NOUN = re.compile(
    r"funding|financing|investment|investors|finanzierung|investoren|fonds|financiación|financiamiento|"
    r"inversión|inversores|financiering|investering|investeerders|kapital|capital",
    re.I,
)
_OTHERS_FUNDING = re.compile(
    r"\b(?:our|their) (?:clients|customers|portfolio)|\bhelped\b|\bhelps\b|\bportfolio compan|\bunsere kunden\b|"
    r"\bnos clients\b|\bwe advised\b|\badvised on\b|\bnuestros clientes\b|\bonze klanten\b|\bwe invest\b|\bwir investieren\b",
    re.I,
)
_YEAR = re.compile(r"\b(?:in|im|en|since|seit|depuis|desde|sinds)\s+((?:19|20)\d{2})\b", re.I)
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](0[1-9]|1[0-2])(?:[/-](0[1-9]|[12]\d|3[01]))?(?:/|-|$)")
_FUNDING_VERB_WORDS = Prefiltered(_FUNDING_VERB)


def url_date(url: str) -> date | None:
    """The date a blog or press URL carries (``/2026/05/12/...``, ``/2026/05/``), if any."""
    m = _URL_DATE.search(urlsplit(url).path)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
    except ValueError:
        return None


def _dated(el: object, page: Page) -> date | None:
    return block_date(el, page) or page.memo(_url_date_of)


def _url_date_of(page: Page) -> date | None:
    return url_date(page.url)


def _funding(page: Page, now: datetime) -> list[SignalFact]:
    best: SignalFact | None = None
    if not _FUNDING_VERB_WORDS.possible(page.blocks_folded):
        return []  # every round is told with one of these verbs
    for el, text in page.blocks:
        rnd, amount = _ROUND.search(text), _AMOUNT.search(text)
        verb = _FUNDING_VERB.search(text)
        if not verb:
            continue
        noun = _FUNDING_NOUN.search(text)
        if not (rnd or amount) and not (
            noun and re.search(r"\b(?:secur|rais|clos|land|obt|haal|lev|erh)", text, re.I)
        ):
            continue  # "secures funding" is a round; "our funding partners" is not
        if not rnd and not noun:
            continue  # "$5M in revenue" or "a $2M order" is money, not a funding round
        if _OTHERS_FUNDING.search(text):
            continue  # an agency bragging about its clients' rounds
        anchor = rnd or amount or noun
        assert anchor is not None
        when = _dated(el, page)
        told = [int(y) for y in _YEAR.findall(text)]
        if told and max(told) < now.year - 1:
            continue  # "in 2019 we raised a seed round": history told on a new page
        age = _age_days(when, now)
        if age is not None and (age > FUNDING_RECENT_DAYS or age < -31):
            continue  # an old round is history, not a buying signal
        detail = {
            "amount": amount.group(0) if amount else None,
            "round": rnd.group(1).title() if rnd else None,
            "date": when.isoformat() if when else None,
        }
        reasons = [
            x
            for x in (
                detail["round"] and f"round {detail['round']}",
                detail["amount"] and f"amount {detail['amount']}",
            )
            if x
        ]
        reasons.append(
            f"dated {when.isoformat()}, within 18 months" if when else "undated: could be any year"
        )
        fact = SignalFact(
            "recent_funding",
            page.url,
            Evidence("text", sentence_around(text, anchor.start(), anchor.end())),
            (0.9 if rnd or amount else 0.75) if when else 0.4,
            detail,
            tuple(reasons),
            when.isoformat() if when else None,
        )
        if best is None or fact.confidence > best.confidence:
            best = fact
    return [best] if best else []


# --- growth -------------------------------------------------------------------------------------

_GROWTH = re.compile(
    r"\bnew (?:office|offices|headquarters|facility|location|site|plant)\b|"
    r"\bopen(?:s|ed|ing)? (?:a |our |its )?(?:second|third|fourth|new|additional) "
    r"(?:office|facility|assembly facility|location|site|plant|warehouse)\b|"
    r"\bexpand(?:s|ed|ing)? (?:to|into) (?:[A-Z]\w+|new markets)|\bgrowing team\b|\bour team is growing\b|"
    r"\bfast[- ]growing\b|\brapidly growing\b|\bdoubled (?:our|the|its) (?:team|headcount|workforce)\b|"
    r"\bgrew (?:our team |the team )?from \d+ to \d+\b|\bneue[rns]? (?:standort|büro|niederlassung|werk)\b|"
    r"\bwir wachsen\b|\bwachsendes team\b|\bnouveaux? (?:bureaux?|locaux|site)\b|\bnouvelle agence\b|"
    r"\bnotre équipe s['’]agrandit\b|\ben pleine croissance\b|"
    r"\bnueva (?:oficina|sede|planta)\b|\bnuevas oficinas\b|\bestamos creciendo\b|\ben pleno crecimiento\b|"
    r"\bnieuw(?:e)? (?:kantoor|vestiging|locatie|fabriek)\b|\bwij groeien\b|\bwe groeien\b|\bsnelgroeiend\b",
    re.I,
)
_GROWTH_WORDS = Prefiltered(_GROWTH)


def _growth(page: Page, now: datetime, hiring: list[SignalFact]) -> list[SignalFact]:
    blocks = page.blocks if _GROWTH_WORDS.possible(page.blocks_folded) else []
    for el, text in blocks:
        m = _GROWTH.search(text)
        if not m:
            continue
        when = _dated(el, page)
        age = _age_days(when, now)
        if age is not None and age > GROWTH_RECENT_DAYS:
            continue
        return [
            SignalFact(
                "growing_company",
                page.url,
                Evidence("text", sentence_around(text, m.start(), m.end())),
                0.85 if when else 0.6,
                {"date": when.isoformat() if when else None},
                (f"“{m.group(0)}”", f"dated {when.isoformat()}" if when else "undated"),
                when.isoformat() if when else None,
            )
        ]
    roles = max((int(s.detail.get("open_roles") or 0) for s in hiring), default=0)
    if roles >= MANY_OPEN_ROLES:
        return [
            SignalFact(
                "growing_company",
                page.url,
                Evidence("derived", f"{roles} open roles"),
                0.7,
                {"open_roles": roles},
                (f"{roles} open roles at once",),
            )
        ]
    return []


# --- news -------------------------------------------------------------------------------------------


def _news(page: Page, now: datetime) -> list[SignalFact]:
    best: tuple[date, str, str] | None = None
    for node in page.schema_nodes:
        if any(
            t.endswith(("NewsArticle", "BlogPosting", "PressRelease", "Article")) for t in schema_types(node)
        ):
            when = parse_date(node.get("datePublished"))
            headline = first_text(node.get("headline")) or first_text(node.get("name")) or ""
            if when and headline and (best is None or when > best[0]):
                best = (when, headline, "jsonld")
    for article in page.tree.iter("article"):
        if in_chrome(article):
            continue
        heading = next((page.element_text(h) for h in article.iter("h1", "h2", "h3", "h4")), "")
        when = _dated(article, page) if heading else None
        if when and (best is None or when > best[0]):
            best = (when, heading, "article")
    if best is None:
        return []
    when, headline, method = best
    age = (now.date() - when).days
    if age > NEWS_RECENT_DAYS or age < -31:
        return []
    return [
        SignalFact(
            "recent_news",
            page.url,
            Evidence(method, f"{when.isoformat()}: {headline}"[:SNIPPET_CHARS]),
            0.8,
            {"date": when.isoformat(), "headline": headline[:SNIPPET_CHARS]},
            (f"{'structured data' if method == 'jsonld' else 'article'} dated {when.isoformat()}",),
            when.isoformat(),
        )
    ]


# --- all of them ---------------------------------------------------------------------------------------


def detect_signals(page: Page, *, now: datetime | None = None) -> list[SignalFact]:
    """Every buying signal of the company on one page. ``now`` is the crawl time ("recent" is
    relative to it). People's titles are facts of people, read on their own leads, not here."""
    now = now or datetime.now(UTC)
    hiring = detect_hiring(page, now)
    pricing = detect_pricing(page)
    found = [
        *hiring,
        *_funding(page, now),
        *_growth(page, now, hiring),
        *detect_saas(page, on_pricing=bool(pricing)),
        *pricing,
        *detect_ecommerce(page),
        *_news(page, now),
    ]
    dated = page.memo(page_date) or page.memo(_url_date_of)
    if dated is None:
        return found
    # the page's own date, for the signals whose block states none
    return [s if s.page_date else replace(s, page_date=dated.isoformat()) for s in found]
