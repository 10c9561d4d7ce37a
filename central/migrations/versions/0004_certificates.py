"""Certificates issued at the kiosks: what each said (masked) and the platform's signature.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _utc(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "certificates",
        sa.Column("code", sa.String(32), primary_key=True),
        sa.Column("service_id", sa.String(16), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("holder_masked", sa.String(64), nullable=False),
        sa.Column("id_number_masked", sa.String(32), nullable=False),
        sa.Column("period", sa.String(100), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        _utc("issued_at"),
        sa.Column("terminal_id", sa.String(64), nullable=False),
        sa.Column("hall", sa.String(100), nullable=False),
        sa.Column("pdf_sha256", sa.String(64), nullable=False),
        sa.Column("signature", sa.String(128), nullable=False),
        sa.Column("idempotency_key", sa.String(64), nullable=True),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
    )
    op.create_index("ix_certificates_issued_at", "certificates", ["issued_at"])
    op.create_index("ix_certificates_terminal_key", "certificates",
                    ["terminal_id", "idempotency_key"], unique=True)


def downgrade() -> None:
    op.drop_table("certificates")
