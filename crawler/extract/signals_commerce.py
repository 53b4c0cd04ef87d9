"""What a company sells and how: ``b2b_saas``, ``has_pricing_page``, ``ecommerce`` (EN/DE/FR/ES/NL).

A shop is read from its storefront (add-to-cart buttons, cart and checkout links, schema.org
``Product`` with an ``Offer`` price, a shop platform's storefront markup), never from words: an IT
firm that lists "Magento" among its skills and a pre-school whose WordPress theme loads a shop
plugin's stylesheet sell nothing online.
"""

# ruff: noqa: E501  (multilingual vocabulary regexes read better unwrapped than split mid-alternation)

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from crawler.extract.blocks import in_chrome, sentence_around
from crawler.extract.facts import Evidence, SignalFact
from crawler.extract.page import Page
from crawler.extract.prefilter import Prefiltered
from crawler.extract.structured import first_text, schema_types

__all__ = ["detect_ecommerce", "detect_pricing", "detect_saas"]

# --- SaaS ---------------------------------------------------------------------------------------

_SAAS_HINTS = {
    "saas": re.compile(r"\bSaaS\b|\bsoftware[- ]as[- ]a[- ]service\b"),
    "per_seat": re.compile(
        r"\bper (?:user|seat|agent|member)\b|/\s?(?:user|seat)\s?/\s?mo|\bpro (?:nutzer|benutzer|user|mitarbeiter)\b|"
        r"\bpar utilisateur\b|\bpor usuario\b|\bper gebruiker\b",
        re.I,
    ),
    "trial": re.compile(
        r"\bfree trial\b|\bstart (?:your )?(?:free )?trial\b|\btry (?:it )?(?:for )?free\b|\bkostenlos testen\b|\bgratis testen\b|"
        r"\bessai gratuit\b|\bessayer gratuitement\b|\bprueba gratuita\b|\bprueba gratis\b|\bgratis (?:uit)?proberen\b|\bproefperiode\b",
        re.I,
    ),
    "compliance": re.compile(r"\bSOC ?2\b|\bSSO\b|\bSAML\b|\bISO 27001\b"),
    "api": re.compile(
        r"\b(?:REST|public|open|developer) API\b|\bAPI (?:docs|documentation|access|reference)\b|\bwebhooks\b"
    ),
    "integrations": re.compile(
        r"\bintegrat(?:es|ions) with\b|\b\d+\+? integrations\b|\bintegrationen\b", re.I
    ),
    "cloud": re.compile(
        r"\bcloud[- ]based\b|\bcloud platform\b|\bin the cloud\b|\bhosted platform\b|\bcloud-?lösung\b|"
        r"\bsolution cloud\b|\ben la nube\b|\bin de cloud\b",
        re.I,
    ),
}
_SAAS_HINT_WORDS = {
    name: Prefiltered(pattern, ("integrat",) if name == "integrations" else None)
    for name, pattern in _SAAS_HINTS.items()
}
# a free sign-up is how software is sold; a plain "Sign up" is also every newsletter's button
_FREE_SIGNUP = re.compile(
    r"^\s*(?:sign ?up (?:for )?free|get started (?:for )?free|start (?:for )?free|try (?:it )?(?:for )?free|"
    r"kostenlos (?:registrieren|starten)|jetzt kostenlos testen|inscription gratuite|essayer gratuitement|"
    r"regístrate gratis|empieza gratis|gratis (?:aanmelden|starten|proberen))\s*$",
    re.I,
)
_ACCOUNT = re.compile(
    r"^\s*(?:log ?in|sign ?in|sign ?up|anmelden|registrieren|se connecter|connexion|iniciar sesión|inloggen)\s*$",
    re.I,
)
_SOFTWARE_TYPES = ("SoftwareApplication", "WebApplication", "MobileApplication")
_APP_HOST = re.compile(r"^(?:app|dashboard|console|my|portal)\.", re.I)


