"""Lead identity through the real pipelines and database: a named person without a contact point is a
lead, re-keyed (never duplicated) when their email turns up later in the same job or a later one; a
re-crawl adds sightings only; namesakes at two companies stay two leads; company profiles reach the
company and its role leads; scoring and the lead.qualified event treat people-only leads like any."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

import pytest
from scrapy.utils.test import get_crawler
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from crawler.extract import extract_page
from crawler.extract.company import registered_domain
from crawler.items import PageItem
from crawler.jobrun import JobRun, Seed
from crawler.signals import CrawlSignal
from db.accounts import create_account
from db.engine import session_factory
from db.jobs import claim_job_urls, create_job
from db.models import Company, JobCompany, JobLead, JobUrl, Lead, LeadSighting, OutboxEvent
from db.outbox import LEAD_QUALIFIED
from db.privacy import delete_leads
from pipelines.merge import LeadMergePipeline
from pipelines.qualify import QualifyPipeline
from pipelines.store import StorePipeline
from pipelines.validate import ValidatePipeline
from tests.sites.layout import Ctx
from tests.sites.site_kestrel import ALDER, COMPANY_PROFILES, KESTREL
from tests.sites.site_kestrel import SITES as KESTREL_SITES

pytestmark = pytest.mark.db

SITES = {site.host: site for site in KESTREL_SITES}


def site_page(host: str, path: str) -> tuple[str, str]:
    """(url, html) of a test site's page, as the crawler would fetch it."""
    response = SITES[host].respond(Ctx(host=host, authority=host, path=path))
    assert response.status == 200, (host, path)
    return f"http://{host}{path}", response.body.decode("utf-8")


class Job:
    """One job's pipelines (validate → merge → qualify → store), built as Scrapy builds them, over real
    pages, told of the job and of finished seeds by the spider's signals; ``flush`` writes what is
    buffered in one store transaction, as the store's timer does."""

    def __init__(self, engine: Engine, account_id: str, urls: list[str], qualify: bool = True) -> None:
        options = {"depth": 2, "qualify_leads": qualify}
        with session_factory(engine).begin() as session:
            self.id = create_job(session, account_id, "bulk", urls, options).id
        self.run = JobRun(self.id, account_id, "bulk", options)
        settings = {"LEADSCRAPER_STORE_BATCH": 10_000, "LEADSCRAPER_STORE_INTERVAL": 3600}
        self.crawler = crawler = get_crawler(settings_dict=settings)
        self.pipelines = [
            ValidatePipeline.from_crawler(crawler),
            LeadMergePipeline.from_crawler(crawler),
            QualifyPipeline.from_crawler(crawler),
        ]
        self.store = StorePipeline.from_crawler(crawler)
        crawler.signals.send_catch_log(signal=CrawlSignal.JOB_OPENED, run=self.run)

    def claim(self, engine: Engine) -> Seed:
        """Claim the job's first URL as a spider does: its pages count towards that seed's outcome."""
        with session_factory(engine).begin() as session:
            row = claim_job_urls(session, self.id, 1, worker="test")[0]
            seed = Seed(url_id=row.id, url=row.url, domain=registered_domain(row.url))
        self.seed = seed
        return seed

    def finish(self, seed: Seed) -> None:
        """The seed's crawl is over, as the spider says it."""
        self.run.finish(seed)
        self.crawler.signals.send_catch_log(signal=CrawlSignal.SEED_FINISHED, seed=seed)

    def page(self, url: str, html: str) -> None:
        seed = getattr(self, "seed", None)
        if seed is not None:
            seed.pages_ok += 1
        item: Any = PageItem(
            job_id=self.id,
            account_id=self.run.account_id,
            job_url_id=seed.url_id if seed is not None else None,
            url=url,
            depth=0,
            facts=extract_page(html, url),
            company_domain=registered_domain(url),
        )
        for pipeline in self.pipelines:
            item = pipeline.process_item(item)
        self.store.process_item(item)

    def pages(self, host: str, paths: Iterable[str], flush_each: bool = False) -> Job:
        for path in paths:
            self.page(*site_page(host, path))
            if flush_each:
                self.flush()
        return self

    def flush(self) -> Job:
        batch = self.store._take_batch()
        if batch is not None:
            self.store._written(self.store._write(batch), batch)
        return self


