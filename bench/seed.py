"""Seed a scratch PostgreSQL database fast: accounts, keys and jobs through the ORM, leads by COPY."""

from __future__ import annotations

import importlib
import io
import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import psycopg2

from bench.corpus import FIRST, LAST, TITLES, WORD_A, WORD_B

LEAD_COLUMNS = (
    "id",
    "account_id",
    "company_id",
    "identity_key",
    "contact_type",
    "email",
    "phone",
    "phone_national",
    "full_name",
    "job_title",
    "company_name",
    "company_domain",
    "linkedin_url",
    "social_profiles",
    "lead_score",
    "lead_status",
    "qualification_notes",
    "signals_detected",
    "enrichment_data",
    "enriched_at",
    "source_url",
    "job_id",
    "tags",
    "created_at",
    "updated_at",
)
SIGNALS = json.dumps([{"name": "hiring", "confidence": 0.9}])
ENRICHMENT = json.dumps({"company_size": "51-200", "industry": "Software", "location": "Austin, TX"})


@dataclass
class SeededAccount:
    """An account with an API key (all scopes), its jobs and how many leads it holds."""

    id: str
    key: str
    leads: int
    jobs: list[str] = field(default_factory=list)


def _pg_dsn(url: str) -> str:
    return url.replace("postgresql+psycopg2://", "postgresql://", 1)


def create_accounts(url: str, sizes: list[int], jobs_per_account: int = 20) -> list[SeededAccount]:
    from db.accounts import create_account, create_api_key
    from db.engine import make_engine, session_factory
    from db.jobs import create_job

    engine = make_engine(url)
    accounts = []
    with session_factory(engine)() as session:
        for n, size in enumerate(sizes):
            account = create_account(
                session,
                f"bench{n}@example.org",
                plan="enterprise",
                credits=10_000_000,
                rate_limit_per_hour=1_000_000_000,
            )
            _, key = create_api_key(session, account.id, "bench")
            seeded = SeededAccount(account.id, key, size)
            for _ in range(jobs_per_account):
                seeded.jobs.append(create_job(session, account.id, "bulk", [], {}, source="cli").id)
            accounts.append(seeded)
        session.commit()
    engine.dispose()
    return accounts


def _lead_rows(account: SeededAccount, start: int, rng: random.Random, now: datetime) -> io.StringIO:
    """Tab-separated COPY text for one account's leads (NULL as \\N)."""
    out = io.StringIO()
    span = 365 * 86400
    for i in range(account.leads):
        lang = ("en", "en", "de", "fr")[i % 4]
        first, last = rng.choice(FIRST[lang]), rng.choice(LAST[lang])
        company = f"{rng.choice(WORD_A).title()} {rng.choice(WORD_B).title()} {i % 5000}"
        domain = company.lower().replace(" ", "") + ".com"
        role = i % 7 == 0
        local = "info" if role else f"{first}.{last}".lower().replace(" ", "")
        email = f"{local}{i}@{domain}" if i % 10 else None
        digits = f"{4155550000 + (start + i) % 9_999_999:010d}"
        phone = f"+1{digits}" if email is None or i % 3 == 0 else None
        score = None if i % 11 == 0 else rng.randint(0, 100)
        status = None if score is None else ("hot" if score >= 70 else "warm" if score >= 40 else "cold")
        # several leads per second share a timestamp: the id breaks ties, as in real crawls
        created = now - timedelta(seconds=span * (account.leads - i) / account.leads)
        created = created.replace(microsecond=0)
        job = account.jobs[i * len(account.jobs) // account.leads]
        lead_id = f"lead_{start + i:026d}"
        key = f"email:{email}" if email else f"phone:{phone}|{domain}"
        values = [
            lead_id,
            account.id,
            None,
            key,
            "role" if role else "personal",
            email,
            phone,
            f"({digits[:3]}) {digits[3:6]}-{digits[6:]}" if phone else None,
            None if role else f"{first} {last}",
            None if role else rng.choice(TITLES[lang]),
            company,
            domain,
            None if role else f"https://www.linkedin.com/in/{first.lower()}-{last.lower()}-{i}",
            "{}",
            score,
            status,
            "Hiring; 51-200 employees" if score is not None else None,
            SIGNALS if score is not None else "[]",
            ENRICHMENT if score is not None else "{}",
            created.isoformat() if score is not None else None,
            f"https://{domain}/team",
            job,
            "[]",
            created.isoformat(),
            created.isoformat(),
        ]
        out.write("\t".join("\\N" if v is None else str(v).replace("\t", " ") for v in values) + "\n")
    out.seek(0)
    return out


# What the write paths keep in job_leads (db/leads.py), in one statement: each lead under the job
# that found it and every job that sighted it — migration 0008's own backfill, read from it.
_MIGRATION_0008 = importlib.import_module("db.migrations.versions.0008_job_leads")
JOB_LEADS_FROM_LEADS_AND_SIGHTINGS: str = _MIGRATION_0008.BACKFILL


def copy_leads(url: str, accounts: list[SeededAccount], seed: int = 8, with_sightings: bool = True) -> None:
    """COPY every account's leads (and one sighting each) into ``url``, list them under their jobs
    (job_leads), then ANALYZE."""
    rng = random.Random(seed)
    now = datetime(2026, 11, 1, tzinfo=UTC)
    conn = psycopg2.connect(_pg_dsn(url))
    try:
        start = 0
        with conn.cursor() as cur:
            for account in accounts:
                rows = _lead_rows(account, start, rng, now)
                cur.copy_expert(f"COPY leads ({', '.join(LEAD_COLUMNS)}) FROM STDIN", rows)
                start += account.leads
            if with_sightings:
                cur.execute(
                    "INSERT INTO lead_sightings (lead_id, job_id, source_url, method, seen_at) "
                    "SELECT id, job_id, source_url, 'mailto', created_at FROM leads"
                )
            cur.execute(JOB_LEADS_FROM_LEADS_AND_SIGHTINGS)
        conn.commit()
        conn.autocommit = True
        with conn.cursor() as cur:
            for table in ("leads", "lead_sightings", "job_leads"):
                cur.execute(f"VACUUM ANALYZE {table}")
    finally:
        conn.close()


def split_accounts(total: int) -> list[int]:
    """Several accounts of very different sizes; the first (measured) holds 40 %."""
    shares = (0.40, 0.25, 0.15, 0.10, 0.06, 0.04)
    sizes = [int(total * s) for s in shares]
    sizes[-1] += total - sum(sizes)
    return sizes
