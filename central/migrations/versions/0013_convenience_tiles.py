"""便民服务: each hall's tiles and the third parties' cached answers (central.convenience).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

from __future__ import annotations

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled by the tiles work


def downgrade() -> None:
    pass
