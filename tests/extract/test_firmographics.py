"""The industry keyword pre-filter: it may only skip a regex that cannot match."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.extract.firmographics import _INDUSTRY_STARTS, INDUSTRIES, literal_starts
from crawler.extract.page import Page

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.mark.parametrize(
    ("pattern", "starts"),
    [
        (r"\bsaas\b|software[- ]as[- ]a[- ]service", ("saas", "software")),
        (r"\brobot(?:s|ic|ics)?\b|\bcobots?\b", ("robot", "cobot")),  # a quantifier takes its char
        (r"\bIT-dienstleist\w*|\bcnc\b", ("it-dienstleist", "cnc")),
        (r"\bper (?:user|seat)\b|\bxy{2}l\b", ("per ", "x")),
        (r"[ab]c|\bd", None),  # an alternative starting with a class promises no literal
        (r"(?:a|b)c", None),
        (r"café|\bSANTÉ\b|a[|]b", ("café", "santé", "a")),  # "|" inside a class is not a split
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
    ]


def test_every_text_a_pattern_matches_contains_one_of_its_starts() -> None:
    matched = 0
    for text in _texts():
        folded = text.casefold()
        for label, pattern in INDUSTRIES.items():
            if pattern.search(text):
                matched += 1
                starts = _INDUSTRY_STARTS[label]
                assert starts is None or any(s in folded for s in starts), (label, text[:200])
    assert matched > 20
