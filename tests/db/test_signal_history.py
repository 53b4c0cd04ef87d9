"""The signal-history merge: first and last seen, ended by a complete crawl only, reopened when back."""

from __future__ import annotations

from datetime import UTC, datetime

from db.signal_history import merge_history

T1, T2, T3 = (datetime(2026, 11, d, 12, tzinfo=UTC) for d in (1, 2, 3))
HIRING = {"name": "hiring", "url": "https://a.example/careers", "confidence": 0.9}
PRICING = {"name": "has_pricing_page", "url": "https://a.example/pricing", "confidence": 0.9}
WEAK = {"name": "recent_funding", "url": "https://a.example/news", "confidence": 0.4}


def test_first_seen_stays_last_seen_moves_and_new_ones_open() -> None:
    first, opened, ended = merge_history([], [PRICING, WEAK], T1, complete=True)
    assert [e["name"] for e in opened] == ["has_pricing_page"]  # the weak one is evidence, not a signal
    assert ended == []
    second, opened, ended = merge_history(first, [HIRING, PRICING, WEAK], T2, complete=False)
    by_name = {e["name"]: e for e in second}
    assert by_name["has_pricing_page"]["first_seen_at"] == "2026-11-01T12:00:00Z"
    assert by_name["has_pricing_page"]["last_seen_at"] == "2026-11-02T12:00:00Z"
    assert [e["name"] for e in opened] == ["hiring"]
    assert [e["name"] for e in second] == ["has_pricing_page", "hiring", "recent_funding"]


def test_only_a_complete_crawl_ends_a_signal_and_a_return_reopens_it() -> None:
    first, _, _ = merge_history([], [HIRING, PRICING], T1, complete=True)
    partial, opened, ended = merge_history(first, [HIRING], T2, complete=False)
    assert opened == [] and ended == []
    assert {e["name"]: e["ended_at"] for e in partial} == {"has_pricing_page": None, "hiring": None}
    done, opened, ended = merge_history(partial, [HIRING], T2, complete=True)
    assert ended == ["has_pricing_page"] and opened == []
    assert {e["name"]: e["ended_at"] for e in done} == {
        "has_pricing_page": "2026-11-02T12:00:00Z",
        "hiring": None,
    }
    again, opened, ended = merge_history(done, [HIRING], T3, complete=True)
    assert ended == []  # ended once, not again
    back, opened, _ = merge_history(again, [HIRING, PRICING], T3, complete=True)
    assert [e["name"] for e in opened] == ["has_pricing_page"]
    pricing = next(e for e in back if e["name"] == "has_pricing_page")
    assert pricing["ended_at"] is None and pricing["first_seen_at"] == "2026-11-01T12:00:00Z"