@pytest.fixture
def account_id(engine: Engine) -> str:
    with session_factory(engine).begin() as session:
        return create_account(session, f"{secrets.token_hex(6)}@identity.test", plan="pro", credits=1000).id


def leads(engine: Engine, account_id: str) -> dict[str, Lead]:
    """The account's leads by identity key (detached)."""
    with Session(engine) as session:
        rows = list(session.scalars(select(Lead).where(Lead.account_id == account_id)))
        session.expunge_all()
    by_key = {lead.identity_key: lead for lead in rows}
    assert len(by_key) == len(rows)
    return by_key


def named(engine: Engine, account_id: str, name: str) -> list[Lead]:
    return [lead for lead in leads(engine, account_id).values() if lead.full_name == name]


def sightings(engine: Engine, lead_id: str) -> list[tuple[str | None, str, str]]:
    with Session(engine) as session:
        return sorted(
            (job, url.split("/", 3)[-1], method)
            for job, url, method in session.execute(
                select(LeadSighting.job_id, LeadSighting.source_url, LeadSighting.method).where(
                    LeadSighting.lead_id == lead_id
                )
            )
        )


def job_listing(engine: Engine, job_id: str) -> set[str]:
    with Session(engine) as session:
        return set(session.scalars(select(JobLead.lead_id).where(JobLead.job_id == job_id)))


def company(engine: Engine, account_id: str, domain: str) -> Company:
    with Session(engine) as session:
        row = session.scalars(
            select(Company).where(Company.account_id == account_id, Company.domain == domain)
        ).one()
        session.expunge(row)
        return row


SAM = f"person:sam rivera|{KESTREL}"
SAM_EMAIL = "sam.rivera@kestrel-finch.co.uk"


def test_a_people_only_lead_is_re_keyed_onto_its_email_when_a_later_job_finds_it(
    engine: Engine, account_id: str
) -> None:
    first = Job(engine, account_id, [f"http://{KESTREL}/"]).pages(KESTREL, ["/", "/team"]).flush()
    sam = leads(engine, account_id)[SAM]
    assert (sam.full_name, sam.job_title, sam.contact_type) == ("Sam Rivera", "Account Director", "personal")
    assert (sam.email, sam.phone, sam.social_profiles) == (None, None, {})
    assert sam.company_id == company(engine, account_id, KESTREL).id
    assert (sam.company_name, sam.company_domain) == ("Kestrel & Finch", KESTREL)
    assert sam.lead_score is not None and sam.lead_status in ("hot", "warm", "cold")
    assert sam.qualification_notes.startswith("Sam Rivera, Account Director: ")
    before = len(leads(engine, account_id))

    second = Job(engine, account_id, [f"http://{KESTREL}/"]).pages(KESTREL, ["/team/sam-rivera"]).flush()
    after = leads(engine, account_id)
    assert SAM not in after
    rekeyed = after[SAM_EMAIL]
    assert rekeyed.id == sam.id  # the same lead, re-keyed: not a second one
    assert len(after) == before
    assert (rekeyed.email, rekeyed.full_name, rekeyed.job_title) == (
        SAM_EMAIL,
        "Sam Rivera",
        "Account Director",
    )
    assert rekeyed.linkedin_url == "https://linkedin.com/in/sam-rivera-kf"
    assert rekeyed.created_at == sam.created_at and rekeyed.job_id == first.id
    assert sightings(engine, sam.id) == [
        (first.id, "team", "card"),
        (second.id, "team/sam-rivera", "card"),
    ]
    assert sam.id in job_listing(engine, first.id) and sam.id in job_listing(engine, second.id)


