"""Idempotency keys of posted verification records.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """The key a client sent with its POST and a digest of what it posted (to tell a retry from a misuse)."""
    with op.batch_alter_table("verifications") as batch:
        batch.add_column(sa.Column("idempotency_key", sa.String(200), nullable=True))
        batch.add_column(sa.Column("request_digest", sa.String(64), nullable=True))
    op.create_index("ux_verifications_idempotency_key", "verifications", ["idempotency_key"], unique=True)


def downgrade() -> None:
    """Drop the key and the digest."""
    op.drop_index("ux_verifications_idempotency_key", table_name="verifications")
    with op.batch_alter_table("verifications") as batch:
        batch.drop_column("request_digest")
        batch.drop_column("idempotency_key")
