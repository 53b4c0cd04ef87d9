"""The built-in scorer: transparent weights, status bands, notes from evidence, role-address caps."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.extract.facts import Evidence, FirmographicFact, PageFacts, SignalFact
from pipelines.scoring import (
    CompanyEvidence,
    LeadFeatures,
    Weights,
    combine_enrichment,
    qualify_company,
    score_lead,
    status_for,
)

NOW = datetime(2026, 11, 28, tzinfo=UTC)
CAREERS = "https://acme.example.com/careers"


def evidence(*signals: SignalFact, facts: tuple[FirmographicFact, ...] = ()) -> CompanyEvidence:
    ev = CompanyEvidence("acme.example.com")
    ev.add(PageFacts(url=CAREERS, signals=list(signals), firmographics=list(facts)))
    return ev


HIRING = SignalFact("hiring", CAREERS, Evidence("text", "We’re hiring"), 0.9, {"open_roles": 3})
FUNDING = SignalFact(
    "recent_funding",
    "https://acme.example.com/press",
    Evidence("text", "Acme raised $12M in a Series A"),
    0.9,
    {"amount": "$12M", "round": "Series A", "date": "2026-06-10"},
)
SIZE = FirmographicFact(
    "employees", 45, "https://acme.example.com/about", Evidence("jsonld", "numberOfEmployees: 45"), 0.95
)
CEO = LeadFeatures(
    "personal", email="dana@acme.example.com", full_name="Dana W", job_title="CEO & Co-Founder"
)
VP = LeadFeatures("personal", email="marcus@acme.example.com", full_name="Marcus O", job_title="VP of Sales")
STAFF = LeadFeatures(
    "personal", email="tyler@acme.example.com", full_name="Tyler B", job_title="Account Executive"
)
INFO = LeadFeatures("role", email="info@acme.example.com")


@pytest.mark.parametrize(
    ("score", "status"), [(100, "hot"), (70, "hot"), (69, "warm"), (40, "warm"), (39, "cold")]
)
def test_status_bands(score: int, status: str) -> None:
    assert status_for(score) == status


def test_decision_makers_outrank_staff_and_role_addresses_of_the_same_company() -> None:
    company = qualify_company(evidence(HIRING, FUNDING, facts=(SIZE,)), Weights())
    scores = {
        name: score_lead(company, lead, Weights()).lead_score
        for name, lead in (("ceo", CEO), ("vp", VP), ("staff", STAFF), ("info", INFO))
    }
    assert scores["ceo"] > scores["vp"] > scores["staff"] > scores["info"]
    assert score_lead(company, CEO, Weights()).lead_status == "hot"


def test_an_info_address_is_never_hot_however_strong_the_company() -> None:
    strong = [
        HIRING,
        FUNDING,
        SignalFact("growing_company", CAREERS, Evidence("text", "new office in Berlin"), 0.85),
        SignalFact("b2b_saas", CAREERS, Evidence("text", "SaaS"), 0.9),
        SignalFact("recent_news", CAREERS, Evidence("article", "2026-10-01: launch"), 0.8),
    ]
    result = score_lead(qualify_company(evidence(*strong), Weights()), INFO, Weights())
    assert result.lead_status != "hot"
    assert "capped" in result.qualification_notes


def test_notes_name_the_signals_and_where_they_were_seen() -> None:
    company = qualify_company(evidence(HIRING, FUNDING, facts=(SIZE,)), Weights())
    result = score_lead(company, CEO, Weights())
    notes = result.qualification_notes
    assert "hiring (3 open roles)" in notes and CAREERS in notes
    assert "$12M" in notes and "Series A" in notes
    assert "Dana W, CEO & Co-Founder" in notes and "executive" in notes
    assert f"Score {result.lead_score} (hot)" in notes
    assert result.signals_detected == ["hiring", "recent_funding"]  # a title is the person's fact
    assert result.enrichment_data["company_size"] == "10-50"


def test_the_score_is_its_line_items_and_the_notes_spell_them() -> None:
    company = qualify_company(evidence(HIRING, FUNDING, facts=(SIZE,)), Weights())
    result = score_lead(company, CEO, Weights())
    lines = [(c["key"], c["kind"], c["points"]) for c in result.score_breakdown]
    assert lines == [
        ("base", "base", 10),
        ("personal_contact", "contact", 15),
        ("executive", "contact", 25),
        ("personal_email", "contact", 5),
        ("hiring", "signal", 14),
        ("recent_funding", "signal", 18),
    ]
    assert sum(points for _, _, points in lines) == result.lead_score == 87
    assert "+14 hiring (3 open roles, /careers)" in result.qualification_notes
    assert "+18 recent funding ($12M, Series A, 2026-06-10, /press)" in result.qualification_notes
    assert [p["name"] for p in result.signals] == ["hiring", "recent_funding"]
    assert result.signals[0]["url"] == CAREERS and result.signals[0]["snippet"] == "We’re hiring"


def test_caps_are_line_items_too() -> None:
    strong = [
        HIRING,
        FUNDING,
        SignalFact("growing_company", CAREERS, Evidence("text", "new office in Berlin"), 0.85),
        SignalFact("b2b_saas", CAREERS, Evidence("text", "SaaS"), 0.9),
    ]
    company = qualify_company(evidence(*strong), Weights())
    result = score_lead(company, INFO, Weights())
    by_key = {c["key"]: c["points"] for c in result.score_breakdown}
    assert by_key["signal_cap"] == 40 - (14 + 18 + 9 + 8)
    assert by_key["role_cap"] == 45 - 50
    assert sum(by_key.values()) == result.lead_score == 45
    assert "capped at 45 for a role address" in result.qualification_notes


def test_weak_signals_are_evidence_but_not_scored() -> None:
    undated = SignalFact("recent_funding", CAREERS, Evidence("text", "raised a seed round"), 0.4)
    company = qualify_company(evidence(undated), Weights())
    assert company.signals == [] and company.points == 0
    assert company.evidence[0]["name"] == "recent_funding"


def test_weights_are_configurable_and_checked() -> None:
    heavy = Weights.from_json('{"hiring": 40, "signal_cap": 60}')
    company = qualify_company(evidence(HIRING), heavy)
    assert company.points == 36  # 40 x confidence 0.9
    with pytest.raises(ValueError, match="unknown score weights"):
        Weights.from_json('{"hirring": 40}')


def test_enrichment_confidence_follows_how_direct_the_evidence_is() -> None:
    about = "https://acme.example.com/about"
    direct = combine_enrichment(
        [
            SIZE,
            FirmographicFact("location", "Austin, TX", about, Evidence("jsonld", "address"), 0.95),
            FirmographicFact(
                "industry", ["Manufacturing & Industrial", 6], about, Evidence("keywords", "robots"), 0.8
            ),
        ]
    )
    indirect = combine_enrichment(
        [
            FirmographicFact(
                "team_headcount", 4, "https://acme.example.com/team", Evidence("card", "4 people"), 0.4
            ),
            FirmographicFact("country", "US", about, Evidence("tel", "phone numbers from US"), 0.4),
        ]
    )
    assert direct["company_size"] == "10-50" and direct["revenue_estimate"] == "$5M-$10M"
    assert direct["revenue_estimate_is_estimate"] is True
    assert direct["field_confidence"]["company_size"] == 0.95
    assert indirect["company_size"] == "1-10" and indirect["location"] == "US"
    assert direct["confidence_score"] > indirect["confidence_score"]
