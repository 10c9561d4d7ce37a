"""The hall map with its window areas, and the SMS outbox (central.hall_map, central.sms).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hall_maps",
        sa.Column("hall", sa.String(100), primary_key=True),
        sa.Column("image_png", sa.LargeBinary(), nullable=False),
        sa.Column("image_sha256", sa.String(64), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("areas", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
    )
    op.create_table(
        "sms_outbox",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("terminal_id", sa.String(64), nullable=False),
        sa.Column("idempotency_key", sa.String(64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("reference", sa.String(64), nullable=False),
        sa.Column("phone_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("phone_key", sa.String(64), nullable=False),
        sa.Column("masked_phone", sa.String(11), nullable=False),
        sa.Column("text", sa.String(500), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_sms_outbox_terminal_key", "sms_outbox",
                    ["terminal_id", "idempotency_key"], unique=True)
    op.create_index("ix_sms_outbox_phone_day", "sms_outbox", ["phone_key", "day"])
    op.create_index("ix_sms_outbox_terminal_day", "sms_outbox", ["terminal_id", "day"])


def downgrade() -> None:
    op.drop_index("ix_sms_outbox_terminal_day", table_name="sms_outbox")
    op.drop_index("ix_sms_outbox_phone_day", table_name="sms_outbox")
    op.drop_index("ix_sms_outbox_terminal_key", table_name="sms_outbox")
    op.drop_table("sms_outbox")
    op.drop_table("hall_maps")
