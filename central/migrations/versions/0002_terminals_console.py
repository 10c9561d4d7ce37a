"""Terminals, their heartbeats' state, events, alerts and commands; console users and sessions.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _utc(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _terminal_fk() -> sa.Column:
    return sa.Column("terminal_id", sa.String(64),
                     sa.ForeignKey("terminals.id", ondelete="CASCADE"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "terminals",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("hall", sa.String(100), nullable=False),
        sa.Column("key", sa.String(128), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        _utc("created_at"),
        _utc("last_seen_at", nullable=True),
        sa.Column("interval_s", sa.Float(), nullable=False),
        sa.Column("app_version", sa.String(64), nullable=True),
        sa.Column("uptime_s", sa.Float(), nullable=True),
        sa.Column("network", sa.String(16), nullable=True),
        sa.Column("catalog_version", sa.String(64), nullable=True),
        sa.Column("service_state", sa.String(16), nullable=True),
        sa.Column("outbox_backlog", sa.Integer(), nullable=False),
        sa.Column("backlog_rises", sa.Integer(), nullable=False),
        sa.Column("devices", sa.JSON(), nullable=False),
        sa.Column("maintenance", sa.Boolean(), nullable=False),
        sa.Column("notice", sa.String(500), nullable=True),
        _utc("offline_since", nullable=True),
    )
    op.create_index("ix_terminals_hall", "terminals", ["hall"])
    op.create_table(
        "terminal_nonces",
        sa.Column("terminal_id", sa.String(64),
                  sa.ForeignKey("terminals.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("nonce", sa.String(64), primary_key=True),
        _utc("seen_at"),
    )
    op.create_index("ix_terminal_nonces_seen_at", "terminal_nonces", ["seen_at"])
    op.create_table(
        "terminal_events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _terminal_fk(),
        _utc("at"),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("family", sa.String(32), nullable=True),
        sa.Column("state", sa.String(16), nullable=True),
        sa.Column("code", sa.String(64), nullable=True),
        sa.Column("detail", sa.String(500), nullable=False),
    )
    op.create_index("ix_terminal_events_terminal_at", "terminal_events", ["terminal_id", "at"])
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _terminal_fk(),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("family", sa.String(32), nullable=True),
        sa.Column("code", sa.String(64), nullable=True),
        sa.Column("detail", sa.String(500), nullable=False),
        _utc("raised_at"),
        _utc("resolved_at", nullable=True),
        _utc("acked_at", nullable=True),
        sa.Column("acked_by", sa.String(64), nullable=True),
    )
    op.create_index("ix_alerts_terminal_resolved", "alerts", ["terminal_id", "resolved_at"])
    op.create_index("ix_alerts_raised_at", "alerts", ["raised_at"])
    op.create_table(
        "terminal_commands",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _terminal_fk(),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("text", sa.String(500), nullable=True),
        sa.Column("issued_by", sa.String(64), nullable=False),
        _utc("issued_at"),
        _utc("delivered_at", nullable=True),
        _utc("done_at", nullable=True),
    )
    op.create_index("ix_terminal_commands_terminal_done", "terminal_commands",
                    ["terminal_id", "done_at"])
    op.create_table(
        "terminal_hourly_activity",
        sa.Column("terminal_id", sa.String(64),
                  sa.ForeignKey("terminals.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("hour", sa.DateTime(timezone=True), primary_key=True),
        sa.Column("sessions", sa.Integer(), nullable=False),
        sa.Column("services", sa.Integer(), nullable=False),
        sa.Column("prints", sa.Integer(), nullable=False),
        sa.Column("ratings", sa.Integer(), nullable=False),
    )
    op.create_table(
        "console_users",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("hall", sa.String(100), nullable=True),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        _utc("locked_until", nullable=True),
        _utc("created_at"),
        _utc("last_login_at", nullable=True),
    )
    op.create_table(
        "console_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer(),
                  sa.ForeignKey("console_users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        _utc("created_at"),
        _utc("expires_at"),
    )
    op.create_index("ix_console_sessions_user_id", "console_sessions", ["user_id"])
    op.create_index("ix_console_sessions_expires_at", "console_sessions", ["expires_at"])


def downgrade() -> None:
    for table in ("console_sessions", "console_users", "terminal_hourly_activity",
                  "terminal_commands", "alerts", "terminal_events", "terminal_nonces",
                  "terminals"):
        op.drop_table(table)
