"""job_leads lists each lead under every job that found or saw it: through each write path, a fold,
erasure, a deleted job, and migration 0008's backfill of a database that predates it."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, Table, create_engine, insert, select, text, union, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from db.accounts import create_account
from db.engine import make_engine, session_factory
from db.jobs import create_job
from db.leads import add_sightings, fold_leads, fold_many, upsert_leads
from db.migrate import upgrade
from db.models import Job, JobLead, Lead, LeadSighting
from db.privacy import delete_leads

pytestmark = pytest.mark.db

BASE = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

Listing = set[tuple[str, str, datetime]]


def listing(session: Session, account_id: str) -> Listing:
    """The account's job_leads rows: (job_id, lead_id, lead_created_at)."""
    rows = session.execute(
        select(JobLead.job_id, JobLead.lead_id, JobLead.lead_created_at)
        .join(Lead, Lead.id == JobLead.lead_id)
        .where(Lead.account_id == account_id)
    )
    return {tuple(r) for r in rows}  # type: ignore[misc]


def derived_listing(session: Session, account_id: str) -> Listing:
    """What the listing must be: the pairs the filter matched before job_leads existed (the lead's
    ``job_id``, or a sighting's), at the lead's creation time."""
    pairs = union(
        select(Lead.job_id.label("job_id"), Lead.id.label("lead_id")).where(Lead.job_id.is_not(None)),
        select(LeadSighting.job_id, LeadSighting.lead_id).where(LeadSighting.job_id.is_not(None)),
    ).subquery()
    rows = session.execute(
        select(pairs.c.job_id, pairs.c.lead_id, Lead.created_at)
        .join(Lead, Lead.id == pairs.c.lead_id)
        .where(Lead.account_id == account_id)
    )
    return {tuple(r) for r in rows}  # type: ignore[misc]


def stale_sort_keys(session: Session, account_id: str) -> list[tuple[Any, ...]]:
    """job_leads rows whose sort keys differ from their lead's (the score and company sort keys)."""
    rows = session.execute(
        select(
            JobLead.job_id,
            JobLead.lead_id,
            JobLead.score_key,
            JobLead.company_key,
            Lead.lead_score,
            Lead.company_name,
        )
        .join(Lead, Lead.id == JobLead.lead_id)
        .where(Lead.account_id == account_id)
    )
    return [
        tuple(r)
        for r in rows
        if (r.score_key, r.company_key)
        != (-1 if r.lead_score is None else r.lead_score, (r.company_name or "").lower())
    ]


def assert_listing_consistent(session: Session, account_id: str) -> Listing:
    session.flush()
    actual = listing(session, account_id)
    assert actual == derived_listing(session, account_id)
    assert stale_sort_keys(session, account_id) == []
    return actual


def row(key: str, created_at: datetime, **values: Any) -> dict[str, Any]:
    """A leads row as the store pipeline writes it (``pipelines.store.lead_row``), created at a set time."""
    kind, _, ident = key.partition(":")
    return {
        "identity_key": key,
        "contact_type": "personal",
        "email": ident if kind == "email" else None,
        "phone": ident.split("|")[0] if kind == "phone" else None,
        "company_domain": "acme-robotics.com",
        "source_url": "https://acme-robotics.com/team",
        "social_profiles": {},
        "created_at": created_at,
        **values,
    }


def store(session: Session, account_id: str, job_id: str, rows: list[dict[str, Any]]) -> dict[str, str]:
    """What StorePipeline._write does for one job's batch: upsert the leads, then their sightings."""
    ids = upsert_leads(session, account_id, [dict(r, job_id=job_id) for r in rows])
    add_sightings(
        session,
        [
            {
                "lead_id": ids[r["identity_key"]],
                "job_id": job_id,
                "source_url": r["source_url"],
                "method": "mailto",
            }
            for r in rows
        ],
    )
    return ids


@pytest.fixture
def account_jobs(session: Session) -> tuple[str, list[str]]:
    account = create_account(session, f"{secrets.token_hex(6)}@acme-robotics.com", credits=10)
    return account.id, [
        create_job(session, account.id, "bulk", ["https://acme-robotics.com/"]).id for _ in range(3)
    ]


