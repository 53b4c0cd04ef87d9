"""Batched upserts of companies, leads, sightings and job listings (job_leads): the crawler's writes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import String, case, func, insert, literal, null, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from db.models import Company, JobCompany, JobLead, Lead, LeadSighting, Suppression
from db.types import new_id, utcnow

# Columns a later sighting may fill in but never overwrite (the first good value stays).
FILL_ONLY = (
    "email",
    "phone",
    "phone_national",
    "full_name",
    "job_title",
    "linkedin_url",
    "twitter_url",
    "facebook_url",
    "company_id",
    "company_domain",
    "source_url",
    "job_id",
)
# Columns the qualify pipeline owns: replaced together, or not at all.
QUALIFICATION = (
    "lead_score",
    "lead_status",
    "qualification_notes",
    "signals_detected",
    "enrichment_data",
    "signals",
    "score_breakdown",
    "enriched_at",
)
# Columns the verification of ``email`` owns (crawler/verify): replaced together, or not at all.
VERIFICATION = ("email_status", "email_checks", "verified_at")


def _insert(session: Session, model: Any) -> Any:
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(model)
    if dialect == "sqlite":
        return sqlite.insert(model)
    raise NotImplementedError(f"upserts are written for PostgreSQL and SQLite, not {dialect}")


def _upsert_many(session: Session, stmt: Any, rows: Sequence[dict[str, Any]]) -> list[Any]:
    """Execute an INSERT ... ON CONFLICT ... RETURNING for many rows, a few statements in all.

    Through the session's connection, not ``session.execute``: the ORM's bulk INSERT with RETURNING
    returns rows in the parameters' order, which without a sentinel column it can only do one row a
    statement (a round trip per lead). The rows returned carry their own keys, so their order does not
    matter, and Core's insertmanyvalues sends up to 1,000 rows a statement. Rows are grouped by their
    columns, as the ORM does, so one that lacks a column takes the column's default.
    """
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    session.flush()  # what the session holds goes first, as session.execute would autoflush it
    connection = session.connection()
    return [stored for group in groups.values() for stored in connection.execute(stmt, group).all()]


LINK_BATCH = 500  # lead ids per INSERT ... SELECT into job_leads


def upsert_companies(
    session: Session,
    account_id: str,
    companies: dict[str, str | None],
    qualifications: dict[str, dict[str, Any]] | None = None,
    details: dict[str, dict[str, Any]] | None = None,
    job_id: str | None = None,
) -> dict[str, str]:
    """Create or update one company per registered domain; returns ``{domain: company_id}``.

    ``qualifications`` (domain -> ``enrichment``, ``score``, ``qualification_notes``)
    replaces a company's qualification; a company without one keeps what it has. ``details``
    (domain -> ``profiles``, ``address``: see ``merge_company_details``) adds what the site states
    about the company. Every company written is seen now (``last_seen_at``) and, with ``job_id``,
    listed under that job (``job_companies``).
    """
    if not companies:
        return {}
    now = utcnow()
    qualifications = qualifications or {}
    rows = [
        {
            "id": new_id("comp"),
            "account_id": account_id,
            "domain": domain,
            "name": name,
            "signals": [],
            "enrichment": {},
            "score": None,
            "qualification_notes": None,
            "enriched_at": now if domain in qualifications else None,
            "social_profiles": [],
            "created_at": now,
            "updated_at": now,
            "last_seen_at": now,
            **qualifications.get(domain, {}),
        }
        for domain, name in sorted(companies.items())
    ]
    stmt = _insert(session, Company)
    excluded = stmt.excluded
    scored = excluded.score.is_not(None)
    set_: dict[str, Any] = {
        "name": func.coalesce(excluded.name, Company.name),
        "updated_at": now,
        "last_seen_at": now,
    }
    # signals are a history (db.signal_history merges them), never replaced by a flush
    for col in ("enrichment", "score", "qualification_notes", "enriched_at"):
        set_[col] = case((scored, getattr(excluded, col)), else_=getattr(Company, col))
    stmt = stmt.on_conflict_do_update(
        index_elements=[Company.account_id, Company.domain], set_=set_
    ).returning(Company.domain, Company.id)
    ids = {domain: cid for domain, cid in _upsert_many(session, stmt, rows)}
    if details:
        merge_company_details(session, {ids[d]: v for d, v in details.items() if d in ids})
    if job_id is not None:
        link_job_companies(session, job_id, ids.values())
    return ids


def link_job_companies(session: Session, job_id: str, company_ids: Iterable[str]) -> None:
    """List companies under a job (``job_companies``); pairs already listed are kept."""
    rows = [{"job_id": job_id, "company_id": cid} for cid in sorted(set(company_ids))]
    if rows:
        link = _insert(session, JobCompany).on_conflict_do_nothing(
            index_elements=[JobCompany.job_id, JobCompany.company_id]
        )
        session.execute(link, rows)


ADDRESS_PARTS = ("street", "postal_code", "city", "region", "country")
MAX_COMPANY_PROFILES = 50


def merge_company_details(session: Session, details: dict[str, dict[str, Any]]) -> None:
    """Add what a crawl learnt about companies (``{company_id: {"profiles", "address"}}``).

    ``profiles``: ``[{"platform", "url", "source_url"}]``; profiles the company has already keep
    their first source page, new ones are appended (at most 50). ``address``: the parts of
    ``ADDRESS_PARTS`` plus ``source_url``; it replaces the stored address when it states more of
    street, postcode, city and country (a footer's city never replaces an imprint's street).
    Rows are locked first on PostgreSQL, so two crawls of one company merge rather than overwrite.
    """
    if not details:
        return
    stmt = select(Company).where(Company.id.in_(sorted(details))).order_by(Company.id)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    for company in session.scalars(stmt):
        wanted = details[company.id]
        profiles = list(company.social_profiles or [])
        known = {p.get("url") for p in profiles}
        for profile in wanted.get("profiles") or []:
            if profile["url"] not in known and len(profiles) < MAX_COMPANY_PROFILES:
                profiles.append(dict(profile))
                known.add(profile["url"])
        if len(profiles) != len(company.social_profiles or []):
            company.social_profiles = profiles
        address = wanted.get("address")
        if address and _address_parts(address) > _address_parts(
            {part: getattr(company, part) for part in ADDRESS_PARTS}
        ):
            for part in ADDRESS_PARTS:
                setattr(company, part, address.get(part))
            company.address_source_url = address.get("source_url")
    session.flush()


def _address_parts(address: dict[str, Any]) -> int:
    return sum(1 for part in ("street", "postal_code", "city", "country") if address.get(part))


def attach_company_profiles(session: Session, company_ids: Iterable[str]) -> int:
    """Give the role leads (info@, a main line) of these companies their company's profiles.

    ``linkedin_url``, ``twitter_url`` and ``facebook_url`` take the company's first profile on
    that network when empty, ``social_profiles`` gains each network it lacks. A personal lead keeps
    only its own person's profiles. Only leads that change are written; returns how many.
    """
    ids = sorted(set(company_ids))
    if not ids:
        return 0
    firsts: dict[str, dict[str, str]] = {}
    for cid, stored in session.execute(
        select(Company.id, Company.social_profiles).where(Company.id.in_(ids))
    ):
        by_platform: dict[str, str] = {}
        for profile in stored or []:
            by_platform.setdefault(profile["platform"], profile["url"])
        if by_platform:
            firsts[cid] = by_platform
    if not firsts:
        return 0
    networks = (("linkedin", "linkedin_url"), ("twitter", "twitter_url"), ("facebook", "facebook_url"))
    columns = [Lead.linkedin_url, Lead.twitter_url, Lead.facebook_url]
    leads = select(Lead.id, Lead.company_id, Lead.social_profiles, *columns).where(
        Lead.company_id.in_(sorted(firsts)), Lead.contact_type == "role"
    )
    changes = []
    for lead_id, company_id, own, *urls in session.execute(leads):
        profiles = firsts[company_id or ""]
        merged = {**profiles, **(own or {})}
        row = {
            col: url or profiles.get(platform) for (platform, col), url in zip(networks, urls, strict=True)
        }
        if merged != (own or {}) or any(
            row[col] != url for (_, col), url in zip(networks, urls, strict=True)
        ):
            changes.append({"id": lead_id, "social_profiles": merged, **row})
    if changes:
        # one executemany (batched on PostgreSQL: db.engine), not one UPDATE per loaded lead object
        session.execute(update(Lead), changes)
    return len(changes)


def upsert_leads(session: Session, account_id: str, rows: Sequence[dict[str, Any]]) -> dict[str, str]:
    """Insert new leads and merge known ones by ``identity_key``; returns ``{identity_key: lead_id}``.

    A known lead keeps every value it has and gains the ones it lacked; ``social_profiles`` are
    merged key by key; the company name follows the company. Rows must be unique by identity key.
    """
    if not rows:
        return {}
    now = utcnow()
    prepared = [
        {
            "id": new_id("lead"),
            "account_id": account_id,
            "signals_detected": [],
            "enrichment_data": {},
            "signals": [],
            "score_breakdown": [],
            "tags": [],
            "created_at": now,
            "updated_at": now,
            **row,
        }
        for row in rows
    ]
    stmt = _insert(session, Lead)
    excluded = stmt.excluded
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        profiles = excluded.social_profiles.op("||")(Lead.social_profiles)
    else:
        profiles = func.json_patch(excluded.social_profiles, Lead.social_profiles)
    set_: dict[str, Any] = {
        col: func.coalesce(getattr(Lead, col), getattr(excluded, col)) for col in FILL_ONLY
    }
    # A row scored by this crawl replaces the stored qualification; an unscored row (qualify_leads
    # off) leaves it as it was.
    scored = excluded.lead_score.is_not(None)
    for col in QUALIFICATION:
        set_[col] = case((scored, getattr(excluded, col)), else_=getattr(Lead, col))
    # A row whose address this crawl verified replaces the stored verdict; other rows keep it.
    verified = excluded.verified_at.is_not(None)
    for col in VERIFICATION:
        set_[col] = case((verified, getattr(excluded, col)), else_=getattr(Lead, col))
    # A guess lives only while the lead has no address of its own; a newer guess replaces an older.
    set_["email_guess"] = case(
        (func.coalesce(Lead.email, excluded.email).is_not(None), null()),
        (excluded.email_guess.is_not(None), excluded.email_guess),
        else_=Lead.email_guess,
    )
    set_.update(
        social_profiles=profiles,
        company_name=func.coalesce(excluded.company_name, Lead.company_name),
        updated_at=now,
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=[Lead.account_id, Lead.identity_key], set_=set_
    ).returning(Lead.identity_key, Lead.id, Lead.job_id, Lead.created_at)
    stored = _upsert_many(session, stmt, prepared)
    # The job a lead keeps (its first, or this one when it had none) lists it.
    link_job_leads(session, [(job, lid, created) for _, lid, job, created in stored if job is not None])
    return {key: lid for key, lid, _, _ in stored}


def add_sightings(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Record sightings (``lead_id``, ``job_id``, ``source_url``, ``method``); the jobs list the leads."""
    if not rows:
        return
    session.execute(insert(LeadSighting), [{"seen_at": utcnow(), **r} for r in rows])
    by_job: dict[str, set[str]] = {}
    for row in rows:
        if row.get("job_id") is not None:
            by_job.setdefault(row["job_id"], set()).add(row["lead_id"])
    for job_id, lead_ids in sorted(by_job.items()):
        link_job_to_leads(session, job_id, lead_ids)