@pytest.mark.parametrize("flush_each", [False, True], ids=["one-flush", "flush-per-page"])
def test_in_one_job_a_name_seen_alone_and_then_with_its_email_is_one_lead(
    engine: Engine, account_id: str, flush_each: bool
) -> None:
    job = Job(engine, account_id, [f"http://{KESTREL}/"])
    job.pages(KESTREL, ["/team", "/team/sam-rivera", "/contact"], flush_each=flush_each).flush()
    stored = leads(engine, account_id)
    assert SAM not in stored and f"person:grace liu|{KESTREL}" not in stored
    sam = stored[SAM_EMAIL]
    assert (sam.full_name, sam.job_title) == ("Sam Rivera", "Account Director")
    assert [s[1:] for s in sightings(engine, sam.id)] == [
        ("team", "card"),
        ("team/sam-rivera", "card"),
    ]
    # /contact lists "grace.liu@..." alone; the team page names Grace Liu without an address
    grace = stored["grace.liu@kestrel-finch.co.uk"]
    assert (grace.full_name, grace.job_title, grace.contact_type) == (
        "Grace Liu",
        "Finance Manager",
        "personal",
    )
    assert [s[1:] for s in sightings(engine, grace.id)] == [("contact", "text"), ("team", "card")]
    assert len(named(engine, account_id, "Sam Rivera")) == len(named(engine, account_id, "Grace Liu")) == 1


def test_a_seed_counts_a_person_re_keyed_within_it_once(engine: Engine, account_id: str) -> None:
    job = Job(engine, account_id, [f"http://{KESTREL}/"])
    seed = job.claim(engine)
    job.pages(KESTREL, ["/team", "/team/sam-rivera", "/contact"], flush_each=True)
    job.finish(seed)
    job.flush()
    with Session(engine) as session:
        row = session.get(JobUrl, seed.url_id)
        assert row is not None and row.status == "done"
        found = row.leads_found
    # eight people (Sam and Grace each one lead though seen by name first), hello@, the switchboard
    assert found == len(leads(engine, account_id)) == 10


def test_an_address_seen_first_and_the_name_later_is_one_lead_too(engine: Engine, account_id: str) -> None:
    Job(engine, account_id, [f"http://{KESTREL}/"]).pages(KESTREL, ["/contact"], flush_each=True).pages(
        KESTREL, ["/team"]
    ).flush()
    grace = named(engine, account_id, "Grace Liu")
    assert [(g.identity_key, g.job_title) for g in grace] == [
        ("grace.liu@kestrel-finch.co.uk", "Finance Manager")
    ]


def test_a_recrawl_adds_sightings_and_no_duplicates(engine: Engine, account_id: str) -> None:
    paths = ["/", "/team", "/team/sam-rivera", "/contact", "/legal"]
    first = Job(engine, account_id, [f"http://{KESTREL}/"]).pages(KESTREL, paths).flush()
    stored = {key: lead.id for key, lead in leads(engine, account_id).items()}
    with Session(engine) as session:
        seen = session.scalar(
            select(func.count()).select_from(LeadSighting).where(LeadSighting.job_id == first.id)
        )
    studio = company(engine, account_id, KESTREL)

    second = Job(engine, account_id, [f"http://{KESTREL}/"]).pages(KESTREL, paths, flush_each=True).flush()
    assert {key: lead.id for key, lead in leads(engine, account_id).items()} == stored
    with Session(engine) as session:
        again = session.scalar(
            select(func.count()).select_from(LeadSighting).where(LeadSighting.job_id == second.id)
        )
        listed = set(session.scalars(select(JobCompany.job_id).where(JobCompany.company_id == studio.id)))
    assert again == seen > 0
    assert job_listing(engine, second.id) == set(stored.values()) == job_listing(engine, first.id)
    recrawled = company(engine, account_id, KESTREL)
    assert (recrawled.id, recrawled.lead_count, recrawled.people_count) == (studio.id, len(stored), 8)
    assert recrawled.last_seen_at > studio.last_seen_at and listed == {first.id, second.id}


