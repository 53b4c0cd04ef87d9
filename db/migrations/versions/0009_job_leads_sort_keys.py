"""job_leads sort keys: a job's leads by score or company in one index walk, kept by triggers

``GET /v1/leads?job_id=...&sort=score`` (or ``company``) walked the account's expression index and
probed ``job_leads`` lead by lead (~20 leads read per match for a job of 1/20 of the account). The
rows now carry the two sort keys, indexed after ``job_id`` like ``lead_created_at``. Triggers keep
them equal to the lead's, whatever writes the lead: a row takes the lead's keys when inserted, and a
change of ``leads.lead_score`` or ``leads.company_name`` rewrites the lead's rows.

On SQLite a later migration that rebuilds ``leads`` or ``job_leads`` (batch "move and copy") drops
their triggers: such a migration must create them again (``SQLITE_TRIGGERS``).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# The sort expressions of GET /v1/leads (api/resources/leads.py LEAD_SORTS, index 0005).
SCORE_KEY = "coalesce({}.lead_score, -1)"
COMPANY_KEY = "lower(coalesce({}.company_name, ''))"

BACKFILL = f"""
UPDATE job_leads SET
    score_key = (SELECT {SCORE_KEY.format("leads")} FROM leads WHERE leads.id = job_leads.lead_id),
    company_key = (SELECT {COMPANY_KEY.format("leads")} FROM leads WHERE leads.id = job_leads.lead_id)
"""

POSTGRESQL_TRIGGERS = [
    f"""
    CREATE FUNCTION job_leads_take_sort_keys() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        SELECT {SCORE_KEY.format("leads")}, {COMPANY_KEY.format("leads")}
          INTO NEW.score_key, NEW.company_key FROM leads WHERE leads.id = NEW.lead_id;
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER job_leads_sort_keys BEFORE INSERT ON job_leads
    FOR EACH ROW EXECUTE FUNCTION job_leads_take_sort_keys()
    """,
    f"""
    CREATE FUNCTION leads_pass_sort_keys() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE job_leads SET score_key = {SCORE_KEY.format("NEW")}, company_key = {COMPANY_KEY.format("NEW")}
         WHERE lead_id = NEW.id;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER leads_sort_keys AFTER UPDATE OF lead_score, company_name ON leads
    FOR EACH ROW WHEN (OLD.lead_score IS DISTINCT FROM NEW.lead_score
                       OR OLD.company_name IS DISTINCT FROM NEW.company_name)
    EXECUTE FUNCTION leads_pass_sort_keys()
    """,
]

# SQLite: a BEFORE trigger cannot set NEW, so the inserted row is updated right after.
SQLITE_TRIGGERS = [
    f"""
    CREATE TRIGGER job_leads_sort_keys AFTER INSERT ON job_leads
    BEGIN
        UPDATE job_leads SET
            score_key = (SELECT {SCORE_KEY.format("leads")} FROM leads WHERE leads.id = NEW.lead_id),
            company_key = (SELECT {COMPANY_KEY.format("leads")} FROM leads WHERE leads.id = NEW.lead_id)
         WHERE job_id = NEW.job_id AND lead_id = NEW.lead_id;
    END
    """,
    f"""
    CREATE TRIGGER leads_sort_keys AFTER UPDATE OF lead_score, company_name ON leads
    WHEN OLD.lead_score IS NOT NEW.lead_score OR OLD.company_name IS NOT NEW.company_name
    BEGIN
        UPDATE job_leads SET score_key = {SCORE_KEY.format("NEW")}, company_key = {COMPANY_KEY.format("NEW")}
         WHERE lead_id = NEW.id;
    END
    """,
]


def upgrade() -> None:
    with op.batch_alter_table("job_leads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("score_key", sa.Integer(), server_default="-1", nullable=False))
        batch_op.add_column(sa.Column("company_key", sa.Text(), server_default="", nullable=False))
    op.execute(BACKFILL)
    with op.batch_alter_table("job_leads", schema=None) as batch_op:
        batch_op.create_index("ix_job_leads_job_score", ["job_id", "score_key", "lead_id"], unique=False)
        batch_op.create_index("ix_job_leads_job_company", ["job_id", "company_key", "lead_id"], unique=False)
    dialect = op.get_bind().dialect.name
    for statement in POSTGRESQL_TRIGGERS if dialect == "postgresql" else SQLITE_TRIGGERS:
        op.execute(statement)
    if dialect == "postgresql":
        op.execute("ANALYZE job_leads")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS leads_sort_keys ON leads")
        op.execute("DROP TRIGGER IF EXISTS job_leads_sort_keys ON job_leads")
        op.execute("DROP FUNCTION IF EXISTS leads_pass_sort_keys()")
        op.execute("DROP FUNCTION IF EXISTS job_leads_take_sort_keys()")
    else:
        op.execute("DROP TRIGGER IF EXISTS leads_sort_keys")
        op.execute("DROP TRIGGER IF EXISTS job_leads_sort_keys")
    with op.batch_alter_table("job_leads", schema=None) as batch_op:
        batch_op.drop_index("ix_job_leads_job_company")
        batch_op.drop_index("ix_job_leads_job_score")
        batch_op.drop_column("company_key")
        batch_op.drop_column("score_key")
