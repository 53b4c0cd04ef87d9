"""indexes for GET /v1/leads at scale: expression indexes for the score and company sorts, trigram search

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0003"
branch_labels = None
depends_on = None

TRIGRAM_COLUMNS = ("email", "company_name", "full_name", "phone", "phone_national")


def upgrade() -> None:
    op.create_index(
        "ix_leads_account_score_sort",
        "leads",
        ["account_id", sa.text("coalesce(lead_score, -1)"), "id"],
    )
    op.create_index(
        "ix_leads_account_company_sort",
        "leads",
        ["account_id", sa.text("lower(coalesce(company_name, ''))"), "id"],
    )
    if op.get_bind().dialect.name == "postgresql":
        # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for column in TRIGRAM_COLUMNS:
            op.create_index(
                f"ix_leads_{column}_trgm",
                "leads",
                [column],
                postgresql_using="gin",
                postgresql_ops={column: "gin_trgm_ops"},
            )
    else:
        # SQLite has no trigram indexes (search scans there). Autogenerate does not honour the
        # models' ddl_if(dialect="postgresql"), so SQLite gets same-named placeholders that stay
        # empty (WHERE 0): migrations and models compare clean, and writes pay nothing for them.
        for column in TRIGRAM_COLUMNS:
            op.create_index(f"ix_leads_{column}_trgm", "leads", [column], sqlite_where=sa.text("0"))


def downgrade() -> None:
    for column in TRIGRAM_COLUMNS:
        op.drop_index(f"ix_leads_{column}_trgm", table_name="leads")
    op.drop_index("ix_leads_account_company_sort", table_name="leads")
    op.drop_index("ix_leads_account_score_sort", table_name="leads")
