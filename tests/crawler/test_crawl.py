"""``scrapy crawl leads`` over the fake company sites stores exactly the planted leads.

Ground truth: tests/sites/expected.py. Every test runs the real command line in a subprocess
against the real database (PostgreSQL in CI) and reads the rows it wrote.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from db.credits import ledger_sum
from db.models import Account, Company, CreditTransaction, Job, JobUrl, Lead, LeadSighting
from tests.crawler.conftest import CrawlResult
from tests.sites.expected import ACME, BROKEN, DUPONT, MUELLER, NORTHWIND, SiteTruth, name_key
from tests.sites.runner import SitesServer

pytestmark = [pytest.mark.db, pytest.mark.slow]


def stored_leads(engine: Engine, account_id: str, domain: str | None = None) -> dict[str, Lead]:
    """The account's leads keyed like the ground truth: email, else phone."""
    with Session(engine) as session:
        stmt = select(Lead).where(Lead.account_id == account_id)
        if domain:
            stmt = stmt.where(Lead.company_domain == domain)
        leads = list(session.scalars(stmt))
        for lead in leads:
            session.expunge(lead)
    out: dict[str, Lead] = {}
    for lead in leads:
        key = lead.email or lead.phone
        assert key, f"a lead with neither email nor phone: {lead.identity_key}"
        assert key not in out, f"duplicate lead for {key}"
        out[key] = lead
    return out


def assert_leads_match(engine: Engine, account_id: str, site: SiteTruth, expected: tuple) -> None:
    got = stored_leads(engine, account_id, site.domain)
    assert sorted(got) == sorted(lead.key for lead in expected), site.host
    for truth in expected:
        lead = got[truth.key]
        assert lead.email == truth.email, truth.key
        assert lead.phone == truth.phone, truth.key
        if truth.exact_name:
            assert name_key(lead.full_name) == name_key(truth.full_name), truth.key
        assert lead.job_title == truth.job_title, truth.key
        assert lead.company_name == site.company_name, truth.key
        assert lead.contact_type == ("personal" if truth.full_name else "role"), truth.key


def sighting_paths(engine: Engine, job_id: str, lead_id: str) -> set[str]:
    with Session(engine) as session:
        urls = session.scalars(
            select(LeadSighting.source_url).where(
                LeadSighting.job_id == job_id, LeadSighting.lead_id == lead_id
            )
        )
        return {"/" + u.split("/", 3)[3] if u.count("/") >= 3 else "/" for u in urls}


def _url_rows(engine: Engine, job_id: str) -> list[JobUrl]:
    with Session(engine) as session:
        rows = list(session.scalars(select(JobUrl).where(JobUrl.job_id == job_id)))
        for row in rows:
            session.expunge(row)
        return rows


def test_static_sites_store_exactly_the_planted_leads_and_a_rerun_only_adds_sightings(
    crawl: Callable[..., CrawlResult], sites: SitesServer, engine: Engine, account_id: str, tmp_path: Path
) -> None:
    urls_file = tmp_path / "sites.txt"
    urls_file.write_text(
        "# three company sites\n" + "\n".join(sites.url(s.host) for s in (ACME, MUELLER, DUPONT)) + "\n"
    )
    first = crawl(f"urls_file={urls_file}", "depth=3", f"account={account_id}")
    assert first.returncode == 0, first.stderr[-3000:]
    assert first.job is not None and first.job.status == "completed", first.stdout
    for site in (ACME, MUELLER, DUPONT):
        assert_leads_match(engine, account_id, site, site.leads_at_depth(3))
    total = sum(len(s.leads_at_depth(3)) for s in (ACME, MUELLER, DUPONT))
    job = first.job
    assert (job.type, job.total_urls, job.processed_urls, job.successful_urls, job.failed_urls) == (
        "bulk",
        3,
        3,
        3,
        0,
    )
    assert job.leads_found == total
    assert job.credits_used == 3 * 2  # crawled URLs x (1 + qualify_leads)

    # every sighting of the first job points at a page where the lead really is
    leads = stored_leads(engine, account_id)
    for site in (ACME, MUELLER, DUPONT):
        for truth in site.leads_at_depth(3):
            paths = sighting_paths(engine, job.id, leads[truth.key].id)
            assert paths, truth.key
            assert paths <= set(truth.paths), (truth.key, paths)

    with Session(engine) as session:
        sightings_before = session.scalar(select(func.count()).select_from(LeadSighting))
        companies = session.scalars(select(Company.domain).where(Company.account_id == account_id)).all()
    assert sorted(companies) == sorted(s.domain for s in (ACME, MUELLER, DUPONT))

    second = crawl(f"urls_file={urls_file}", "depth=3", f"account={account_id}")
    assert second.returncode == 0, second.stderr[-3000:]
    assert second.job is not None and second.job.status == "completed"
    assert len(stored_leads(engine, account_id)) == total  # merged, not duplicated
    assert second.job.leads_found == total  # the second job saw every lead again
    with Session(engine) as session:
        sightings_after = session.scalar(select(func.count()).select_from(LeadSighting))
        second_job_sightings = session.scalar(
            select(func.count()).select_from(LeadSighting).where(LeadSighting.job_id == second.job.id)
        )
        account = session.get(Account, account_id)
        assert account is not None
        assert account.credit_balance == 1_000 - 12
        assert ledger_sum(session, account_id) == account.credit_balance
    assert sightings_after == sightings_before + second_job_sightings
    assert second_job_sightings >= total


