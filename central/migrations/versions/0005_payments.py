"""Payments (收费): orders priced from the catalog, the attempts to charge them through WeChat Pay
and Alipay, refunds, the terminals' requests by Idempotency-Key, and each order's journal.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _utc(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _order_fk() -> sa.Column:
    return sa.Column("order_id", sa.String(32), sa.ForeignKey("payment_orders.id"),
                     nullable=False)


def upgrade() -> None:
    op.create_table(
        "payment_orders",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("terminal_id", sa.String(64), nullable=False),
        sa.Column("idempotency_key", sa.String(64), nullable=False),
        sa.Column("request_sha256", sa.String(64), nullable=False),
        sa.Column("service_id", sa.String(16), nullable=False),
        sa.Column("item", sa.String(200), nullable=False),
        sa.Column("fee_option", sa.String(40), nullable=True),
        sa.Column("local_number", sa.String(64), nullable=False),
        sa.Column("holder_key", sa.String(64), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("notice_code", sa.String(20), nullable=False),
        sa.Column("reference", sa.String(32), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("failure", sa.String(24), nullable=True),
        sa.Column("channel", sa.String(8), nullable=True),
        sa.Column("transaction_id", sa.String(64), nullable=True),
        sa.Column("paid_attempt_id", sa.Integer(), nullable=True),
        _utc("paid_at", nullable=True),
        _utc("cancelled_at", nullable=True),
        sa.Column("application_number", sa.String(32), nullable=True),
        sa.Column("refund_reason", sa.String(32), nullable=True),
        _utc("refund_requested_at", nullable=True),
        _utc("refunded_at", nullable=True),
        _utc("created_at"),
        _utc("updated_at"),
    )
    op.create_index("ix_payment_orders_terminal_key", "payment_orders",
                    ["terminal_id", "idempotency_key"], unique=True)
    op.create_index("ix_payment_orders_notice_code", "payment_orders", ["notice_code"],
                    unique=True)
    op.create_index("ix_payment_orders_reference", "payment_orders", ["reference"], unique=True)
    op.create_index("ix_payment_orders_state_paid", "payment_orders", ["state", "paid_at"])
    op.create_index("ix_payment_orders_application_number", "payment_orders",
                    ["application_number"])
    op.create_table(
        "payment_attempts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _order_fk(),
        sa.Column("channel", sa.String(8), nullable=False),
        sa.Column("mode", sa.String(8), nullable=False),
        sa.Column("out_trade_no", sa.String(32), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("failure", sa.String(24), nullable=True),
        sa.Column("ending", sa.String(16), nullable=True),
        sa.Column("note", sa.String(200), nullable=False),
        _utc("created_at"),
        _utc("deadline_at"),
        _utc("next_check_at", nullable=True),
        _utc("watch_until", nullable=True),
        sa.Column("checks", sa.Integer(), nullable=False),
        sa.Column("reverse_tries", sa.Integer(), nullable=False),
        sa.Column("transaction_id", sa.String(64), nullable=True),
        _utc("paid_at", nullable=True),
        sa.Column("qr_content", sa.String(512), nullable=True),
        _utc("updated_at"),
    )
    op.create_index("ix_payment_attempts_order_id", "payment_attempts", ["order_id"])
    op.create_index("ix_payment_attempts_out_trade_no", "payment_attempts", ["out_trade_no"],
                    unique=True)
    op.create_index("ix_payment_attempts_state_next", "payment_attempts",
                    ["state", "next_check_at"])
    op.create_table(
        "payment_refunds",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _order_fk(),
        sa.Column("attempt_id", sa.Integer(), sa.ForeignKey("payment_attempts.id"),
                  nullable=False),
        sa.Column("out_refund_no", sa.String(64), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        _utc("requested_at"),
        _utc("next_check_at", nullable=True),
        sa.Column("tries", sa.Integer(), nullable=False),
        sa.Column("refund_id", sa.String(64), nullable=True),
        _utc("done_at", nullable=True),
        sa.Column("note", sa.String(200), nullable=False),
    )
    op.create_index("ix_payment_refunds_order_id", "payment_refunds", ["order_id"])
    op.create_index("ix_payment_refunds_out_refund_no", "payment_refunds", ["out_refund_no"],
                    unique=True)
    op.create_index("ix_payment_refunds_state_next", "payment_refunds",
                    ["state", "next_check_at"])
    op.create_table(
        "payment_requests",
        sa.Column("terminal_id", sa.String(64), primary_key=True),
        sa.Column("idempotency_key", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("request_sha256", sa.String(64), nullable=False),
        _order_fk(),
        sa.Column("attempt_id", sa.Integer(), nullable=True),
        _utc("created_at"),
    )
    op.create_table(
        "payment_events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _order_fk(),
        sa.Column("attempt_id", sa.Integer(), nullable=True),
        _utc("at"),
        sa.Column("what", sa.String(32), nullable=False),
        sa.Column("detail", sa.String(300), nullable=False),
    )
    op.create_index("ix_payment_events_order_id", "payment_events", ["order_id"])


def downgrade() -> None:
    op.drop_table("payment_events")
    op.drop_table("payment_requests")
    op.drop_table("payment_refunds")
    op.drop_table("payment_attempts")
    op.drop_table("payment_orders")
