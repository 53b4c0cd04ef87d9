"""Runs every extraction fixture: tests/fixtures/extract/<case>/input.html against expected.json.

``expected.json`` holds ``url`` (the page's address), optional ``options`` (keyword arguments of
``extract_page``, e.g. ``{"default_region": "DE"}``), and any of the keys ``emails``, ``phones``,
``socials``, ``people``, ``company``: each key present is compared exactly, in order, with
``PageFacts.to_dict()``. A key left out is not checked, so a case states what it is about.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.extract import extract_page

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "extract"
CASES = sorted(p.name for p in FIXTURES.iterdir() if (p / "input.html").exists()) if FIXTURES.exists() else []
KEYS = ("emails", "phones", "socials", "people", "company")


@pytest.mark.parametrize("case", CASES)
def test_extraction_fixture(case: str) -> None:
    folder = FIXTURES / case
    html = (folder / "input.html").read_text(encoding="utf-8")
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    got = extract_page(html, expected["url"], **expected.get("options", {})).to_dict()
    checked = [k for k in KEYS if k in expected]
    assert checked, f"{case}: expected.json checks nothing"
    for key in checked:
        assert got[key] == expected[key], f"{case}: {key}"
