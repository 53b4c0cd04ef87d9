"""Writes: leads/s through the store pipeline's batched upserts, against a plain COPY of the same rows."""

from __future__ import annotations

import io
import json
import os
import time
from types import SimpleNamespace
from typing import Any

import psycopg2

from bench.common import Section, log, scratch_database
from bench.corpus import FIRST, LAST, TITLES
from bench.seed import create_accounts

BATCH = 200  # LEADSCRAPER_STORE_BATCH
LEADS_PER_COMPANY = 20


def _rows(n: int) -> list[dict[str, Any]]:
    rows = []
    for i in range(n):
        lang = ("en", "de", "fr")[i % 3]
        first, last = FIRST[lang][i % len(FIRST[lang])], LAST[lang][(i // 7) % len(LAST[lang])]
        domain = f"company{i // LEADS_PER_COMPANY}.com"
        email = f"{first.lower()}.{last.lower()}{i}@{domain}"
        rows.append(
            {
                "identity_key": f"email:{email}",
                "contact_type": "personal",
                "email": email,
                "phone": f"+1415555{i % 10000:04d}",
                "phone_national": f"(415) 555-{i % 10000:04d}",
                "full_name": f"{first} {last}",
                "job_title": TITLES[lang][i % len(TITLES[lang])],
                "company_name": f"Company {i // LEADS_PER_COMPANY}",
                "company_domain": domain,
                "linkedin_url": f"https://www.linkedin.com/in/{first.lower()}-{i}",
                "twitter_url": None,
                "facebook_url": None,
                "social_profiles": {"linkedin": f"https://www.linkedin.com/in/{first.lower()}-{i}"},
                "source_url": f"https://{domain}/team",
                "lead_score": i % 101,
                "lead_status": "hot" if i % 101 >= 70 else "warm" if i % 101 >= 40 else "cold",
                "qualification_notes": "hiring; 51-200 employees",
                "signals_detected": [{"name": "hiring", "confidence": 0.9}],
                "enrichment_data": {"company_size": "51-200"},
                "enriched_at": None,
            }
        )
    return rows


def _store_pass(rows: list[dict[str, Any]], account_id: str, job_id: str) -> float:
    """Write ``rows`` the way StorePipeline does: one ``_write`` transaction per batch; seconds taken."""
    from pipelines.store import Batch, StorePipeline

    pipeline = StorePipeline(SimpleNamespace(stats=None), BATCH, 2.0)
    started = time.perf_counter()
    for start in range(0, len(rows), BATCH):
        chunk = [dict(r, job_id=job_id) for r in rows[start : start + BATCH]]
        batch = Batch(job_id=job_id, account_id=account_id, credits_per_url=2)
        batch.companies = {r["company_domain"]: r["company_name"] for r in chunk}
        batch.leads = chunk
        batch.sightings = [(r["identity_key"], r["source_url"], "mailto") for r in chunk]
        pipeline._write(batch)
    return time.perf_counter() - started


def _copy_pass(url: str, rows: list[dict[str, Any]], account_id: str, job_id: str) -> float:
    """COPY the same lead rows (plus one sighting and one job listing each) in one transaction;
    seconds taken."""
    columns = [*rows[0].keys(), "id", "account_id", "job_id", "tags", "created_at", "updated_at"]
    leads, sightings, listings = io.StringIO(), io.StringIO(), io.StringIO()
    started = time.perf_counter()
    for i, row in enumerate(rows):
        lead_id = f"lead_copy_{i:020d}"
        values = [
            *row.values(),
            lead_id,
            account_id,
            job_id,
            [],
            "2026-11-01T00:00:00+00:00",
            "2026-11-01T00:00:00+00:00",
        ]
        leads.write(
            "\t".join(
                "\\N" if v is None else json.dumps(v) if isinstance(v, list | dict) else str(v)
                for v in values
            )
            + "\n"
        )
        sightings.write(f"{lead_id}\t{job_id}\t{row['source_url']}\tmailto\t2026-11-01T00:00:00+00:00\n")
        listings.write(f"{job_id}\t{lead_id}\t2026-11-01T00:00:00+00:00\n")
    leads.seek(0)
    sightings.seek(0)
    listings.seek(0)
    conn = psycopg2.connect(url.replace("postgresql+psycopg2://", "postgresql://", 1))
    try:
        with conn.cursor() as cur:
            cur.copy_expert(f"COPY leads ({', '.join(columns)}) FROM STDIN", leads)
            cur.copy_expert(
                "COPY lead_sightings (lead_id, job_id, source_url, method, seen_at) FROM STDIN", sightings
            )
            cur.copy_expert("COPY job_leads (job_id, lead_id, lead_created_at) FROM STDIN", listings)
        conn.commit()
    finally:
        conn.close()
    return time.perf_counter() - started


def run(section: Section, *, quick: bool) -> None:
    from db.engine import get_engine

    n = 20_000 if quick else 50_000
    rows = _rows(n)
    with scratch_database() as url:
        accounts = create_accounts(url, [0, 0, 0], jobs_per_account=1)
        previous = os.environ.get("DATABASE_URL")
        os.environ["DATABASE_URL"] = url
        get_engine.cache_clear()
        try:
            log(f"writes: {n:,} leads through StorePipeline._write, batches of {BATCH}")
            insert_s = _store_pass(rows, accounts[0].id, accounts[0].jobs[0])
            merge_s = _store_pass(rows, accounts[0].id, accounts[0].jobs[0])
            log(f"writes: COPY of the same {n:,} rows")
            copy_s = _copy_pass(url, rows, accounts[1].id, accounts[1].jobs[0])
            # and the store pipeline again on a second empty account, after COPY warmed the same pages
            insert2_s = _store_pass(rows, accounts[2].id, accounts[2].jobs[0])
        finally:
            get_engine.cache_clear()
            if previous is None:
                os.environ.pop("DATABASE_URL", None)
            else:
                os.environ["DATABASE_URL"] = previous
    insert_rate = n / min(insert_s, insert2_s)
    section.add(
        "rows",
        f"{n:,} leads, {n // LEADS_PER_COMPANY:,} companies, one sighting each; transactions of {BATCH} "
        "(`StorePipeline._write`: companies, people matching, upserts, sightings, qualified events, "
        "job progress)",
    )
    section.add("store pipeline, new leads", f"{insert_rate:,.0f} leads/s (best of 2 passes)")
    section.add("store pipeline, all leads known (re-crawl merge)", f"{n / merge_s:,.0f} leads/s")
    section.add("plain COPY of the same rows (ceiling)", f"{n / copy_s:,.0f} leads/s")
    section.add("store / COPY", f"{insert_rate / (n / copy_s):.2f}", "(reported, no target)")
