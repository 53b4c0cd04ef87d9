"""leads carry the proof of their company's signals and their score's line items

``signals`` copies, for each company signal the score counted, where it was seen (page, snippet,
method, page date, reasons); ``score_breakdown`` is the score as line items whose points add up
to it. Both are written with the score and replaced with it; existing leads start empty and fill
on their next qualification.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.types

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN, not a batch (which rebuilds the table on SQLite and breaks the triggers
    # that name it)
    op.add_column(
        "leads", sa.Column("signals", db.types.JSONType, server_default=sa.text("'[]'"), nullable=False)
    )
    op.add_column(
        "leads",
        sa.Column("score_breakdown", db.types.JSONType, server_default=sa.text("'[]'"), nullable=False),
    )


def downgrade() -> None:
    op.drop_column("leads", "score_breakdown")
    op.drop_column("leads", "signals")
