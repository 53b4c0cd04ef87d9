"""A suppressed person stays out however the site names them: the person of a suppressed email is
not stored from a team card without it, whichever page the crawl reads first, nor in later jobs."""

from __future__ import annotations

import secrets

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.accounts import create_account
from db.engine import session_factory
from db.leads import suppressed_values
from db.models import Lead, Suppression
from tests.pipelines.test_identity import Job
from tests.sites.site_kestrel import KESTREL

pytestmark = pytest.mark.db

SAM = "sam.rivera@kestrel-finch.co.uk"  # on his profile page; the team grid names him without it
SAM_KEY = "person:sam rivera|kestrel-finch.co.uk"


def suppressed_account(engine: Engine) -> str:
    with session_factory(engine).begin() as session:
        account_id = create_account(
            session, f"{secrets.token_hex(6)}@people.test", plan="pro", credits=1000
        ).id
        session.add(Suppression(account_id=account_id, kind="email", value=SAM))
    return account_id


def crawl(engine: Engine, account_id: str, paths: list[str]) -> None:
    """One job over these Kestrel pages, in this order, a flush after each, as the spider feeds them."""
    job = Job(engine, account_id, [f"http://{KESTREL}/"])
    with Session(engine) as session:
        job.run.suppressed.update(suppressed_values(session, account_id))  # read when the job opens
    seed = job.claim(engine)
    job.run.seeds[seed.url_id] = seed
    job.pages(KESTREL, paths, flush_each=True)
    job.finish(seed)
    job.flush()


def names(engine: Engine, account_id: str) -> set[str | None]:
    with Session(engine) as session:
        return set(session.scalars(select(Lead.full_name).where(Lead.account_id == account_id)))


def people(engine: Engine, account_id: str) -> list[str] | None:
    with Session(engine) as session:
        return session.scalars(select(Suppression.people).where(Suppression.account_id == account_id)).one()


@pytest.mark.parametrize(
    "paths",
    [["/team", "/team/sam-rivera"], ["/team/sam-rivera", "/team"], ["/", "/team", "/team/sam-rivera"]],
    # grid-first: the grid's leads are the job's first, written at once; held: the home page's are,
    # and the grid's wait in the buffer for the site's end, past the flush that learns of him
    ids=["grid-first", "profile-first", "held"],
)
def test_the_person_of_a_suppressed_email_is_not_stored_from_a_card_without_it(
    engine: Engine, paths: list[str]
) -> None:
    account_id = suppressed_account(engine)
    crawl(engine, account_id, paths)
    stored = names(engine, account_id)
    # grid first: his name-only lead was written before the profile showed his address, then erased
    assert "Sam Rivera" not in stored
    assert {"Olivia Hart", "Emma Silva", "Grace Liu"} <= stored  # the rest of the team is collected
    assert people(engine, account_id) == [SAM_KEY]
    # the next job knows him from the start: the team grid alone does not bring him back
    crawl(engine, account_id, ["/team"])
    assert "Sam Rivera" not in names(engine, account_id)