def _link(session: Session) -> Any:
    """INSERT INTO job_leads ... ON CONFLICT DO NOTHING: a pair recorded twice stays one row."""
    return _insert(session, JobLead).on_conflict_do_nothing(index_elements=[JobLead.job_id, JobLead.lead_id])


def link_job_leads(session: Session, pairs: Iterable[tuple[str, str, datetime]]) -> None:
    """List leads under jobs: ``(job_id, lead_id, lead's created_at)``; pairs already listed are kept.

    Sorted, so concurrent writers of the same job take the index's row locks in one order.
    """
    rows = [
        {"job_id": job_id, "lead_id": lead_id, "lead_created_at": created}
        for job_id, lead_id, created in sorted(set(pairs))
    ]
    if rows:
        session.execute(_link(session), rows)


def link_job_to_leads(session: Session, job_id: str, lead_ids: Iterable[str]) -> None:
    """List stored leads under one job, their creation time read from ``leads`` (INSERT ... SELECT)."""
    ids = sorted(set(lead_ids))
    for start in range(0, len(ids), LINK_BATCH):
        chosen = select(literal(job_id, String), Lead.id, Lead.created_at).where(
            Lead.id.in_(ids[start : start + LINK_BATCH])
        )
        # The SELECT has a WHERE clause, which SQLite needs to read ON CONFLICT after it.
        stmt = _link(session).from_select(["job_id", "lead_id", "lead_created_at"], chosen)
        session.execute(stmt)


