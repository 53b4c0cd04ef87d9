"""Sites where people and their contacts are apart: ``scrapy crawl leads`` stores every person the
hand-written truth lists (those without any contact point too), and the API shows the company with
the profiles only its footer carries. Ground truth: tests/sites/site_harbor.py, site_vogel.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine

from api import create_app
from db.accounts import create_api_key
from db.engine import session_factory
from tests.crawler.conftest import CrawlResult
from tests.sites import site_harbor, site_vogel
from tests.sites.runner import SitesServer

pytestmark = [pytest.mark.db, pytest.mark.slow]
DEDICATED = (("linkedin", "linkedin_url"), ("twitter", "twitter_url"))


@pytest.fixture
def api(database_url: str, engine: Engine, account_id: str) -> tuple[FlaskClient, dict[str, str]]:
    """The REST API on the crawl's database, with a key of the crawling account."""
    with session_factory(engine).begin() as session:
        _, key = create_api_key(session, account_id, "people sites", ["read"])
    app = create_app({"DATABASE_URL": database_url, "TESTING": True})
    return app.test_client(), {"Authorization": f"Bearer {key}"}


def _leads(client: FlaskClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    body = client.get("/v1/leads?limit=100", headers=headers).get_json()
    assert body["pagination"]["has_more"] is False
    return list(body["data"])


def test_people_two_and_three_links_deep_arrive_with_contacts_from_another_page(
    crawl: Callable[..., CrawlResult],
    sites: SitesServer,
    account_id: str,
    api: tuple[FlaskClient, dict[str, str]],
) -> None:
    host = site_harbor.HARBOR
    before = len(sites.requests(host))
    result = crawl(f"urls={sites.url(host)}", "depth=3", f"account={account_id}")
    assert result.returncode == 0, result.stderr[-3000:]
    job = result.job
    assert job is not None and job.status == "completed"
    assert job.pages_crawled == len(site_harbor.PAGES)
    requested = {r["path"] for r in sites.requests(host)[before:]}
    assert set(site_harbor.PAGES) <= requested

    client, headers = api
    leads = _leads(client, headers)
    assert job.leads_found == len(leads) == len(site_harbor.PEOPLE) + len(site_harbor.ROLE_LEADS)
    people = sorted(
        (lead["full_name"], lead["job_title"], lead["email"], lead["phone"], lead["linkedin_url"])
        for lead in leads
        if lead["contact_type"] == "personal"
    )
    assert people == sorted(site_harbor.PEOPLE)
    # a person with no contact point anywhere is still a lead, keyed by name and company
    [marcus] = [lead for lead in leads if lead["full_name"] == "Marcus Feld"]
    assert marcus["email"] is None and marcus["phone"] is None and marcus["social_profiles"] == {}
    for lead in leads:
        if lead["contact_type"] == "personal":  # the firm's profiles are not a person's
            assert lead["social_profiles"] == {}, lead["full_name"]
    roles = [lead for lead in leads if lead["contact_type"] == "role"]
    assert sorted((r["email"] or "", r["phone"] or "") for r in roles) == sorted(
        (e or "", p or "") for e, p in site_harbor.ROLE_LEADS
    )
    for role in roles:
        assert role["full_name"] is None and role["social_profiles"] == site_harbor.COMPANY_PROFILES
        for platform, column in DEDICATED:
            assert role[column] == site_harbor.COMPANY_PROFILES[platform], (role["email"], column)

    # the footer's profiles land on the company, found through the company list
    listed = client.get(f"/v1/companies?domain={host}", headers=headers)
    assert listed.status_code == 200
    [company] = listed.get_json()["data"]
    assert (company["domain"], company["name"]) == (host, site_harbor.COMPANY_NAME)
    assert {p["platform"]: p["url"] for p in company["social_profiles"]} == site_harbor.COMPANY_PROFILES
    assert {k: company["address"][k] for k in site_harbor.ADDRESS} == site_harbor.ADDRESS
    assert (company["lead_count"], company["people_count"]) == (len(leads), len(site_harbor.PEOPLE))
    assert all(lead["company_id"] == company["id"] for lead in leads)


def test_a_shallow_crawl_of_the_same_site_reaches_nobody(
    crawl: Callable[..., CrawlResult],
    sites: SitesServer,
    account_id: str,
    api: tuple[FlaskClient, dict[str, str]],
) -> None:
    host = site_harbor.HARBOR
    result = crawl(f"urls={sites.url(host)}", "depth=1", f"account={account_id}")
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.job is not None and result.job.status == "completed"
    depth_one = [p for p, d in site_harbor.PAGES.items() if d <= 1]
    assert result.job.pages_crawled == len(depth_one)
    client, headers = api
    leads = _leads(client, headers)
    # the footer's main line is on every page; every person is two or more links from the home page
    assert [(lead["contact_type"], lead["phone"]) for lead in leads] == [("role", site_harbor.MAIN_LINE)]


def _crawl_vogel(
    crawl: Callable[..., CrawlResult],
    sites: SitesServer,
    account_id: str,
    client: FlaskClient,
    headers: dict[str, str],
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    result = crawl(f"urls={sites.url(site_vogel.VOGEL)}", "depth=3", f"account={account_id}")
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.job is not None and result.job.status == "completed"
    assert result.job.pages_crawled == len(site_vogel.PAGES)
    listed = client.get(f"/v1/companies?domain={site_vogel.VOGEL}", headers=headers)
    assert listed.status_code == 200
    [company] = listed.get_json()["data"]
    return _leads(client, headers), company


def test_people_named_in_prose_and_under_title_headings_take_their_addresses_from_another_page(
    crawl: Callable[..., CrawlResult],
    sites: SitesServer,
    account_id: str,
    api: tuple[FlaskClient, dict[str, str]],
) -> None:
    client, headers = api
    leads, company = _crawl_vogel(crawl, sites, account_id, client, headers)
    assert len(leads) == len(site_vogel.PEOPLE) + len(site_vogel.ROLE_LEADS)
    named = sorted(
        (lead["full_name"], lead["job_title"], lead["email"], lead["phone"], lead["linkedin_url"])
        for lead in leads
        if lead["full_name"]
    )
    assert named == sorted(site_vogel.PEOPLE)
    assert all(lead["contact_type"] == "personal" for lead in leads if lead["full_name"])
    unnamed = sorted((lead["email"] or "", lead["phone"] or "") for lead in leads if not lead["full_name"])
    assert unnamed == sorted((e or "", p or "") for e, p in site_vogel.ROLE_LEADS)
    stored_phones = {lead["phone"] for lead in leads if lead["phone"]}
    assert site_vogel.MAIN_LINE in stored_phones
    assert stored_phones.isdisjoint(site_vogel.NOT_LEADS)  # the fax, HRB and VAT numbers
    assert (company["domain"], company["name"]) == (site_vogel.VOGEL, site_vogel.COMPANY_NAME)
    assert {p["platform"]: p["url"] for p in company["social_profiles"]} == site_vogel.COMPANY_PROFILES
    assert (company["lead_count"], company["people_count"]) == (len(leads), len(site_vogel.PEOPLE))


def test_the_workshop_mailbox_is_a_role_address_and_the_imprint_gives_the_address(
    crawl: Callable[..., CrawlResult],
    sites: SitesServer,
    account_id: str,
    api: tuple[FlaskClient, dict[str, str]],
) -> None:
    client, headers = api
    leads, company = _crawl_vogel(crawl, sites, account_id, client, headers)
    roles = sorted(
        (lead["email"] or "", lead["phone"] or "") for lead in leads if lead["contact_type"] == "role"
    )
    assert roles == sorted((e or "", p or "") for e, p in site_vogel.ROLE_LEADS)
    assert company["address"] is not None
    assert {k: company["address"][k] for k in site_vogel.ADDRESS} == site_vogel.ADDRESS
