"""GET /v1/leads?job_id=: the same leads, in the same order and pages, as the filter it replaced
(the lead's job_id, or any sighting by the job), through crawls, merges, erasure and a deleted job."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from api.rest.leadquery import LEAD_SORTS
from api.rest.pagination import encode_cursor
from db.models import Job, Lead, LeadSighting
from db.privacy import not_suppressed
from pipelines.store import Batch, StorePipeline
from tests.api.conftest import Caller
from tests.api.test_pagination import walk
from tests.db.test_job_leads import derived_listing, listing

pytestmark = pytest.mark.db

BASE = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
SORTS = [(sort, order) for sort in ("created_at", "score", "company") for order in ("desc", "asc")]


def before_job_leads(db: Session, account_id: str, job_id: str, sort: str, order: str) -> list[str]:
    """The ids the listing returned before job_leads existed: its exact filter, sort and tie-break."""
    db.commit()  # a fresh snapshot: see what the app and the pipeline committed
    seen = exists().where(LeadSighting.lead_id == Lead.id, LeadSighting.job_id == job_id)
    columns = [c.expr for c in LEAD_SORTS[sort]]
    stmt = (
        select(Lead.id)
        .where(Lead.account_id == account_id, or_(Lead.job_id == job_id, seen), not_suppressed())
        .order_by(*(c.desc() if order == "desc" else c.asc() for c in columns))
    )
    return list(db.scalars(stmt))


def row(key: str, created_at: datetime, **values: Any) -> dict[str, Any]:
    """A leads row as ``pipelines.store.lead_row`` makes it, created at a set time."""
    kind, _, ident = key.partition(":")
    domain = ident.split("@")[-1] if kind == "email" else ident.split("|")[-1]
    return {
        "identity_key": key,
        "contact_type": "personal",
        "email": ident if kind == "email" else None,
        "phone": ident.split("|")[0] if kind == "phone" else None,
        "phone_national": None,
        "full_name": None,
        "job_title": None,
        "company_name": domain.split(".")[0].title(),
        "company_domain": domain,
        "linkedin_url": None,
        "twitter_url": None,
        "facebook_url": None,
        "social_profiles": {},
        "source_url": f"https://{domain}/team",
        "lead_score": None,
        "lead_status": None,
        "qualification_notes": None,
        "signals_detected": [],
        "enrichment_data": {},
        "enriched_at": None,
        "created_at": created_at,
        **values,
    }


def crawl(
    account_id: str, job_id: str, rows: list[dict[str, Any]], rekeys: list[tuple[str, set[str]]] | None = None
) -> None:
    """One flush of the store pipeline for a job (``StorePipeline._write``, its own transaction)."""
    batch = Batch(job_id=job_id, account_id=account_id, credits_per_url=0)
    batch.companies = {r["company_domain"]: r["company_name"] for r in rows}
    batch.leads = [dict(r, job_id=job_id) for r in rows]
    batch.sightings = [(r["identity_key"], r["source_url"], "mailto") for r in rows]
    batch.rekeys = list(rekeys or [])
    StorePipeline(SimpleNamespace(stats=None), 100, 1.0)._write(batch)


def lead_id(db: Session, account_id: str, key: str) -> str:
    found = db.scalar(select(Lead.id).where(Lead.account_id == account_id, Lead.identity_key == key))
    assert found is not None, key
    return found


def assert_same_as_before(client: FlaskClient, caller: Caller, db: Session, jobs: list[str]) -> None:
    """Every job, every sort and order, paged two at a time: what the old filter gave, in its order."""
    for job_id in jobs:
        for sort, order in SORTS:
            expected = before_job_leads(db, caller.account_id, job_id, sort, order)
            path = f"/v1/leads?job_id={job_id}&sort={sort}&order={order}"
            got = [item["id"] for item in walk(client, caller, path, limit=2)]
            assert got == expected, (job_id, sort, order)
    assert listing(db, caller.account_id) == derived_listing(db, caller.account_id)


def test_job_filter_matches_the_old_filter_through_crawls_merges_erasure_and_job_deletion(
    client: FlaskClient, caller: Caller, make_job: Callable[..., Job], db: Session
) -> None:
    account = caller.account_id
    j1, j2, j3, j4 = (make_job(account, status="completed").id for _ in range(4))
    ada_phone, ada = "phone:+14155550101|acme-robotics.com", "email:ada@acme-robotics.com"
    grace_phone, grace = "phone:+14155550102|acme-robotics.com", "email:grace@acme-robotics.com"
    # j1 finds five leads: a and b created in the same second (the id breaks the tie), scores with
    # ties and gaps, companies differing only in case.
    crawl(
        account,
        j1,
        [
            row("email:a@acme-robotics.com", BASE, lead_score=80, lead_status="hot"),
            row("email:b@acme-robotics.com", BASE, lead_score=80, lead_status="hot", company_name="acme"),
            row("email:c@globex.io", BASE + timedelta(hours=1), lead_score=20, lead_status="cold"),
            row(ada_phone, BASE - timedelta(hours=2), full_name="Ada Lovelace"),
            row(grace_phone, BASE + timedelta(hours=2), full_name="Grace Hopper", lead_score=55),
        ],
    )
    # j2 sees b and Ada's phone again (they keep j1 as their job), finds d and Ada's email (a new lead:
    # nothing tells the pipeline yet that it is the same person).
    crawl(
        account,
        j2,
        [
            row("email:b@acme-robotics.com", BASE + timedelta(days=1)),
            row(ada_phone, BASE + timedelta(days=1)),
            row("email:d@initech.com", BASE + timedelta(hours=3), lead_score=40),
            row(ada, BASE + timedelta(hours=4)),
        ],
    )
    assert_same_as_before(client, caller, db, [j1, j2, j3])
    assert len(before_job_leads(db, account, j2, "created_at", "desc")) == 4

    # j3 learns Ada's phone lead is her email lead: merged into it (the survivor takes the phone
    # lead's earlier creation time and its j1/j2 sightings); Grace's phone lead is re-keyed to her email.
    crawl(
        account,
        j3,
        [row(ada, BASE + timedelta(days=2)), row(grace, BASE + timedelta(days=2), full_name="Grace Hopper")],
        rekeys=[(ada, {ada_phone})],
    )
    survivor = lead_id(db, account, ada)
    assert db.scalar(select(Lead.created_at).where(Lead.id == survivor)) == BASE - timedelta(hours=2)
    assert db.scalar(select(Lead.id).where(Lead.identity_key == ada_phone)) is None
    assert survivor in before_job_leads(db, account, j1, "created_at", "desc")
    assert lead_id(db, account, grace) in before_job_leads(db, account, j3, "created_at", "desc")
    assert_same_as_before(client, caller, db, [j1, j2, j3])

    # Re-qualification by a later crawl: a is rescored below c and its company renamed; every sort of
    # every job that lists a follows (job_leads' sort keys are kept by the database).
    crawl(
        account,
        j3,
        [
            row(
                "email:a@acme-robotics.com",
                BASE + timedelta(days=2),
                lead_score=10,
                lead_status="cold",
                company_name="Zenith Robotics",
            )
        ],
    )
    assert_same_as_before(client, caller, db, [j1, j2, j3])

    # Erasure: c goes, from every job's list.
    c = lead_id(db, account, "email:c@globex.io")
    response = client.post(
        "/v1/suppressions", headers=caller.headers, json={"kind": "email", "value": "c@globex.io"}
    )
    assert response.status_code == 201 and response.get_json()["erased"] == {"leads": 1}
    assert c not in before_job_leads(db, account, j1, "created_at", "desc")
    assert_same_as_before(client, caller, db, [j1, j2, j3])

    # A deleted job: its leads stay (job_id NULL), its list is empty, and a later job that finds
    # d again becomes d's job.
    db.delete(db.get(Job, j2))
    db.commit()
    assert before_job_leads(db, account, j2, "created_at", "desc") == []
    crawl(account, j4, [row("email:d@initech.com", BASE + timedelta(days=3))])
    assert db.scalar(select(Lead.job_id).where(Lead.identity_key == "email:d@initech.com")) == j4
    assert_same_as_before(client, caller, db, [j1, j2, j3, j4])
    # Another account's job id, or an unknown one, lists nothing.
    assert client.get("/v1/leads?job_id=job_unknown", headers=caller.headers).get_json()["data"] == []


def test_job_pages_by_cursor_like_the_unfiltered_listing(
    client: FlaskClient, caller: Caller, make_job: Callable[..., Job], db: Session
) -> None:
    """Cursors keep their shape: one made from a lead row (as every listing makes them) pages a
    job's leads from that lead on, and combined filters page the same as before."""
    account = caller.account_id
    job, other = make_job(account).id, make_job(account).id
    rows = [
        row(f"email:p{i}@acme-robotics.com", BASE + timedelta(minutes=i // 3), lead_score=(i * 7) % 100)
        for i in range(25)
    ]
    crawl(account, job, rows[::2])
    crawl(account, other, rows[1::2])
    crawl(account, job, rows[1:6:2])  # three of the other job's leads seen by this job too
    expected = before_job_leads(db, account, job, "created_at", "desc")
    assert len(expected) == 16
    middle = db.get(Lead, expected[6])
    cursor = encode_cursor("leads:created_at:desc", LEAD_SORTS["created_at"], middle)
    rest = client.get(f"/v1/leads?job_id={job}&limit=50&cursor={cursor}", headers=caller.headers).get_json()
    assert [item["id"] for item in rest["data"]] == expected[7:]
    # The first page's cursor of the job listing pages the job listing; the sort name is unchanged.
    first = client.get(f"/v1/leads?job_id={job}&limit=5", headers=caller.headers).get_json()
    assert [item["id"] for item in first["data"]] == expected[:5]
    for query in ("created_after=2026-03-01T09:02:00Z", "created_before=2026-03-01T09:05:00Z&order=asc",
                  "score_min=30&sort=score", "search=p1"):  # fmt: skip
        got = [i["id"] for i in walk(client, caller, f"/v1/leads?job_id={job}&{query}", limit=3)]
        everything = [i["id"] for i in walk(client, caller, f"/v1/leads?{query}", limit=50)]
        assert got == [lid for lid in everything if lid in set(expected)], query
