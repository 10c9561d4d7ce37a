"""取号 offline: tickets a terminal issued while the platform was away (central.queue).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

from __future__ import annotations

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled by the offline queue work


def downgrade() -> None:
    pass
