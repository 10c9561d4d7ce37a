"""取号: the platform's own queue tickets (central.queue).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "queue_tickets",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("token", sa.String(64), nullable=False, unique=True),
        sa.Column("hall", sa.String(100), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("group_id", sa.String(1), nullable=False),
        sa.Column("number", sa.String(8), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("priority", sa.String(16), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("terminal_id", sa.String(64), nullable=False),
        sa.Column("idempotency_key", sa.String(64), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_queue_tickets_number", "queue_tickets", ["hall", "day", "number"],
                    unique=True)
    op.create_index("ix_queue_tickets_terminal_key", "queue_tickets",
                    ["terminal_id", "idempotency_key"], unique=True)
    op.create_index("ix_queue_tickets_waiting", "queue_tickets",
                    ["hall", "day", "group_id", "state"])


def downgrade() -> None:
    op.drop_index("ix_queue_tickets_waiting", table_name="queue_tickets")
    op.drop_index("ix_queue_tickets_terminal_key", table_name="queue_tickets")
    op.drop_index("ix_queue_tickets_number", table_name="queue_tickets")
    op.drop_table("queue_tickets")
