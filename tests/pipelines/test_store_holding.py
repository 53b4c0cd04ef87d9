"""The store writes a company's leads once its site is crawled, not after every page: after the
job's first lead (written at once), leads of a domain a seed still crawls wait in the buffer; the
seed's end, or the spider's close, writes them, with the seed's outcome."""

from __future__ import annotations

import secrets

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.accounts import create_account
from db.engine import session_factory
from db.models import JobUrl, Lead
from tests.pipelines.test_identity import Job
from tests.sites.site_kestrel import ALDER, KESTREL

pytestmark = pytest.mark.db


@pytest.fixture
def account_id(engine: Engine) -> str:
    with session_factory(engine).begin() as session:
        return create_account(session, f"{secrets.token_hex(6)}@holding.test", plan="pro", credits=1000).id


def stored(engine: Engine, account_id: str) -> set[str]:
    with Session(engine) as session:
        return set(session.scalars(select(Lead.identity_key).where(Lead.account_id == account_id)))


def stored_domains(engine: Engine, account_id: str) -> set[str]:
    with Session(engine) as session:
        return set(session.scalars(select(Lead.company_domain).where(Lead.account_id == account_id)))


def outcome(engine: Engine, url_id: int) -> str | None:
    with Session(engine) as session:
        row = session.get(JobUrl, url_id)
        return row.status if row is not None else None


def crawling(engine: Engine, account_id: str) -> Job:
    """A job whose seed (the Kestrel & Finch site) is claimed and crawling, as the spider holds it."""
    job = Job(engine, account_id, [f"http://{KESTREL}/"])
    seed = job.claim(engine)
    job.run.seeds[seed.url_id] = seed
    return job


def test_while_its_site_is_crawled_a_company_s_leads_wait_and_are_written_once_with_its_outcome(
    engine: Engine, account_id: str
) -> None:
    job = crawling(engine, account_id)
    stats = job.crawler.stats
    job.pages(KESTREL, ["/"]).flush()
    first = stored(engine, account_id)
    assert first  # the job's first leads: at once, the seed still crawling
    job.pages(KESTREL, ["/team"]).flush()
    assert stored(engine, account_id) == first  # the team page's people wait for the site's end
    assert stats.get_value("leadscraper/store/held_max") > 0
    assert outcome(engine, job.seed.url_id) == "claimed"
    job.pages(KESTREL, ["/team/sam-rivera"]).flush()
    assert stored(engine, account_id) == first
    job.finish(job.seed)
    job.flush()
    everything = stored(engine, account_id)
    assert everything > first and outcome(engine, job.seed.url_id) == "done"
    # each lead written once after the first flush: no row for every page that changed it
    written = stats.get_value("leadscraper/store/leads_written")
    assert written <= len(everything) + len(first)
    assert job.store._take_batch() is None  # nothing left behind


def test_the_spider_s_close_writes_the_leads_of_a_site_still_crawling(
    engine: Engine, account_id: str
) -> None:
    job = crawling(engine, account_id)
    job.pages(KESTREL, ["/"]).flush()
    first = stored(engine, account_id)
    job.pages(KESTREL, ["/team"]).flush()
    assert stored(engine, account_id) == first and job.store.has_pending()
    # a job stopped early (cancelled, out of time): the last flush takes everything buffered
    batch = job.store._take_batch(final=True)
    assert batch is not None
    job.store._written(job.store._write(batch), batch)
    assert stored(engine, account_id) > first
    assert not job.store.has_pending()


def test_leads_of_a_company_no_seed_crawls_are_written_at_the_next_flush(
    engine: Engine, account_id: str
) -> None:
    # pages of a site that is not one of this process's crawling seeds (their seed has ended)
    job = Job(engine, account_id, [f"http://{KESTREL}/"])
    job.pages(KESTREL, ["/"]).flush()
    first = stored(engine, account_id)
    job.pages(KESTREL, ["/team"]).flush()
    assert stored(engine, account_id) > first


def test_the_first_lead_s_flush_leaves_the_other_sites_still_crawling_waiting(
    engine: Engine, account_id: str
) -> None:
    """Sites half read when the first lead is written are written once, at their end: not twice,
    their people re-keyed and folded when a later page gives their e-mails."""
    job = Job(engine, account_id, [f"http://{KESTREL}/", f"http://{ALDER}/"])
    kestrel, alder = job.claim(engine), job.claim(engine)
    job.run.seeds.update({kestrel.url_id: kestrel, alder.url_id: alder})
    job.pages(ALDER, ["/team"])  # the job's first lead (its seed is the last claimed)
    job.seed = kestrel
    job.pages(KESTREL, ["/", "/team"])
    job.flush()
    assert stored_domains(engine, account_id) == {ALDER}
    job.finish(kestrel)
    job.flush()
    assert stored_domains(engine, account_id) == {ALDER, KESTREL}
    assert outcome(engine, kestrel.url_id) == "done" and outcome(engine, alder.url_id) == "claimed"


def test_a_site_two_seeds_read_is_read_whole_only_when_the_last_one_ends(
    engine: Engine, account_id: str
) -> None:
    """Signals a site's crawl did not find end only when the whole site was read: with a second seed
    of the domain still crawling, what the first did not find may still come."""
    job = Job(engine, account_id, [f"http://{KESTREL}/", f"http://{KESTREL}/team"])
    home, team = job.claim(engine), job.claim(engine)
    job.run.seeds.update({home.url_id: home, team.url_id: team})
    job.seed = home
    job.pages(KESTREL, ["/"])
    job.finish(home)
    batch = job.store._take_batch()
    assert batch is not None and batch.complete == set()
    job.store._written(job.store._write(batch), batch)
    job.seed = team
    job.pages(KESTREL, ["/team"])
    job.finish(team)
    batch = job.store._take_batch()
    assert batch is not None and batch.complete == {KESTREL}