@pytest.mark.parametrize("depth", [1, 2])
def test_depth_limits_which_pages_are_reached(
    crawl: Callable[..., CrawlResult], sites: SitesServer, engine: Engine, account_id: str, depth: int
) -> None:
    result = crawl(f"urls={sites.url(ACME.host)}", f"depth={depth}", f"account={account_id}")
    assert result.returncode == 0, result.stderr[-3000:]
    assert_leads_match(engine, account_id, ACME, ACME.leads_at_depth(depth))


def test_sitemap_mode_finds_pages_no_link_reaches(
    crawl: Callable[..., CrawlResult], sites: SitesServer, engine: Engine, account_id: str
) -> None:
    result = crawl(f"urls={sites.url(NORTHWIND.host)}", "type=sitemap", f"account={account_id}")
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.job is not None and result.job.type == "sitemap"
    assert_leads_match(engine, account_id, NORTHWIND, NORTHWIND.sitemap_leads())
    requested = sites.requested_paths(NORTHWIND.host)
    assert {"/robots.txt", "/sitemap_index.xml", "/sitemap-pages.xml.gz", "/sitemap-team.xml"} <= requested


def test_link_crawl_of_sitemap_only_site_finds_only_the_home_page(
    crawl: Callable[..., CrawlResult], sites: SitesServer, engine: Engine, account_id: str
) -> None:
    before = len(sites.requests(NORTHWIND.host))
    result = crawl(f"urls={sites.url(NORTHWIND.host)}", "depth=3", f"account={account_id}")
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.job is not None and result.job.status == "completed"
    # the home page was fetched, parsed and stored (its company), and it links nowhere
    [row] = _url_rows(engine, result.job.id)
    assert (row.status, row.pages_crawled, row.pages_failed) == ("done", 1, 0)
    requested = {r["path"] for r in sites.requests(NORTHWIND.host)[before:]}
    assert requested & set(NORTHWIND.pages) == {"/"}
    with Session(engine) as session:
        company = session.scalars(select(Company).where(Company.account_id == account_id)).one()
    assert (company.domain, company.name) == (NORTHWIND.domain, NORTHWIND.company_name)
    assert stored_leads(engine, account_id, NORTHWIND.domain) == {}


HOSTILE_PATHS = [p for p in BROKEN.outcomes if p != "/"]


def test_hostile_site_ends_with_the_right_counts_and_reasons(
    crawl: Callable[..., CrawlResult], sites: SitesServer, engine: Engine, account_id: str
) -> None:
    urls = [sites.url(BROKEN.host, p) for p in ["/", *HOSTILE_PATHS]]
    result = crawl(f"urls={' '.join(urls)}", "depth=1", f"account={account_id}")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    job = result.job
    assert job is not None and job.status == "completed"
    with Session(engine) as session:
        rows = {
            "/" + u.url.split("/", 3)[3]: u
            for u in session.scalars(select(JobUrl).where(JobUrl.job_id == job.id))
        }
    ok_paths = [p for p, o in BROKEN.outcomes.items() if o.outcome == "ok"]
    for path, outcome in BROKEN.outcomes.items():
        row = rows[path]
        if outcome.outcome == "ok":
            assert row.status == "done", (path, row.reason)
            continue
        expected_status = "refused" if outcome.outcome == "not_requested" else "failed"
        assert row.status == expected_status, (path, row.status, row.reason)
        assert row.reason and any(r in row.reason.lower() for r in outcome.reason or ("html",)), (
            path,
            row.reason,
        )
    assert rows["/binary.html"].reason == "not an HTML page (binary content served as text/html)"
    assert (job.total_urls, job.processed_urls) == (len(urls), len(urls))
    assert job.successful_urls == len(ok_paths)
    assert job.failed_urls == len(urls) - len(ok_paths)
    assert job.credits_used == 2 * len(ok_paths)  # failed URLs cost nothing

    assert_leads_match(engine, account_id, BROKEN, BROKEN.leads_at_depth(1))
    stored = stored_leads(engine, account_id)
    for value in BROKEN.not_leads:
        assert value not in stored
    # robots.txt: the disallowed page was never requested, neither as a seed nor as a link
    assert not any(p.startswith("/private/") for p in sites.requested_paths(BROKEN.host))


