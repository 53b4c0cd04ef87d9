"""an email or phone suppression remembers the people it is for

``suppressions.people`` holds ``person:<folded name>|<company domain>`` keys: the named people whose
leads the suppression erased, or whom a crawled page named beside the suppressed contact. A person
seen again without the contact (a name on a team page) is then not collected, and their leads
without an email are erased with the others.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

JSON = sa.JSON(none_as_null=True).with_variant(
    postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), "postgresql"
)


def upgrade() -> None:
    op.add_column("suppressions", sa.Column("people", JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("suppressions") as batch:
        batch.drop_column("people")
