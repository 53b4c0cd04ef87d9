"""``scrapy crawl leads`` qualifies what it stores: acme's decision makers above its role addresses,
notes that cite evidence, enrichment with confidence; the LLM is asked once per company and a
re-crawl of unchanged pages is answered from the cache."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.models import Company
from tests.crawler.conftest import CrawlResult
from tests.crawler.test_crawl import stored_leads
from tests.pipelines.llm_stub import run_stub
from tests.sites.expected import ACME
from tests.sites.runner import SitesServer

pytestmark = [pytest.mark.db, pytest.mark.slow]


def company(engine: Engine, account_id: str) -> Company:
    with Session(engine) as session:
        row = session.scalars(select(Company).where(Company.account_id == account_id)).one()
        session.expunge(row)
        return row


def test_acme_decision_makers_score_above_its_role_addresses(
    crawl: Callable[..., CrawlResult], sites: SitesServer, engine: Engine, account_id: str
) -> None:
    result = crawl(f"urls={sites.url(ACME.host)}", "depth=3", f"account={account_id}")
    assert result.returncode == 0, result.stderr[-3000:]
    leads = stored_leads(engine, account_id, ACME.domain)
    assert all(lead.lead_score is not None for lead in leads.values())
    makers = [leads[t.key] for t in ACME.leads if t.decision_maker]
    roles = [lead for lead in leads.values() if lead.contact_type == "role"]
    assert makers and roles
    assert min(m.lead_score for m in makers) > max(r.lead_score for r in roles)
    assert all(m.lead_status in ("hot", "warm") for m in makers)
    assert all(r.lead_status != "hot" for r in roles)
    dana = leads["dana.whitfield@acme-robotics.com"]
    assert "hiring" in dana.signals_detected and "decision_maker" not in dana.signals_detected
    assert dana.enrichment_data["decision_maker_level"] == "executive"
    lines = {line["key"]: line for line in dana.score_breakdown}
    assert lines["executive"]["points"] == 25 and lines["hiring"]["kind"] == "signal"
    assert "/careers" in lines["hiring"]["reason"]
    assert sum(line["points"] for line in dana.score_breakdown) == dana.lead_score
    hiring = next(s for s in dana.signals if s["name"] == "hiring")
    assert "/careers" in hiring["url"] and hiring["snippet"] and hiring["reasons"]
    assert "/careers" in dana.qualification_notes and "3 open roles" in dana.qualification_notes
    # the second assembly facility opened in January 2024: too old to be growth or news now
    assert "growing_company" not in dana.signals_detected and "recent_news" not in dana.signals_detected
    enrichment = dana.enrichment_data
    assert enrichment["company_size"] == "10-50" and enrichment["location"] == "Austin, TX"
    assert enrichment["industry"] == "Manufacturing & Industrial"
    assert enrichment["revenue_estimate"] and enrichment["revenue_estimate_is_estimate"] is True
    assert enrichment["field_confidence"]["company_size"] == 0.95
    assert 0 < enrichment["confidence_score"] <= 1
    row = company(engine, account_id)
    assert row.score is not None and {s["name"] for s in row.signals} >= {"hiring"}
    assert row.enrichment["company_size"] == "10-50"


def test_qualify_leads_false_scores_nothing(
    crawl: Callable[..., CrawlResult], sites: SitesServer, engine: Engine, account_id: str
) -> None:
    result = crawl(f"urls={sites.url(ACME.host)}", "depth=1", f"account={account_id}", "qualify_leads=false")
    assert result.returncode == 0, result.stderr[-3000:]
    leads = stored_leads(engine, account_id, ACME.domain)
    assert leads and all(lead.lead_score is None for lead in leads.values())


def test_llm_once_per_company_and_a_recrawl_costs_nothing(
    crawl: Callable[..., CrawlResult], sites: SitesServer, engine: Engine, account_id: str
) -> None:
    with run_stub() as stub:
        settings = {
            "LLM_MODEL": f"openai/stub-{account_id[-8:]}",
            "LLM_API_BASE": f"http://127.0.0.1:{stub.server_address[1]}/v1",
            "LLM_TIMEOUT": "5",
        }
        first = crawl(f"urls={sites.url(ACME.host)}", "depth=3", f"account={account_id}", settings=settings)
        assert first.returncode == 0, first.stderr[-3000:]
        assert stub.calls == 1  # one company, one call — not one per lead
        leads = stored_leads(engine, account_id, ACME.domain)
        assert all("LLM assessment" in lead.qualification_notes for lead in leads.values())
        assert company(engine, account_id).content_hash
        again = crawl(f"urls={sites.url(ACME.host)}", "depth=3", f"account={account_id}", settings=settings)
        assert again.returncode == 0, again.stderr[-3000:]
        assert stub.calls == 1  # unchanged pages: answered from the cache
