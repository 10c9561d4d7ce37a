"""预约: appointment slots and bookings (central.appointments).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "appointments",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("token", sa.String(64), nullable=False, unique=True),
        sa.Column("hall", sa.String(100), nullable=False),
        sa.Column("service_id", sa.String(16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("start", sa.String(5), nullable=False),
        sa.Column("end", sa.String(5), nullable=False),
        sa.Column("seat", sa.Integer(), nullable=True),
        sa.Column("holder_key", sa.String(64), nullable=False),
        sa.Column("holder_masked", sa.String(40), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("ticket_token", sa.String(64), nullable=True),
        sa.Column("terminal_id", sa.String(64), nullable=False),
        sa.Column("idempotency_key", sa.String(64), nullable=False),
        sa.Column("booked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_appointments_seat", "appointments",
                    ["hall", "service_id", "day", "start", "seat"], unique=True)
    op.create_index("ix_appointments_terminal_key", "appointments",
                    ["terminal_id", "idempotency_key"], unique=True)
    op.create_index("ix_appointments_holder", "appointments", ["holder_key", "day"])


def downgrade() -> None:
    op.drop_index("ix_appointments_holder", table_name="appointments")
    op.drop_index("ix_appointments_terminal_key", table_name="appointments")
    op.drop_index("ix_appointments_seat", table_name="appointments")
    op.drop_table("appointments")
