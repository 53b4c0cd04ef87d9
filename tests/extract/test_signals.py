"""Signal fixtures (tests/fixtures/signals/<case>/input.html + expected.json) and decision-maker titles.

``expected.json``: ``url``; ``now`` (the crawl time "recent" is measured from); ``signals``, the
exact set of signals detected (confidence >= 0.5), each with a subset of its ``detail`` to match;
optional ``evidence`` (signal -> a substring of its evidence snippet), ``reasons`` (signal -> a
substring of one of its reasons) and ``weak`` (signals present below 0.5 only). A case whose
``signals`` is empty is a trap: nothing may be detected.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from crawler.extract import extract_page
from crawler.extract.signals import decision_maker_level
from pipelines.scoring import DETECTED

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "signals"
CASES = sorted(p.name for p in FIXTURES.iterdir() if (p / "input.html").exists())


@pytest.mark.parametrize("case", CASES)
def test_signal_fixture(case: str) -> None:
    folder = FIXTURES / case
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    html = (folder / "input.html").read_text(encoding="utf-8")
    facts = extract_page(html, expected["url"], now=datetime.fromisoformat(expected["now"]))
    best: dict[str, object] = {}
    for s in facts.signals:
        if s.name not in best or s.confidence > best[s.name].confidence:  # type: ignore[attr-defined]
            best[s.name] = s
    detected = {name for name, s in best.items() if s.confidence >= DETECTED}  # type: ignore[attr-defined]
    detected.discard("decision_maker")  # people's titles are tested below
    assert detected == set(expected["signals"]), case
    for name, detail in expected["signals"].items():
        got = best[name].detail  # type: ignore[attr-defined]
        assert {k: got.get(k) for k in detail} == detail, (case, name)
        assert best[name].url == expected["url"]  # type: ignore[attr-defined]
        assert best[name].evidence.snippet  # type: ignore[attr-defined]
    for name, text in expected.get("evidence", {}).items():
        assert text in best[name].evidence.snippet, (case, name)  # type: ignore[attr-defined]
    for name, text in expected.get("reasons", {}).items():
        assert any(text in r for r in best[name].reasons), (case, name, best[name].reasons)  # type: ignore[attr-defined]
    for name in detected:
        assert best[name].reasons, (case, name)  # type: ignore[attr-defined]  # every signal says what counted
    for name in expected.get("weak", []):
        assert name in best and best[name].confidence < DETECTED, (case, name)  # type: ignore[attr-defined]


def test_every_signal_has_a_fixture() -> None:
    covered = set()
    for case in CASES:
        covered |= set(json.loads((FIXTURES / case / "expected.json").read_text())["signals"])
    assert covered >= {
        "hiring",
        "recent_funding",
        "growing_company",
        "b2b_saas",
        "has_pricing_page",
        "ecommerce",
        "recent_news",
    }


@pytest.mark.parametrize(
    ("title", "level"),
    [
        ("CEO & Co-Founder", "executive"),
        ("Chief Financial Officer", "executive"),
        ("Founder & CEO", "executive"),
        ("Owner", "executive"),
        ("Managing Director", "executive"),
        ("Geschäftsführer", "executive"),
        ("Geschäftsführerin", "executive"),
        ("Inhaber", "executive"),
        ("Mitgründerin", "executive"),
        ("Fondatrice et gérante", "executive"),
        ("Président-directeur général", "executive"),
        ("PDG", "executive"),
        ("VP of Sales", "senior"),
        ("Vice President, Marketing", "senior"),
        ("Head of Engineering", "senior"),
        ("Director of Operations", "senior"),
        ("Vertriebsleiterin", "senior"),
        ("Technischer Leiter", "senior"),
        ("Directrice commerciale", "senior"),
        ("Responsable des achats", "senior"),
        # traps: a board seat, an assistant of the CEO, a sales title with "executive" in it
        ("Independent Board Member", None),
        ("Executive Assistant to the CEO", None),
        ("Assistenz der Geschäftsführung", None),
        ("Account Executive", None),
        ("Architecte d'intérieur", None),
        ("Kundenservice & Ersatzteile", None),
        (None, None),
    ],
)
def test_decision_maker_levels(title: str | None, level: str | None) -> None:
    assert decision_maker_level(title) == level
