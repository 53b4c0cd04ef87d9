"""API fixtures: an app on the test database, callers (account + key) and rows made through db/."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from api import create_app
from db.accounts import SCOPES, create_account, create_api_key
from db.engine import session_factory
from db.jobs import create_job
from db.leads import add_sightings, link_job_leads
from db.models import Job, Lead
from db.types import new_id, utcnow

UNREACHABLE_SCRAPYD = "http://127.0.0.1:9"  # discard port: connection refused at once
LIVE_SCRAPYD_TIMEOUT = 60


@dataclass
class Caller:
    """An account and one of its keys, with the headers to use it."""

    account_id: str
    key: str
    key_id: str
    headers: dict[str, str] = field(default_factory=dict)


@pytest.fixture
def app(database_url: str) -> Flask:
    return create_app(
        {
            "DATABASE_URL": database_url,
            "TESTING": True,
            "SCRAPYD_URLS": [UNREACHABLE_SCRAPYD],
            "SCRAPYD_TIMEOUT": 3,
        }
    )


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    """A session that commits what tests create (the app reads it through its own sessions)."""
    s = session_factory(engine)()
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def make_caller(db: Session) -> Callable[..., Caller]:
    def make(
        *,
        plan: str = "pro",
        credits: int | None = 1000,
        scopes: tuple[str, ...] | list[str] = SCOPES,
        rate_limit: int | None = None,
        expires_at: datetime | None = None,
    ) -> Caller:
        account = create_account(
            db,
            f"{uuid.uuid4().hex[:12]}@acme-robotics.com",
            plan=plan,
            credits=credits,
            rate_limit_per_hour=rate_limit,
        )
        row, key = create_api_key(db, account.id, "test key", scopes, expires_at)
        db.commit()
        return Caller(account.id, key, row.id, {"Authorization": f"Bearer {key}"})

    return make


@pytest.fixture
def caller(make_caller: Callable[..., Caller]) -> Caller:
    return make_caller()


@pytest.fixture
def make_job(db: Session) -> Callable[..., Job]:
    def make(
        account_id: str,
        *,
        status: str = "pending",
        job_type: str = "bulk",
        urls: list[str] | None = None,
        **values: Any,
    ) -> Job:
        job = create_job(db, account_id, job_type, urls or ["https://acme-robotics.com/"])
        job.status = status
        for name, value in values.items():
            setattr(job, name, value)
        db.commit()
        return job

    return make


@pytest.fixture
def make_lead(db: Session) -> Callable[..., Lead]:
    def make(account_id: str, *, seen_in: list[str] | None = None, **values: Any) -> Lead:
        email = values.pop("email", f"{uuid.uuid4().hex[:8]}@acme-robotics.com")
        lead = Lead(
            account_id=account_id,
            identity_key=f"email:{email}" if email else f"x:{new_id('k')}",
            email=email,
            contact_type=values.pop("contact_type", "personal"),
            **values,
        )
        lead.created_at = values.get("created_at") or utcnow()
        db.add(lead)
        db.flush()
        # Through db/, as the store pipeline writes them: the jobs list the lead (job_leads).
        if lead.job_id is not None:
            link_job_leads(db, [(lead.job_id, lead.id, lead.created_at)])
        add_sightings(
            db,
            [
                {
                    "lead_id": lead.id,
                    "job_id": job_id,
                    "source_url": "https://acme-robotics.com/team",
                    "method": "test",
                }
                for job_id in seen_in or []
            ],
        )
        db.commit()
        return lead

    return make


# --- a real scrapyd with the project deployed, crawling the local test sites -------------------------

SPEC_EXAMPLE_HOSTS = ("example.com", "company.com")  # the spec's example URLs: resolved locally, refused fast


@pytest.fixture(scope="session")
def test_sites() -> Iterator[Any]:
    from tests.sites.runner import run_test_sites

    with run_test_sites() as sites:
        yield sites


@pytest.fixture(scope="session")
def scrapyd_node(
    database_url: str, test_sites: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Any]:
    """scrapyd on a free port, the egg deployed by ``api.scrapyd.deploy``, spiders on the test database."""
    from api.scrapyd.deploy import deploy
    from api.scrapyd.localnode import free_port, start_scrapyd

    hosts = (*test_sites.hosts, *SPEC_EXAMPLE_HOSTS)
    env = {
        "DATABASE_URL": database_url,
        "LEADSCRAPER_RESOLVE": ",".join(f"{h}=127.0.0.1" for h in hosts),
        "LEADSCRAPER_PROGRESS_INTERVAL": "0.5",
        "LEADSCRAPER_ALLOW_PRIVATE_NETWORKS": "127.0.0.1/32",  # the test sites' address only
    }
    node = start_scrapyd(tmp_path_factory.mktemp("scrapyd"), port=free_port(), env=env, poll_interval=0.2)
    try:
        results = deploy([node.auth_url])
        assert results == {node.url: "ok"}, results
        yield node
    finally:
        node.stop()


@pytest.fixture
def live_app(database_url: str, scrapyd_node: Any) -> Flask:
    return create_app(
        {
            "DATABASE_URL": database_url,
            "TESTING": True,
            "SCRAPYD_URLS": [scrapyd_node.auth_url],
            # the default 10 s is for a production node; this one shares two loaded cores with
            # the suite, and a schedule.json that answers late is not what these tests are about
            "SCRAPYD_TIMEOUT": LIVE_SCRAPYD_TIMEOUT,
        }
    )


@pytest.fixture
def live_client(live_app: Flask) -> FlaskClient:
    return live_app.test_client()
