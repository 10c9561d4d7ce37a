"""The platform's database: engine and sessions for any SQLAlchemy URL, and the tables.

SQLite (a file) by default, PostgreSQL (`postgresql+psycopg://…`) for a real hall network; the
schema itself is created by the Alembic migrations in `central/migrations`, never by
`create_all`, so both databases go through the same steps.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    create_engine,
    event,
)
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """Timestamps in UTC, timezone-aware on the way out whatever the database keeps."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        # SQLite gives back naive values; they were stored as UTC
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    pass


class ServiceRecord(Base):
    """One service (事项) of the catalog; `body` is the contract's `Service` as JSON."""

    __tablename__ = "services"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)  # order in the catalog
    theme: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(200))
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CatalogRelease(Base):
    """A published version of the catalog; the newest row is what terminals get."""

    __tablename__ = "catalog_releases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version: Mapped[str] = mapped_column(String(64), index=True)
    published_at: Mapped[datetime] = mapped_column(UtcDateTime)
    themes: Mapped[list[str]] = mapped_column(JSON)


class TerminalRecord(Base):
    """A registered terminal and its latest reported state (one row, updated per heartbeat)."""

    __tablename__ = "terminals"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    hall: Mapped[str] = mapped_column(String(100), index=True)
    # the HMAC key: the platform must hold it to check signatures, so it cannot be a hash
    key: Mapped[str] = mapped_column(String(128))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    interval_s: Mapped[float] = mapped_column(Float, default=30.0)
    app_version: Mapped[str | None] = mapped_column(String(64), nullable=True)
    uptime_s: Mapped[float | None] = mapped_column(Float, nullable=True)
    network: Mapped[str | None] = mapped_column(String(16), nullable=True)
    catalog_version: Mapped[str | None] = mapped_column(String(64), nullable=True)
    service_state: Mapped[str | None] = mapped_column(String(16), nullable=True)
    outbox_backlog: Mapped[int] = mapped_column(Integer, default=0)
    backlog_rises: Mapped[int] = mapped_column(Integer, default=0)  # heartbeats in a row
    # family -> {"state", "code", "detail"} as last reported
    devices: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # what managers asked for; the heartbeat answer carries both every time
    maintenance: Mapped[bool] = mapped_column(Boolean, default=False)
    notice: Mapped[str | None] = mapped_column(String(500), nullable=True)
    offline_since: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class NonceRecord(Base):
    """Nonces seen in the last minutes, per terminal: a second use is a replay."""

    __tablename__ = "terminal_nonces"

    terminal_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("terminals.id", ondelete="CASCADE"), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class TerminalEvent(Base):
    """Something that happened to a terminal: a device's health changed, it went off- or
    online, a command was issued or carried out, an alert was acknowledged."""

    __tablename__ = "terminal_events"
    __table_args__ = (Index("ix_terminal_events_terminal_at", "terminal_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    terminal_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("terminals.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    kind: Mapped[str] = mapped_column(String(32))
    family: Mapped[str | None] = mapped_column(String(32), nullable=True)
    state: Mapped[str | None] = mapped_column(String(16), nullable=True)
    code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    detail: Mapped[str] = mapped_column(String(500), default="")


class AlertRecord(Base):
    """An alert for the hall manager: raised, maybe resolved by itself, acknowledged by staff."""

    __tablename__ = "alerts"
    __table_args__ = (Index("ix_alerts_terminal_resolved", "terminal_id", "resolved_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    terminal_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("terminals.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))  # terminal_offline, device_error, outbox_backlog
    family: Mapped[str | None] = mapped_column(String(32), nullable=True)
    code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    detail: Mapped[str] = mapped_column(String(500), default="")
    raised_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    acked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    acked_by: Mapped[str | None] = mapped_column(String(64), nullable=True)


class CommandRecord(Base):
    """A command for a terminal, from issue to delivery to the terminal's acknowledgement."""

    __tablename__ = "terminal_commands"
    __table_args__ = (Index("ix_terminal_commands_terminal_done", "terminal_id", "done_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    terminal_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("terminals.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    text: Mapped[str | None] = mapped_column(String(500), nullable=True)
    issued_by: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class HourlyActivity(Base):
    """Counts reported by heartbeats, summed per terminal and hour (UTC) for the charts."""

    __tablename__ = "terminal_hourly_activity"

    terminal_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("terminals.id", ondelete="CASCADE"), primary_key=True)
    hour: Mapped[datetime] = mapped_column(UtcDateTime, primary_key=True)
    sessions: Mapped[int] = mapped_column(Integer, default=0)
    services: Mapped[int] = mapped_column(Integer, default=0)
    prints: Mapped[int] = mapped_column(Integer, default=0)
    ratings: Mapped[int] = mapped_column(Integer, default=0)


class ConsoleUser(Base):
    """A person who logs in to the console: an administrator, or the manager of one hall."""

    __tablename__ = "console_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))  # argon2id, PHC string
    role: Mapped[str] = mapped_column(String(32))  # administrator | hall-manager
    hall: Mapped[str | None] = mapped_column(String(100), nullable=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class ConsoleSession(Base):
    """A logged-in browser; the cookie holds a random token, the table only its hash."""

    __tablename__ = "console_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("console_users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class CertificateRecord(Base):
    """A certificate the platform issued (`central.certificates`): what it said, masked, and
    the platform's signature over that, so `/verify/{code}` can vouch for it."""

    __tablename__ = "certificates"
    __table_args__ = (Index("ix_certificates_terminal_key", "terminal_id", "idempotency_key",
                            unique=True),)

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    service_id: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    holder_masked: Mapped[str] = mapped_column(String(64))
    id_number_masked: Mapped[str] = mapped_column(String(32))
    period: Mapped[str] = mapped_column(String(100))
    # (label, value) rows shown on the verification page; masked, no raw personal data
    summary: Mapped[list[Any]] = mapped_column(JSON)
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    terminal_id: Mapped[str] = mapped_column(String(64))
    hall: Mapped[str] = mapped_column(String(100))
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(128))
    # a repeated request with the same key gets the same certificate back (NULL: none given)
    idempotency_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)


# -- citizen services (issue 6): verifications, applications, evaluations ---------------------


class PlatformSecret(Base):
    """A secret the platform generated for itself on first start (`central.platform_secret`)."""

    __tablename__ = "platform_secrets"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class IdentityVerificationRecord(Base):
    """A successful identity verification: the token proves it to later requests of the same
    terminal. Neither the token, the face nor the ID number is kept: only their keyed hashes."""

    __tablename__ = "identity_verifications"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    terminal_id: Mapped[str] = mapped_column(String(64))
    holder_key: Mapped[str] = mapped_column(String(64))  # keyed hash of the ID number
    level: Mapped[int] = mapped_column(Integer)
    elderly_relaxed_applied: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class ApplicationRecord(Base):
    """An application (申请) as received from a terminal; the pages and signature are in
    `application_files`, the status history in `application_events`."""

    __tablename__ = "applications"
    __table_args__ = (
        Index("ix_applications_number", "number", unique=True),
        Index("ix_applications_terminal_key", "terminal_id", "idempotency_key", unique=True),
        Index("ix_applications_terminal_local", "terminal_id", "local_number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    number: Mapped[str] = mapped_column(String(32))  # 受理编号, SL + yyyymmdd + 6 digits
    terminal_id: Mapped[str] = mapped_column(String(64))
    idempotency_key: Mapped[str] = mapped_column(String(64))
    request_sha256: Mapped[str] = mapped_column(String(64))  # a repeat must match it
    answer: Mapped[dict[str, Any]] = mapped_column(JSON)  # the first ApplicationAccepted
    service_id: Mapped[str] = mapped_column(String(16))
    service_name: Mapped[str] = mapped_column(String(200))
    local_number: Mapped[str] = mapped_column(String(64))
    applicant_name: Mapped[str] = mapped_column(String(64))
    holder_key: Mapped[str] = mapped_column(String(64), index=True)  # for the by-holder lookup
    identity_level: Mapped[int] = mapped_column(Integer)
    elderly_relaxed_applied: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(16))
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    accepted_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    situations: Mapped[dict[str, Any]] = mapped_column(JSON)
    form: Mapped[dict[str, Any]] = mapped_column(JSON)
    consent: Mapped[dict[str, Any]] = mapped_column(JSON)
    missing_materials: Mapped[list[Any]] = mapped_column(JSON)  # 容缺: to be brought later


class ApplicationEventRecord(Base):
    """One status of an application's timeline (GB/T 40756 §9.4.6.5)."""

    __tablename__ = "application_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    note: Mapped[str] = mapped_column(String(500), default="")


class ApplicationFileRecord(Base):
    """A scanned page (JPEG), the signature (PNG) or the consented live face of an application."""

    __tablename__ = "application_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # page | signature | face
    material: Mapped[str | None] = mapped_column(String(200), nullable=True)
    position: Mapped[int] = mapped_column(Integer)  # page number within the material
    media_type: Mapped[str] = mapped_column(String(32))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class ResultDocumentRecord(Base):
    """A document an application produced (the 办结通知书), as the PDF the kiosk prints."""

    __tablename__ = "result_documents"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    application_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)


class EvaluationRecord(Base):
    """A 好差评 rating from a terminal, tied to the application rated when there is one."""

    __tablename__ = "evaluations"
    __table_args__ = (
        Index("ix_evaluations_terminal_key", "terminal_id", "idempotency_key", unique=True),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    terminal_id: Mapped[str] = mapped_column(String(64))
    idempotency_key: Mapped[str] = mapped_column(String(64))
    request_sha256: Mapped[str] = mapped_column(String(64))
    service_id: Mapped[str] = mapped_column(String(16), index=True)
    application_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("applications.id", ondelete="SET NULL"), nullable=True)
    acceptance_number: Mapped[str | None] = mapped_column(String(32), nullable=True)
    local_number: Mapped[str | None] = mapped_column(String(64), nullable=True)
    level: Mapped[int] = mapped_column(Integer)
    reasons: Mapped[list[Any]] = mapped_column(JSON)
    comment: Mapped[str] = mapped_column(String(200), default="")
    rated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


def open_engine(database_url: str) -> Engine:
    """An engine for the URL; for a SQLite file, its folder is created if missing."""
    url = make_url(database_url)
    options: dict[str, Any] = {}
    if url.get_backend_name() == "sqlite":
        # requests are served from a thread pool; SQLite must accept that
        options["connect_args"] = {"check_same_thread": False}
        if url.database in (None, "", ":memory:"):
            options["poolclass"] = StaticPool  # one shared connection, or each sees an empty db
        else:
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, **options)
    if url.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # readers keep going while the seed or the console writes
    cursor.execute("PRAGMA journal_mode=WAL")
    # with WAL this cannot corrupt the file; a power cut may lose the last heartbeats only
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(engine, expire_on_commit=False)
