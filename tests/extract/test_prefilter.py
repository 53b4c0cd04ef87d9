"""Keyword pre-filters: they may only skip a regex that cannot match."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crawler.extract import signals, signals_commerce, signals_hiring
from crawler.extract.firmographics import INDUSTRIES
from crawler.extract.page import Page
from crawler.extract.prefilter import Prefiltered, literal_starts

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.mark.parametrize(
    ("pattern", "starts"),
    [
        (r"\bsaas\b|software[- ]as\w", ("saas", "software-as", "software as")),  # small classes expand
        (r"\brobot(?:s|ic|ics)?\b|\bcobots?\b", ("robot", "cobot")),  # a quantifier takes its item
        (r"\bIT-dienstleist\w*|\bcnc\b", ("it-dienstleist", "cnc")),
        (r"\bper (?:user|seat)\b|\bxy{2}l\b|ab+c", ("per user", "per seat", "x", "ab")),
        (r"\bd(?:é|e)coration\b", ("décoration", "decoration")),  # groups of plain words expand
        (r"\wc|\bd", None),  # an alternative starting with \w promises no literal
        (r"[a-z]c|[^a]b", None),  # nor with a range or a negated class
        (r"(?:a.|c)d|\b(x|y)", ("a", "c", "x", "y")),  # a group opening an alternative is looked into
        (r"(?:ab)?c", None),  # an optional group promises nothing
        (r"(?=ab)c", None),
        (r"^\s*(?:add to|buy now)\s*$", ("add to", "buy now")),  # anchors and spaces are skipped
        (r"cdn\.shopify\.com|/checkout/cart", ("cdn.shopify.com", "/checkout/cart")),  # escapes
        (r"café|\bSANTÉ\b|a[|]b", ("café", "santé", "a|b")),  # "|" inside a class is not a split
    ],
)
def test_literal_starts(pattern: str, starts: tuple[str, ...] | None) -> None:
    assert literal_starts(pattern) == starts


def _texts() -> list[str]:
    pages = sorted(FIXTURES.glob("*/*/input.html"))
    assert len(pages) > 50
    texts = [Page(p.read_text(encoding="utf-8"), "https://example.com/").text for p in pages]
    return [
        *texts,
        "Software-as-a-Service für den Maschinenbau. CNC-Fertigung, Robotics, Cobots.",
        "NOTRE ÉCOLE · SANTÉ · Café · Agence digitale · Cabinet d’avocats · Livraison gratuite",
        "Free Trial · per seat · IT SERVICES · IT-Dienstleistungen · Dashboards · Payments",
        "Integrates with Slack. 40+ integrations. Add to Cart. In den Warenkorb.",
        "12 open roles · 3 offene Stellen · 2 postes à pourvoir · 7 Vacancies · 1 opening",
        "We’re hiring! WE ARE CURRENTLY HIRING. Now hiring. Current openings. Job openings. Open positions.",
        "Wir stellen ein. Aktuelle Stellenangebote. Nous recrutons ! On recrute.",
        "Postes ouverts. Offres d’emploi. Estamos contratando. Ofertas de trabajo.",
        "Vacantes abiertas. Actuele vacatures. Wij zoeken een collega.",
        "No open positions. We are not hiring. Currently no vacancies. Derzeit keine offenen Stellen.",
        "Aucun poste ouvert. No hay vacantes. Geen openstaande vacatures. Join our team. Werken bij ons.",
    ]


PATTERNS = [
    *INDUSTRIES.values(),
    *signals_commerce._SAAS_HINTS.values(),
    *(
        getattr(module, name)
        for module in (signals, signals_commerce, signals_hiring)
        for name in dir(module)
        if name.isupper() and isinstance(getattr(module, name), re.Pattern)
    ),
]


def test_every_text_a_pattern_matches_contains_one_of_its_starts() -> None:
    matched = 0
    for text in _texts():
        folded = text.casefold()
        for pattern in PATTERNS:
            if pattern.search(text):
                matched += 1
                assert Prefiltered(pattern).possible(folded), (pattern.pattern, text[:200])
        hand_given = [
            *signals_commerce._SAAS_HINT_WORDS.values(),
            signals_commerce._ADD_TO_CART_WORDS,
            signals_hiring._NO_OPENINGS_WORDS,
            signals_hiring._HIRING_STRONG_WORDS,
        ]
        for words in hand_given:
            if words.regex.search(text):
                assert words.possible(folded), (words.regex.pattern, text[:200])
    assert matched > 100


@pytest.mark.parametrize(
    "path",
    ["/cart", "/de/warenkorb", "/fr-be/panier/", "/es/carrito", "/cesta", "/kasse", "/basket", "/bag",
     "/checkout", "/checkout/cart", "/nl/winkelwagen", "/winkelmandje", "/CART.html"],
)  # fmt: skip
def test_every_cart_path_holds_one_of_the_cart_words(path: str) -> None:
    assert signals_commerce._CART_PATH.match(path)
    assert signals_commerce._CART_PATH_WORDS.possible(path.casefold())
