"""Lead exports: stream an account's filtered leads to a CSV, JSON or JSON Lines file in batches."""

from __future__ import annotations

import csv
import json
import os
import queue
import re
import secrets
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any

from marshmallow import fields
from sqlalchemy import String, Text, case, cast, func, literal, or_, select, update
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.functions import FunctionElement

from api.rest.leadquery import LeadFilterSchema, LeadSchema, filter_leads
from api.rest.schemas import Timestamp
from db.engine import REPO_ROOT
from db.models import Company, Export, Lead

FORMATS = ("csv", "json", "jsonl")
# Werkzeug adds "; charset=utf-8" to text/* itself (naming it here sent it twice).
CONTENT_TYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "jsonl": "application/x-ndjson",
}
# Every field of a lead a client can read, in the order of GET /v1/leads/{id}: the default.
LEAD_FIELDS: tuple[str, ...] = tuple(LeadSchema().fields)
# Fields of the lead's company (GET /v1/companies/{id}), written only when asked for by name.
COMPANY_FIELDS: dict[str, tuple[Any, str]] = {
    "company_street": (Company.street, "text"),
    "company_postal_code": (Company.postal_code, "text"),
    "company_city": (Company.city, "text"),
    "company_region": (Company.region, "text"),
    "company_country": (Company.country, "text"),
    "company_social_profiles": (Company.social_profiles, "json"),
    "company_signals": (Company.signals, "json"),
    "company_enrichment": (Company.enrichment, "json"),
    "company_score": (Company.score, "plain"),
    "company_lead_count": (Company.lead_count, "plain"),
    "company_people_count": (Company.people_count, "plain"),
}
EXPORT_FIELDS: tuple[str, ...] = LEAD_FIELDS + tuple(COMPANY_FIELDS)
BATCH = 1000
RETENTION = timedelta(hours=24)  # spec: a file made at 11:05 expires the next day at 11:05
EXPORT_LEASE = timedelta(minutes=10)
# CSV injection: a spreadsheet runs a cell starting with = or @ (and + or -) as a formula; tab and CR
# at the start hide such a cell from some checks. A + or - followed only by a plain number (an E.164
# phone, a negative amount) is a number, never a formula: left as it is, CRM imports read it intact.
FORMULA_FIRST = ("=", "@", "\t", "\r")
SIGNED_FIRST = ("+", "-")
PLAIN_NUMBER = "^[+-][0-9]+([.][0-9]+)?$"  # the same pattern in Python and PostgreSQL (ASCII digits)
TAG_SEPARATOR = "; "  # tags in CSV: "q1-campaign; high-priority", as CRMs import multi-select values
_PLAIN_NUMBER = re.compile(PLAIN_NUMBER)


def export_dir() -> Path:
    return Path(os.environ.get("LEADSCRAPER_EXPORT_DIR") or REPO_ROOT / "var" / "exports")


def can_execute(text: str) -> bool:
    """Whether a spreadsheet could run ``text`` as a formula (see FORMULA_FIRST)."""
    first = text[:1]
    if first in _FORMULA_FIRST:
        return True
    return first in _SIGNED_FIRST and _PLAIN_NUMBER.match(text) is None


def safe_cell(value: Any, name: str = "") -> Any:
    """A CSV cell: None empty, tags as "a; b", other lists and objects as JSON, and text a spreadsheet
    would run prefixed with ``'`` so that it shows as text."""
    if value is None:
        return ""
    if name == "tags" and isinstance(value, list):
        value = TAG_SEPARATOR.join(str(tag) for tag in value)
    elif isinstance(value, list | dict):
        value = _compact_json(value)
    if isinstance(value, str) and can_execute(value):
        return "'" + value
    return value


_FORMULA_FIRST = frozenset(FORMULA_FIRST)
_SIGNED_FIRST = frozenset(SIGNED_FIRST)
_compact_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_json_line = json.JSONEncoder(ensure_ascii=False).encode  # = json.dumps(..., ensure_ascii=False)


class utc_iso(FunctionElement[str]):
    """A UTC timestamp as ``YYYY-MM-DDTHH:MM:SSZ`` (what ``Timestamp`` dumps), formatted by the database."""

    type = String()
    inherit_cache = True


@compiles(utc_iso, "postgresql")
def _utc_iso_pg(element: utc_iso, compiler: Any, **kw: Any) -> str:
    arg = compiler.process(element.clauses, **kw)
    return f"""to_char(({arg}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"""


