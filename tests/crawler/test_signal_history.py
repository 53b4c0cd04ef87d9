"""Signals over time on a real re-crawl: a careers page that appeared between two crawls is a new
signal (``company.signal_detected``, a higher score), a pricing page that disappeared has ended."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.models import Company, Lead, OutboxEvent
from db.outbox import COMPANY_SIGNAL_DETECTED
from tests.crawler.conftest import CrawlResult
from tests.sites.runner import SitesServer
from tests.sites.site_tidewater import HOST

pytestmark = [pytest.mark.db, pytest.mark.slow]
NORA = "nora.quist@tidewater-routing.com"


@pytest.fixture
def tidewater(sites: SitesServer) -> Iterator[SitesServer]:
    sites.set_state("tidewater", "v1")
    yield sites
    sites.set_state("tidewater", "v1")


def _snapshot(engine: Engine, account_id: str) -> tuple[dict[str, dict], Lead, list[dict]]:
    with Session(engine) as session:
        company = session.scalars(select(Company).where(Company.account_id == account_id)).one()
        nora = session.scalars(select(Lead).where(Lead.account_id == account_id, Lead.email == NORA)).one()
        session.expunge(nora)
        events = [
            e.payload
            for e in session.scalars(
                select(OutboxEvent)
                .where(OutboxEvent.account_id == account_id)
                .where(OutboxEvent.event_type == COMPANY_SIGNAL_DETECTED)
                .order_by(OutboxEvent.created_at)
            )
        ]
        return {s["name"]: s for s in company.signals}, nora, events


def test_a_recrawl_opens_new_signals_and_ends_lost_ones(
    crawl: Callable[..., CrawlResult], tidewater: SitesServer, engine: Engine, account_id: str
) -> None:
    first = crawl(f"urls={tidewater.url(HOST)}", "depth=2", f"account={account_id}")
    assert first.returncode == 0, first.stderr[-3000:]
    signals, nora, events = _snapshot(engine, account_id)
    pricing = signals["has_pricing_page"]
    assert pricing["url"].endswith("/pricing") and pricing["ended_at"] is None
    assert pricing["first_seen_at"] == pricing["last_seen_at"]
    assert "hiring" not in signals and "b2b_saas" in signals
    assert events == []  # a company's first crawl announces nothing: its signals are news to nobody
    score_before = nora.lead_score
    assert score_before is not None
    assert "has_pricing_page" in nora.signals_detected

    tidewater.set_state("tidewater", "v2")  # the pricing page is gone, a careers page appeared
    second = crawl(f"urls={tidewater.url(HOST)}", "depth=2", f"account={account_id}")
    assert second.returncode == 0, second.stderr[-3000:]
    assert second.job is not None
    signals, nora, events = _snapshot(engine, account_id)
    hiring = signals["hiring"]
    assert hiring["url"].endswith("/careers") and hiring["detail"]["open_roles"] == 3
    assert hiring["ended_at"] is None and hiring["first_seen_at"] > pricing["first_seen_at"]
    ended = signals["has_pricing_page"]
    assert ended["ended_at"] is not None and ended["first_seen_at"] == pricing["first_seen_at"]
    assert signals["b2b_saas"]["ended_at"] is None  # still on the home page
    assert [(e["event"], e["data"]["signal"]) for e in events] == [(COMPANY_SIGNAL_DETECTED, "hiring")]
    data = events[0]["data"]
    assert data["domain"] == HOST and data["job_id"] == second.job.id
    assert data["evidence"]["url"].endswith("/careers") and data["evidence"]["snippet"]
    assert nora.lead_score is not None and nora.lead_score > score_before
    assert "hiring" in nora.signals_detected and "has_pricing_page" not in nora.signals_detected
    keys = [line["key"] for line in nora.score_breakdown]
    assert "hiring" in keys and "has_pricing_page" not in keys
    assert sum(line["points"] for line in nora.score_breakdown) == nora.lead_score
