"""e-mail verification and e-mail guesses on leads

Every address a job finds is verified (``email_status``, its ``email_checks`` and ``verified_at``);
a person without an address may carry a guessed one (``email_guess``), which is never ``email``.
Leads are filtered by status per account, hence the index.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import db.types

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

JSON = sa.JSON(none_as_null=True).with_variant(
    postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), "postgresql"
)


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN (no batch copy of the table on SQLite: its triggers on leads stay).
    op.add_column("leads", sa.Column("email_status", sa.String(length=15), nullable=True))
    op.add_column("leads", sa.Column("email_checks", JSON, nullable=True))
    op.add_column("leads", sa.Column("verified_at", db.types.UTCDateTime(timezone=True), nullable=True))
    op.add_column("leads", sa.Column("email_guess", JSON, nullable=True))
    op.create_index("ix_leads_account_email_status", "leads", ["account_id", "email_status"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_leads_account_email_status", table_name="leads")
    for column in ("email_guess", "verified_at", "email_checks", "email_status"):
        op.drop_column("leads", column)
