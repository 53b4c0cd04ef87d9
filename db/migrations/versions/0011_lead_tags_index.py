"""a GIN index on leads.tags, so `GET /v1/leads?tags=...` and tag-filtered exports stay fast

The filter is JSONB containment (``tags @> '["trade-show"]'``). Without an index PostgreSQL walks
the account's newest leads testing each one's tags: quick while the tag is common, but a rare tag
reads most of the account. Measured with EXPLAIN ANALYZE on 1,000,000 leads (one account holding
600,000), first page of 51 rows:

    tag on 0.1 % of leads, newest first     13.9 ms -> 7.1 ms (bitmap scan of this index)
    the same, sorted by score                48.7 ms -> 2.6 ms
    a tag no lead has                       240.6 ms -> 0.4 ms (was a sequential scan)
    a tag on 30 % of leads                   0.08 ms either way (the newest-first walk is kept)

``jsonb_path_ops`` is smaller than the default operator class and serves containment, all the
filter needs. The planner's estimate comes from the whole table, so a tag common in other accounts
but rare in this one still walks this account's leads (335 ms for 600,000; 455 ms without the
index). SQLite gets an empty placeholder of the same name, as in 0005.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.create_index(
            "ix_leads_tags", "leads", ["tags"], postgresql_using="gin", postgresql_ops={"tags": "jsonb_path_ops"}
        )
    else:
        op.create_index("ix_leads_tags", "leads", ["tags"], sqlite_where=sa.text("0"))


def downgrade() -> None:
    op.drop_index("ix_leads_tags", table_name="leads")
