"""credit reservations on jobs; pages fetched through the browser per job URL

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("credits_reserved", sa.Integer(), server_default="0", nullable=False))
    with op.batch_alter_table("job_urls", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pages_rendered", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("job_urls", schema=None) as batch_op:
        batch_op.drop_column("pages_rendered")
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_column("credits_reserved")
