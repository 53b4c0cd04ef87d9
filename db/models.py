"""SQLAlchemy 2.0 models for the whole domain: accounts, keys, jobs, companies, leads, credits, webhooks."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from db.types import JSONType, NullableJSONType, UTCDateTime, new_id, utcnow

# Deterministic constraint names keep Alembic migrations identical on PostgreSQL and SQLite.
NAMING = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit identity.
BigIntPK = BigInteger().with_variant(Integer(), "sqlite")

PLANS = ("free", "starter", "pro", "enterprise")
JOB_TYPES = ("single", "bulk", "sitemap")


class JobStatus(StrEnum):
    """Where a job is in its life; db/jobs.py makes every transition."""

    PENDING = "pending"
    """Waiting: stored and not yet handed to a crawler node, or queued on a node with no free slot."""
    PROCESSING = "processing"
    """A crawler node accepted it with a free slot (progress 0 until its spider starts, seconds
    later), or a spider process is crawling it and reports progress."""
    COMPLETED = "completed"
    """Every URL was crawled or failed, and at least one was crawled."""
    FAILED = "failed"
    """Ended without results it could finish: every URL failed, credits ran out, a limit or a
    dead process stopped it, or no crawler node took it (``failure_reason`` says which)."""
    CANCELLED = "cancelled"
    """Cancelled through the API; what was stored before stays."""

    @property
    def final(self) -> bool:
        """True for the statuses a job never leaves."""
        return self in JOB_FINAL_STATUSES


JOB_STATUSES = tuple(status.value for status in JobStatus)  # plain strings, for schemas and OpenAPI
JOB_FINAL_STATUSES = (JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED)
JOB_OPEN_STATUSES = (JobStatus.PENDING, JobStatus.PROCESSING)


class JobUrlStatus(StrEnum):
    """Where one submitted URL of a job is."""

    PENDING = "pending"
    """Not yet claimed by a spider."""
    CLAIMED = "claimed"
    """A spider holds it under a lease (``lease_expires_at``); an expired lease frees it again."""
    DONE = "done"
    """Crawled: at least one of its pages was read (a successful URL, charged)."""
    FAILED = "failed"
    """Could not be crawled; ``reason`` says why. Costs nothing."""
    REFUSED = "refused"
    """Never fetched: the network guard or robots.txt refused it. Costs nothing."""


class UrlOutcome(StrEnum):
    """Why one submitted URL ended as it did: exactly one code per finished URL.

    The first three were crawled and are charged the URL's price; every other code costs nothing.
    """

    OK = "ok"
    """Crawled, and at least one contact was found."""
    NO_CONTACTS = "no_contacts"
    """Crawled, and its pages held no contact."""
    PAGE_CAP = "page_cap"
    """Crawled until the per-site page cap; pages beyond it were not read."""
    ROBOTS_DISALLOWED = "robots_disallowed"
    """The site's robots.txt disallows the page; it was not fetched."""
    ADDRESS_REFUSED = "address_refused"
    """The host resolves to a private or platform address the network guard refuses."""
    BLOCKED = "blocked"
    """The site refused the crawler: HTTP 401 or 403, or a captcha / bot-challenge page."""
    RATE_LIMITED = "rate_limited"
    """The site kept answering HTTP 429 (too many requests), retries included."""
    NEEDS_BROWSER = "needs_browser"
    """Its pages need JavaScript rendering, no browser was available, and their HTML held no contact."""
    DNS_FAILED = "dns_failed"
    """The host name does not resolve."""
    CONNECTION_FAILED = "connection_failed"
    """The server refused or dropped the connection, or the download failed otherwise."""
    TIMEOUT = "timeout"
    """The server sent no complete answer within the download timeout."""
    HTTP_ERROR = "http_error"
    """Any other HTTP error (404, 500, ...) or too many redirects; ``http_status`` says which."""
    TOO_LARGE = "too_large"
    """The page exceeds the download size cap."""
    NOT_HTML = "not_html"
    """The page is not HTML (a PDF, an image, binary data)."""
    NO_PAGES = "no_pages"
    """Nothing to read: the sitemap listed no page of the site."""
    CANCELLED = "cancelled"
    """The job was cancelled before this URL was crawled."""
    OUT_OF_CREDITS = "out_of_credits"
    """The account's credits ran out before this URL could be crawled or paid for."""
    NOT_CRAWLED = "not_crawled"
    """The job ended before this URL was crawled: its time or memory limit, or a stopped process."""

    @property
    def charged(self) -> bool:
        """True for the outcomes of a crawled URL, which cost the URL's price."""
        return self in CHARGED_OUTCOMES


