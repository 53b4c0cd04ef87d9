"""E-mail verification and finding through a real crawl: the test sites' addresses are verified
against the loopback DNS and SMTP servers, people without an address get a guessed one, and
GET /v1/leads shows, filters and explains both."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine

from api import create_app
from db.accounts import SCOPES, create_api_key
from db.engine import session_factory
from tests.crawler.conftest import CrawlResult
from tests.sites.runner import SitesServer
from tests.sites.site_kestrel import ALDER, KESTREL
from tests.verify.conftest import HELO, MAIL_FROM
from tests.verify.servers import MailServers

pytestmark = [pytest.mark.db, pytest.mark.slow, pytest.mark.net]


@pytest.fixture(scope="module")
def mail() -> Iterator[MailServers]:
    servers = MailServers()
    try:
        yield servers
    finally:
        servers.close()


@pytest.fixture
def client(database_url: str) -> FlaskClient:
    app = create_app({"DATABASE_URL": database_url, "TESTING": True, "SCRAPYD_URLS": ["http://127.0.0.1:9"]})
    return app.test_client()


@pytest.fixture
def headers(engine: Engine, account_id: str) -> dict[str, str]:
    with session_factory(engine).begin() as session:
        _, key = create_api_key(session, account_id, "reach test", SCOPES, None)
    return {"Authorization": f"Bearer {key}"}


def verification_env(mail: MailServers, *, probe: bool) -> dict[str, str]:
    return {
        "LEADSCRAPER_DNS_NAMESERVERS": "127.0.0.1",
        "LEADSCRAPER_DNS_PORT": str(mail.dns_port),
        "LEADSCRAPER_SMTP_PROBE": "1" if probe else "0",
        "LEADSCRAPER_SMTP_PORT": str(mail.smtp_port),
        "LEADSCRAPER_SMTP_HELO": HELO,
        "LEADSCRAPER_SMTP_MAIL_FROM": MAIL_FROM,
        "LEADSCRAPER_SMTP_TIMEOUT": "5",
        "LEADSCRAPER_SMTP_RATE": "1000",
    }


def run_crawl(
    crawl: Callable[..., CrawlResult],
    sites: SitesServer,
    account_id: str,
    tmp_path: Path,
    env: dict[str, str],
) -> CrawlResult:
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{sites.url(KESTREL)}\n{sites.url(ALDER)}\n")
    result = crawl(f"urls_file={urls}", "depth=2", f"account={account_id}", env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.job is not None and result.job.status == "completed", result.stdout
    return result


def leads(client: FlaskClient, headers: dict[str, str], query: str = "") -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    cursor = ""
    while True:
        response = client.get(f"/v1/leads?limit=100{query}{cursor}", headers=headers)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        found += body["data"]
        if not body["pagination"]["has_more"]:
            return found
        cursor = f"&cursor={body['pagination']['next_cursor']}"


def test_every_status_arrives_through_a_crawl_and_the_api_filters_and_explains_it(
    crawl: Callable[..., CrawlResult],
    sites: SitesServer,
    mail: MailServers,
    account_id: str,
    headers: dict[str, str],
    client: FlaskClient,
    tmp_path: Path,
) -> None:
    mail.reset()
    run_crawl(crawl, sites, account_id, tmp_path, verification_env(mail, probe=True))

    everyone = leads(client, headers)
    statuses = {lead["email"]: lead["email_status"] for lead in everyone if lead["email"]}
    assert statuses == {
        "olivia.hart@kestrel-finch.co.uk": "deliverable",
        "grace.liu@kestrel-finch.co.uk": "deliverable",
        "hello@kestrel-finch.co.uk": "deliverable",
        "n.patel@kestrel-finch.co.uk": "undeliverable",
        "sam.rivera@kestrel-finch.co.uk": "risky",  # 452: mailbox full
        "alex.morgan@alder-analytics.com": "risky",  # a catch-all domain
        "jordan@alder-analytics.com": "risky",
        "dana.brooks@alder-analytics.com": "risky",
    }
    by_email = {lead["email"]: lead for lead in everyone if lead["email"]}
    olivia = by_email["olivia.hart@kestrel-finch.co.uk"]
    assert [(c["check"], c["result"]) for c in olivia["email_checks"]] == [
        ("syntax", "valid"),
        ("dns", "mx"),
        ("disposable", "no"),
        ("role", "no"),
        ("smtp", "accepted"),
        ("catch_all", "no"),
    ]
    assert olivia["verified_at"] is not None
    assert {
        "key": "deliverable_email",
        "kind": "contact",
        "points": 5,
        "reason": "deliverable email (verified)",
    } in olivia["score_breakdown"]
    assert "+5 deliverable email (verified)" in olivia["qualification_notes"]
    patel = by_email["n.patel@kestrel-finch.co.uk"]
    assert {
        "key": "undeliverable_email",
        "kind": "contact",
        "points": -5,
        "reason": "undeliverable email (it bounces)",
    } in patel["score_breakdown"]
    assert sum(line["points"] for line in patel["score_breakdown"]) == patel["lead_score"]
    alex = by_email["alex.morgan@alder-analytics.com"]
    assert dict((c["check"], c["result"]) for c in alex["email_checks"])["catch_all"] == "yes"
    # the probe asked, and never sent a message
    assert mail.smtp.connections > 0
    assert mail.smtp.data == 0

    deliverable = leads(client, headers, "&email_status=deliverable")
    assert sorted(lead["email"] for lead in deliverable) == [
        "grace.liu@kestrel-finch.co.uk",
        "hello@kestrel-finch.co.uk",
        "olivia.hart@kestrel-finch.co.uk",
    ]

    guessed = {
        (lead["company_domain"], lead["full_name"]): lead
        for lead in leads(client, headers, "&has_email=guess")
    }
    emma = guessed[(KESTREL, "Emma Silva")]
    assert emma["email"] is None
    assert emma["email_status"] is None
    guess = emma["email_guess"]
    assert (guess["address"], guess["pattern"]) == ("emma.silva@kestrel-finch.co.uk", "first.last")
    assert sorted(guess["basis"]) == [
        "grace.liu@kestrel-finch.co.uk",
        "olivia.hart@kestrel-finch.co.uk",
        "sam.rivera@kestrel-finch.co.uk",
    ]
    assert 0.5 < guess["confidence"] <= 1.0
    assert guess["verification"]["email_status"] == "deliverable"
    studio_manager = guessed[(KESTREL, "Alex Morgan")]["email_guess"]
    assert studio_manager["address"] == "alex.morgan@kestrel-finch.co.uk"
    assert studio_manager["verification"]["email_status"] == "undeliverable"
    assert all(lead["email"] is None and lead["email_guess"] for lead in guessed.values())
    # a guess is never an identity: each guessed person is still their own lead, and nobody's email
    assert len(everyone) == len({lead["id"] for lead in everyone})
    assert not {g["email_guess"]["address"] for g in guessed.values()} & set(statuses)

    with_email = leads(client, headers, "&has_email=true")
    neither = leads(client, headers, "&has_email=false")
    assert sorted(lead["email"] for lead in with_email) == sorted(statuses)
    assert all(lead["email"] is None and lead["email_guess"] is None for lead in neither)
    assert len(with_email) + len(guessed) + len(neither) == len(everyone)


def test_with_probing_off_nothing_connects_to_a_mail_host_and_addresses_are_unknown(
    crawl: Callable[..., CrawlResult],
    sites: SitesServer,
    mail: MailServers,
    account_id: str,
    headers: dict[str, str],
    client: FlaskClient,
    tmp_path: Path,
) -> None:
    mail.reset()
    run_crawl(crawl, sites, account_id, tmp_path, verification_env(mail, probe=False))

    everyone = leads(client, headers)
    statuses = {lead["email"]: lead["email_status"] for lead in everyone if lead["email"]}
    assert len(statuses) == 8
    assert set(statuses.values()) == {"unknown"}
    smtp = {
        dict((c["check"], c["result"]) for c in lead["email_checks"])["smtp"]
        for lead in everyone
        if lead["email"]
    }
    assert smtp == {"skipped"}
    assert mail.smtp.connections == 0
    assert all(listener.accepted == 0 for listener in mail.silent.values())
    assert mail.resolver.queries[("kestrel-finch.co.uk", "MX")] >= 1


def test_a_job_with_verify_emails_off_stores_no_verdict_and_no_guess(
    crawl: Callable[..., CrawlResult],
    sites: SitesServer,
    mail: MailServers,
    account_id: str,
    headers: dict[str, str],
    client: FlaskClient,
    tmp_path: Path,
) -> None:
    mail.reset()
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{sites.url(KESTREL)}\n")
    env = verification_env(mail, probe=True)
    result = crawl(f"urls_file={urls}", "depth=1", f"account={account_id}", "verify_emails=false", env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.job is not None and result.job.options["verify_emails"] is False

    everyone = leads(client, headers)
    assert [lead for lead in everyone if lead["email"]] != []
    assert all(lead["email_status"] is None and lead["email_guess"] is None for lead in everyone)
    assert mail.resolver.queries == {}
    assert mail.smtp.connections == 0
