"""Buying signals on one page (hiring, funding, growth, SaaS, pricing, shop, news), each with evidence."""

# ruff: noqa: E501  (multilingual vocabulary regexes read better unwrapped than split mid-alternation)

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from crawler.extract.blocks import SNIPPET_CHARS, in_chrome, sentence_around
from crawler.extract.dates import block_date, parse_date
from crawler.extract.facts import Evidence, SignalFact
from crawler.extract.page import Page
from crawler.extract.prefilter import Prefiltered
from crawler.extract.seniority import decision_maker_level
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


# --- hiring -------------------------------------------------------------------------------------

_CAREERS_PATH = re.compile(
    r"career|jobs?\b|jobs/|karriere|stellen|emplois?|recrutement|join-us|work-with-us|vacanc", re.I
)
_HIRING = re.compile(
    r"\bwe(?:['’]re| are) (?:now )?hiring\b|\bnow hiring\b|\bopen (?:roles|positions|jobs|vacancies)\b|"
    r"\bcurrent (?:openings|vacancies)\b|\bwir stellen ein\b|\boffene stellen\b|\baktuelle stellenangebote\b|"
    r"\bnous recrutons\b|\bon recrute\b|\bpostes? (?:ouverts?|à pourvoir)\b|\boffres d['’]emploi\b",
    re.I,
)
_NO_OPENINGS = re.compile(
    r"\bno (?:open|current) (?:roles|positions|jobs|vacancies|openings)\b|\bnot (?:currently )?hiring\b|"
    r"\bcurrently no (?:open )?(?:roles|positions|vacancies|openings)\b|\bkeine offenen stellen\b|"
    r"\bderzeit keine\b|\baucun poste\b|\bpas de poste\b",
    re.I,
)
_ROLE_COUNT = re.compile(
    r"\b(\d{1,4})\s+(?:open\s+)?(?:roles|positions|jobs|vacancies|openings)\b(?!\s+(?:filled|closed))|"
    r"\b(\d{1,4})\s+offene\s+stellen\b|\b(\d{1,4})\s+postes?\s+(?:ouverts?|à pourvoir)\b",
    re.I,
)
_HIRING_WORDS = Prefiltered(_HIRING)
_NO_OPENINGS_WORDS = Prefiltered(_NO_OPENINGS)
# every role count names its roles with one of these words (a number starts the match)
_ROLE_COUNT_WORDS = Prefiltered(
    _ROLE_COUNT, ("roles", "positions", "jobs", "vacancies", "openings", "stellen", "poste")
)
_JOB_CARD_CLASS = re.compile(r"(?:^|[\s_-])(?:job|position|opening|vacancy|stelle|poste)(?:$|[\s_-])", re.I)


def _hiring(page: Page, now: datetime) -> list[SignalFact]:
    postings = [n for n in page.schema_nodes if "JobPosting" in schema_types(n)]
    valid = []
    for node in postings:
        until = parse_date(node.get("validThrough"))
        if until is not None and until < now.date():
            continue  # an expired posting is a job that was, not a job that is
        posted = parse_date(node.get("datePosted"))
        if until is None and posted is not None and (now.date() - posted).days > 180:
            continue  # no end date and half a year old: most likely stale
        valid.append(node)
    if valid:
        title = first_text(valid[0].get("title")) or "job posting"
        return [
            SignalFact(
                "hiring",
                page.url,
                Evidence("jsonld", f"JobPosting: {title}"[:SNIPPET_CHARS]),
                0.95,
                {"open_roles": len(valid)},
            )
        ]
    folded = page.blocks_folded
    if _NO_OPENINGS_WORDS.possible(folded) and any(_NO_OPENINGS.search(text) for _, text in page.blocks):
        return []
    careers_page = bool(_CAREERS_PATH.search(_path(page)))
    # job cards count only on a careers page
    cards = (
        [
            el
            for el in page.tree.iter("article", "li", "div")
            if _JOB_CARD_CLASS.search(el.get("class") or "") and not in_chrome(el)
        ]
        if careers_page
        else []
    )
    count = len(cards) if careers_page else 0
    phrase: tuple[str, str] | None = None
    # without a careers path, a block counts only with a hiring phrase: none on the page, nothing to read
    hiring_words = _HIRING_WORDS.possible(folded)
    role_counts = _ROLE_COUNT_WORDS.possible(folded)
    blocks = page.blocks if careers_page or hiring_words else []
    for el, text in blocks:
        if el.tag == "a" or (el.getparent() is not None and el.getparent().tag == "a"):
            continue  # a "We're hiring" link is a pointer to evidence, not evidence
        m = _ROLE_COUNT.search(text) if role_counts else None
        if m and (careers_page or _HIRING.search(text)):
            count = max(count, int(next(g for g in m.groups() if g)))
            phrase = phrase or ("text", sentence_around(text, m.start(), m.end()))
        m = _HIRING.search(text) if hiring_words else None
        if m and phrase is None:
            phrase = ("text", sentence_around(text, m.start(), m.end()))
    if phrase and (careers_page or count):
        return [SignalFact("hiring", page.url, Evidence(*phrase), 0.9, {"open_roles": count})]
    if careers_page and count:
        title = page.element_text(cards[0]).split("\n")[0]
        return [
            SignalFact(
                "hiring", page.url, Evidence("card", f"open role: {title}"), 0.8, {"open_roles": count}
            )
        ]
    if phrase:
        # "we're hiring" in the body of an ordinary page: real, but without a job to point at
        return [SignalFact("hiring", page.url, Evidence(*phrase), 0.6, {"open_roles": 0})]
    return []


