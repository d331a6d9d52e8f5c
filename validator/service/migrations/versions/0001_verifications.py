"""Verification records.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the verifications table and its lookup indexes."""
    op.create_table(
        "verifications",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("provider", sa.String(200), nullable=False),
        sa.Column("provider_version", sa.String(200), nullable=False),
        sa.Column("contract", sa.String(200), nullable=False),
        sa.Column("contract_version", sa.String(100), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("cases", sa.Integer(), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=True),
        sa.Column("report", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_verifications_build", "verifications", ["provider", "provider_version", "contract", "id"])
    op.create_index("ix_verifications_contract", "verifications", ["contract", "contract_version", "id"])


def downgrade() -> None:
    """Drop the verifications table."""
    op.drop_table("verifications")
