"""API latency at scale: GET /v1/leads on a seeded PostgreSQL, first and deep pages, filters, sorts."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from bench.common import Section, log, median, percentile, scratch_database
from bench.seed import SeededAccount, copy_leads, create_accounts, split_accounts

LIMIT = 50


def _app(url: str) -> Any:
    from api.rest.app import create_app

    app = create_app({"DATABASE_URL": url, "TESTING": False, "SCRAPYD_URLS": []})
    return app


def deep_cursor(app: Any, account: SeededAccount, sort: str, order: str, page: int) -> str:
    """The ``next_cursor`` page ``page - 1`` would return: the key of row ``(page - 1) * LIMIT``."""
    from sqlalchemy import select

    from api.rest.leadquery import LEAD_SORTS
    from api.rest.pagination import encode_cursor
    from db.engine import get_engine, session_factory
    from db.models import Lead

    columns = LEAD_SORTS[sort]
    order_by = [c.expr.desc() if order == "desc" else c.expr.asc() for c in columns]
    with session_factory(get_engine(app.config["DATABASE_URL"]))() as session:
        row = session.scalars(
            select(Lead)
            .where(Lead.account_id == account.id)
            .order_by(*order_by)
            .offset((page - 1) * LIMIT - 1)
            .limit(1)
        ).one()
        return encode_cursor(f"leads:{sort}:{order}", columns, row)


def job_cursor(app: Any, account: SeededAccount, job: str, page: int) -> str:
    """The ``next_cursor`` page ``page - 1`` of ``job_id=job`` (default sort) would return."""
    from sqlalchemy import and_, select

    from api.rest.leadquery import JOB_SORTS
    from api.rest.pagination import encode_cursor
    from db.engine import get_engine, session_factory
    from db.models import JobLead, Lead

    with session_factory(get_engine(app.config["DATABASE_URL"]))() as session:
        row = session.scalars(
            select(Lead)
            .join(JobLead, and_(JobLead.lead_id == Lead.id, JobLead.job_id == job))
            .where(Lead.account_id == account.id)
            .order_by(*(c.expr.desc() for c in JOB_SORTS["created_at"]))
            .offset((page - 1) * LIMIT - 1)
            .limit(1)
        ).one()
        return encode_cursor("leads:created_at:desc", JOB_SORTS["created_at"], row)


def measure(get: Callable[[], Any], repeats: int) -> tuple[float, float, int]:
    """p50 and p99 in ms of ``repeats`` calls after a short warm-up; and the last status code."""
    status = 0
    for _ in range(3):
        status = get().status_code
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        response = get()
        times.append(time.perf_counter() - t0)
        status = response.status_code
    return median(times) * 1000, percentile(times, 99) * 1000, status


def queries(app: Any, account: SeededAccount, deep_page: int) -> list[tuple[str, dict[str, Any]]]:
    job = account.jobs[len(account.jobs) // 2]
    # a job holds 1/20 of the account's leads: 400 pages of 50 in the full run, 40 in --quick
    job_page = min(200, account.leads // len(account.jobs) // LIMIT - 1)
    cases: list[tuple[str, dict[str, Any]]] = [("first page (created_at desc)", {})]
    for sort, order in (("created_at", "desc"), ("score", "desc"), ("company", "asc")):
        if sort != "created_at":
            cases.append((f"first page, sort={sort} {order}", {"sort": sort, "order": order}))
        cursor = deep_cursor(app, account, sort, order, deep_page)
        cases.append(
            (
                f"page {deep_page:,} by cursor, sort={sort} {order}",
                {"sort": sort, "order": order, "cursor": cursor},
            )
        )
    cases += [
        ("first page, order=asc", {"order": "asc"}),
        ("status=hot", {"status": "hot"}),
        ("score_min=90", {"score_min": 90}),
        ("score_max=10", {"score_max": 10}),
        ("score_min=40&score_max=69", {"score_min": 40, "score_max": 69}),
        ("job_id (one of 20 jobs)", {"job_id": job}),
        (
            f"job_id, page {job_page} by cursor",
            {"job_id": job, "cursor": job_cursor(app, account, job, job_page)},
        ),
        ("job_id, sort=score", {"job_id": job, "sort": "score"}),
        ("job_id, sort=company asc", {"job_id": job, "sort": "company", "order": "asc"}),
        ("created_after (last 7 days)", {"created_after": "2026-10-25T00:00:00Z"}),
        ("created_before (first month)", {"created_before": "2025-12-01T00:00:00Z"}),
        ("status=hot, sort=score", {"status": "hot", "sort": "score"}),
        ("search=harbor (common company word)", {"search": "harbor"}),
        ("search=schneider (name)", {"search": "schneider"}),
        ("search=rare email fragment", {"search": "hughes12345@"}),
        ("search=no match", {"search": "zzqqxx"}),
        ("search=phone digits 555123", {"search": "555123"}),
        ("search=harbor, sort=score", {"search": "harbor", "sort": "score"}),
    ]
    return cases


def run(section: Section, *, quick: bool) -> None:
    total = 100_000 if quick else 1_000_000
    repeats = 60 if quick else 200
    with scratch_database() as url:
        log(f"api: seeding {total:,} leads")
        t0 = time.monotonic()
        accounts = create_accounts(url, split_accounts(total))
        copy_leads(url, accounts)
        log(f"  seeded in {time.monotonic() - t0:.0f} s")
        account = accounts[0]
        deep_page = min(5000, account.leads // LIMIT - 1)
        app = _app(url)
        client = app.test_client()
        headers = {"Authorization": f"Bearer {account.key}"}
        section.add(
            "setup",
            f"{total:,} leads in {len(accounts)} accounts; measured account holds {account.leads:,}; "
            f"Flask test client in-process (full request: auth, rate limit, query, JSON), limit={LIMIT}, "
            f"{repeats} requests each",
        )
        results: dict[str, tuple[float, float]] = {}
        for name, params in queries(app, account, deep_page):
            path = "/v1/leads?" + urlencode({"limit": LIMIT, **params})
            p50, p99, status = measure(lambda p=path: client.get(p, headers=headers), repeats)
            if status != 200:
                section.add(name, f"HTTP {status}", "200", "MISSED")
                continue
            results[name] = (p50, p99)
            section.add(
                name, f"p50 {p50:.1f} ms, p99 {p99:.1f} ms", "p99 < 50 ms", "met" if p99 < 50 else "MISSED"
            )
            log(f"  {name}: p50 {p50:.1f} ms p99 {p99:.1f} ms")
        first = results.get("first page (created_at desc)")
        deep = results.get(f"page {deep_page:,} by cursor, sort=created_at desc")
        if first and deep:
            ratio = deep[0] / first[0]
            section.add(
                f"page {deep_page:,} / first page (p50)",
                f"{ratio:.2f}×",
                "≤ 1.2×",
                "met" if ratio <= 1.2 else "MISSED",
            )
        deep_names = [name for name, _ in queries(app, account, deep_page) if name.startswith("page ")]
        if any(results.get(n, (0, 0))[1] >= 50 for n in deep_names) or (
            first and deep and deep[0] > first[0] * 1.2
        ):
            _with_bounded_keyset(section, app, client, headers, account, deep_page, repeats)
        app.extensions["leadscraper_sessions"].kw["bind"].dispose()


def _with_bounded_keyset(
    section: Section,
    app: Any,
    client: Any,
    headers: dict[str, str],
    account: SeededAccount,
    page: int,
    repeats: int,
) -> None:
    """Deep pages again with the keyset condition given a range bound on its leading column.

    ``(a < x) OR (a = x AND id < y)`` is only a filter to PostgreSQL: it walks the index from the first
    row. ``a <= x AND (...)`` is the same set of rows, and the bound becomes an index condition.
    """
    from unittest import mock

    from sqlalchemy import and_

    import api.rest.pagination as pagination

    original = pagination._after

    def bounded(columns: Any, values: Any, descending: bool) -> Any:
        lead = columns[0].expr <= values[0] if descending else columns[0].expr >= values[0]
        return and_(lead, original(columns, values, descending))

    with mock.patch.object(pagination, "_after", bounded):
        for sort, order in (("created_at", "desc"), ("score", "desc"), ("company", "asc")):
            cursor = deep_cursor(app, account, sort, order, page)
            path = "/v1/leads?" + urlencode({"limit": LIMIT, "sort": sort, "order": order, "cursor": cursor})
            p50, p99, _ = measure(lambda p=path: client.get(p, headers=headers), repeats)
            section.add(
                f"page {page:,}, sort={sort} {order}, *with the bounded keyset condition (proposed fix)*",
                f"p50 {p50:.1f} ms, p99 {p99:.1f} ms",
                "p99 < 50 ms",
                "met" if p99 < 50 else "MISSED",
            )