def job_lead_count(session: Session, job_id: str) -> int:
    """Distinct leads seen in a job (new or merged into existing ones)."""
    return int(
        session.scalar(
            select(func.count(func.distinct(LeadSighting.lead_id))).where(LeadSighting.job_id == job_id)
        )
        or 0
    )


def suppressed_values(session: Session, account_id: str) -> set[str]:
    """Every suppressed email, phone and domain of an account, as ``kind:value`` strings, and the
    people those suppressions are for (``person:<folded name>|<company domain>``)."""
    values: set[str] = set()
    for kind, value, people in session.execute(
        select(Suppression.kind, Suppression.value, Suppression.people).where(
            Suppression.account_id == account_id
        )
    ):
        values.add(f"{kind}:{value}")
        values.update(people or [])
    return values


def fold_leads(session: Session, account_id: str, new_key: str, old_keys: set[str]) -> None:
    """Fold the leads stored under ``old_keys`` into the lead keyed ``new_key``.

    Used when a contact first stored under a weaker key (a name only, a profile, a phone) turns out
    to have a better one (an email, a phone): the lead is re-keyed, or, if a lead under the new key
    exists already, merged into it — values fill gaps, sightings move over, the oldest creation
    time stays — so no duplicate survives.
    """
    keys = set(old_keys) - {new_key}
    if not keys:
        return
    old = list(
        session.scalars(
            select(Lead)
            .where(Lead.account_id == account_id, Lead.identity_key.in_(keys))
            .order_by(Lead.created_at)
        )
    )
    if not old:
        return
    target = session.scalars(
        select(Lead).where(Lead.account_id == account_id, Lead.identity_key == new_key)
    ).one_or_none()
    if target is None:
        target = old.pop(0)
        target.identity_key = new_key
        session.flush()
    for lead in old:
        for col in FILL_ONLY:
            if getattr(target, col) is None and getattr(lead, col) is not None:
                setattr(target, col, getattr(lead, col))
        target.social_profiles = {**(lead.social_profiles or {}), **(target.social_profiles or {})}
        target.tags = list(dict.fromkeys([*(target.tags or []), *(lead.tags or [])]))
        if target.verified_at is None and lead.verified_at is not None and lead.email == target.email:
            for col in VERIFICATION:
                setattr(target, col, getattr(lead, col))
        if lead.created_at < target.created_at:
            target.created_at = lead.created_at
        session.execute(update(LeadSighting).where(LeadSighting.lead_id == lead.id).values(lead_id=target.id))
        session.delete(lead)  # its job_leads rows go with it (ON DELETE CASCADE)
    if target.email is not None:
        target.email_guess = None  # a guess is for people without an address
    session.flush()
    _relist_folded(session, target)


