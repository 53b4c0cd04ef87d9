"""End to end through the API on a real scrapyd: a team page's people all arrive as leads with their
name, title and their card's contacts; the company's footer profiles arrive on its company-level leads
and on GET /v1/companies/{id}; a namesake at another company stays a lead of its own."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.api.conftest import Caller
from tests.api.test_crawl_e2e import all_leads, poll
from tests.sites.site_kestrel import ADDRESS, ALDER, COMPANY_PROFILES, KESTREL, PEOPLE, ROLE_LEADS

pytestmark = [pytest.mark.db, pytest.mark.slow]

DEDICATED = (("linkedin", "linkedin_url"), ("twitter", "twitter_url"), ("facebook", "facebook_url"))


def test_every_person_of_a_team_page_and_the_companys_profiles_arrive(
    live_client: FlaskClient, caller: Caller, test_sites: Any
) -> None:
    body = {
        "type": "bulk",
        "urls": [test_sites.url(KESTREL), test_sites.url(ALDER)],
        "options": {"depth": 2, "qualify_leads": True},
    }
    created = live_client.post("/v1/scrape", headers=caller.headers, json=body)
    assert created.status_code == 201, created.get_json()
    job_id = created.get_json()["id"]
    job = poll(live_client, caller, job_id, lambda j: j["status"] not in ("pending", "processing"))
    assert job["status"] == "completed", job
    assert job["credits_used"] == 2 * 2  # per crawled URL (1 + qualify_leads), whatever the leads
    leads = all_leads(live_client, caller, f"job_id={job_id}")
    assert (
        job["leads_found"] == len(leads) == sum(len(PEOPLE[h]) + len(ROLE_LEADS[h]) for h in (KESTREL, ALDER))
    )

    companies = live_client.get(f"/v1/companies?job_id={job_id}&sort=name&order=asc", headers=caller.headers)
    assert companies.status_code == 200
    listed = companies.get_json()["data"]
    assert [(c["domain"], c["name"]) for c in listed] == [
        (ALDER, "Alder Analytics"),
        (KESTREL, "Kestrel & Finch"),
    ]
    company_ids = {c["domain"]: c["id"] for c in listed}

    for host in (KESTREL, ALDER):
        mine = [lead for lead in leads if lead["company_domain"] == host]
        ref = {
            "id": company_ids[host],
            "name": dict((c["domain"], c["name"]) for c in listed)[host],
            "domain": host,
        }
        assert all(lead["company_id"] == company_ids[host] and lead["company"] == ref for lead in mine), host
        people = sorted(
            (
                lead["full_name"],
                lead["job_title"],
                lead["email"],
                lead["phone"],
                lead["linkedin_url"],
            )
            for lead in mine
            if lead["contact_type"] == "personal"
        )
        assert people == sorted(PEOPLE[host]), host
        for lead in mine:
            if lead["contact_type"] == "personal":
                own = {"linkedin": lead["linkedin_url"]} if lead["linkedin_url"] else {}
                assert lead["social_profiles"] == own, lead["full_name"]  # a person keeps only their own
                assert lead["lead_score"] is not None and lead["qualification_notes"], lead["full_name"]
        roles = [lead for lead in mine if lead["contact_type"] == "role"]
        assert sorted((r["email"] or "", r["phone"] or "") for r in roles) == sorted(
            (e or "", p or "") for e, p in ROLE_LEADS[host]
        )
        for role in roles:
            assert role["full_name"] is None and role["job_title"] is None
            assert role["social_profiles"] == COMPANY_PROFILES[host]
            for platform, column in DEDICATED:
                assert role[column] == COMPANY_PROFILES[host].get(platform), (role["email"], column)

    studio = live_client.get(f"/v1/companies/{company_ids[KESTREL]}", headers=caller.headers)
    assert studio.status_code == 200
    record = studio.get_json()
    profiles = {p["platform"]: p["url"] for p in record["social_profiles"]}
    assert profiles == COMPANY_PROFILES[KESTREL]
    assert all(p["source_url"].startswith(f"http://{KESTREL}:") for p in record["social_profiles"])
    assert {k: record["address"][k] for k in ADDRESS} == ADDRESS
    assert record["address"]["source_url"].startswith(f"http://{KESTREL}:")
    assert (record["lead_count"], record["people_count"]) == (
        len(PEOPLE[KESTREL]) + len(ROLE_LEADS[KESTREL]),
        len(PEOPLE[KESTREL]),
    )
    assert sorted(lead["id"] for lead in record["leads"]) == sorted(
        lead["id"] for lead in leads if lead["company_domain"] == KESTREL
    )
    assert record["first_seen_at"] and record["last_seen_at"] >= record["first_seen_at"]

    # the namesakes: two leads, one per company, each with its own title
    alexes = live_client.get("/v1/leads?search=Alex%20Morgan", headers=caller.headers).get_json()["data"]
    assert sorted((a["company_domain"], a["job_title"], a["email"]) for a in alexes) == [
        (ALDER, "Principal Data Scientist", "alex.morgan@alder-analytics.com"),
        (KESTREL, "Studio Manager", None),
    ]
