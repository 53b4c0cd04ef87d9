"""launch tokens of jobs started on scrapyd; the parent of each API key

A job started through scrapyd runs only with the token the API gave its launch (its hash is kept in
``job_launches``, with the API's list of the platform's own services for the spider's network
guard). An API key created with another key remembers it: it never outlives nor outranks it, and
is revoked with it.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import db.types

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "job_launches",
        sa.Column("job_id", sa.String(length=40), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("guard_endpoints", JSON, nullable=False),
        sa.Column("created_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"], ["jobs.id"], name=op.f("fk_job_launches_job_id_jobs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("job_id", name=op.f("pk_job_launches")),
    )
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parent_id", sa.String(length=40), nullable=True))
        batch_op.create_index(batch_op.f("ix_api_keys_parent_id"), ["parent_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_api_keys_parent_id_api_keys"), "api_keys", ["parent_id"], ["id"], ondelete="CASCADE"
        )


def downgrade() -> None:
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_api_keys_parent_id_api_keys"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_api_keys_parent_id"))
        batch_op.drop_column("parent_id")
    op.drop_table("job_launches")