def test_found_and_resighted_leads_are_listed_under_each_job(
    session: Session, account_jobs: tuple[str, list[str]]
) -> None:
    account_id, (j1, j2, _) = account_jobs
    first = store(
        session,
        account_id,
        j1,
        [row("email:a@acme-robotics.com", BASE), row("email:b@acme-robotics.com", BASE)],
    )
    # b found again by j2 keeps j1 as its job and gains j2's sighting; twice in one batch is one row.
    second = store(session, account_id, j2, [row("email:b@acme-robotics.com", BASE + timedelta(days=1))])
    add_sightings(
        session,
        [{"lead_id": second["email:b@acme-robotics.com"], "job_id": j2, "source_url": "u", "method": "text"}],
    )
    a, b = first["email:a@acme-robotics.com"], first["email:b@acme-robotics.com"]
    assert second["email:b@acme-robotics.com"] == b
    assert assert_listing_consistent(session, account_id) == {(j1, a, BASE), (j1, b, BASE), (j2, b, BASE)}


def test_a_lead_without_job_takes_the_job_that_finds_it_again(
    session: Session, account_jobs: tuple[str, list[str]]
) -> None:
    account_id, (j1, j2, _) = account_jobs
    lead_id = store(session, account_id, j1, [row("email:a@acme-robotics.com", BASE)])[
        "email:a@acme-robotics.com"
    ]
    session.delete(session.get(Job, j1))  # leads.job_id and the sighting's job become NULL, the row goes
    session.flush()
    assert assert_listing_consistent(session, account_id) == set()
    # A lead row alone (no sighting) still lists the lead under the job it now belongs to.
    upsert_leads(session, account_id, [row("email:a@acme-robotics.com", BASE + timedelta(days=1), job_id=j2)])
    session.expire_all()
    assert session.get(Lead, lead_id).job_id == j2  # type: ignore[union-attr]
    assert assert_listing_consistent(session, account_id) == {(j2, lead_id, BASE)}


def test_fold_moves_the_rows_to_the_survivor_at_its_oldest_creation_time(
    session: Session, account_jobs: tuple[str, list[str]]
) -> None:
    account_id, (j1, j2, j3) = account_jobs
    phone, email = "phone:+14155550101|acme-robotics.com", "email:ada@acme-robotics.com"
    old = store(session, account_id, j1, [row(phone, BASE - timedelta(hours=2))])[phone]
    store(session, account_id, j2, [row(phone, BASE)])  # both leads listed under j2: a PK clash to avoid
    survivor = store(session, account_id, j2, [row(email, BASE + timedelta(hours=4))])[email]
    store(session, account_id, j3, [row("email:other@acme-robotics.com", BASE)])
    fold_leads(session, account_id, email, {phone})
    assert session.get(Lead, old) is None
    rows = assert_listing_consistent(session, account_id)
    earliest = BASE - timedelta(hours=2)
    assert {r for r in rows if r[1] == survivor} == {(j1, survivor, earliest), (j2, survivor, earliest)}
    assert not any(r[1] == old for r in rows)


def test_fold_without_a_survivor_rekeys_and_keeps_the_rows(
    session: Session, account_jobs: tuple[str, list[str]]
) -> None:
    account_id, (j1, j2, _) = account_jobs
    phone, email = "phone:+14155550102|acme-robotics.com", "email:grace@acme-robotics.com"
    lead_id = store(session, account_id, j1, [row(phone, BASE)])[phone]
    store(session, account_id, j2, [row(phone, BASE)])
    fold_leads(session, account_id, email, {phone})
    assert session.get(Lead, lead_id).identity_key == email  # type: ignore[union-attr]
    assert assert_listing_consistent(session, account_id) == {(j1, lead_id, BASE), (j2, lead_id, BASE)}


def test_fold_many_folds_only_stored_keys_and_a_fold_s_new_key_in_turn(
    session: Session, account_jobs: tuple[str, list[str]]
) -> None:
    account_id, (j1, _, _) = account_jobs
    name, phone, email = (
        "name:lin|acme-robotics.com",
        "phone:+14155550104|acme-robotics.com",
        "email:lin@acme-robotics.com",
    )
    lead_id = store(session, account_id, j1, [row(name, BASE)])[name]
    # a re-key of a lead never stored, then name → phone, then phone (stored by the fold) → email
    rekeys = [
        ("email:new@acme-robotics.com", {"name:nobody|acme-robotics.com"}),
        (phone, {name}),
        (email, {phone}),
    ]
    assert fold_many(session, account_id, rekeys) == 2
    session.expire_all()
    assert session.get(Lead, lead_id).identity_key == email  # type: ignore[union-attr]
    assert assert_listing_consistent(session, account_id) == {(j1, lead_id, BASE)}