def _app_links(page: Page) -> str | None:
    """A free sign-up button, or a login link into the product's app (app.example.com)."""
    for a in page.tree.iter("a", "button"):
        label = " ".join(a.text_content().split())
        if not label or len(label) > 40:
            continue
        if _FREE_SIGNUP.match(label):
            return label
        href = a.get("href") or ""
        host = (urlsplit(href).hostname or "") if "://" in href else ""
        if _ACCOUNT.match(label) and _APP_HOST.match(host):
            return label
    return None


def detect_saas(page: Page, on_pricing: bool) -> list[SignalFact]:
    """``b2b_saas`` from two or more independent hints; one alone is kept as weak evidence (its
    ``indicators`` let the company's pages add up)."""
    text = page.text
    hits: dict[str, re.Match[str]] = {}
    for name, pattern in _SAAS_HINT_WORDS.items():
        m = pattern.search(text, page.folded_text)
        if m:
            hits[name] = m
    software = next((n for n in page.schema_nodes if set(schema_types(n)) & set(_SOFTWARE_TYPES)), None)
    indicators = sorted(hits) + (["schema_software"] if software else [])
    app = _app_links(page) if hits else None  # a sign-up alone counts for nothing: not looked for
    if app:
        indicators.append("signup")  # a sign-up button alone is on every shop and forum too
    if on_pricing and "per_seat" in hits:
        indicators.append("seat_plans")  # per-user plans on a pricing page: software sold by seat
    if not indicators:
        return []
    if "saas" in hits:
        m = hits["saas"]
        evidence = Evidence("text", sentence_around(text, m.start(), m.end()))
    elif software is not None:
        evidence = Evidence(
            "jsonld", f"{schema_types(software)[0]}: {first_text(software.get('name')) or ''}"
        )
    else:
        m = hits.get("per_seat") or next(iter(hits.values()))
        evidence = Evidence("text", sentence_around(text, m.start(), m.end()))
    groups = len(indicators)
    # one buzzword ("API", "cloud") is on every manufacturer's site too: weak, not a signal
    confidence = 0.4 if groups < 2 else round(min(0.95, 0.45 + 0.15 * groups), 2)
    reasons = tuple(_INDICATOR_WORDS.get(i, i) for i in indicators)
    return [SignalFact("b2b_saas", page.url, evidence, confidence, {"indicators": indicators}, reasons)]


_INDICATOR_WORDS = {
    "saas": "says SaaS",
    "per_seat": "per-user pricing",
    "trial": "free trial",
    "compliance": "SOC 2 / SSO",
    "api": "API for developers",
    "integrations": "integrations",
    "cloud": "cloud platform",
    "schema_software": "schema.org SoftwareApplication",
    "signup": "sign-up / app login",
    "seat_plans": "per-user plans on a pricing page",
}

# --- pricing page -------------------------------------------------------------------------------

_PRICING_PATH = re.compile(
    r"/(?:pricing|prices|plans|preise|preismodell|tarife|tarifs|prix|abonnements?|precios|planes|tarifas|"
    r"prijzen|tarieven|abonnementen|prijs)(?:/|$|\.|-)",
    re.I,
)
_PRICING_HEADING = re.compile(
    r"^(?:simple |transparent |flexible |fair )?(?:pricing|plans(?: (?:&|and) pricing)?|prices|preise|tarife|tarifs|nos tarifs|"
    r"nos offres|unsere preise|preise (?:&|und) pakete|choose (?:your|a|the) plan|find the (?:right )?plan|"
    r"precios|planes(?: y precios)?|tarifas|prijzen|tarieven|abonnementen|kies (?:je|uw) (?:plan|abonnement))\b",
    re.I,
)
_PRICE = re.compile(r"(?:[$€£]\s?\d[\d,.]*|\d[\d,.]*\s?(?:€|eur\b|usd\b|chf\b|£))", re.I)
_PER_PERIOD = re.compile(
    r"/\s?(?:mo|month|yr|year|monat|mois|an|mes|año|maand|jaar)\b|\bper (?:month|year|maand|jaar)\b|"
    r"\bpro (?:monat|jahr)\b|\bmonatlich\b|\bpar mois\b|\bpar an\b|\bal mes\b|\bpor mes\b|\bp/m\b",
    re.I,
)
_PLAN_NAMES = re.compile(
    r"\b(?:free|starter|basic|standard|pro|professional|team|business|enterprise|premium|growth|scale|"
    r"gratis|kostenlos|básico|empresa|entreprise|essentiel|zakelijk)\b",
    re.I,
)
_ON_REQUEST = re.compile(
    r"contact (?:us|sales)|custom|on request|auf anfrage|sur devis|sur demande|a medida|op aanvraag", re.I
)
_PLAN_CARD = re.compile(
    r"(?:^|[\s_-])(?:plan|tier|pricing-?card|price-?card|package|paket)(?:$|[\s_-])", re.I
)