URL_OUTCOMES = tuple(outcome.value for outcome in UrlOutcome)
CHARGED_OUTCOMES = (UrlOutcome.OK, UrlOutcome.NO_CONTACTS, UrlOutcome.PAGE_CAP)


LEAD_STATUSES = ("hot", "warm", "cold")
CONTACT_TYPES = ("personal", "role")
# E-mail verification verdicts (crawler/verify/results.py EmailStatus holds each one's meaning).
EMAIL_STATUSES = ("deliverable", "undeliverable", "risky", "unknown")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Account(Base):
    """A customer: plan, credit balance (always equal to the sum of its ledger) and rate limit."""

    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("user"))
    email: Mapped[str] = mapped_column(String(320), unique=True)
    full_name: Mapped[str | None] = mapped_column(String(200))
    plan: Mapped[str] = mapped_column(String(20), default="free")
    credit_balance: Mapped[int] = mapped_column(Integer, default=0)
    monthly_credits: Mapped[int] = mapped_column(Integer, default=0)
    # Requests per hour; None = the plan's default (enterprise accounts set their own).
    rate_limit_per_hour: Mapped[int | None] = mapped_column(Integer)
    subscription_status: Mapped[str] = mapped_column(String(20), default="active")
    current_period_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    current_period_end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ApiKey(Base):
    """An API key: only its SHA-256 hash is stored; ``key_prefix`` identifies it to humans."""

    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("key"))
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    key_prefix: Mapped[str] = mapped_column(String(16))
    scopes: Mapped[list[str]] = mapped_column(JSONType, default=list)
    # The key that created this one through the API (None: made by an operator, db.accounts): a
    # key never outlives nor outranks its parent, and is revoked with it.
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("api_keys.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Job(Base):
    """A scraping job: its options, per-URL rows, live progress counters and final status."""

    __tablename__ = "jobs"
    __table_args__ = (
        Index("ix_jobs_account_created", "account_id", "created_at", "id"),
        Index("ix_jobs_account_status", "account_id", "status", "created_at"),
        UniqueConstraint("account_id", "idempotency_key"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("job"))
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(12), default=JobStatus.PENDING)
    options: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    source: Mapped[str] = mapped_column(String(10), default="api")  # api | cli | schedule
    total_urls: Mapped[int] = mapped_column(Integer, default=0)
    processed_urls: Mapped[int] = mapped_column(Integer, default=0)
    successful_urls: Mapped[int] = mapped_column(Integer, default=0)
    failed_urls: Mapped[int] = mapped_column(Integer, default=0)
    pages_crawled: Mapped[int] = mapped_column(Integer, default=0)
    leads_found: Mapped[int] = mapped_column(Integer, default=0)
    credits_estimated: Mapped[int] = mapped_column(Integer, default=0)
    credits_used: Mapped[int] = mapped_column(Integer, default=0)
    # Credits taken from the balance when the job was submitted; crawled URLs consume them and the
    # unused rest is refunded when the job ends (db.credits.release_job_credits).
    credits_reserved: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    failure_reason: Mapped[str | None] = mapped_column(Text)
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    request_hash: Mapped[str | None] = mapped_column(String(64))
    scrapyd_jobs: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    cancel_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    estimated_completion: Mapped[datetime | None] = mapped_column(UTCDateTime)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    urls: Mapped[list[JobUrl]] = relationship(back_populates="job", cascade="all, delete-orphan")


class JobLaunch(Base):
    """How the API started a job on scrapyd (``db.launch``): the hash of the launch token its
    spiders must present, and the API's list of the platform's own services, which their network
    guard refuses besides those they know themselves."""

    __tablename__ = "job_launches"

    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    guard_endpoints: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class JobUrl(Base):
    """One submitted URL of a job, claimed by a spider under a lease, with its own outcome."""

    __tablename__ = "job_urls"
    __table_args__ = (
        Index("ix_job_urls_job_status", "job_id", "status", "position"),
        # GET /v1/jobs/{id}/urls?outcome=: one outcome's URLs in submission order
        Index("ix_job_urls_job_outcome", "job_id", "outcome", "position"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    url: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=JobUrlStatus.PENDING)
    reason: Mapped[str | None] = mapped_column(Text)
    # One ``UrlOutcome`` once the URL has ended (None while pending or claimed), the credits it was
    # charged, and the last error any of its pages met (a crawled site's broken link included).
    outcome: Mapped[str | None] = mapped_column(String(20))
    credits_charged: Mapped[int] = mapped_column(Integer, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)
    http_status: Mapped[int | None] = mapped_column(Integer)
    pages_crawled: Mapped[int] = mapped_column(Integer, default=0)
    pages_failed: Mapped[int] = mapped_column(Integer, default=0)
    pages_rendered: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # via the browser
    leads_found: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the claiming process finished crawling it, while its outcome still waits for that
    # process's store (``status`` stays ``claimed``; ``pages_crawled`` is already its count): so
    # every process's progress tick sees the job's crawl, not only its stored part. A new claim
    # clears it.
    crawled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    job: Mapped[Job] = relationship(back_populates="urls")


class Company(Base):
    """One company per account and registered domain; leads of the domain share it.

    Beside the qualification (signals, enrichment, score) it holds what the site states about
    itself: its postal address (``street`` ... ``country``, from ``address_source_url``) and its own
    social profiles (``social_profiles``: ``[{"platform", "url", "source_url"}]``, first seen
    first). ``lead_count`` and ``people_count`` (personal leads with a name) are kept by database
    triggers (migration 0012) whichever path adds, moves or deletes a lead, so lists sort by them
    along an index; ``last_seen_at`` is when a crawl last stored a page of the company.
    """

    __tablename__ = "companies"
    __table_args__ = (
        UniqueConstraint("account_id", "domain"),
        Index("ix_companies_account_created", "account_id", "created_at", "id"),
        Index("ix_companies_account_lead_count", "account_id", "lead_count", "id"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("comp"))
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    domain: Mapped[str] = mapped_column(String(253))
    name: Mapped[str | None] = mapped_column(String(300))
    signals: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    enrichment: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    score: Mapped[int | None] = mapped_column(Integer)
    qualification_notes: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    enriched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    social_profiles: Mapped[list[dict[str, str]]] = mapped_column(JSONType, default=list)
    street: Mapped[str | None] = mapped_column(String(200))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    city: Mapped[str | None] = mapped_column(String(100))
    region: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str | None] = mapped_column(String(60))
    address_source_url: Mapped[str | None] = mapped_column(Text)
    lead_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    people_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def address(self) -> dict[str, str | None] | None:
        """The postal address the site states (None when it states none), with the page it is from."""
        parts = {
            "street": self.street,
            "postal_code": self.postal_code,
            "city": self.city,
            "region": self.region,
            "country": self.country,
        }
        if not any(parts.values()):
            return None
        return {**parts, "source_url": self.address_source_url}


class Lead(Base):
    """One contact per account, keyed by ``identity_key`` (README.md, Leads: identity and merging)."""

    __tablename__ = "leads"
    __table_args__ = (
        UniqueConstraint("account_id", "identity_key"),
        Index("ix_leads_account_created", "account_id", "created_at", "id"),
        Index("ix_leads_account_score", "account_id", "lead_score", "id"),
        Index("ix_leads_account_company", "account_id", "company_name", "id"),
        Index("ix_leads_account_status", "account_id", "lead_status", "created_at", "id"),
        Index("ix_leads_account_email", "account_id", "email"),
        Index("ix_leads_account_phone", "account_id", "phone"),
        Index("ix_leads_account_email_status", "account_id", "email_status"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("lead"))
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    company_id: Mapped[str | None] = mapped_column(
        ForeignKey("companies.id", ondelete="SET NULL"), index=True
    )
    identity_key: Mapped[str] = mapped_column(String(600))
    contact_type: Mapped[str] = mapped_column(String(10), default="personal")
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(20))
    phone_national: Mapped[str | None] = mapped_column(String(40))
    full_name: Mapped[str | None] = mapped_column(String(200))
    job_title: Mapped[str | None] = mapped_column(String(200))
    company_name: Mapped[str | None] = mapped_column(String(300))
    company_domain: Mapped[str | None] = mapped_column(String(253))
    linkedin_url: Mapped[str | None] = mapped_column(String(500))
    twitter_url: Mapped[str | None] = mapped_column(String(500))
    facebook_url: Mapped[str | None] = mapped_column(String(500))
    social_profiles: Mapped[dict[str, str]] = mapped_column(JSONType, default=dict)
    lead_score: Mapped[int | None] = mapped_column(Integer)
    lead_status: Mapped[str | None] = mapped_column(String(5))
    qualification_notes: Mapped[str | None] = mapped_column(Text)
    signals_detected: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    enrichment_data: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    # the proof of each company signal the score counted, and the score's line items
    # (pipelines.scoring.Contribution): written with the score, replaced with it
    # (server defaults only: inserts that predate these columns, as in the migration tests, still work)
    signals: Mapped[list[Any]] = mapped_column(JSONType, server_default=text("'[]'"))
    score_breakdown: Mapped[list[Any]] = mapped_column(JSONType, server_default=text("'[]'"))
    enriched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    source_url: Mapped[str | None] = mapped_column(Text)
    job_id: Mapped[str | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))
    custom_notes: Mapped[str | None] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(JSONType, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # When the lead.qualified webhook event was written (score first reached 70); never twice.
    qualified_event_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The verification of ``email`` (crawler/verify): its verdict, every check, and when. None: not
    # verified (no email, or the jobs that found it did not verify).
    email_status: Mapped[str | None] = mapped_column(String(15))
    email_checks: Mapped[list[dict[str, str]] | None] = mapped_column(NullableJSONType)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A guessed address for a person without ``email`` ({address, pattern, confidence, basis,
    # verification}); never the lead's email. None when no guess could be made.
    email_guess: Mapped[dict[str, Any] | None] = mapped_column(NullableJSONType)

    @property
    def company_ref(self) -> dict[str, str | None] | None:
        """The lead's company as the API names it (id, name, domain), from the lead's own copies."""
        if self.company_id is None:
            return None
        return {"id": self.company_id, "name": self.company_name, "domain": self.company_domain}


class LeadSighting(Base):
    """Every time a lead was seen: which job, on which page, by which extraction method."""

    __tablename__ = "lead_sightings"
    __table_args__ = (
        Index("ix_lead_sightings_job_lead", "job_id", "lead_id"),
        Index("ix_lead_sightings_lead", "lead_id", "seen_at"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    lead_id: Mapped[str] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"))
    job_id: Mapped[str | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))
    source_url: Mapped[str] = mapped_column(Text)
    method: Mapped[str] = mapped_column(String(40))
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class JobLead(Base):
    """One row per (job, lead): the leads a job found (``Lead.job_id``) or saw (a sighting).

    What ``GET /v1/leads?job_id=`` reads: ``lead_created_at`` copies ``leads.created_at`` so one
    index walk yields a job's leads already in the default order (newest first) and stops after a
    page, instead of filtering an account's leads row by row. Written wherever a sighting is added
    or ``Lead.job_id`` is set (db/leads.py); a fold moves the rows to the surviving lead.

    ``score_key`` and ``company_key`` copy the lead's score and company sort keys (the expressions
    of the score and company sorts: unscored = -1, unnamed = "") for the same walk in those orders.
    The database keeps them (migration 0009's triggers): set from the lead when a row is inserted,
    rewritten when the lead's ``lead_score`` or ``company_name`` changes, whichever path changes it.
    """

    __tablename__ = "job_leads"
    __table_args__ = (
        Index("ix_job_leads_job_created", "job_id", "lead_created_at", "lead_id"),
        Index("ix_job_leads_job_score", "job_id", "score_key", "lead_id"),
        Index("ix_job_leads_job_company", "job_id", "company_key", "lead_id"),
        # deletes and folds of a lead find its rows here (and ON DELETE CASCADE needs it)
        Index("ix_job_leads_lead", "lead_id"),
    )

    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True)
    lead_id: Mapped[str] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), primary_key=True)
    lead_created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    score_key: Mapped[int] = mapped_column(Integer, server_default="-1")
    company_key: Mapped[str] = mapped_column(Text, server_default="")


class JobCompany(Base):
    """One row per (job, company): the companies whose pages a job stored (``GET /v1/companies?job_id=``)."""

    __tablename__ = "job_companies"
    __table_args__ = (Index("ix_job_companies_company", "company_id"),)

    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True)


class CreditTransaction(Base):
    """A ledger row: every change of a balance, so the balance always equals the ledger's sum."""

    __tablename__ = "credit_transactions"
    __table_args__ = (Index("ix_credit_tx_account_created", "account_id", "created_at", "id"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("txn"))
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    amount: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(20))  # purchase | grant | usage | refund | adjustment
    description: Mapped[str] = mapped_column(Text, default="")
    job_id: Mapped[str | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Webhook(Base):
    """A customer's webhook endpoint and the events it subscribes to."""

    __tablename__ = "webhooks"

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("webhook"))
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(Text)
    events: Mapped[list[str]] = mapped_column(JSONType, default=list)
    description: Mapped[str | None] = mapped_column(Text)
    secret: Mapped[str] = mapped_column(String(100))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    failing_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Why the endpoint stopped receiving events (410 Gone from the receiver), None while active.
    disabled_reason: Mapped[str | None] = mapped_column(Text)
    last_triggered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OutboxEvent(Base):
    """An event written in the same transaction as the change that caused it (transactional outbox)."""

    __tablename__ = "outbox_events"
    __table_args__ = (Index("ix_outbox_pending", "dispatched_at", "created_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("evt"))
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    event_type: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    dispatched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class WebhookDelivery(Base):
    """One event bound for one endpoint, with its attempts and outcome."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        Index("ix_deliveries_due", "status", "next_attempt_at"),
        Index("ix_deliveries_webhook", "webhook_id", "created_at", "id"),
        # One delivery per event and endpoint, however many dispatchers race to fan an event out.
        UniqueConstraint("webhook_id", "event_id"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("dlv"))
    webhook_id: Mapped[str] = mapped_column(ForeignKey("webhooks.id", ondelete="CASCADE"))
    event_id: Mapped[str] = mapped_column(ForeignKey("outbox_events.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(12), default="pending")  # pending | succeeded | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    response_code: Mapped[int | None] = mapped_column(Integer)
    latency_ms: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    attempt_log: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Export(Base):
    """A lead export request and the file it produced."""

    __tablename__ = "exports"
    __table_args__ = (Index("ix_exports_status", "status", "created_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("export"))
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    format: Mapped[str] = mapped_column(String(8))  # csv | json | jsonl
    filters: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    fields: Mapped[list[str]] = mapped_column(JSONType, default=list)
    status: Mapped[str] = mapped_column(String(12), default="processing")
    file_path: Mapped[str | None] = mapped_column(Text)
    total_leads: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    file_size: Mapped[int | None] = mapped_column(BigInteger)
    # The secret of the signed download URL (a capability that expires with the file).
    download_token: Mapped[str | None] = mapped_column(String(64))
    # A worker building the file holds it until then; a crashed worker's export is picked up again.
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Suppression(Base):
    """A contact the account must never store again (opt-out, erasure request): email, phone or domain."""

    __tablename__ = "suppressions"
    __table_args__ = (UniqueConstraint("account_id", "kind", "value"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("sup"))
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))  # email | phone | domain
    value: Mapped[str] = mapped_column(String(320))
    reason: Mapped[str | None] = mapped_column(Text)
    # The people an email or phone suppression is for, as ``person:<folded name>|<company domain>``
    # keys (crawler.extract.leads.person_identity), learnt from the leads it erased and from pages
    # that name the suppressed contact: the same person seen again without it (a team grid, a name
    # alone) is not collected either.
    people: Mapped[list[str] | None] = mapped_column(NullableJSONType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LlmAnswer(Base):
    """A validated LLM qualification, keyed by model + prompt version + the company's content hash.

    A re-crawl of unchanged pages hashes the same, so its answer is read here instead of paid for
    again. Shared across accounts on purpose: the key is derived from public page content only.
    """

    __tablename__ = "llm_answers"

    cache_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    model: Mapped[str] = mapped_column(String(200))
    content_hash: Mapped[str] = mapped_column(String(64))
    answer: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


SCHEDULE_STATUSES = ("active", "paused")


class Schedule(Base):
    """A recurring crawl: a cron expression (UTC), URLs and job options; each tick starts a job.

    ``next_run_at`` is the tick a worker takes next; workers claim it with a conditional UPDATE
    (and ``ScheduleRun``'s unique key), so one tick never starts two jobs.
    """

    __tablename__ = "schedules"
    __table_args__ = (
        Index("ix_schedules_due", "status", "next_run_at"),
        Index("ix_schedules_account_created", "account_id", "created_at", "id"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=lambda: new_id("sched"))
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    name: Mapped[str | None] = mapped_column(String(200))
    cron: Mapped[str] = mapped_column(String(120))
    type: Mapped[str] = mapped_column(String(10), default="bulk")
    urls: Mapped[list[str]] = mapped_column(JSONType, default=list)
    options: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    status: Mapped[str] = mapped_column(String(10), default="active")
    next_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_job_id: Mapped[str | None] = mapped_column(String(40))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ScheduleRun(Base):
    """One tick of a schedule that a worker took: the job it started, or why none was."""

    __tablename__ = "schedule_runs"
    __table_args__ = (UniqueConstraint("schedule_id", "tick"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    schedule_id: Mapped[str] = mapped_column(ForeignKey("schedules.id", ondelete="CASCADE"))
    tick: Mapped[datetime] = mapped_column(UTCDateTime)
    job_id: Mapped[str | None] = mapped_column(String(40))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# Indexes behind GET /v1/leads at scale (bench/, migration 0005): the score and company sorts
# order by expressions (unscored = -1, unnamed = ""), which only an expression index can serve;
# `search` is a substring match, which only trigram indexes serve (PostgreSQL; SQLite scans).
Index("ix_leads_account_score_sort", Lead.account_id, func.coalesce(Lead.lead_score, -1), Lead.id)
Index(
    "ix_leads_account_company_sort",
    Lead.account_id,
    func.lower(func.coalesce(Lead.company_name, "")),
    Lead.id,
)
# GET /v1/companies?sort=name: unnamed companies sort as "" (like the leads' company sort);
# sort=last_seen_at: a company no crawl stamped (none should be) as its creation.
Index(
    "ix_companies_account_name_sort",
    Company.account_id,
    func.lower(func.coalesce(Company.name, "")),
    Company.id,
)
Index(
    "ix_companies_account_last_seen_sort",
    Company.account_id,
    func.coalesce(Company.last_seen_at, Company.created_at),
    Company.id,
)
LEAD_TRIGRAM_COLUMNS = ("email", "company_name", "full_name", "phone", "phone_national")
for _column in LEAD_TRIGRAM_COLUMNS:
    Index(
        f"ix_leads_{_column}_trgm",
        getattr(Lead, _column),
        postgresql_using="gin",
        postgresql_ops={_column: "gin_trgm_ops"},
    ).ddl_if(dialect="postgresql")
# GET /v1/leads?tags=...: JSONB containment (tags @> '["a"]'), which only a GIN index serves.
Index("ix_leads_tags", Lead.tags, postgresql_using="gin", postgresql_ops={"tags": "jsonb_path_ops"}).ddl_if(
    dialect="postgresql"
)
