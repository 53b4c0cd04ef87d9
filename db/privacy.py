"""Data protection: which leads a suppression covers, erasure of them, and the retention purge."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, exists, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import String

from db.models import JobLead, Lead, LeadSighting, OutboxEvent, Suppression, WebhookDelivery
from db.outbox import LEAD_QUALIFIED

SUPPRESSION_KINDS = ("email", "phone", "domain")
PERSONAL_KINDS = ("email", "phone")  # a suppression of one person's contact, not of a company
# A person's key from their name and company domain: ``person:<folded name>|<domain>``, the
# extractors' ``crawler.extract.leads.person_identity``, which callers pass in (db imports no crawler)
PersonKey = Callable[[str, str], str]
BATCH = 500


class email_domain(FunctionElement[str]):
    """The part of an email address after ``@``, in each database's own spelling."""

    type = String()
    inherit_cache = True


@compiles(email_domain, "postgresql")
def _email_domain_pg(element: email_domain, compiler: Any, **kw: Any) -> str:
    return f"split_part({compiler.process(element.clauses, **kw)}, '@', 2)"


@compiles(email_domain)
def _email_domain_default(element: email_domain, compiler: Any, **kw: Any) -> str:
    arg = compiler.process(element.clauses, **kw)
    return f"substr({arg}, instr({arg}, '@') + 1)"


def covers(kind: str, value: str) -> ColumnElement[bool]:
    """The leads one suppression covers: the same email or phone; for a domain, every email at it
    (also at its subdomains) and every contact of the company with that registered domain."""
    if kind == "email":
        return Lead.email == value
    if kind == "phone":
        return Lead.phone == value
    if kind == "domain":
        return or_(
            Lead.company_domain == value,
            email_domain(Lead.email) == value,
            Lead.email.like(f"%@%.{value}"),
        )
    raise ValueError(f"unknown suppression kind {kind!r}")


def not_suppressed() -> ColumnElement[bool]:
    """For a select of leads: the lead matches none of its account's suppressions.

    The same rule extraction applies (``pipelines/validate.py``): email, phone, the email's domain
    or the company's registered domain. Every branch is an equality, so each probe uses the
    suppressions' unique (account_id, kind, value) index.
    """
    matches = or_(
        and_(Suppression.kind == "email", Suppression.value == Lead.email),
        and_(Suppression.kind == "phone", Suppression.value == Lead.phone),
        and_(Suppression.kind == "domain", Suppression.value == Lead.company_domain),
        and_(Suppression.kind == "domain", Suppression.value == email_domain(Lead.email)),
    )
    return ~exists().where(Suppression.account_id == Lead.account_id, matches)


def suppression_keys(
    email: str | None = None, phone: str | None = None, domain: str | None = None
) -> list[tuple[str, str]]:
    """The ``(kind, value)`` suppressions that cover a contact, in their stored form: its email and
    the email's domain (lower-cased), its phone (E.164), its company's domain (lower-cased).

    The one definition of "suppressed" for a contact: the crawler's ``ValidatePipeline`` checks
    these against the account's list before storing, ``contact_suppressed`` before delivering.
    """
    keys: list[tuple[str, str]] = []
    if email:
        keys += [("email", email.lower()), ("domain", email.rsplit("@", 1)[-1].lower())]
    if phone:
        keys.append(("phone", phone))
    if domain:
        keys.append(("domain", domain.lower()))
    return keys


def contact_suppressed(
    session: Session, account_id: str, email: str | None, phone: str | None, domain: str | None = None
) -> bool:
    """True when an email, phone or domain (or the email's domain) is on the account's list."""
    wanted = suppression_keys(email, phone, domain)
    if not wanted:
        return False
    clauses = [and_(Suppression.kind == k, Suppression.value == v) for k, v in wanted]
    found = session.scalar(
        select(Suppression.id).where(Suppression.account_id == account_id, or_(*clauses)).limit(1)
    )
    return found is not None


def delete_leads(session: Session, account_id: str, lead_ids: Sequence[str]) -> int:
    """Delete leads with their sightings, their job listings (job_leads) and the ``lead.qualified``
    events (and deliveries) naming them, so no copy of the person stays behind in the webhook
    outbox or delivery log."""
    ids = list(dict.fromkeys(lead_ids))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        session.execute(delete(LeadSighting).where(LeadSighting.lead_id.in_(chunk)))
        session.execute(delete(JobLead).where(JobLead.lead_id.in_(chunk)))
        session.execute(delete(Lead).where(Lead.account_id == account_id, Lead.id.in_(chunk)))
    if ids:
        _drop_lead_events(session, account_id, set(ids))
    return len(ids)


def _drop_lead_events(session: Session, account_id: str, lead_ids: set[str]) -> None:
    # Payloads are JSON (portable across both databases only when read in Python).
    events = session.execute(
        select(OutboxEvent.id, OutboxEvent.payload).where(
            OutboxEvent.account_id == account_id, OutboxEvent.event_type == LEAD_QUALIFIED
        )
    ).all()
    doomed = [
        eid for eid, payload in events if ((payload or {}).get("data") or {}).get("lead_id") in lead_ids
    ]
    for start in range(0, len(doomed), BATCH):
        chunk = doomed[start : start + BATCH]
        session.execute(delete(WebhookDelivery).where(WebhookDelivery.event_id.in_(chunk)))
        session.execute(delete(OutboxEvent).where(OutboxEvent.id.in_(chunk)))