# --- funding ------------------------------------------------------------------------------------

_ROUND = re.compile(
    r"\b(pre-seed|seed(?: round| funding)|series [a-h]|serie [a-h]|série [a-h]|growth (?:round|equity)|"
    r"finanzierungsrunde|levée de fonds|funding round|venture round|bridge round)\b",
    re.I,
)
_AMOUNT = re.compile(
    r"(?:[$€£]\s?\d+(?:[.,]\d+)?\s?(?:m\b|mn\b|million|bn\b|billion|k\b|mio\.?|millionen)|"
    r"\d+(?:[.,]\d+)?\s?(?:million|millionen|mio\.?|millions?)\s?(?:(?:us-?)?dollars?|euros?|usd|eur|€|\$|de dollars|d['’]euros))",
    re.I,
)
_FUNDING_VERB = re.compile(
    r"\b(?:rais(?:e|ed|es|ing)|secur(?:e|ed|es|ing)|clos(?:e|ed|es|ing)|announc(?:e|ed|es|ing)|complet(?:ed|es)|"
    r"land(?:ed|s)|funding|financing|investment|invest(?:ed|ors)|led by|lève|levé|lever|levée|clôtur|"
    r"sammelt|sammelte|erhält|erhielt|abgeschlossen|finanzierung|investoren)\b",
    re.I,
)
_OTHERS_FUNDING = re.compile(
    r"\b(?:our|their) (?:clients|customers|portfolio)|\bhelped\b|\bhelps\b|\bportfolio compan|\bunsere kunden\b|"
    r"\bnos clients\b|\bwe advised\b|\badvised on\b",
    re.I,
)


_FUNDING_VERB_WORDS = Prefiltered(_FUNDING_VERB)


def _funding(page: Page, now: datetime) -> list[SignalFact]:
    best: SignalFact | None = None
    if not _FUNDING_VERB_WORDS.possible(page.blocks_folded):
        return []  # every round is told with one of these verbs
    for el, text in page.blocks:
        rnd, amount = _ROUND.search(text), _AMOUNT.search(text)
        if not (rnd or amount) or not _FUNDING_VERB.search(text):
            continue
        if not rnd and not re.search(
            r"funding|financing|investment|investors|finanzierung|fonds", text, re.I
        ):
            continue  # "$5M in revenue" or "a $2M order" is money, not a funding round
        if _OTHERS_FUNDING.search(text):
            continue  # an agency bragging about its clients' rounds
        anchor = rnd or amount
        assert anchor is not None
        when = block_date(el, page)
        age = _age_days(when, now)
        if age is not None and (age > FUNDING_RECENT_DAYS or age < -31):
            continue  # an old round is history, not a buying signal
        detail = {
            "amount": amount.group(0) if amount else None,
            "round": rnd.group(1).title() if rnd else None,
            "date": when.isoformat() if when else None,
        }
        fact = SignalFact(
            "recent_funding",
            page.url,
            Evidence("text", sentence_around(text, anchor.start(), anchor.end())),
            0.9 if when else 0.4,  # undated: could be any year
            detail,
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
    r"\bnotre équipe s['’]agrandit\b|\ben pleine croissance\b",
    re.I,
)


