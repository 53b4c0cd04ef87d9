"""a claimed URL says when its crawl ended, before its outcome is stored

``job_urls.crawled_at`` (with ``pages_crawled``) is set by the claiming spider process's progress
tick once it has crawled the URL, while its store has not written the outcome yet; every process's
estimate of the job's completion then counts it (db/eta.py ``measure``).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.types

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("job_urls", sa.Column("crawled_at", db.types.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("job_urls") as batch:
        batch.drop_column("crawled_at")
