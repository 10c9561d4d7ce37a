"""The service catalog: services and the published catalog versions.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "services",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("theme", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_services_theme", "services", ["theme"])
    op.create_table(
        "catalog_releases",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("themes", sa.JSON(), nullable=False),
    )
    op.create_index("ix_catalog_releases_version", "catalog_releases", ["version"])


def downgrade() -> None:
    op.drop_index("ix_catalog_releases_version", table_name="catalog_releases")
    op.drop_table("catalog_releases")
    op.drop_index("ix_services_theme", table_name="services")
    op.drop_table("services")
