"""Reconciliation (对账): each run of a provider's daily statement, the statement's lines, and the
findings (长款, 短款, amounts that differ, attempts left unresolved) with how staff resolved them.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _utc(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "reconciliation_runs",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(8), nullable=False),
        _utc("started_at"),
        _utc("finished_at", nullable=True),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("findings", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(300), nullable=False),
        sa.Column("started_by", sa.String(64), nullable=False),
    )
    op.create_index("ix_reconciliation_runs_day_channel", "reconciliation_runs",
                    ["day", "channel"])
    op.create_table(
        "statement_lines",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("channel", sa.String(8), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("line_key", sa.String(160), nullable=False),
        sa.Column("out_trade_no", sa.String(64), nullable=False),
        sa.Column("transaction_id", sa.String(64), nullable=False),
        sa.Column("out_refund_no", sa.String(64), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        _utc("at"),
    )
    op.create_index("ix_statement_lines_key", "statement_lines", ["channel", "line_key"],
                    unique=True)
    op.create_index("ix_statement_lines_trade", "statement_lines", ["channel", "out_trade_no"])
    op.create_index("ix_statement_lines_day", "statement_lines", ["day", "channel"])
    op.create_table(
        "payment_findings",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(160), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(8), nullable=False),
        sa.Column("out_trade_no", sa.String(64), nullable=False),
        sa.Column("order_id", sa.String(32), sa.ForeignKey("payment_orders.id"), nullable=True),
        sa.Column("attempt_id", sa.Integer(), sa.ForeignKey("payment_attempts.id"),
                  nullable=True),
        sa.Column("terminal_id", sa.String(64), nullable=True),
        sa.Column("expected_fen", sa.Integer(), nullable=True),
        sa.Column("statement_fen", sa.Integer(), nullable=True),
        sa.Column("detail", sa.String(300), nullable=False),
        _utc("found_at"),
        sa.Column("alert_id", sa.Integer(), nullable=True),
        sa.Column("resolution", sa.String(16), nullable=True),
        sa.Column("resolved_by", sa.String(64), nullable=True),
        _utc("resolved_at", nullable=True),
        sa.Column("note", sa.String(200), nullable=False),
        sa.Column("refund_id", sa.Integer(), sa.ForeignKey("payment_refunds.id"),
                  nullable=True),
    )
    op.create_index("ix_payment_findings_key", "payment_findings", ["key"], unique=True)
    op.create_index("ix_payment_findings_terminal_resolved", "payment_findings",
                    ["terminal_id", "resolved_at"])
    op.create_index("ix_payment_findings_found_at", "payment_findings", ["found_at"])


def downgrade() -> None:
    op.drop_table("payment_findings")
    op.drop_table("statement_lines")
    op.drop_table("reconciliation_runs")
