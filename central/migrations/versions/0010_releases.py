"""Release bundles and their rollouts to terminals (remote update).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "releases",
        sa.Column("version", sa.String(64), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("manifest", sa.String(1000), nullable=False),
        sa.Column("signature", sa.String(128), nullable=False),
        sa.Column("bundle", sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        "rollouts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("version", sa.String(64), sa.ForeignKey("releases.version"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("first_stage", sa.Integer(), nullable=False),
        sa.Column("stopped_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("stop_reason", sa.String(300), nullable=True),
    )
    op.create_table(
        "rollout_terminals",
        sa.Column("rollout_id", sa.Integer(),
                  sa.ForeignKey("rollouts.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("terminal_id", sa.String(64),
                  sa.ForeignKey("terminals.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("stage", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(200), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_rollout_terminals_terminal", "rollout_terminals",
                    ["terminal_id", "rollout_id"])


def downgrade() -> None:
    op.drop_index("ix_rollout_terminals_terminal", table_name="rollout_terminals")
    op.drop_table("rollout_terminals")
    op.drop_table("rollouts")
    op.drop_table("releases")