def detect_pricing(page: Page) -> list[SignalFact]:
    """``has_pricing_page``: a pricing path or heading with two or more prices or plan tiers."""
    heading = None
    for h in page.tree.iter("h1", "h2"):
        text = page.element_text(h)
        if _PRICING_HEADING.search(text) and not in_chrome(h):
            heading = text
            break
    path = urlsplit(page.url).path or "/"
    on_path = bool(_PRICING_PATH.search(path.lower()))
    if not (heading or on_path):
        return []  # a "Pricing" link in the nav, or one product price, is not a pricing page
    body = "\n".join(text for _, text in page.blocks)
    prices = len(_PRICE.findall(body))
    periods = len(_PER_PERIOD.findall(body))
    plans = {m.lower() for m in _PLAN_NAMES.findall(body)}
    cards = [
        el
        for el in page.tree.iter("div", "article", "section", "li")
        if _PLAN_CARD.search(el.get("class") or "") and not in_chrome(el)
    ]
    if prices < 2 and not (len(plans) >= 2 and _ON_REQUEST.search(body)) and len(cards) < 2:
        return []
    reasons = [f"pricing path {path}" if on_path else f"heading “{heading}”"]
    if prices:
        reasons.append(f"{prices} prices")
    if periods:
        reasons.append("billed per period")
    if len(plans) >= 2:
        reasons.append("plans " + ", ".join(sorted(plans)[:5]))
    if len(cards) >= 2:
        reasons.append(f"{len(cards)} plan cards")
    conf = 0.9 if (periods or len(plans) >= 2 or len(cards) >= 2) else 0.7
    return [
        SignalFact(
            "has_pricing_page",
            page.url,
            Evidence("heading" if heading else "url", heading or path),
            conf,
            {"prices": prices, "plans": sorted(plans)},
            tuple(reasons),
        )
    ]


# --- shop ---------------------------------------------------------------------------------------

_ADD_TO_CART = re.compile(
    r"^\s*(?:add to (?:cart|bag|basket)|buy now|in den warenkorb(?: legen)?|jetzt kaufen|ajouter au panier|acheter|"
    r"añadir al carrito|agregar al carrito|comprar(?: ahora)?|in winkelwagen|toevoegen aan winkelwagen|in mijn winkelwagen|nu kopen)\s*$",
    re.I,
)
_ADD_TO_CART_WORDS = Prefiltered(_ADD_TO_CART)
_CART_PATH = re.compile(
    r"^/(?:[a-z]{2}(?:-[a-z]{2})?/)?(?:cart|basket|bag|checkout|warenkorb|kasse|panier|carrito|cesta|winkelwagen|"
    r"winkelmand|winkelmandje|checkout/cart)(?:/|$|\.)",
    re.I,
)
# a word every cart path holds (its pattern's own literal start is "/", which rules nothing out)
_CART_PATH_WORDS = Prefiltered(
    _CART_PATH,
    ("cart", "basket", "bag", "checkout", "warenkorb", "kasse", "panier", "carrito", "cesta", "winkel"),
)
# storefront markup of shop platforms: what their shop pages render, not their name in text
# nor a plugin's stylesheet that a theme loads on every page
_PLATFORMS = (
    ("Shopify", Prefiltered(re.compile(r"cdn\.shopify\.com|Shopify\.theme|shopify-section", re.I))),
    (
        "WooCommerce",
        Prefiltered(
            re.compile(
                r"add_to_cart_button|woocommerce-Price-amount|wc-block-grid__product|single_add_to_cart", re.I
            )
        ),
    ),
    (
        "Magento",
        Prefiltered(re.compile(r"text/x-magento-init|data-mage-init|Magento_Catalog|mage/cookies", re.I)),
    ),
    ("Shopware", Prefiltered(re.compile(r"data-add-to-cart|sw-product|/widgets/checkout/info", re.I))),
    ("PrestaShop", Prefiltered(re.compile(r"prestashop\s*=|var prestashop\b|blockcart", re.I))),
    ("BigCommerce", Prefiltered(re.compile(r"cdn\d*\.bigcommerce\.com", re.I))),
)


