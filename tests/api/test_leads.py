"""Leads: every filter (validated, combinable), details, updates limited to notes and tags, delete."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient

from db.models import Job, Lead
from tests.api.conftest import Caller
from tests.api.test_errors import assert_error

pytestmark = pytest.mark.db

SPEC_LIST_FIELDS = {
    "id", "email", "phone", "full_name", "job_title", "company_name", "linkedin_url", "twitter_url",
    "lead_score", "lead_status", "qualification_notes", "source_url", "job_id", "created_at",
}  # fmt: skip
SPEC_DETAIL_FIELDS = SPEC_LIST_FIELDS | {"facebook_url", "signals_detected", "enrichment_data", "enriched_at"}


@pytest.fixture
def dataset(
    caller: Caller, make_job: Callable[..., Job], make_lead: Callable[..., Lead]
) -> dict[str, object]:
    base = datetime(2026, 2, 10, 10, 0, tzinfo=UTC)
    job1 = make_job(caller.account_id, status="completed")
    job2 = make_job(caller.account_id, status="completed")
    leads = {
        "john": make_lead(
            caller.account_id, email="john.doe@example.com", phone="+14155550100", full_name="John Doe",
            company_name="Example Corp", lead_score=85, lead_status="hot", job_id=job1.id, created_at=base,
            signals_detected=["hiring", "recent_funding"], enrichment_data={"industry": "SaaS"},
            source_url="https://example.com/about", enriched_at=base,
        ),
        "jane": make_lead(
            caller.account_id, email="jane@acme-robotics.com", phone="+442071838750",
            company_name="Acme Robotics",
            lead_score=55, lead_status="warm", job_id=job1.id, created_at=base + timedelta(hours=1),
            seen_in=[job2.id],
        ),
        "info": make_lead(
            caller.account_id, email="info@globex.io", company_name="Globex", lead_score=20,
            lead_status="cold",
            contact_type="role", job_id=job2.id, created_at=base + timedelta(hours=2),
        ),
    }  # fmt: skip
    return {"job1": job1, "job2": job2, **leads}


def ids(response) -> set[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.get_data(as_text=True)
    return {lead["id"] for lead in response.get_json()["data"]}


def test_list_has_the_spec_fields(client: FlaskClient, caller: Caller, dataset: dict) -> None:
    body = client.get("/v1/leads", headers=caller.headers).get_json()
    assert set(body["pagination"]) == {"has_more", "next_cursor"}
    john = next(lead for lead in body["data"] if lead["id"] == dataset["john"].id)
    assert set(john) >= SPEC_LIST_FIELDS
    assert john["created_at"] == "2026-02-10T10:00:00Z"
    assert john["phone"] == "+14155550100" and john["job_id"] == dataset["job1"].id


def test_detail_has_signals_and_enrichment(client: FlaskClient, caller: Caller, dataset: dict) -> None:
    lead = client.get(f"/v1/leads/{dataset['john'].id}", headers=caller.headers).get_json()
    assert set(lead) >= SPEC_DETAIL_FIELDS
    assert lead["signals_detected"] == ["hiring", "recent_funding"]
    assert lead["enrichment_data"] == {"industry": "SaaS"} and lead["facebook_url"] is None
    assert lead["enriched_at"] == "2026-02-10T10:00:00Z"
    assert {"contact_type", "company_domain", "phone_national", "social_profiles", "custom_notes", "tags",
            "updated_at"} <= set(lead)  # fmt: skip


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("score_min=70", {"john"}),
        ("score_max=55", {"jane", "info"}),
        ("score_min=50&score_max=60", {"jane"}),
        ("status=hot", {"john"}),
        ("status=cold", {"info"}),
        ("search=EXAMPLE.com", {"john"}),
        ("search=acme", {"jane"}),
        ("search=globex", {"info"}),
        ("search=%2B4420", {"jane"}),
        ("search=john doe", {"john"}),
        ("search=%25", set()),
        ("created_after=2026-02-10T10:30:00Z", {"jane", "info"}),
        ("created_before=2026-02-10T10:30:00Z", {"john"}),
        ("created_after=2026-02-10T10:30:00Z&created_before=2026-02-10T11:30:00Z", {"jane"}),
        ("status=warm&score_min=50&search=acme", {"jane"}),
        ("status=hot&search=acme", set()),
    ],
)
def test_filters(client: FlaskClient, caller: Caller, dataset: dict, query: str, expected: set[str]) -> None:
    got = ids(client.get(f"/v1/leads?{query}", headers=caller.headers))
    assert got == {dataset[name].id for name in expected}


def test_job_filter_finds_leads_seen_in_a_later_job(
    client: FlaskClient, caller: Caller, dataset: dict
) -> None:
    job1, job2 = dataset["job1"].id, dataset["job2"].id
    assert ids(client.get(f"/v1/leads?job_id={job1}", headers=caller.headers)) == {
        dataset["john"].id, dataset["jane"].id
    }  # fmt: skip
    assert ids(client.get(f"/v1/leads?job_id={job2}", headers=caller.headers)) == {
        dataset["jane"].id, dataset["info"].id
    }  # fmt: skip
    assert ids(client.get("/v1/leads?job_id=job_unknown", headers=caller.headers)) == set()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("score_min=-1", "score_min"),
        ("score_max=101", "score_max"),
        ("score_min=abc", "score_min"),
        ("score_min=80&score_max=20", "score_min"),
        ("status=lukewarm", "status"),
        ("created_after=yesterday", "created_after"),
        ("created_before=2026-13-01", "created_before"),
        ("created_after=2026-03-01&created_before=2026-02-01", "created_after"),
        ("sort=email", "sort"),
        ("order=up", "order"),
        ("search=", "search"),
        ("cursor=not-a-cursor", "cursor"),
    ],
)
def test_filter_validation(client: FlaskClient, caller: Caller, query: str, field: str) -> None:
    assert_error(client.get(f"/v1/leads?{query}", headers=caller.headers), 400, "invalid_request", field)


def test_patch_notes_and_tags(client: FlaskClient, caller: Caller, dataset: dict) -> None:
    lead_id = dataset["john"].id
    body = {
        "custom_notes": "Contacted on 2026-02-10. Follow up next week.",
        "tags": ["high-priority", "q1-campaign"],
    }
    response = client.patch(f"/v1/leads/{lead_id}", headers=caller.headers, json=body)
    assert response.status_code == 200
    data = response.get_json()
    assert (
        data["id"] == lead_id
        and data["custom_notes"] == body["custom_notes"]
        and data["tags"] == body["tags"]
    )
    assert data["updated_at"].endswith("Z")
    again = client.get(f"/v1/leads/{lead_id}", headers=caller.headers).get_json()
    assert again["tags"] == body["tags"]
    cleared = client.patch(f"/v1/leads/{lead_id}", headers=caller.headers, json={"custom_notes": None})
    assert cleared.get_json()["custom_notes"] is None and cleared.get_json()["tags"] == body["tags"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "x@y.com"}, "email"),
        ({"lead_score": 99}, "lead_score"),
        ({"tags": ["ok"], "company_name": "Evil"}, "company_name"),
        ({"tags": "vip"}, "tags"),
        ({"tags": [""]}, "tags[0]"),
        ({"tags": [1]}, "tags[0]"),
        ({"custom_notes": 5}, "custom_notes"),
        ({}, "body"),
    ],
)
def test_patch_refuses_other_fields_by_name(
    client: FlaskClient, caller: Caller, dataset: dict, body: dict, field: str
) -> None:
    response = client.patch(f"/v1/leads/{dataset['john'].id}", headers=caller.headers, json=body)
    assert_error(response, 400, "invalid_request", field)
    assert client.get(f"/v1/leads/{dataset['john'].id}", headers=caller.headers).get_json()[
        "company_name"
    ] == ("Example Corp")


def test_delete_answers_204_then_404(client: FlaskClient, caller: Caller, dataset: dict) -> None:
    lead_id = dataset["jane"].id
    response = client.delete(f"/v1/leads/{lead_id}", headers=caller.headers)
    assert response.status_code == 204 and response.get_data() == b""
    assert_error(client.get(f"/v1/leads/{lead_id}", headers=caller.headers), 404, "not_found")
    assert_error(client.delete(f"/v1/leads/{lead_id}", headers=caller.headers), 404, "not_found")
