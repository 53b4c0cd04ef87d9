"""webhooks and exports: lead.qualified marker, delivery uniqueness, export files and leases

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import db.types

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('qualified_event_at', db.types.UTCDateTime(timezone=True), nullable=True))

    with op.batch_alter_table('webhooks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('disabled_reason', sa.Text(), nullable=True))

    with op.batch_alter_table('webhook_deliveries', schema=None) as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f('uq_webhook_deliveries_webhook_id_event_id'), ['webhook_id', 'event_id']
        )

    with op.batch_alter_table('exports', schema=None) as batch_op:
        batch_op.alter_column('format', existing_type=sa.String(length=4), type_=sa.String(length=8),
                              existing_nullable=False)
        batch_op.add_column(sa.Column('file_size', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('download_token', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('lease_expires_at', db.types.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('exports', schema=None) as batch_op:
        batch_op.drop_column('lease_expires_at')
        batch_op.drop_column('download_token')
        batch_op.drop_column('file_size')
        batch_op.alter_column('format', existing_type=sa.String(length=8), type_=sa.String(length=4),
                              existing_nullable=False)

    with op.batch_alter_table('webhook_deliveries', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_webhook_deliveries_webhook_id_event_id'), type_='unique')

    with op.batch_alter_table('webhooks', schema=None) as batch_op:
        batch_op.drop_column('disabled_reason')

    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_column('qualified_event_at')
