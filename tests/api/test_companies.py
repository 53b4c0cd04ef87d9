"""GET /v1/companies and /v1/companies/{id}: filters, keyset sorts, the company record with its leads,
the lead's company fields, and company fields in exports."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from api.rest.resources.companies import SIGNALS
from api.worker.runner import Worker
from crawler.extract.signals import SIGNALS as CRAWL_SIGNALS
from db.leads import link_job_companies, upsert_companies
from db.models import Company, Job, Lead, Suppression
from tests.api.conftest import Caller
from tests.api.test_errors import assert_error
from tests.api.test_exports import _export
from tests.api.test_pagination import walk

pytestmark = pytest.mark.db

BASE = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
HIRING = {"name": "hiring", "url": "https://a.example/careers", "method": "text", "snippet": "We're hiring",
          "page_date": None, "confidence": 0.9, "reasons": ["careers page /careers"], "detail": {},
          "first_seen_at": "2026-02-01T09:00:00Z", "last_seen_at": "2026-03-01T09:00:00Z",
          "ended_at": None}  # fmt: skip
WEAK_FUNDING = {"name": "recent_funding", "url": "https://a.example/news", "method": "text",
                "snippet": "raised a seed round", "page_date": None, "confidence": 0.4, "reasons": [],
                "detail": {}, "first_seen_at": "2026-02-01T09:00:00Z",
                "last_seen_at": "2026-03-01T09:00:00Z", "ended_at": None}  # fmt: skip


@dataclass
class Seeded:
    companies: list[Company]  # in creation order
    job: Job
    leads: dict[str, Lead]


@pytest.fixture
def seeded(
    caller: Caller, make_job: Callable[..., Job], make_lead: Callable[..., Lead], db: Session
) -> Seeded:
    """Seven companies with ties in name and lead count; the job saw three of them."""
    specs = [
        # (domain, name, lead count, last seen offset in hours)
        ("kestrel-finch.co.uk", "Kestrel & Finch", 3, 5),
        ("alder-analytics.com", "Alder Analytics", 1, 9),
        ("acme-robotics.com", "Acme Robotics", 2, 1),
        ("acme-tools.de", "acme tools", 2, 7),
        ("unnamed.example", None, 0, 3),
        ("zeta-labs.io", "Zeta Labs", 3, 9),
        ("brightwater-labs.io", "Brightwater Labs", 1, 2),
    ]
    job = make_job(caller.account_id, status="completed")
    companies, leads = [], {}
    for i, (domain, name, count, seen) in enumerate(specs):
        company = Company(
            account_id=caller.account_id,
            domain=domain,
            name=name,
            signals=[HIRING] if i % 2 == 0 else [WEAK_FUNDING],
            enrichment={
                "industry": "SaaS",
                "sources": {"industry": {"url": f"https://{domain}/", "evidence": "SaaS"}},
            },
            score=30 + i,
            social_profiles=[],
            created_at=BASE + timedelta(minutes=i // 2),  # ties: the id breaks them
            last_seen_at=BASE + timedelta(hours=seen),
        )
        db.add(company)
        db.flush()
        companies.append(company)
        for n in range(count):
            lead = make_lead(
                caller.account_id,
                email=f"person{n}@{domain}",
                full_name=f"Person {n}" if n else None,
                contact_type="personal" if n else "role",
                company_id=company.id,
                company_name=name,
                company_domain=domain,
                created_at=BASE + timedelta(minutes=n),
            )
            leads[lead.email or ""] = lead
    link_job_companies(db, job.id, [c.id for c in companies[:3]])
    db.commit()
    for company in companies:
        db.refresh(company)
    return Seeded(companies, job, leads)


def _ids(items: list[dict]) -> list[str]:
    return [item["id"] for item in items]


def test_the_signal_vocabulary_is_the_crawls() -> None:
    assert SIGNALS == CRAWL_SIGNALS


@pytest.mark.parametrize("sort", ["created_at", "name", "lead_count", "last_seen_at"])
@pytest.mark.parametrize("order", ["asc", "desc"])
def test_every_sort_pages_completely_and_in_order(
    client: FlaskClient, caller: Caller, seeded: Seeded, sort: str, order: str
) -> None:
    def key(c: Company) -> tuple:
        value = {
            "created_at": c.created_at,
            "name": (c.name or "").lower(),
            "lead_count": c.lead_count,
            "last_seen_at": c.last_seen_at,
        }[sort]
        return (value, c.id)

    expected = [c.id for c in sorted(seeded.companies, key=key, reverse=order == "desc")]
    got = walk(client, caller, f"/v1/companies?sort={sort}&order={order}", limit=2)
    assert _ids(got) == expected
    assert [c.lead_count for c in seeded.companies] == [3, 1, 2, 2, 0, 3, 1]  # kept by the triggers


def test_filters_domain_search_signal_job_and_dates(
    client: FlaskClient, caller: Caller, seeded: Seeded, db: Session
) -> None:
    c = seeded.companies
    h = caller.headers

    def ids(query: str) -> set[str]:
        response = client.get(f"/v1/companies?{query}", headers=h)
        assert response.status_code == 200, response.get_json()
        return set(_ids(response.get_json()["data"]))

    assert ids("domain=acme-robotics.com") == {c[2].id}
    assert ids("domain=https://www.Acme-Robotics.com/contact") == {c[2].id}  # however the host is spelled
    assert ids("domain=shop.acme-robotics.com") == {c[2].id}
    assert ids("domain=robotics.com") == set()
    assert ids("search=ACME") == {c[2].id, c[3].id}
    assert ids("search=labs.io") == {c[5].id, c[6].id}
    assert ids("search=100%25") == set()  # a literal %, not a wildcard
    assert ids("signal=hiring") == {c[0].id, c[2].id, c[4].id, c[6].id}
    assert ids("signal=recent_funding") == set()  # seen, but too weak to count (0.4)
    c[6].signals = [{**HIRING, "ended_at": "2026-03-02T09:00:00Z"}]  # a re-crawl no longer found it
    db.commit()
    assert ids("signal=hiring") == {c[0].id, c[2].id, c[4].id}
    assert ids(f"job_id={seeded.job.id}") == {c[0].id, c[1].id, c[2].id}
    assert ids(f"job_id={seeded.job.id}&signal=hiring&search=acme") == {c[2].id}
    assert ids("created_after=2026-03-01T09:01:00Z&created_before=2026-03-01T09:03:00Z") == {
        c[2].id,
        c[3].id,
        c[4].id,
        c[5].id,
    }


def test_a_company_with_its_address_profiles_evidence_counts_and_leads(
    client: FlaskClient, caller: Caller, seeded: Seeded, db: Session
) -> None:
    studio = seeded.companies[0]
    studio.street, studio.postal_code, studio.city, studio.country = "14 Wharf Road", "N1 7GR", "London", "GB"
    studio.address_source_url = "https://kestrel-finch.co.uk/legal"
    studio.social_profiles = [
        {
            "platform": "linkedin",
            "url": "https://linkedin.com/company/kestrel-finch",
            "source_url": "https://kestrel-finch.co.uk/",
        }
    ]
    db.commit()
    response = client.get(f"/v1/companies/{studio.id}", headers=caller.headers)
    assert response.status_code == 200
    body = response.get_json()
    assert {k: body[k] for k in ("id", "name", "domain", "lead_count", "people_count", "score")} == {
        "id": studio.id,
        "name": "Kestrel & Finch",
        "domain": "kestrel-finch.co.uk",
        "lead_count": 3,
        "people_count": 2,
        "score": 30,
    }
    assert body["address"] == {
        "street": "14 Wharf Road",
        "postal_code": "N1 7GR",
        "city": "London",
        "region": None,
        "country": "GB",
        "source_url": "https://kestrel-finch.co.uk/legal",
    }
    assert body["social_profiles"] == studio.social_profiles
    assert body["signals"] == [{**HIRING, "active": True}]
    assert body["enrichment"]["sources"]["industry"]["evidence"] == "SaaS"
    assert (body["first_seen_at"], body["last_seen_at"]) == ("2026-03-01T09:00:00Z", "2026-03-01T14:00:00Z")
    assert [lead["email"] for lead in body["leads"]] == [
        "person2@kestrel-finch.co.uk",
        "person1@kestrel-finch.co.uk",
        "person0@kestrel-finch.co.uk",
    ]
    ref = {"id": studio.id, "name": "Kestrel & Finch", "domain": "kestrel-finch.co.uk"}
    assert all(lead["company_id"] == studio.id and lead["company"] == ref for lead in body["leads"])
    # a company that states no address has none
    assert (
        client.get(f"/v1/companies/{seeded.companies[1].id}", headers=caller.headers).get_json()["address"]
        is None
    )


def test_leads_name_their_company_and_filter_by_it(
    client: FlaskClient, caller: Caller, seeded: Seeded
) -> None:
    studio = seeded.companies[0]
    listed = client.get(f"/v1/leads?company_id={studio.id}", headers=caller.headers).get_json()["data"]
    assert sorted(lead["email"] for lead in listed) == [f"person{n}@kestrel-finch.co.uk" for n in range(3)]
    lead = client.get(f"/v1/leads/{listed[0]['id']}", headers=caller.headers).get_json()
    assert (lead["company_id"], lead["company"]) == (
        studio.id,
        {"id": studio.id, "name": "Kestrel & Finch", "domain": "kestrel-finch.co.uk"},
    )
    assert lead["company_domain"] == "kestrel-finch.co.uk" and lead["company_name"] == "Kestrel & Finch"


def test_a_lead_without_a_company_says_so(
    client: FlaskClient, caller: Caller, make_lead: Callable[..., Lead]
) -> None:
    lead = make_lead(caller.account_id)
    body = client.get(f"/v1/leads/{lead.id}", headers=caller.headers).get_json()
    assert (body["company_id"], body["company"]) == (None, None)


def test_a_suppressed_domain_hides_its_company(
    client: FlaskClient, caller: Caller, seeded: Seeded, db: Session
) -> None:
    acme = seeded.companies[2]
    db.add(Suppression(account_id=caller.account_id, kind="domain", value=acme.domain))
    db.commit()
    listed = _ids(walk(client, caller, "/v1/companies", limit=100))
    assert acme.id not in listed and len(listed) == len(seeded.companies) - 1
    assert_error(client.get(f"/v1/companies/{acme.id}", headers=caller.headers), 404, "not_found")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("signal=hirng", "signal"),
        ("sort=score", "sort"),
        ("order=up", "order"),
        ("limit=0", "limit"),
        ("domain=", "domain"),
        ("created_after=yesterday", "created_after"),
        ("created_after=2026-03-02T00:00:00Z&created_before=2026-03-01T00:00:00Z", "created_after"),
    ],
)
def test_bad_queries_are_400_naming_the_field(
    client: FlaskClient, caller: Caller, query: str, field: str
) -> None:
    error = assert_error(client.get(f"/v1/companies?{query}", headers=caller.headers), 400, "invalid_request")
    assert error["details"]["field"] == field


def test_a_cursor_is_valid_only_for_its_sort(client: FlaskClient, caller: Caller, seeded: Seeded) -> None:
    first = client.get("/v1/companies?sort=name&limit=2", headers=caller.headers).get_json()
    cursor = first["pagination"]["next_cursor"]
    assert cursor
    response = client.get(f"/v1/companies?sort=lead_count&limit=2&cursor={cursor}", headers=caller.headers)
    assert assert_error(response, 400, "invalid_request")["details"]["field"] == "cursor"


def test_unknown_company_is_404(client: FlaskClient, caller: Caller) -> None:
    error = assert_error(
        client.get("/v1/companies/comp_00000000000000", headers=caller.headers), 404, "not_found"
    )
    assert error["details"] == {"field": "id", "reason": "no such company in your account"}


def test_upserting_stamps_last_seen_and_lists_the_job(
    db: Session, caller: Caller, make_job: Callable[..., Job]
) -> None:
    job = make_job(caller.account_id)
    ids = upsert_companies(db, caller.account_id, {"wren-bakery.com": "Wren Bakery"}, job_id=job.id)
    db.commit()
    company = db.get(Company, ids["wren-bakery.com"])
    assert company is not None and company.last_seen_at is not None
    first_seen = company.last_seen_at
    upsert_companies(db, caller.account_id, {"wren-bakery.com": None}, job_id=job.id)  # listed once
    db.commit()
    db.refresh(company)
    assert company.name == "Wren Bakery" and company.last_seen_at >= first_seen


def test_exports_write_company_fields_on_request(
    client: FlaskClient, caller: Caller, seeded: Seeded, db: Session, tmp_path: Path, database_url: str
) -> None:
    studio = seeded.companies[0]
    studio.street, studio.postal_code, studio.city, studio.country = "14 Wharf Road", "N1 7GR", "London", "GB"
    studio.social_profiles = [
        {"platform": "x", "url": "=cmd|' /C calc'!A0", "source_url": "https://kestrel-finch.co.uk/"}
    ]
    db.commit()
    worker = Worker(database_url, allow=(), directory=tmp_path / "exports")
    fields = ["email", "company_id", "company", "company_street", "company_postal_code", "company_city",
              "company_country", "company_social_profiles", "company_lead_count"]  # fmt: skip
    filters = {"search": "kestrel-finch"}
    _status, download = _export(
        client, caller, worker, {"format": "json", "filters": filters, "fields": fields}
    )
    rows = sorted(json.loads(download.get_data()), key=lambda r: r["email"])
    ref = {"id": studio.id, "name": "Kestrel & Finch", "domain": "kestrel-finch.co.uk"}
    assert rows[0] == {
        "email": "person0@kestrel-finch.co.uk",
        "company_id": studio.id,
        "company": ref,
        "company_street": "14 Wharf Road",
        "company_postal_code": "N1 7GR",
        "company_city": "London",
        "company_country": "GB",
        "company_social_profiles": studio.social_profiles,
        "company_lead_count": 3,
    }
    assert len(rows) == 3
    _status, download = _export(
        client, caller, worker, {"format": "csv", "filters": filters, "fields": fields}
    )
    table = list(csv.reader(io.StringIO(download.get_data(as_text=True))))
    assert table[0] == fields
    assert sorted(row[0] for row in table[1:]) == [f"person{n}@kestrel-finch.co.uk" for n in range(3)]
    assert {tuple(row[3:7]) for row in table[1:]} == {("14 Wharf Road", "N1 7GR", "London", "GB")}
    assert json.loads(table[1][2]) == ref and json.loads(table[1][7]) == studio.social_profiles
    # the default fields are the lead's, company reference included, and no company_* extras
    _status, download = _export(client, caller, worker, {"format": "json", "filters": filters})
    every = json.loads(download.get_data())[0]
    assert every["company"] == ref and not any(
        k.startswith("company_") and k not in ("company_name", "company_domain", "company_id") for k in every
    )