def person_lead_ids(
    session: Session, account_id: str, people: Iterable[str], person_key: PersonKey
) -> list[str]:
    """The account's personal leads without an email whose name and company are one of ``people``
    (``person:<folded name>|<company domain>`` keys): a suppressed person seen without the
    suppressed contact (a name on a team page, a phone). A lead with another email is another
    person of that name, as the merge has it, and stays."""
    wanted = set(people)
    domains = sorted({key.rpartition("|")[2] for key in wanted})
    ids: list[str] = []
    for start in range(0, len(domains), BATCH):
        rows = session.execute(
            select(Lead.id, Lead.full_name, Lead.company_domain).where(
                Lead.account_id == account_id,
                Lead.company_domain.in_(domains[start : start + BATCH]),
                Lead.contact_type == "personal",
                Lead.email.is_(None),
                Lead.full_name.is_not(None),
            )
        )
        ids += [lid for lid, name, domain in rows if name and domain and person_key(name, domain) in wanted]
    return ids


def erase_covered(session: Session, suppression: Suppression, person_key: PersonKey) -> int:
    """Erase every lead of the account that one suppression covers; returns how many.

    For an email or a phone, the named people of the leads it covers are remembered on the
    suppression (``people``), and their leads without an email go too (``person_lead_ids``)."""
    account_id = suppression.account_id
    covered = session.execute(
        select(Lead.id, Lead.contact_type, Lead.full_name, Lead.company_domain).where(
            Lead.account_id == account_id, covers(suppression.kind, suppression.value)
        )
    ).all()
    ids = [row.id for row in covered]
    if suppression.kind in PERSONAL_KINDS:
        known = set(suppression.people or [])
        people = known | {
            person_key(row.full_name, row.company_domain)
            for row in covered
            if row.contact_type == "personal" and row.full_name and row.company_domain
        }
        if people != known:
            suppression.people = sorted(people)
        ids += person_lead_ids(session, account_id, people, person_key)
    return delete_leads(session, account_id, ids)


def remember_people(
    session: Session, account_id: str, seen: Mapping[tuple[str, str], set[str]], person_key: PersonKey
) -> int:
    """People a crawl saw beside suppressed contacts (``{(kind, value): {person key}}``): added to
    those suppressions (one lifted since is left alone) and their leads without an email erased.
    Returns how many leads."""
    erased = 0
    for (kind, value), people in seen.items():
        row = session.scalar(
            select(Suppression)
            .where(Suppression.account_id == account_id, Suppression.kind == kind, Suppression.value == value)
            .with_for_update()
        )
        if row is None:
            continue
        known = set(row.people or [])
        if not people <= known:
            row.people = sorted(known | people)
        erased += delete_leads(session, account_id, person_lead_ids(session, account_id, people, person_key))
    return erased


def erase_all_suppressed(session: Session, person_key: PersonKey) -> int:
    """Erase leads that slipped past a suppression (stored by a crawl that started before it was
    added): those it covers, and the remembered people's leads without an email."""
    rows = session.execute(
        select(Lead.account_id, Lead.id).where(~not_suppressed()).order_by(Lead.account_id)
    ).all()
    by_account: dict[str, list[str]] = {}
    for account_id, lead_id in rows:
        by_account.setdefault(account_id, []).append(lead_id)
    people: dict[str, set[str]] = {}
    for account_id, remembered in session.execute(
        select(Suppression.account_id, Suppression.people).where(Suppression.people.is_not(None))
    ):
        people.setdefault(account_id, set()).update(remembered or [])
    for account_id, keys in people.items():
        by_account.setdefault(account_id, []).extend(person_lead_ids(session, account_id, keys, person_key))
    return sum(delete_leads(session, account_id, ids) for account_id, ids in by_account.items())


def last_seen() -> ColumnElement[datetime]:
    """For a select of leads: when the lead was last seen (its newest sighting, else its creation)."""
    newest = select(func.max(LeadSighting.seen_at)).where(LeadSighting.lead_id == Lead.id).scalar_subquery()
    return func.coalesce(newest, Lead.created_at)


def purge_unseen_leads(session: Session, cutoff: datetime, limit: int = 10_000) -> int:
    """Delete up to ``limit`` leads not seen since ``cutoff`` (with sightings and events); returns how many.

    Reads one lead at a time through the (lead_id, seen_at) index of sightings; the caller commits.
    """
    rows = session.execute(select(Lead.account_id, Lead.id).where(last_seen() < cutoff).limit(limit)).all()
    by_account: dict[str, list[str]] = {}
    for account_id, lead_id in rows:
        by_account.setdefault(account_id, []).append(lead_id)
    return sum(delete_leads(session, account_id, ids) for account_id, ids in by_account.items())
