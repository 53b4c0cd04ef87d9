"""Lead exports: stream an account's filtered leads to a CSV, JSON or JSON Lines file in batches."""

from __future__ import annotations

import csv
import json
import os
import secrets
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from api.resources.leads import LeadFilterSchema, LeadSchema, filter_leads
from db.engine import REPO_ROOT
from db.models import Export, Lead

FORMATS = ("csv", "json", "jsonl")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "jsonl": "application/x-ndjson",
}
# Every field of a lead a client can read, in the order of GET /v1/leads/{id}.
EXPORT_FIELDS: tuple[str, ...] = tuple(LeadSchema().fields)
BATCH = 1000
RETENTION = timedelta(hours=24)  # spec: a file made at 11:05 expires the next day at 11:05
EXPORT_LEASE = timedelta(minutes=10)
# Spreadsheets run cells starting with these as formulas (CSV injection); tab and CR too.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def export_dir() -> Path:
    return Path(os.environ.get("LEADSCRAPER_EXPORT_DIR") or REPO_ROOT / "var" / "exports")


def safe_cell(value: Any) -> Any:
    """A CSV cell: lists and objects as JSON, None empty, text that a spreadsheet would evaluate quoted."""
    if value is None:
        return ""
    if isinstance(value, list | dict):
        value = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def iter_leads(session: Session, export: Export) -> Iterator[Lead]:
    """The export's leads oldest first, read in keyset batches: memory stays flat for any size."""
    filters = LeadFilterSchema().load(export.filters or {})
    base = filter_leads(select(Lead).where(Lead.account_id == export.account_id), filters)
    last: tuple[datetime, str] | None = None
    while True:
        stmt = base
        if last is not None:
            stmt = stmt.where(
                or_(Lead.created_at > last[0], and_(Lead.created_at == last[0], Lead.id > last[1]))
            )
        batch = list(session.scalars(stmt.order_by(Lead.created_at, Lead.id).limit(BATCH)))
        if not batch:
            return
        yield from batch
        last = (batch[-1].created_at, batch[-1].id)
        session.expunge_all()
        if len(batch) < BATCH:
            return


def write_export(session: Session, export: Export, out: IO[str]) -> int:
    """Write the export's leads to ``out`` in its format; returns how many."""
    fields = list(export.fields or EXPORT_FIELDS)
    schema = LeadSchema(only=fields)
    count = 0
    if export.format == "csv":
        writer = csv.writer(out)
        writer.writerow(fields)
        for lead in iter_leads(session, export):
            row = schema.dump(lead)
            writer.writerow([safe_cell(row.get(f)) for f in fields])
            count += 1
        return count
    lines = export.format == "jsonl"
    if not lines:
        out.write("[")
    for lead in iter_leads(session, export):
        row = schema.dump(lead)
        text = json.dumps({f: row.get(f) for f in fields}, ensure_ascii=False)
        if lines:
            out.write(text + "\n")
        else:
            out.write(("\n" if count == 0 else ",\n") + text)
        count += 1
    if not lines:
        out.write("\n]\n" if count else "]\n")
    return count


def claim_export(session: Session, now: datetime) -> str | None:
    """Take one export waiting to be built (or abandoned by a dead worker) under a lease."""
    stmt = (
        select(Export.id, Export.lease_expires_at)
        .where(
            Export.status == "processing",
            or_(Export.lease_expires_at.is_(None), Export.lease_expires_at < now),
        )
        .order_by(Export.created_at, Export.id)
        .limit(5)
    )
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    for export_id, lease in session.execute(stmt).all():
        lease_clause = (
            Export.lease_expires_at.is_(None) if lease is None else Export.lease_expires_at == lease
        )
        taken = session.execute(
            update(Export)
            .where(Export.id == export_id, Export.status == "processing", lease_clause)
            .values(lease_expires_at=now + EXPORT_LEASE)
        )
        if taken.rowcount == 1:  # type: ignore[attr-defined]
            return str(export_id)
    return None


def build_export(sessions: sessionmaker[Session], export_id: str, directory: Path, now: datetime) -> str:
    """Write one export's file (to a temporary name, renamed when complete); returns its new status."""
    directory.mkdir(parents=True, exist_ok=True)
    with sessions() as session:
        export = session.get(Export, export_id)
        if export is None:
            return "gone"
        path = directory / f"{export.id}.{export.format}"
        partial = path.with_suffix(path.suffix + ".part")
        try:
            with open(partial, "w", encoding="utf-8", newline="") as out:
                total = write_export(session, export, out)
            os.replace(partial, path)
        except Exception as exc:
            partial.unlink(missing_ok=True)
            session.rollback()
            session.execute(
                update(Export)
                .where(Export.id == export_id)
                .values(status="failed", error=f"{type(exc).__name__}: {exc}", lease_expires_at=None)
            )
            session.commit()
            return "failed"
        session.execute(
            update(Export)
            .where(Export.id == export_id)
            .values(
                status="completed",
                file_path=str(path),
                file_size=path.stat().st_size,
                total_leads=total,
                completed_at=now,
                expires_at=now + RETENTION,
                download_token=secrets.token_urlsafe(32),
                lease_expires_at=None,
            )
        )
        session.commit()
        return "completed"


def purge_expired(session: Session, now: datetime) -> int:
    """Delete the files of exports past ``expires_at``; the row stays, as ``expired``."""
    expired = session.execute(
        select(Export.id, Export.file_path).where(Export.status == "completed", Export.expires_at <= now)
    ).all()
    for export_id, file_path in expired:
        if file_path:
            Path(file_path).unlink(missing_ok=True)
        session.execute(
            update(Export)
            .where(Export.id == export_id)
            .values(status="expired", file_path=None, download_token=None)
        )
    return len(expired)