def test_namesakes_at_two_companies_stay_two_leads(engine: Engine, account_id: str) -> None:
    job = Job(engine, account_id, [f"http://{KESTREL}/", f"http://{ALDER}/"])
    job.pages(KESTREL, ["/team"]).pages(ALDER, ["/team"]).flush()
    alexes = sorted(named(engine, account_id, "Alex Morgan"), key=lambda lead: lead.company_domain or "")
    assert [(a.identity_key, a.job_title, a.email) for a in alexes] == [
        ("alex.morgan@alder-analytics.com", "Principal Data Scientist", "alex.morgan@alder-analytics.com"),
        (f"person:alex morgan|{KESTREL}", "Studio Manager", None),
    ]
    assert alexes[0].company_id != alexes[1].company_id
    # a later job that sees only the Alder Alex again leaves kestrel-finch's Alex alone
    Job(engine, account_id, [f"http://{ALDER}/"]).pages(ALDER, ["/team"]).flush()
    assert sorted(a.identity_key for a in named(engine, account_id, "Alex Morgan")) == [
        "alex.morgan@alder-analytics.com",
        f"person:alex morgan|{KESTREL}",
    ]


def test_a_person_stored_with_an_email_seen_again_without_it_stays_one_lead(
    engine: Engine, account_id: str
) -> None:
    Job(engine, account_id, [f"http://{KESTREL}/"]).pages(KESTREL, ["/team/sam-rivera"]).flush()
    Job(engine, account_id, [f"http://{KESTREL}/"]).pages(KESTREL, ["/team"]).flush()
    sam = named(engine, account_id, "Sam Rivera")
    assert [s.identity_key for s in sam] == [SAM_EMAIL]
    assert [s[1:] for s in sightings(engine, sam[0].id)] == [  # the first job's, then the second's
        ("team/sam-rivera", "card"),
        ("team", "card"),
    ]


def test_company_profiles_reach_the_company_and_its_role_leads_only(engine: Engine, account_id: str) -> None:
    Job(engine, account_id, [f"http://{KESTREL}/"]).pages(KESTREL, ["/", "/team", "/contact"]).flush()
    studio = company(engine, account_id, KESTREL)
    assert [(p["platform"], p["url"], p["source_url"]) for p in studio.social_profiles] == [
        (platform, url, f"http://{KESTREL}/") for platform, url in COMPANY_PROFILES[KESTREL].items()
    ]
    assert studio.address == {
        "street": "14 Wharf Road",
        "postal_code": "N1 7GR",
        "city": "London",
        "region": None,
        "country": "GB",
        "source_url": f"http://{KESTREL}/",
    }
    stored = leads(engine, account_id)
    profiles = COMPANY_PROFILES[KESTREL]
    for key in ("hello@kestrel-finch.co.uk", f"phone:+442079460321|{KESTREL}"):
        role = stored[key]
        assert role.contact_type == "role" and role.full_name is None
        assert (role.linkedin_url, role.twitter_url, role.facebook_url) == (
            profiles["linkedin"],
            profiles["twitter"],
            profiles["facebook"],
        )
        assert role.social_profiles == profiles
    olivia = stored["olivia.hart@kestrel-finch.co.uk"]
    assert olivia.social_profiles == {"linkedin": "https://linkedin.com/in/olivia-hart-kf"}
    assert olivia.linkedin_url == "https://linkedin.com/in/olivia-hart-kf" and olivia.twitter_url is None
    assert stored[f"person:emma silva|{KESTREL}"].social_profiles == {}
    # role leads score like any role address: the company's profiles earn them nothing
    assert (
        stored["hello@kestrel-finch.co.uk"].lead_score == stored[f"phone:+442079460321|{KESTREL}"].lead_score
    )


def test_profiles_found_after_a_role_lead_was_stored_are_added_to_it(engine: Engine, account_id: str) -> None:
    host = "wren-bakery.com"
    job = Job(engine, account_id, [f"https://{host}/"])
    job.page(f"https://{host}/contact", '<html><body><p>Orders: <a href="mailto:orders@wren-bakery.com">'
             "orders@wren-bakery.com</a></p></body></html>")  # fmt: skip
    job.flush()
    assert leads(engine, account_id)["orders@wren-bakery.com"].social_profiles == {}
    job.page(f"https://{host}/", '<html><body><footer><a href="https://www.instagram.com/wrenbakery">Instagram'
             "</a></footer></body></html>")  # fmt: skip
    job.flush()
    orders = leads(engine, account_id)["orders@wren-bakery.com"]
    assert orders.social_profiles == {"instagram": "https://instagram.com/wrenbakery"}