def test_fold_gives_the_survivor_the_folded_leads_job_when_it_had_none(
    session: Session, account_jobs: tuple[str, list[str]]
) -> None:
    account_id, (j1, j2, _) = account_jobs
    phone, email = "phone:+14155550103|acme-robotics.com", "email:kim@acme-robotics.com"
    store(session, account_id, j1, [row(phone, BASE)])
    survivor = store(session, account_id, j2, [row(email, BASE + timedelta(hours=1))])[email]
    session.delete(session.get(Job, j2))  # the survivor loses its job (SET NULL) and j2's rows
    session.flush()
    session.expire_all()
    fold_leads(session, account_id, email, {phone})
    assert session.get(Lead, survivor).job_id == j1  # type: ignore[union-attr]
    assert assert_listing_consistent(session, account_id) == {(j1, survivor, BASE)}


def test_erasure_and_a_deleted_job_remove_the_rows(
    session: Session, account_jobs: tuple[str, list[str]]
) -> None:
    account_id, (j1, j2, _) = account_jobs
    ids = store(
        session,
        account_id,
        j1,
        [row("email:a@acme-robotics.com", BASE), row("email:b@acme-robotics.com", BASE)],
    )
    store(
        session,
        account_id,
        j2,
        [row("email:a@acme-robotics.com", BASE), row("email:b@acme-robotics.com", BASE)],
    )
    delete_leads(session, account_id, [ids["email:a@acme-robotics.com"]])
    b = ids["email:b@acme-robotics.com"]
    assert assert_listing_consistent(session, account_id) == {(j1, b, BASE), (j2, b, BASE)}
    session.delete(session.get(Job, j1))
    session.flush()
    assert assert_listing_consistent(session, account_id) == {(j2, b, BASE)}


def test_sort_keys_follow_the_lead_whatever_changes_its_score_or_company(
    session: Session, account_jobs: tuple[str, list[str]]
) -> None:
    account_id, (j1, j2, j3) = account_jobs
    a, b = "email:a@acme-robotics.com", "email:b@acme-robotics.com"
    ids = store(
        session, account_id, j1, [row(a, BASE), row(b, BASE, company_name="Acme Robotics", lead_score=55)]
    )
    store(session, account_id, j2, [row(a, BASE)])
    keys = {
        (r[0], r[1]): r[2:]
        for r in session.execute(
            select(JobLead.lead_id, JobLead.job_id, JobLead.score_key, JobLead.company_key)
        )
    }
    assert keys[(ids[a], j1)] == keys[(ids[a], j2)] == (-1, "")  # unscored, unnamed
    assert keys[(ids[b], j1)] == (55, "acme robotics")
    assert_listing_consistent(session, account_id)
    # the store pipeline rescoring a known lead and naming its company (upsert ON CONFLICT DO UPDATE)
    upsert_leads(
        session,
        account_id,
        [row(a, BASE, job_id=j3, lead_score=81, lead_status="hot", company_name="ACME Robotics GmbH")],
    )
    assert_listing_consistent(session, account_id)
    # the LLM refinement's path: ORM attribute changes (pipelines.qualify.write_company_qualification)
    lead_b = session.get(Lead, ids[b])
    assert lead_b is not None
    lead_b.lead_score = 12
    session.flush()
    assert_listing_consistent(session, account_id)
    # a bulk UPDATE; then a sighting by a new job lists the lead with its current keys
    session.execute(update(Lead).where(Lead.id == ids[b]).values(company_name=None, lead_score=None))
    add_sightings(session, [{"lead_id": ids[b], "job_id": j3, "source_url": "u", "method": "text"}])
    session.flush()
    assert session.execute(
        select(JobLead.score_key, JobLead.company_key).where(JobLead.lead_id == ids[b], JobLead.job_id == j3)
    ).one() == (-1, "")
    assert_listing_consistent(session, account_id)


# --- migration 0008 on a database that holds leads and sightings from before it --------------------


