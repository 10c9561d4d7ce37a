"""The hall map with its window areas, and the SMS outbox (central.hall_map, central.sms).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

from __future__ import annotations

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled by the hall map and SMS work


def downgrade() -> None:
    pass