def test_lead_and_people_counts_follow_every_write_and_delete(engine: Engine, account_id: str) -> None:
    Job(engine, account_id, [f"http://{KESTREL}/"]).pages(KESTREL, ["/", "/team"]).flush()
    stored = leads(engine, account_id)
    studio = company(engine, account_id, KESTREL)
    # 8 people on the team page, hello@ and the switchboard
    assert (studio.lead_count, studio.people_count) == (len(stored), 8) == (10, 8)
    # the re-key of Sam Rivera (a fold onto his email) neither adds nor loses a lead
    Job(engine, account_id, [f"http://{KESTREL}/"]).pages(KESTREL, ["/team/sam-rivera"]).flush()
    assert (
        company(engine, account_id, KESTREL).lead_count,
        company(engine, account_id, KESTREL).people_count,
    ) == (
        10,
        8,
    )
    with session_factory(engine).begin() as session:
        delete_leads(
            session,
            account_id,
            [stored[f"person:emma silva|{KESTREL}"].id, stored["hello@kestrel-finch.co.uk"].id],
        )
    after = company(engine, account_id, KESTREL)
    assert (after.lead_count, after.people_count) == (8, 7)


def test_a_people_only_decision_maker_is_scored_and_announced_like_any_lead(
    engine: Engine, account_id: str
) -> None:
    host = "brightwater-labs.io"
    recent = (date.today() - timedelta(days=40)).isoformat()
    job = Job(engine, account_id, [f"https://{host}/"])
    job.page(
        f"https://{host}/team",
        """<html lang="en"><head><title>Team – Brightwater Labs</title></head><body><main><h1>Team</h1>
        <div class="team"><div class="member"><h3>Mara Quinn</h3><p>Co-founder &amp; CEO</p></div>
        <div class="member"><h3>Theo Brandt</h3><p>Product Designer</p></div></div></main></body></html>""",
    )
    job.page(
        f"https://{host}/careers",
        """<html lang="en"><head><title>Careers – Brightwater Labs</title></head><body><main><h1>Careers</h1>
        <p>We're hiring! Join our growing team.</p><ul class="jobs">
        <li class="job"><h3>Senior Backend Engineer</h3></li><li class="job"><h3>Product Designer</h3></li>
        <li class="job"><h3>Account Executive</h3></li><li class="job"><h3>Data Engineer</h3></li>
        <li class="job"><h3>Support Lead</h3></li></ul><p>5 open positions</p></main></body></html>""",
    )
    job.page(
        f"https://{host}/news",
        f"""<html lang="en"><head><title>News – Brightwater Labs</title></head><body><main><article>
        <h1>Brightwater Labs raises $12M Series A</h1><time datetime="{recent}">{recent}</time>
        <p>Brightwater Labs today announced it has raised $12M in a Series A round led by Northpoint
        Ventures.</p></article></main></body></html>""",
    )
    job.flush()
    mara = leads(engine, account_id)[f"person:mara quinn|{host}"]
    assert (mara.email, mara.phone, mara.job_title) == (None, None, "Co-founder & CEO")
    assert mara.lead_status == "hot" and mara.lead_score >= 70
    assert "hiring" in mara.signals_detected and "decision_maker" not in mara.signals_detected
    assert mara.enrichment_data["decision_maker_level"] == "executive"
    with Session(engine) as session:
        events = [
            e.payload["data"]
            for e in session.scalars(
                select(OutboxEvent).where(
                    OutboxEvent.account_id == account_id, OutboxEvent.event_type == LEAD_QUALIFIED
                )
            )
        ]
    assert [(e["lead_id"], e["full_name"], e["email"], e["job_title"]) for e in events] == [
        (mara.id, "Mara Quinn", None, "Co-founder & CEO")
    ]
