"""取号 offline: tickets a terminal issued while the platform was away (central.queue_offline).

The leases (blocks of numbers granted to a terminal per hall day, group and kind) and, on a
ticket, the lease it was numbered from.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "queue_leases",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("token_prefix", sa.String(12), nullable=False, unique=True),
        sa.Column("hall", sa.String(100), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("group_id", sa.String(1), nullable=False),
        sa.Column("priority", sa.Boolean(), nullable=False),
        sa.Column("first", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.Column("terminal_id", sa.String(64), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_queue_leases_block", "queue_leases",
                    ["hall", "day", "group_id", "priority", "first"], unique=True)
    op.create_index("ix_queue_leases_terminal", "queue_leases", ["terminal_id", "day"])
    # batch: SQLite adds a column with a foreign key only by copying the table
    with op.batch_alter_table("queue_tickets") as batch:
        batch.add_column(sa.Column("lease_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_queue_tickets_lease", "queue_leases", ["lease_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("queue_tickets") as batch:
        batch.drop_constraint("fk_queue_tickets_lease", type_="foreignkey")
        batch.drop_column("lease_id")
    op.drop_index("ix_queue_leases_terminal", table_name="queue_leases")
    op.drop_index("ix_queue_leases_block", table_name="queue_leases")
    op.drop_table("queue_leases")
