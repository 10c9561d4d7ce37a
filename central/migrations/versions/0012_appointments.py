"""预约: appointment slots and bookings (central.appointments).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

from __future__ import annotations

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled by the appointments work


def downgrade() -> None:
    pass