def _markup(page: Page) -> str:
    """The page's markup without its visible words: attributes, script code and URLs, where a
    platform leaves its fingerprint (and a skills list cannot)."""
    parts: list[str] = []
    for el in page.tree.iter():
        if not isinstance(el.tag, str):
            continue
        parts.extend(str(v) for v in el.attrib.values())
        if el.tag == "script" and el.text:
            parts.append(el.text[:5000])
    return "\n".join(parts)


def _product_offer(page: Page) -> str | None:
    for node in page.schema_nodes:
        types = schema_types(node)
        offers: Any = node.get("offers") if "Product" in types else None
        if offers is None and "Offer" in types and node.get("itemOffered"):
            offers = node
        if not offers:
            continue
        offer = offers[0] if isinstance(offers, list) and offers else offers
        price = first_text(offer.get("price") or offer.get("lowPrice")) if isinstance(offer, dict) else None
        if price:
            return f"Product: {first_text(node.get('name')) or 'product'} ({price})"
    return None


def detect_ecommerce(page: Page) -> list[SignalFact]:
    """``ecommerce``: the page sells online — a cart, a checkout, an offer, a storefront."""
    button = None
    # an element's text is a run of the document's, so a word no part of the document holds is in
    # no button or link: one look at the whole text spares a text_content() per link
    labels = _ADD_TO_CART_WORDS.possible(" ".join(page.tree.text_content().split()).casefold())
    for el in page.tree.iter("button", "a", "input") if labels else page.tree.iter("input"):
        if el.tag == "input":
            label = el.get("value")
        elif _ADD_TO_CART_WORDS.possible(" ".join(el.text_content().split()).casefold()):
            label = page.element_text(el)
        else:
            continue
        if label and _ADD_TO_CART.match(label) and not in_chrome(el):
            button = label.strip()
            break
    offer = _product_offer(page)
    # what an attribute or a script holds is in the HTML as written: a cart word or a platform's
    # fingerprint the HTML does not hold is in no link and no markup, which are then not read
    html = page.folded_html
    cart = None
    for a in page.tree.iter("a", "form") if _CART_PATH_WORDS.possible(html) else ():
        ref = a.get("href") if a.tag == "a" else a.get("action")
        if ref and not ref.startswith(("mailto:", "tel:")):
            split = urlsplit(ref)
            if (not split.hostname or split.hostname == page.host) and _CART_PATH.match(split.path or ""):
                cart = split.path
                break
    platform = None
    if any(pattern.possible(html) for _, pattern in _PLATFORMS):
        markup = _markup(page)
        folded = markup.casefold()
        platform = next((name for name, pattern in _PLATFORMS if pattern.search(markup, folded)), None)
    reasons = []
    if button:
        reasons.append(f"“{button}” button")
    if offer:
        reasons.append("schema.org Product with an Offer price")
    if cart:
        reasons.append(f"cart/checkout link {cart}")
    if platform:
        reasons.append(f"{platform} storefront markup")
    if button or offer:
        evidence = Evidence("button", button) if button else Evidence("jsonld", offer or "")
        confidence = 0.9 if button else 0.85
    elif cart and platform:
        evidence, confidence = Evidence("markup", f"{platform} storefront, cart at {cart}"), 0.85
    elif platform:
        evidence, confidence = Evidence("markup", f"{platform} storefront"), 0.7
    elif cart:
        evidence, confidence = Evidence("link", f"cart: {cart}"), 0.6
    else:
        return []
    return [
        SignalFact(
            "ecommerce",
            page.url,
            evidence,
            confidence,
            {"platform": platform} if platform else {},
            tuple(reasons),
        )
    ]