@pytest.fixture
def blank_database_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """An empty database of the suite's kind (SQLite file, or a new PostgreSQL database)."""
    parsed = make_url(database_url)
    if parsed.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'before-0008.db'}"
        return
    name = f"ls_mig_{secrets.token_hex(4)}"
    admin = create_engine(parsed, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield parsed.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"), {"n": name}
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def test_migration_0008_lists_the_leads_and_sightings_already_stored(blank_database_url: str) -> None:
    url = blank_database_url
    upgrade(url, "0005")  # both heads before 0008, one branch at a time
    upgrade(url, "0007")
    engine = make_engine(url)
    try:
        with session_factory(engine)() as session:
            account = create_account(session, "backfill@acme-robotics.com", credits=10)
            j1, j2, j3 = (
                create_job(session, account.id, "bulk", ["https://acme-robotics.com/"]).id for _ in range(3)
            )
            leads = {
                "found": (j1, BASE),  # found by j1, one sighting
                "resighted": (j1, BASE + timedelta(microseconds=123456)),  # j1, then seen by j2 (twice)
                "only_job": (j2, BASE + timedelta(hours=1)),  # a job but no sighting
                "jobless": (None, BASE + timedelta(hours=2)),  # its job deleted: NULL, sightings NULL too
                "seen_only": (None, BASE + timedelta(hours=3)),  # no job of its own, seen by j3
            }
            # the leads table as 0007 left it: the model has columns later migrations add
            leads_0007 = Table("leads", MetaData(), autoload_with=session.connection())
            session.execute(
                insert(leads_0007),
                [
                    {
                        "id": f"lead_{name}",
                        "contact_type": "personal",
                        "social_profiles": {},
                        "signals_detected": [],
                        "enrichment_data": {},
                        "tags": [],
                        "account_id": account.id,
                        "identity_key": f"email:{name}@acme-robotics.com",
                        "email": f"{name}@acme-robotics.com",
                        "job_id": job,
                        "created_at": created,
                        "updated_at": created,
                        # migration 0009 copies the sort keys: scored and named leads among them
                        "lead_score": {"found": 80, "resighted": 0}.get(name),
                        "company_name": {"found": "Acme Robotics", "only_job": "ÉCOLE Lyon"}.get(name),
                    }
                    for name, (job, created) in leads.items()
                ],
            )
            sightings = [
                ("found", j1),
                ("resighted", j1),
                ("resighted", j2),
                ("resighted", j2),
                ("jobless", None),
                ("seen_only", j3),
            ]
            session.execute(
                insert(LeadSighting),
                [
                    {
                        "lead_id": f"lead_{n}",
                        "job_id": j,
                        "source_url": "u",
                        "method": "text",
                        "seen_at": BASE,
                    }
                    for n, j in sightings
                ],
            )
            session.commit()
        upgrade(url)
        with session_factory(engine)() as session:
            assert listing(session, account.id) == {
                (j1, "lead_found", BASE),
                (j1, "lead_resighted", BASE + timedelta(microseconds=123456)),
                (j2, "lead_resighted", BASE + timedelta(microseconds=123456)),
                (j2, "lead_only_job", BASE + timedelta(hours=1)),
                (j3, "lead_seen_only", BASE + timedelta(hours=3)),
            }
            assert listing(session, account.id) == derived_listing(session, account.id)
            keys = dict(
                ((r.job_id, r.lead_id), (r.score_key, r.company_key))
                for r in session.execute(
                    select(JobLead.job_id, JobLead.lead_id, JobLead.score_key, JobLead.company_key)
                )
            )
            assert keys[(j1, "lead_found")] == (80, "acme robotics")
            assert keys[(j1, "lead_resighted")] == keys[(j2, "lead_resighted")] == (0, "")
            assert keys[(j3, "lead_seen_only")] == (-1, "")
            # the database's lower(): PostgreSQL lowers É, SQLite only ASCII letters
            assert keys[(j2, "lead_only_job")][1] in ("école lyon", "École lyon")
            # Copied as stored: equal to leads.created_at in SQL too (SQLite compares the text).
            unequal = session.scalar(
                select(JobLead.lead_id)
                .join(Lead, Lead.id == JobLead.lead_id)
                .where(JobLead.lead_created_at != Lead.created_at)
            )
            assert unequal is None
    finally:
        engine.dispose()