@compiles(utc_iso)
def _utc_iso_default(element: utc_iso, compiler: Any, **kw: Any) -> str:
    # SQLite keeps UTCDateTime as naive UTC text; strftime truncates the fraction like Timestamp does.
    return f"strftime('%Y-%m-%dT%H:%M:%SZ', {compiler.process(element.clauses, **kw)})"


class company_ref(FunctionElement[str]):
    """A lead's ``company`` (``{"id", "name", "domain"}``, or null) as JSON text, built by the database."""

    type = Text()
    inherit_cache = True


@compiles(company_ref, "postgresql")
def _company_ref_pg(element: company_ref, compiler: Any, **kw: Any) -> str:
    return (
        "CASE WHEN leads.company_id IS NULL THEN NULL ELSE json_build_object("
        "'id', leads.company_id, 'name', leads.company_name, 'domain', leads.company_domain)::text END"
    )


@compiles(company_ref)
def _company_ref_default(element: company_ref, compiler: Any, **kw: Any) -> str:
    return (
        "CASE WHEN leads.company_id IS NULL THEN NULL ELSE json_object("
        "'id', leads.company_id, 'name', leads.company_name, 'domain', leads.company_domain) END"
    )


def _kind(name: str) -> str:
    """How a field is written: "text" (CSV cells checked for formulas), "json" (lists and objects in
    CSV cells as compact JSON), "time" (formatted in SQL) or "plain" (numbers: as read)."""
    if name in COMPANY_FIELDS:
        return COMPANY_FIELDS[name][1]
    field = LeadSchema().fields[name]
    if isinstance(field, Timestamp):
        return "time"
    if isinstance(field, fields.List | fields.Dict | fields.Nested):
        return "json"
    if isinstance(field, fields.String):
        return "text"
    return "plain"


_KINDS: dict[str, str] = {name: _kind(name) for name in EXPORT_FIELDS}


def _column(name: str) -> Any:
    """The SQL expression of one export field (a lead column, the company reference, or a company column)."""
    if name in COMPANY_FIELDS:
        return COMPANY_FIELDS[name][0]
    if name == "company":
        return company_ref()
    return getattr(Lead, name)


def iter_rows(session: Session, export: Export, names: list[str]) -> Iterator[Sequence[Any]]:
    """The export's leads oldest first, as rows of ``names``: timestamps formatted by the database,
    lists and objects as their stored JSON text (see ``_JsonCells``), the rest as stored.

    Core rows of only the needed columns (no ORM objects), streamed through a server-side cursor
    (``yield_per``): memory stays flat for any size. Same filters as GET /v1/leads.
    """
    columns: list[Any] = []
    for name in names:
        column = _column(name)
        if _KINDS[name] == "time":
            column = utc_iso(column).label(name)
        elif _KINDS[name] == "json":
            column = cast(column, Text).label(name)
        columns.append(column)
    return _stream(session, export, columns, names)


def _stream(
    session: Session, export: Export, columns: list[Any], names: list[str]
) -> Iterator[Sequence[Any]]:
    """``columns`` of the export's filtered leads, oldest first, through a server-side cursor."""
    for batch in _batches(session, export, columns, names):
        yield from batch


def _batches(
    session: Session, export: Export, columns: list[Any], names: list[str]
) -> Iterator[Sequence[Any]]:
    filters = LeadFilterSchema().load(export.filters or {})
    stmt = select(*columns).select_from(Lead)
    if any(name in COMPANY_FIELDS for name in names):
        # the company's own row is the account's too (companies are per account)
        stmt = stmt.outerjoin(Company, Company.id == Lead.company_id)
    stmt = filter_leads(stmt.where(Lead.account_id == export.account_id), filters)
    stmt = stmt.order_by(Lead.created_at, Lead.id).execution_options(yield_per=BATCH)
    result = session.connection().execute(stmt)
    try:
        yield from result.partitions()
    finally:
        result.close()


_DONE = object()


