"""A company's signals over time: when each was first and last seen, and when a re-crawl lost it.

``companies.signals`` holds one entry per signal name: the proof of its best sighting (``url``,
``snippet``, ``method``, ``page_date``, ``confidence``, ``reasons``, ``detail``) and its history
(``first_seen_at``, ``last_seen_at``, ``ended_at``). A crawl that finds a signal refreshes its proof
and ``last_seen_at``; a complete crawl of the site that no longer finds it sets ``ended_at``
instead of deleting it; found again, it is open again. A signal that opens (new, or back after an
end) on a company known before the job is announced as ``company.signal_detected``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Company
from db.outbox import COMPANY_SIGNAL_DETECTED, iso, record_event

DETECTED = 0.5  # a signal counts from this confidence (README.md, Lead qualification)


def is_active(entry: dict[str, Any]) -> bool:
    """The entry is a signal the company shows now: detected and not ended."""
    return float(entry.get("confidence") or 0) >= DETECTED and not entry.get("ended_at")


def merge_history(
    stored: Iterable[dict[str, Any]], found: Iterable[dict[str, Any]], now: datetime, *, complete: bool
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """The company's new signal entries, the entries that opened now, and the names that ended.

    ``found`` is this crawl's proof so far, one entry per name; ``complete`` says the crawl of
    the site is finished, so what it did not find is gone. Entries are sorted by name.
    """
    at = iso(now)
    before = {e["name"]: e for e in stored if isinstance(e, dict) and e.get("name")}
    out: dict[str, dict[str, Any]] = {}
    opened: list[dict[str, Any]] = []
    for proof in found:
        name = proof["name"]
        prev = before.get(name)
        entry = {
            **proof,
            "first_seen_at": (prev.get("first_seen_at") if prev else None) or at,
            "last_seen_at": at,
            "ended_at": None,
        }
        if is_active(entry) and (prev is None or not is_active(prev)):
            opened.append(entry)
        out[name] = entry
    ended: list[str] = []
    for name, prev in before.items():
        if name in out:
            continue
        entry = dict(prev)
        entry.setdefault("first_seen_at", None)
        entry.setdefault("last_seen_at", None)
        entry.setdefault("ended_at", None)
        if complete and not entry["ended_at"]:
            entry["ended_at"] = at
            if float(entry.get("confidence") or 0) >= DETECTED:
                ended.append(name)
        out[name] = entry
    return [out[n] for n in sorted(out)], opened, ended


@dataclass
class HistoryChange:
    """What one company's merge changed: signals that opened and names that ended."""

    company_id: str
    domain: str
    opened: list[dict[str, Any]]
    ended: list[str]


def apply_signal_history(
    session: Session,
    account_id: str,
    found: dict[str, list[dict[str, Any]]],
    complete: set[str],
    *,
    job_id: str | None,
    job_created_at: datetime | None,
    now: datetime,
) -> list[HistoryChange]:
    """Merge this crawl's signals (``{domain: [proof, ...]}``) into the stored companies' history.

    Rows are locked first on PostgreSQL, so two crawls of one company merge rather than overwrite.
    A company created before the job (``job_created_at``) is being re-crawled: each signal that
    opens is announced (``company.signal_detected``) in the same transaction, once a job: one that
    this job ended and finds again (two seeds of one site, read by two processes) was never gone.
    """
    domains = sorted(set(found) | complete)
    if not domains:
        return []
    stmt = (
        select(Company)
        .where(Company.account_id == account_id, Company.domain.in_(domains))
        .order_by(Company.id)
    )
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    changes = []
    since = iso(job_created_at)
    for company in session.scalars(stmt):
        # ended by this same job (another of its seeds read the site without it): not news again
        ended_now = {
            e["name"]
            for e in company.signals or []
            if isinstance(e, dict) and since is not None and (e.get("ended_at") or "") >= since
        }
        entries, opened, ended = merge_history(
            company.signals or [],
            found.get(company.domain, []),
            now,
            complete=company.domain in complete,
        )
        if entries != (company.signals or []):
            company.signals = entries
        recrawl = job_created_at is not None and company.created_at < job_created_at
        if not recrawl:
            opened = []  # a company's first crawl: its signals are news to nobody yet
        announced = [entry for entry in opened if entry["name"] not in ended_now]
        for entry in announced:
            record_event(
                session,
                account_id,
                COMPANY_SIGNAL_DETECTED,
                {
                    "company_id": company.id,
                    "domain": company.domain,
                    "company_name": company.name,
                    "job_id": job_id,
                    "signal": entry["name"],
                    "evidence": {
                        k: entry.get(k)
                        for k in ("url", "snippet", "method", "page_date", "confidence", "reasons")
                    },
                    "detected_at": iso(now),
                },
                at=now,
            )
        if opened or ended:
            changes.append(HistoryChange(company.id, company.domain, opened, ended))
    session.flush()
    return changes
