"""A crawl never stores a contact on the account's suppression list: email, phone or whole domain."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.models import Lead, Suppression
from tests.crawler.conftest import CrawlResult
from tests.sites.expected import ACME, MUELLER
from tests.sites.runner import SitesServer

pytestmark = [pytest.mark.db, pytest.mark.slow]


def test_suppressed_emails_phones_and_domains_are_never_stored(
    crawl: Callable[..., CrawlResult], sites: SitesServer, engine: Engine, account_id: str
) -> None:
    dana = ACME.lead("dana.whitfield@acme-robotics.com")
    tyler = ACME.lead("+15125550178")  # a person known by a phone only
    with Session(engine) as session, session.begin():
        session.add_all(
            [
                # stored as the API stores them: lower-case emails and domains, E.164 phones
                Suppression(account_id=account_id, kind="email", value="dana.whitfield@acme-robotics.com"),
                Suppression(account_id=account_id, kind="phone", value="+15125550178"),
                Suppression(account_id=account_id, kind="domain", value=MUELLER.domain),
            ]
        )
    urls = " ".join(sites.url(site.host) for site in (ACME, MUELLER))
    result = crawl(f"urls={urls}", "depth=1", f"account={account_id}")
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.job is not None and result.job.status == "completed"
    with Session(engine) as session:
        leads = list(session.scalars(select(Lead).where(Lead.account_id == account_id)))
    stored = {lead.email or lead.phone for lead in leads}
    expected = {lead.key for lead in ACME.leads_at_depth(1)} - {dana.key, tyler.key}
    assert stored == expected
    assert all(lead.company_domain == ACME.domain for lead in leads)
    assert not [lead for lead in leads if lead.full_name in (dana.full_name, tyler.full_name)]
