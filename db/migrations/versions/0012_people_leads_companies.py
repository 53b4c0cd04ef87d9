"""companies as a resource: address, own profiles, lead and people counts, last seen, job listing

``GET /v1/companies`` sorts by name, lead count and last seen, and filters by job, with keyset
pages. Companies get their postal address (street, postal_code, city, region, country and the page
it came from), their own social profiles (JSON list with each profile's source page), the counters
``lead_count`` and ``people_count`` (personal leads with a name) and ``last_seen_at``, with an index
per sort. ``job_companies`` lists the companies each job stored pages of.

The counters are kept by triggers on ``leads``, whichever path inserts, re-assigns or deletes a
lead (the store, folds, DELETE /v1/leads, erasure, retention): PostgreSQL adds up each statement's
transition tables once per statement, SQLite updates per row. A later migration that rebuilds
``leads`` on SQLite (batch "move and copy") drops these triggers and must create them again
(``SQLITE_TRIGGERS``), like 0009's.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.types

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# A lead counts as one of the company's people when it is a person's (not a role address) and named.
PERSON = "({0}.contact_type = 'personal' AND {0}.full_name IS NOT NULL)"

BACKFILL = f"""
UPDATE companies SET
    lead_count = (SELECT count(*) FROM leads WHERE leads.company_id = companies.id),
    people_count = (SELECT count(*) FROM leads WHERE leads.company_id = companies.id
                    AND {PERSON.format("leads")}),
    last_seen_at = updated_at