_GROWTH_WORDS = Prefiltered(_GROWTH)


def _growth(page: Page, now: datetime, hiring: list[SignalFact]) -> list[SignalFact]:
    blocks = page.blocks if _GROWTH_WORDS.possible(page.blocks_folded) else []
    for el, text in blocks:
        m = _GROWTH.search(text)
        if not m:
            continue
        when = block_date(el, page)
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
            )
        ]
    return []


# --- SaaS, pricing, shop ----------------------------------------------------------------------------

_SAAS_HINTS = {
    "saas": re.compile(r"\bSaaS\b|\bsoftware[- ]as[- ]a[- ]service\b"),
    "per_seat": re.compile(
        r"\bper (?:user|seat|agent)\b|/\s?(?:user|seat)\s?/\s?mo|\bpro (?:nutzer|benutzer)\b|\bpar utilisateur\b",
        re.I,
    ),
    "trial": re.compile(
        r"\bfree trial\b|\bstart (?:your )?(?:free )?trial\b|\bkostenlos testen\b|\bessai gratuit\b", re.I
    ),
    "compliance": re.compile(r"\bSOC ?2\b|\bSSO\b|\bSAML\b"),
    "api": re.compile(
        r"\b(?:REST|public|open|developer) API\b|\bAPI (?:docs|documentation|access)\b|\bwebhooks\b"
    ),
    "integrations": re.compile(r"\bintegrat(?:es|ions) with\b|\b\d+\+? integrations\b", re.I),
    "cloud": re.compile(r"\bcloud[- ]based\b|\bcloud platform\b|\bin the cloud\b|\bhosted platform\b", re.I),
}
_SAAS_HINT_WORDS = {
    name: Prefiltered(pattern, ("integrat",) if name == "integrations" else None)
    for name, pattern in _SAAS_HINTS.items()
}
_SOFTWARE_TYPES = ("SoftwareApplication", "WebApplication", "MobileApplication")


def _saas(page: Page) -> list[SignalFact]:
    text = page.text
    hits: dict[str, re.Match[str]] = {}
    for name, pattern in _SAAS_HINT_WORDS.items():
        m = pattern.search(text, page.folded_text)
        if m:
            hits[name] = m
    software = next((n for n in page.schema_nodes if set(schema_types(n)) & set(_SOFTWARE_TYPES)), None)
    groups = len(hits) + (1 if software else 0)
    if groups < 2:
        return []  # one buzzword ("API", "cloud") is on every manufacturer's site too
    if "saas" in hits:
        m = hits["saas"]
        evidence = Evidence("text", sentence_around(text, m.start(), m.end()))
    elif software is not None:
        evidence = Evidence(
            "jsonld", f"{schema_types(software)[0]}: {first_text(software.get('name')) or ''}"
        )
    else:
        m = next(iter(hits.values()))
        evidence = Evidence("text", sentence_around(text, m.start(), m.end()))
    return [
        SignalFact(
            "b2b_saas",
            page.url,
            evidence,
            round(min(0.95, 0.45 + 0.15 * groups), 2),
            {"indicators": sorted(hits) + (["schema_software"] if software else [])},
        )
    ]


_PRICING_PATH = re.compile(
    r"/(?:pricing|prices|plans|preise|tarife|tarifs|prix|abonnements?)(?:/|$|\.)", re.I
)
_PRICING_HEADING = re.compile(
    r"^(?:simple |transparent )?(?:pricing|plans(?: (?:&|and) pricing)?|prices|preise|tarife|tarifs|nos tarifs|"
    r"unsere preise|choose (?:your|a) plan)\b",
    re.I,
)
_PRICE = re.compile(r"(?:[$€£]\s?\d[\d,.]*|\d[\d,.]*\s?(?:€|eur\b|usd\b))", re.I)
_PER_PERIOD = re.compile(
    r"/\s?(?:mo|month|yr|year|monat|mois|an)\b|\bper (?:month|year)\b|\bpro monat\b|\bpar mois\b", re.I
)
_PLAN_NAMES = re.compile(
    r"\b(?:free|starter|basic|standard|pro|professional|team|business|enterprise|premium)\b", re.I
)


