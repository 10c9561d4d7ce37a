"""Citizen services: identity verifications, applications with their timeline, files and
result documents, evaluations, and the platform's own secret.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _utc(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _application_fk(ondelete: str = "CASCADE", nullable: bool = False) -> sa.Column:
    return sa.Column("application_id", sa.Integer(),
                     sa.ForeignKey("applications.id", ondelete=ondelete), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "platform_secrets",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("value", sa.String(128), nullable=False),
        _utc("created_at"),
    )
    op.create_table(
        "identity_verifications",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("terminal_id", sa.String(64), nullable=False),
        sa.Column("holder_key", sa.String(64), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("elderly_relaxed_applied", sa.Boolean(), nullable=False),
        _utc("created_at"),
        _utc("expires_at"),
    )
    op.create_index("ix_identity_verifications_expires_at", "identity_verifications",
                    ["expires_at"])
    op.create_table(
        "applications",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("number", sa.String(32), nullable=False),
        sa.Column("terminal_id", sa.String(64), nullable=False),
        sa.Column("idempotency_key", sa.String(64), nullable=False),
        sa.Column("request_sha256", sa.String(64), nullable=False),
        sa.Column("answer", sa.JSON(), nullable=False),
        sa.Column("service_id", sa.String(16), nullable=False),
        sa.Column("service_name", sa.String(200), nullable=False),
        sa.Column("local_number", sa.String(64), nullable=False),
        sa.Column("applicant_name", sa.String(64), nullable=False),
        sa.Column("holder_key", sa.String(64), nullable=False),
        sa.Column("identity_level", sa.Integer(), nullable=False),
        sa.Column("elderly_relaxed_applied", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        _utc("submitted_at"),
        _utc("accepted_at"),
        sa.Column("situations", sa.JSON(), nullable=False),
        sa.Column("form", sa.JSON(), nullable=False),
        sa.Column("consent", sa.JSON(), nullable=False),
        sa.Column("missing_materials", sa.JSON(), nullable=False),
    )
    op.create_index("ix_applications_number", "applications", ["number"], unique=True)
    op.create_index("ix_applications_terminal_key", "applications",
                    ["terminal_id", "idempotency_key"], unique=True)
    op.create_index("ix_applications_terminal_local", "applications",
                    ["terminal_id", "local_number"])
    op.create_index("ix_applications_holder_key", "applications", ["holder_key"])
    op.create_index("ix_applications_accepted_at", "applications", ["accepted_at"])
    op.create_table(
        "application_events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _application_fk(),
        sa.Column("status", sa.String(16), nullable=False),
        _utc("at"),
        sa.Column("note", sa.String(500), nullable=False),
    )
    op.create_index("ix_application_events_application_id", "application_events",
                    ["application_id"])
    op.create_table(
        "application_files",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _application_fk(),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("material", sa.String(200), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(32), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
    )
    op.create_index("ix_application_files_application_id", "application_files",
                    ["application_id"])
    op.create_table(
        "result_documents",
        sa.Column("id", sa.String(32), primary_key=True),
        _application_fk(),
        sa.Column("name", sa.String(100), nullable=False),
        _utc("created_at"),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
    )
    op.create_index("ix_result_documents_application_id", "result_documents",
                    ["application_id"])
    op.create_table(
        "evaluations",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("terminal_id", sa.String(64), nullable=False),
        sa.Column("idempotency_key", sa.String(64), nullable=False),
        sa.Column("request_sha256", sa.String(64), nullable=False),
        sa.Column("service_id", sa.String(16), nullable=False),
        _application_fk(ondelete="SET NULL", nullable=True),
        sa.Column("acceptance_number", sa.String(32), nullable=True),
        sa.Column("local_number", sa.String(64), nullable=True),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("comment", sa.String(200), nullable=False),
        _utc("rated_at"),
        _utc("received_at"),
    )
    op.create_index("ix_evaluations_terminal_key", "evaluations",
                    ["terminal_id", "idempotency_key"], unique=True)
    op.create_index("ix_evaluations_service_id", "evaluations", ["service_id"])
    op.create_index("ix_evaluations_received_at", "evaluations", ["received_at"])


def downgrade() -> None:
    op.drop_table("evaluations")
    op.drop_table("result_documents")
    op.drop_table("application_files")
    op.drop_table("application_events")
    op.drop_table("applications")
    op.drop_table("identity_verifications")
    op.drop_table("platform_secrets")
