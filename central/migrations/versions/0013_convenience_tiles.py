"""便民服务: each hall's tiles and the third parties' cached answers (central.convenience).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "convenience_tiles",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("hall", sa.String(100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("title", sa.String(40), nullable=False),
        sa.Column("source", sa.String(16), nullable=True),
        sa.Column("place", sa.String(300), nullable=False),
        sa.Column("url", sa.String(300), nullable=True),
        sa.Column("document_title", sa.String(40), nullable=False),
        sa.Column("document_text", sa.String(4000), nullable=False),
        sa.Column("away_text", sa.String(100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
    )
    op.create_index("ix_convenience_tiles_hall", "convenience_tiles", ["hall", "position"])
    op.create_table(
        "convenience_feeds",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("place", sa.String(300), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("third_party", sa.String(16), nullable=False),
    )
    op.create_index("ix_convenience_feeds_source", "convenience_feeds", ["source", "place"],
                    unique=True)


def downgrade() -> None:
    op.drop_index("ix_convenience_feeds_source", table_name="convenience_feeds")
    op.drop_table("convenience_feeds")
    op.drop_index("ix_convenience_tiles_hall", table_name="convenience_tiles")
    op.drop_table("convenience_tiles")