def test_not_leads_of_every_site_are_never_stored(
    crawl: Callable[..., CrawlResult], sites: SitesServer, engine: Engine, account_id: str
) -> None:
    result = crawl(
        f"urls={' '.join(sites.url(s.host) for s in (ACME, MUELLER, DUPONT))}",
        "depth=3",
        f"account={account_id}",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    for site in (ACME, MUELLER, DUPONT):  # what must be stored is, so what follows is not vacuous
        assert_leads_match(engine, account_id, site, site.leads_at_depth(3))
    with Session(engine) as session:
        values = set(session.scalars(select(Lead.email).where(Lead.account_id == account_id)))
        values |= set(session.scalars(select(Lead.phone).where(Lead.account_id == account_id)))
    for site in (ACME, MUELLER, DUPONT):
        assert site.not_leads
        for value in site.not_leads:
            assert value not in values, (site.host, value)


def test_command_line_shows_progress_and_a_summary(
    crawl: Callable[..., CrawlResult], sites: SitesServer, account_id: str
) -> None:
    result = crawl(f"urls={sites.url(ACME.host)}", "depth=1", f"account={account_id}")
    assert result.returncode == 0
    assert result.job is not None
    assert "[leads]" in result.stderr and "leads found" in result.stderr
    assert f"Job {result.job.id}: completed" in result.stdout
    assert "dana.whitfield@acme-robotics.com" in result.stdout
    assert f"GET /v1/leads?job_id={result.job.id}" in result.stdout


def test_out_of_credits_stops_the_job_and_keeps_what_it_found(
    crawl: Callable[..., CrawlResult], sites: SitesServer, engine: Engine
) -> None:
    from db.accounts import create_account

    with Session(engine) as session, session.begin():
        account = create_account(session, "poor@tests.leadscraper.dev", plan="free", credits=2)
        account_id = account.id
    urls = [sites.url(s.host) for s in (ACME, MUELLER, DUPONT)]
    result = crawl(
        f"urls={' '.join(urls)}",
        "depth=1",
        f"account={account_id}",
        settings={"LEADSCRAPER_CLAIM_BATCH": "1"},
    )
    assert result.returncode == 1  # the job failed
    job = result.job
    assert job is not None and job.status == "failed"
    assert job.failure_reason and "Out of credits" in job.failure_reason
    assert job.successful_urls == 1 and job.credits_used == 2
    assert len(stored_leads(engine, account_id)) > 0
    with Session(engine) as session:
        account = session.get(Account, account_id)
        assert account is not None and account.credit_balance == 0
        assert ledger_sum(session, account_id) == 0
        usage = session.scalars(select(CreditTransaction).where(CreditTransaction.job_id == job.id)).all()
        assert [(t.type, t.amount) for t in usage] == [("usage", -2)]


def test_bad_arguments_are_refused_with_a_clear_message(crawl: Callable[..., CrawlResult]) -> None:
    result = crawl("urls=ftp://files.acme-robotics.com/x")
    assert result.returncode != 0
    assert "only http and https URLs" in result.stderr
    result = crawl("urls=https://acme-robotics.com", "depth=7")
    assert result.returncode != 0
    assert "depth: expected 1 to 3" in result.stderr


def test_a_job_created_elsewhere_is_run_by_its_id(
    crawl: Callable[..., CrawlResult], sites: SitesServer, engine: Engine, account_id: str
) -> None:
    from db.jobs import create_job

    with Session(engine) as session, session.begin():
        job = create_job(session, account_id, "single", [sites.url(ACME.host)], {"depth": 1})
        job_id = job.id
    result = crawl(f"job_id={job_id}")
    assert result.returncode == 0, result.stderr[-3000:]
    with Session(engine) as session:
        job = session.get(Job, job_id)
        assert job is not None and job.status == "completed"
        assert job.started_at is not None and job.completed_at is not None
    assert_leads_match(engine, account_id, ACME, ACME.leads_at_depth(1))