def _read_ahead(batches: Iterator[Sequence[Any]]) -> Iterator[Sequence[Any]]:
    """``batches``, each fetched by a thread while the caller handles the previous one.

    PostgreSQL builds the next batch on its own core meanwhile (psycopg2 releases the GIL while it
    waits). At most two batches wait in the queue: memory stays flat. The connection is only used
    by the thread until it ends, which it does before this generator returns (also when abandoned).
    """
    ready: queue.Queue[Any] = queue.Queue(maxsize=2)
    stop = threading.Event()

    def put(item: Any) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for batch in batches:
                if not put(batch):
                    return
            put(_DONE)
        except BaseException as exc:  # handed to the caller, raised there
            put(exc)
        finally:
            close = getattr(batches, "close", None)
            if close is not None:
                close()

    thread = threading.Thread(target=produce, name="export-read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            item = ready.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join()


_MISSING = object()


class _JsonCells:
    """JSON column text -> what the export writes for it, decoded once per distinct text.

    Lists and objects repeat a lot (``[]``, ``{}``, the same signals and enrichment for a company's
    contacts), and decoding them was most of the cost of reading a row. The cache is bounded
    (cleared when full), so memory stays flat whatever the export's size.
    """

    LIMIT = 4096

    def __init__(self, convert: Callable[[Any], Any]) -> None:
        self.convert = convert
        self.cache: dict[str, Any] = {}

    def apply(self, cells: list[Any], indexes: list[int]) -> None:
        cache = self.cache
        for i in indexes:
            text = cells[i]
            if text is None:
                continue
            value = cache.get(text, _MISSING)
            if value is _MISSING:
                value = self.convert(json.loads(text))
                if len(cache) >= self.LIMIT:
                    cache.clear()
                cache[text] = value
            cells[i] = value


def _csv_json(value: Any) -> Any:
    # safe_cell: None empty, lists and objects compact JSON (never starting with a formula prefix).
    return None if value is None else _compact_json(value)


def _csv_tags(value: Any) -> Any:
    # safe_cell for tags: "a; b", guarded like any text (a tag may start with "=").
    return None if value is None else safe_cell(value, "tags")


# PostgreSQL builds each line's text cells itself (on the database's core, in C): Python's share of a
# row is then a few strings to join. The rules are exactly the csv module's (QUOTE_MINIMAL: quote a
# cell containing , " CR or LF, double its quotes) and json.dumps(ensure_ascii=False)'s (PostgreSQL's
# to_json escapes the same characters the same way); lists and objects still go through _JsonCells.
_NEEDS_QUOTES = '[",\r\n]'


def _pg_csv_cell(name: str) -> Any:
    column = _column(name)
    kind = _KINDS[name]
    if kind == "time":
        return func.coalesce(utc_iso(column), "")
    if kind == "plain":
        return func.coalesce(cast(column, Text), "")
    first = func.ascii(column)  # the first character's code
    formula = case(
        (first.in_([ord(c) for c in FORMULA_FIRST]), True),
        (first.in_([ord(c) for c in SIGNED_FIRST]), ~column.regexp_match(PLAIN_NUMBER)),
        else_=False,
    )
    return case(
        (column.is_(None), ""),
        (
            column.regexp_match(_NEEDS_QUOTES),
            literal('"') + case((formula, "'"), else_="") + func.replace(column, '"', '""') + literal('"'),
        ),
        (formula, literal("'") + column),
        else_=column,
    )


def _pg_json_member(name: str) -> Any:
    column = _column(name)
    value = utc_iso(column) if _KINDS[name] == "time" else column
    return literal(f"{_json_line(name)}: ") + func.coalesce(cast(func.to_json(value), Text), "null")


def _pg_lines(session: Session, export: Export, names: list[str]) -> Iterator[str]:
    """Each lead's line (CSV without its terminator, or a JSON object), mostly built by PostgreSQL."""
    csv_format = export.format == "csv"
    separator = "," if csv_format else ", "
    columns: list[Any] = []
    slots: list[tuple[int, str, dict[Any, str]]] = []  # JSON columns: position, name, cache
    run: list[Any] = []
    for name in names:
        if _KINDS[name] == "json":
            if run:
                columns.append(_concat(run, separator))
                run = []
            slots.append((len(columns), name, {}))
            columns.append(cast(_column(name), Text))
        else:
            run.append(_pg_csv_cell(name) if csv_format else _pg_json_member(name))
    if run:
        columns.append(_concat(run, separator))

    def convert(name: str, text: str | None) -> str:
        value = None if text is None else json.loads(text)
        if csv_format:  # safe_cell: None empty, tags "a; b", else compact JSON, quoted as csv would
            if value is None:
                return ""
            cell = str(_csv_tags(value) if name == "tags" else _csv_json(value))
            return '"' + cell.replace('"', '""') + '"' if re.search(_NEEDS_QUOTES, cell) else cell
        return f"{_json_line(name)}: {_json_line(value)}"

    join = separator.join
    for row in (row for batch in _read_ahead(_batches(session, export, columns, names)) for row in batch):
        if not slots:
            yield row[0]
            continue
        parts = list(row)
        for i, name, cache in slots:
            text = parts[i]
            cell = cache.get(text)
            if cell is None:
                cell = convert(name, text)
                if len(cache) >= _JsonCells.LIMIT:
                    cache.clear()
                cache[text] = cell
            parts[i] = cell
        yield join(parts)


def _concat(parts: list[Any], separator: str) -> Any:
    expr = parts[0]
    for part in parts[1:]:
        expr = expr + literal(separator) + part
    return expr


def _write_pg(session: Session, export: Export, names: list[str], out: IO[str]) -> int:
    count = 0
    batch: list[str] = []
    if export.format == "csv":
        out.write(",".join(names) + "\r\n")
        lone = len(names) == 1  # csv writes a lone empty cell as ""
        for line in _pg_lines(session, export, names):
            batch.append('""' if lone and not line else line)
            count += 1
            if len(batch) == BATCH:
                out.write("\r\n".join(batch) + "\r\n")
                batch = []
        if batch:
            out.write("\r\n".join(batch) + "\r\n")
        return count
    lines = export.format == "jsonl"
    out.write("" if lines else "[")
    for line in _pg_lines(session, export, names):
        batch.append("{" + line + "}")
        count += 1
        if len(batch) == BATCH:
            out.write(_json_batch(batch, lines, count == len(batch)))
            batch = []
    if batch:
        out.write(_json_batch(batch, lines, count == len(batch)))
    if not lines:
        out.write("\n]\n" if count else "]\n")
    return count


def _json_batch(batch: list[str], lines: bool, first: bool) -> str:
    if lines:
        return "\n".join(batch) + "\n"
    return ("\n" if first else ",\n") + ",\n".join(batch)


def write_export(session: Session, export: Export, out: IO[str]) -> int:
    """Write the export's leads to ``out`` in its format; returns how many.

    Byte for byte what ``LeadSchema`` + ``safe_cell`` per row wrote, formatted per column instead:
    only text cells are checked for formulas, JSON cells are converted once per distinct value.
    PostgreSQL builds most of each line itself (``_write_pg``); elsewhere ``_write_portable``.
    """
    names = list(export.fields or LEAD_FIELDS)
    if session.get_bind().dialect.name == "postgresql":
        return _write_pg(session, export, names, out)
    return _write_portable(session, export, names, out)


def _write_portable(session: Session, export: Export, names: list[str], out: IO[str]) -> int:
    structured = [i for i, n in enumerate(names) if _KINDS[n] == "json" and n != "tags"]
    tagged = [i for i, n in enumerate(names) if n == "tags"]
    count = 0
    if export.format == "csv":
        text = [i for i, n in enumerate(names) if _KINDS[n] == "text"]
        json_cells = _JsonCells(_csv_json)
        tag_cells = _JsonCells(_csv_tags)
        writer = csv.writer(out)
        writer.writerow(names)
        writerow = writer.writerow
        for row in iter_rows(session, export, names):
            cells = list(row)
            for i in text:
                value = cells[i]
                if value and can_execute(value):
                    cells[i] = "'" + value
            if structured:
                json_cells.apply(cells, structured)
            if tagged:
                tag_cells.apply(cells, tagged)
            writerow(cells)  # csv writes None as an empty cell, as safe_cell did
            count += 1
        return count
    structured += tagged  # JSON keeps tags as a list
    lines = export.format == "jsonl"
    json_values = _JsonCells(lambda value: value)
    encode = _json_line
    write = out.write
    if not lines:
        write("[")
    for row in iter_rows(session, export, names):
        cells = list(row)
        if structured:
            json_values.apply(cells, structured)
        text_row = encode(dict(zip(names, cells, strict=True)))
        if lines:
            write(text_row + "\n")
        else:
            write(("\n" if count == 0 else ",\n") + text_row)
        count += 1
    if not lines:
        write("\n]\n" if count else "]\n")
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