KEYS_A_QUERY = 500  # identity keys in one IN (...) list


def fold_many(session: Session, account_id: str, rekeys: Iterable[tuple[str, set[str]]]) -> int:
    """``fold_leads`` for each ``(new key, old keys)`` in turn, where a lead is stored under one of
    the old keys: one query finds which are, instead of one per re-key (most name a lead no flush
    has written yet). A fold stores its new key, which a later re-key may fold in turn. Returns
    how many folds ran."""
    rekeys = [(new_key, set(old_keys) - {new_key}) for new_key, old_keys in rekeys]
    wanted = sorted({key for _, old_keys in rekeys for key in old_keys})
    stored: set[str] = set()
    for start in range(0, len(wanted), KEYS_A_QUERY):
        chunk = wanted[start : start + KEYS_A_QUERY]
        stored.update(
            session.scalars(
                select(Lead.identity_key).where(Lead.account_id == account_id, Lead.identity_key.in_(chunk))
            )
        )
    folds = 0
    for new_key, old_keys in rekeys:
        if old_keys & stored:
            fold_leads(session, account_id, new_key, old_keys)
            stored.add(new_key)
            folds += 1
    return folds


def _relist_folded(session: Session, target: Lead) -> None:
    """After a fold: list ``target`` under every job that now finds or saw it, at its creation time.

    The folded leads' jobs are those of the sightings that moved over and the job ``target`` may
    have taken from one of them; rows ``target`` had stay (its own sightings and job did not change).
    Derived from what ``target`` holds rather than copied from the folded leads' rows, so the list
    matches the filter's definition exactly, and inserted with ON CONFLICT DO NOTHING, so a job
    that listed both leads keeps one row.
    """
    sighted = select(LeadSighting.job_id).where(
        LeadSighting.lead_id == target.id, LeadSighting.job_id.is_not(None)
    )
    jobs: set[str] = set(session.scalars(sighted.distinct()))
    if target.job_id is not None:
        jobs.add(target.job_id)
    link_job_leads(session, [(job_id, target.id, target.created_at) for job_id in jobs])
    # The oldest creation time stays (see fold_leads): the copies follow it.
    session.execute(
        update(JobLead).where(JobLead.lead_id == target.id).values(lead_created_at=target.created_at)
    )


def named_people(
    session: Session, account_id: str, domains: Sequence[str]
) -> list[tuple[str, str, str | None, str | None, str]]:
    """(identity_key, full_name, email, phone, company_domain) of the account's named people at
    these domains (personal leads with a name, whatever their key)."""
    if not domains:
        return []
    return [
        (key, name or "", email, phone, domain or "")
        for key, name, email, phone, domain in session.execute(
            select(Lead.identity_key, Lead.full_name, Lead.email, Lead.phone, Lead.company_domain).where(
                Lead.account_id == account_id,
                Lead.company_domain.in_(sorted(set(domains))),
                Lead.contact_type == "personal",
                Lead.full_name.is_not(None),
            )
        )
    ]
