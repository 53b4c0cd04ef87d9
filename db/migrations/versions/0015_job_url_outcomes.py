"""every ended URL of a job carries one outcome code, the credits it was charged and its last error

``job_urls.outcome`` holds a ``db.models.UrlOutcome`` code once the URL has ended; URLs that ended
before this revision get the code their status and reason imply (their charge is not known and
reads 0).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

BACKFILL = """
UPDATE job_urls SET outcome = CASE
    WHEN status = 'done' AND leads_found > 0 THEN 'ok'
    WHEN status = 'done' THEN 'no_contacts'
    WHEN reason LIKE '%robots.txt%' THEN 'robots_disallowed'
    WHEN reason LIKE '%network guard%' THEN 'address_refused'
    WHEN http_status IN (401, 403) THEN 'blocked'
    WHEN http_status = 429 THEN 'rate_limited'
    WHEN http_status IS NOT NULL OR reason LIKE 'HTTP %' OR reason LIKE 'too many redirects%' THEN 'http_error'
    WHEN reason LIKE 'DNS%' THEN 'dns_failed'
    WHEN reason LIKE 'timeout%' THEN 'timeout'
    WHEN reason LIKE 'too large%' THEN 'too_large'
    WHEN reason LIKE 'not an HTML page%' THEN 'not_html'
    WHEN reason LIKE 'not crawled%' THEN 'not_crawled'
    ELSE 'connection_failed'
END
WHERE status IN ('done', 'failed', 'refused')
"""


def upgrade() -> None:
    with op.batch_alter_table("job_urls", schema=None) as batch_op:
        batch_op.add_column(sa.Column("outcome", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("credits_charged", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("last_error", sa.Text(), nullable=True))
        batch_op.create_index("ix_job_urls_job_outcome", ["job_id", "outcome", "position"], unique=False)
    op.execute(BACKFILL)


def downgrade() -> None:
    with op.batch_alter_table("job_urls", schema=None) as batch_op:
        batch_op.drop_index("ix_job_urls_job_outcome")
        batch_op.drop_column("last_error")
        batch_op.drop_column("credits_charged")
        batch_op.drop_column("outcome")