def _pricing(page: Page) -> list[SignalFact]:
    heading = None
    for h in page.tree.iter("h1", "h2"):
        text = page.element_text(h)
        if _PRICING_HEADING.search(text) and not in_chrome(h):
            heading = text
            break
    on_path = bool(_PRICING_PATH.search(_path(page)))
    if not (heading or on_path):
        return []  # a "Pricing" link in the nav, or one product price, is not a pricing page
    body = "\n".join(text for _, text in page.blocks)
    prices = len(_PRICE.findall(body))
    periods = len(_PER_PERIOD.findall(body))
    plans = {m.lower() for m in _PLAN_NAMES.findall(body)}
    if prices < 2 and not (
        len(plans) >= 2 and re.search(r"contact (?:us|sales)|custom|on request", body, re.I)
    ):
        return []
    conf = 0.9 if (periods or len(plans) >= 2) else 0.7
    return [
        SignalFact(
            "has_pricing_page",
            page.url,
            Evidence("heading" if heading else "url", heading or _path(page)),
            conf,
            {"prices": prices, "plans": sorted(plans)},
        )
    ]


_ADD_TO_CART = re.compile(
    r"^\s*(?:add to (?:cart|bag|basket)|buy now|in den warenkorb|jetzt kaufen|ajouter au panier|acheter)\s*$",
    re.I,
)
_SHOP_PLATFORM = re.compile(
    r"cdn\.shopify\.com|Shopify\.theme|woocommerce|/checkout/cart|magento|shopware", re.I
)


_SHOP_PLATFORM_WORDS = Prefiltered(_SHOP_PLATFORM)
_ADD_TO_CART_WORDS = Prefiltered(_ADD_TO_CART)


def _ecommerce(page: Page) -> list[SignalFact]:
    for el in page.tree.iter("button", "a", "input"):
        if el.tag == "input":
            label = el.get("value")
        elif _ADD_TO_CART_WORDS.possible(" ".join(el.text_content().split()).casefold()):
            # text_content (C) holds every character of the label: a link without one of the
            # phrases, whitespace folded, is not walked for its visible text
            label = page.element_text(el)
        else:
            continue
        if label and _ADD_TO_CART.match(label) and not in_chrome(el):
            return [SignalFact("ecommerce", page.url, Evidence("button", label.strip()), 0.9, {})]
    for node in page.schema_nodes:
        if "Product" in schema_types(node) and node.get("offers"):
            offers = node["offers"]
            offer = offers[0] if isinstance(offers, list) and offers else offers
            price = first_text(offer.get("price")) if isinstance(offer, dict) else None
            if price:
                name = first_text(node.get("name")) or "product"
                return [
                    SignalFact(
                        "ecommerce", page.url, Evidence("jsonld", f"Product: {name} ({price})"), 0.85, {}
                    )
                ]
    m = _SHOP_PLATFORM_WORDS.search(page.html, page.html.casefold())
    if m:
        return [
            SignalFact("ecommerce", page.url, Evidence("markup", m.group(0)), 0.6, {"platform": m.group(0)})
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
        when = block_date(article, page) if heading else None
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
        )
    ]


# --- all of them ---------------------------------------------------------------------------------------


def detect_signals(page: Page, *, now: datetime | None = None) -> list[SignalFact]:
    """Every buying signal of the company on one page. ``now`` is the crawl time ("recent" is
    relative to it). People's titles are facts of people, read on their own leads, not here."""
    now = now or datetime.now(UTC)
    hiring = _hiring(page, now)
    return [
        *hiring,
        *_funding(page, now),
        *_growth(page, now, hiring),
        *_saas(page),
        *_pricing(page),
        *_ecommerce(page),
        *_news(page, now),
    ]
