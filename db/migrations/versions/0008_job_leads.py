"""job_leads: the leads each job found or saw, in creation order, for GET /v1/leads?job_id=

Also joins the two branches (0005 indexes, 0007 schedules) so there is one head again.

Revision ID: 0008
Revises: 0005, 0007
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.types

revision = "0008"
down_revision = ("0005", "0007")
branch_labels = None
depends_on = None

# Every (job, lead) pair the old filter matched: the job that first found the lead (leads.job_id)
# and every job with a sighting of it (UNION drops duplicates). Plain SQL that PostgreSQL and SQLite
# read the same way; the timestamp is copied as stored, so it compares equal to leads.created_at.
BACKFILL = """
INSERT INTO job_leads (job_id, lead_id, lead_created_at)
SELECT pairs.job_id, pairs.lead_id, leads.created_at
FROM (
    SELECT job_id, id AS lead_id FROM leads WHERE job_id IS NOT NULL
    UNION
    SELECT job_id, lead_id FROM lead_sightings WHERE job_id IS NOT NULL
) AS pairs
JOIN leads ON leads.id = pairs.lead_id
"""


def upgrade() -> None:
    op.create_table(
        "job_leads",
        sa.Column("job_id", sa.String(length=40), nullable=False),
        sa.Column("lead_id", sa.String(length=40), nullable=False),
        sa.Column("lead_created_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"], ["jobs.id"], name=op.f("fk_job_leads_job_id_jobs"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name=op.f("fk_job_leads_lead_id_leads"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("job_id", "lead_id", name=op.f("pk_job_leads")),
    )
    op.execute(BACKFILL)
    # Built after the backfill: one sort per index instead of one insert per row.
    with op.batch_alter_table("job_leads", schema=None) as batch_op:
        batch_op.create_index(
            "ix_job_leads_job_created", ["job_id", "lead_created_at", "lead_id"], unique=False
        )
        batch_op.create_index("ix_job_leads_lead", ["lead_id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ANALYZE job_leads")


def downgrade() -> None:
    with op.batch_alter_table("job_leads", schema=None) as batch_op:
        batch_op.drop_index("ix_job_leads_lead")
        batch_op.drop_index("ix_job_leads_job_created")
    op.drop_table("job_leads")
