"""非税 payment notices paid elsewhere (a bank counter, a government app), as the 非税 collection
system tells the platform; and each paid order's 财政电子票据 (number and check address).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _utc(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("payment_orders") as batch:
        batch.add_column(sa.Column("e_receipt_number", sa.String(18), nullable=True))
        batch.add_column(sa.Column("e_receipt_url", sa.String(300), nullable=True))
        batch.create_index("ix_payment_orders_e_receipt", ["e_receipt_number"], unique=True)
    op.create_table(
        "nontax_payments",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("transaction_id", sa.String(64), nullable=False),
        sa.Column("request_sha256", sa.String(64), nullable=False),
        sa.Column("notice_code", sa.String(20), nullable=False),
        sa.Column("order_id", sa.String(32), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        _utc("paid_at"),
        sa.Column("channel_name", sa.String(40), nullable=False),
        _utc("received_at"),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=True),
    )
    op.create_index("ix_nontax_payments_transaction", "nontax_payments", ["transaction_id"],
                    unique=True)
    op.create_index("ix_nontax_payments_order", "nontax_payments", ["order_id"])


def downgrade() -> None:
    op.drop_table("nontax_payments")
    with op.batch_alter_table("payment_orders") as batch:
        batch.drop_index("ix_payment_orders_e_receipt")
        batch.drop_column("e_receipt_url")
        batch.drop_column("e_receipt_number")