"""
BACKFILL_JOBS = """
INSERT INTO job_companies (job_id, company_id)
SELECT DISTINCT job_leads.job_id, leads.company_id
FROM job_leads JOIN leads ON leads.id = job_leads.lead_id
WHERE leads.company_id IS NOT NULL
"""

# One UPDATE per statement and company, from the statement's transition tables. An UPDATE of
# leads that changes no company, kind or name (most: scores, merges) updates no company row.
POSTGRESQL_TRIGGERS = [
    f"""
    CREATE FUNCTION companies_count_leads() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            UPDATE companies SET lead_count = lead_count + d.leads, people_count = people_count + d.people
              FROM (SELECT company_id, count(*) AS leads, count(*) FILTER (WHERE {PERSON.format("n")}) AS people
                      FROM new_leads AS n WHERE company_id IS NOT NULL GROUP BY company_id) AS d
             WHERE companies.id = d.company_id;
        ELSIF TG_OP = 'DELETE' THEN
            UPDATE companies SET lead_count = lead_count - d.leads, people_count = people_count - d.people
              FROM (SELECT company_id, count(*) AS leads, count(*) FILTER (WHERE {PERSON.format("o")}) AS people
                      FROM old_leads AS o WHERE company_id IS NOT NULL GROUP BY company_id) AS d
             WHERE companies.id = d.company_id;
        ELSE
            UPDATE companies SET lead_count = lead_count + d.leads, people_count = people_count + d.people
              FROM (SELECT company_id, sum(leads) AS leads, sum(people) AS people FROM (
                        SELECT n.company_id, 1 AS leads, CASE WHEN {PERSON.format("n")} THEN 1 ELSE 0 END AS people
                          FROM new_leads AS n JOIN old_leads AS o ON o.id = n.id
                         WHERE n.company_id IS DISTINCT FROM o.company_id
                            OR {PERSON.format("n")} IS DISTINCT FROM {PERSON.format("o")}
                        UNION ALL
                        SELECT o.company_id, -1, CASE WHEN {PERSON.format("o")} THEN -1 ELSE 0 END
                          FROM new_leads AS n JOIN old_leads AS o ON o.id = n.id
                         WHERE n.company_id IS DISTINCT FROM o.company_id
                            OR {PERSON.format("n")} IS DISTINCT FROM {PERSON.format("o")}
                    ) AS changes WHERE company_id IS NOT NULL GROUP BY company_id) AS d
             WHERE companies.id = d.company_id AND (d.leads <> 0 OR d.people <> 0);
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER leads_company_counts_insert AFTER INSERT ON leads
    REFERENCING NEW TABLE AS new_leads FOR EACH STATEMENT EXECUTE FUNCTION companies_count_leads()
    """,
    """
    CREATE TRIGGER leads_company_counts_delete AFTER DELETE ON leads
    REFERENCING OLD TABLE AS old_leads FOR EACH STATEMENT EXECUTE FUNCTION companies_count_leads()
    """,
    """
    CREATE TRIGGER leads_company_counts_update AFTER UPDATE ON leads
    REFERENCING OLD TABLE AS old_leads NEW TABLE AS new_leads
    FOR EACH STATEMENT EXECUTE FUNCTION companies_count_leads()
    """,
]

_ADD = "UPDATE companies SET lead_count = lead_count + 1, people_count = people_count + ({1}) WHERE id = {0}"
_SUB = "UPDATE companies SET lead_count = lead_count - 1, people_count = people_count - ({1}) WHERE id = {0}"
SQLITE_TRIGGERS = [
    f"""
    CREATE TRIGGER leads_company_counts_insert AFTER INSERT ON leads WHEN NEW.company_id IS NOT NULL
    BEGIN
        {_ADD.format("NEW.company_id", PERSON.format("NEW"))};
    END
    """,
    f"""
    CREATE TRIGGER leads_company_counts_delete AFTER DELETE ON leads WHEN OLD.company_id IS NOT NULL
    BEGIN
        {_SUB.format("OLD.company_id", PERSON.format("OLD"))};
    END
    """,
    f"""
    CREATE TRIGGER leads_company_counts_update AFTER UPDATE OF company_id, contact_type, full_name ON leads
    WHEN OLD.company_id IS NOT NEW.company_id OR {PERSON.format("OLD")} IS NOT {PERSON.format("NEW")}
    BEGIN
        {_SUB.format("OLD.company_id", PERSON.format("OLD"))};
        {_ADD.format("NEW.company_id", PERSON.format("NEW"))};
    END
    """,
]


def upgrade() -> None:
    with op.batch_alter_table("companies", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("social_profiles", db.types.JSONType, server_default=sa.text("'[]'"), nullable=False)
        )
        batch_op.add_column(sa.Column("street", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("postal_code", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("city", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("region", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("country", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("address_source_url", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("lead_count", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("people_count", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("last_seen_at", db.types.UTCDateTime(timezone=True), nullable=True))
    op.execute(BACKFILL)
    with op.batch_alter_table("companies", schema=None) as batch_op:
        batch_op.create_index("ix_companies_account_created", ["account_id", "created_at", "id"], unique=False)
        batch_op.create_index("ix_companies_account_lead_count", ["account_id", "lead_count", "id"], unique=False)
    op.create_index(
        "ix_companies_account_name_sort",
        "companies",
        ["account_id", sa.text("lower(coalesce(name, ''))"), "id"],
    )
    op.create_index(
        "ix_companies_account_last_seen_sort",
        "companies",
        ["account_id", sa.text("coalesce(last_seen_at, created_at)"), "id"],
    )
    op.create_table(
        "job_companies",
        sa.Column("job_id", sa.String(length=40), nullable=False),
        sa.Column("company_id", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"], ["jobs.id"], name=op.f("fk_job_companies_job_id_jobs"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_job_companies_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("job_id", "company_id", name=op.f("pk_job_companies")),
    )
    op.execute(BACKFILL_JOBS)
    with op.batch_alter_table("job_companies", schema=None) as batch_op:
        batch_op.create_index("ix_job_companies_company", ["company_id"], unique=False)
    dialect = op.get_bind().dialect.name
    for statement in POSTGRESQL_TRIGGERS if dialect == "postgresql" else SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS leads_company_counts_{name} ON leads")
        op.execute("DROP FUNCTION IF EXISTS companies_count_leads()")
    else:
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS leads_company_counts_{name}")
    with op.batch_alter_table("job_companies", schema=None) as batch_op:
        batch_op.drop_index("ix_job_companies_company")
    op.drop_table("job_companies")
    op.drop_index("ix_companies_account_last_seen_sort", table_name="companies")
    op.drop_index("ix_companies_account_name_sort", table_name="companies")
    with op.batch_alter_table("companies", schema=None) as batch_op:
        batch_op.drop_index("ix_companies_account_lead_count")
        batch_op.drop_index("ix_companies_account_created")
        for column in (
            "last_seen_at",
            "people_count",
            "lead_count",
            "address_source_url",
            "country",
            "region",
            "city",
            "postal_code",
            "street",
            "social_profiles",
        ):
            batch_op.drop_column(column)
