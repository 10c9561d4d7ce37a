"""The platform's database: engine and sessions for any SQLAlchemy URL, and the tables.

SQLite (a file) by default, PostgreSQL (`postgresql+psycopg://…`) for a real hall network; the
schema itself is created by the Alembic migrations in `central/migrations`, never by
`create_all`, so both databases go through the same steps.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
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
from sqlalchemy.engine import CursorResult, Dialect, Result, make_url
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator

from central.contract import ApplicationStatus, CommandKind
from central.contract.payments import PaymentChannel, PaymentFailure, PaymentState

# Columns typed with a Literal hold only its values (each is written from a checked value);
# their SQL type is the String given, not an enum.
Role = Literal["administrator", "hall-manager"]


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
    # "open" / "closed": the hall hours overridden (central.contract.HoursOverride); None: not
    hours_override: Mapped[str | None] = mapped_column(String(16), nullable=True)
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
    kind: Mapped[CommandKind] = mapped_column(String(32))
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


class ReadinessRecord(Base):
    """The latest readiness report of a terminal (`central.contract.readiness`), kept whole:
    one row a terminal, replaced by a newer report."""

    __tablename__ = "terminal_readiness"

    terminal_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("terminals.id", ondelete="CASCADE"), primary_key=True)
    reported_at: Mapped[datetime] = mapped_column(UtcDateTime)  # the terminal's clock
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)  # the platform's
    report: Mapped[dict[str, Any]] = mapped_column(JSON)  # ReadinessReport as JSON


class ConsoleUser(Base):
    """A person who logs in to the console: an administrator, or the manager of one hall."""

    __tablename__ = "console_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))  # argon2id, PHC string
    role: Mapped[Role] = mapped_column(String(32))
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


# -- citizen services: identity verifications, applications and their files, evaluations ------


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
    status: Mapped[ApplicationStatus] = mapped_column(String(16))
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
    status: Mapped[ApplicationStatus] = mapped_column(String(16))
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


# -- payments (收费): orders, the attempts to charge them, refunds, the terminals' requests ----

# Columns typed with a Literal, as above: only these values are written
AttemptMode = Literal["code", "qr"]  # 被扫 (the person's pay code) | 主扫 (the kiosk's QR code)
AttemptState = Literal[
    "paying",  # a pay code was charged; the provider has not said yes or no yet
    "reversing",  # still open at its deadline, or the person gave up: to be reversed
    "confirming",  # the provider said it reversed: a query is to confirm it
    "creating",  # a QR code was asked for; the provider's answer is not in yet
    "open",  # a QR code is shown, waiting to be paid
    "closing",  # a QR code to be closed (expired, replaced, the person gave up)
    "paid", "failed", "closed",
    "refunding", "refunded",  # paid, and the money is (being) given back
    "unresolved",  # the provider's answers left it open: staff resolve it
]
RefundState = Literal["pending", "done", "unresolved"]


class PaymentOrderRecord(Base):
    """An order for a service's fee, priced by the platform (`central.payments`), for the
    person a terminal verified; `state` is what the terminal is told (the contract's
    `PaymentState`)."""

    __tablename__ = "payment_orders"
    __table_args__ = (
        Index("ix_payment_orders_terminal_key", "terminal_id", "idempotency_key", unique=True),
        Index("ix_payment_orders_notice_code", "notice_code", unique=True),
        Index("ix_payment_orders_reference", "reference", unique=True),
        Index("ix_payment_orders_state_paid", "state", "paid_at"),
        Index("ix_payment_orders_e_receipt", "e_receipt_number", unique=True),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # PO + base32
    terminal_id: Mapped[str] = mapped_column(String(64))
    idempotency_key: Mapped[str] = mapped_column(String(64))
    request_sha256: Mapped[str] = mapped_column(String(64))
    service_id: Mapped[str] = mapped_column(String(16))
    item: Mapped[str] = mapped_column(String(200))
    fee_option: Mapped[str | None] = mapped_column(String(40), nullable=True)
    local_number: Mapped[str] = mapped_column(String(64))
    holder_key: Mapped[str] = mapped_column(String(64))  # keyed hash of the ID number
    amount_fen: Mapped[int] = mapped_column(Integer)
    notice_code: Mapped[str] = mapped_column(String(20))  # 缴款码
    reference: Mapped[str] = mapped_column(String(32))
    state: Mapped[PaymentState] = mapped_column(String(16))
    failure: Mapped[PaymentFailure | None] = mapped_column(String(24), nullable=True)
    channel: Mapped[PaymentChannel | None] = mapped_column(String(8), nullable=True)
    transaction_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    paid_attempt_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    paid_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    # the application that named this order (`ApplicationSubmission.payment_order_id`)
    application_number: Mapped[str | None] = mapped_column(String(32), nullable=True,
                                                           index=True)
    refund_reason: Mapped[str | None] = mapped_column(String(32), nullable=True)
    refund_requested_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    refunded_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # 财政电子票据 of a paid order (`central.payments.einvoice`): 票据代码 + 票据号码, and
    # where it is checked
    e_receipt_number: Mapped[str | None] = mapped_column(String(18), nullable=True)
    e_receipt_url: Mapped[str | None] = mapped_column(String(300), nullable=True)


class NontaxPaymentRecord(Base):
    """A payment of an order's 缴款码 made elsewhere, as the 非税 collection system told it
    (`central.payments.nontax`); once per collector's transaction id. `outcome`: `paid` (it
    paid the order) or `extra` (the order was not waiting for it: left to staff, `alert_id`)."""

    __tablename__ = "nontax_payments"
    __table_args__ = (
        Index("ix_nontax_payments_transaction", "transaction_id", unique=True),
        Index("ix_nontax_payments_order", "order_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    transaction_id: Mapped[str] = mapped_column(String(64))
    request_sha256: Mapped[str] = mapped_column(String(64))
    notice_code: Mapped[str] = mapped_column(String(20))
    order_id: Mapped[str] = mapped_column(String(32))
    amount_fen: Mapped[int] = mapped_column(Integer)
    paid_at: Mapped[datetime] = mapped_column(UtcDateTime)
    channel_name: Mapped[str] = mapped_column(String(40))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    outcome: Mapped[str] = mapped_column(String(16))
    alert_id: Mapped[int | None] = mapped_column(Integer, nullable=True)


class PaymentAttemptRecord(Base):
    """One try to charge an order through a provider, under its own out_trade_no: a pay code
    handed over, or a QR code shown. The resolver moves it on at `next_check_at`."""

    __tablename__ = "payment_attempts"
    __table_args__ = (
        Index("ix_payment_attempts_out_trade_no", "out_trade_no", unique=True),
        Index("ix_payment_attempts_state_next", "state", "next_check_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[str] = mapped_column(String(32), ForeignKey("payment_orders.id"),
                                          index=True)
    channel: Mapped[PaymentChannel] = mapped_column(String(8))
    mode: Mapped[AttemptMode] = mapped_column(String(8))
    out_trade_no: Mapped[str] = mapped_column(String(32))
    state: Mapped[AttemptState] = mapped_column(String(16))
    failure: Mapped[PaymentFailure | None] = mapped_column(String(24), nullable=True)
    # why it is being reversed or closed: timeout | cancel | replaced | expired
    ending: Mapped[str | None] = mapped_column(String(16), nullable=True)
    note: Mapped[str] = mapped_column(String(200), default="")  # the provider's last answer
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)  # the charge or QR was asked
    deadline_at: Mapped[datetime] = mapped_column(UtcDateTime)  # reverse or close after it
    next_check_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    # a QR code closed without the provider's word that it is: watched until then
    watch_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    checks: Mapped[int] = mapped_column(Integer, default=0)
    reverse_tries: Mapped[int] = mapped_column(Integer, default=0)
    transaction_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    paid_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    qr_content: Mapped[str | None] = mapped_column(String(512), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PaymentRefundRecord(Base):
    """Money given back: all of an attempt's charge, once (`out_refund_no` is the attempt's)."""

    __tablename__ = "payment_refunds"
    __table_args__ = (
        Index("ix_payment_refunds_out_refund_no", "out_refund_no", unique=True),
        Index("ix_payment_refunds_state_next", "state", "next_check_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[str] = mapped_column(String(32), ForeignKey("payment_orders.id"),
                                          index=True)
    attempt_id: Mapped[int] = mapped_column(Integer, ForeignKey("payment_attempts.id"))
    out_refund_no: Mapped[str] = mapped_column(String(64))
    amount_fen: Mapped[int] = mapped_column(Integer)
    # refused (不予受理) | unclaimed (no application named it) | extra (a second charge)
    reason: Mapped[str] = mapped_column(String(32))
    state: Mapped[RefundState] = mapped_column(String(16))
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime)
    next_check_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    tries: Mapped[int] = mapped_column(Integer, default=0)
    refund_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    note: Mapped[str] = mapped_column(String(200), default="")


class PaymentRequestRecord(Base):
    """A terminal's pay-code or QR request, by its Idempotency-Key: a repeat is answered from
    the attempt it made, never charged again."""

    __tablename__ = "payment_requests"

    terminal_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # pay-code | qr
    request_sha256: Mapped[str] = mapped_column(String(64))
    order_id: Mapped[str] = mapped_column(String(32), ForeignKey("payment_orders.id"))
    attempt_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PaymentEventRecord(Base):
    """The journal of an order: every transition of it, its attempts and its refunds, with
    the provider's answer that caused it (for staff and reconciliation)."""

    __tablename__ = "payment_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[str] = mapped_column(String(32), ForeignKey("payment_orders.id"),
                                          index=True)
    attempt_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    what: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(String(300), default="")



# -- reconciliation (对账): each provider's daily statement against the payments ---------------

# Columns typed with a Literal, as above
StatementLineKind = Literal["charge", "refund", "reversal"]  # money in; money given back
# 长款 (money kept at the provider, no paid order for it) | 短款 (a paid order without its
# money) | 金额不符 | an attempt or refund the state machine left to staff (未决)
FindingKind = Literal["long", "short", "amount", "unresolved"]
FindingResolution = Literal["refund", "settled"]


class ReconciliationRun(Base):
    """One provider's statement of one day fetched and matched, or why it could not be."""

    __tablename__ = "reconciliation_runs"
    __table_args__ = (Index("ix_reconciliation_runs_day_channel", "day", "channel"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    day: Mapped[date] = mapped_column(Date)  # the statement's day, in China
    channel: Mapped[PaymentChannel] = mapped_column(String(8))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    outcome: Mapped[str] = mapped_column(String(16))  # done | unavailable | unreadable
    lines: Mapped[int] = mapped_column(Integer, default=0)  # lines the statement held
    findings: Mapped[int] = mapped_column(Integer, default=0)  # new findings of this run
    note: Mapped[str] = mapped_column(String(300), default="")
    started_by: Mapped[str] = mapped_column(String(64))  # schedule | command | a console user


class StatementLineRecord(Base):
    """A line of a provider's daily statement: a payment, or money given back (a refund, a
    reversal). Kept, so a run can be repeated and a trade's lines of several days add up."""

    __tablename__ = "statement_lines"
    __table_args__ = (
        Index("ix_statement_lines_key", "channel", "line_key", unique=True),
        Index("ix_statement_lines_trade", "channel", "out_trade_no"),
        Index("ix_statement_lines_day", "day", "channel"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[PaymentChannel] = mapped_column(String(8))
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[StatementLineKind] = mapped_column(String(8))
    line_key: Mapped[str] = mapped_column(String(160))  # one line, however often fetched
    out_trade_no: Mapped[str] = mapped_column(String(64))
    transaction_id: Mapped[str] = mapped_column(String(64))
    out_refund_no: Mapped[str] = mapped_column(String(64), default="")
    amount_fen: Mapped[int] = mapped_column(Integer)  # positive, in or out as `kind` says
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class PaymentFindingRecord(Base):
    """What reconciliation found wrong with one trade (or refund), once (`key`), until an
    administrator resolves it: the money given back (a refund through the payments' refund
    path) or marked settled, by whom, when, with a note."""

    __tablename__ = "payment_findings"
    __table_args__ = (
        Index("ix_payment_findings_key", "key", unique=True),
        Index("ix_payment_findings_terminal_resolved", "terminal_id", "resolved_at"),
        Index("ix_payment_findings_found_at", "found_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(160))  # kind:channel:out_trade_no (or refund no)
    kind: Mapped[FindingKind] = mapped_column(String(16))
    day: Mapped[date] = mapped_column(Date)  # the statement's day that showed it
    channel: Mapped[PaymentChannel] = mapped_column(String(8))
    out_trade_no: Mapped[str] = mapped_column(String(64))
    order_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("payment_orders.id"), nullable=True)
    attempt_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("payment_attempts.id"), nullable=True)
    terminal_id: Mapped[str | None] = mapped_column(String(64), nullable=True)  # the order's
    expected_fen: Mapped[int | None] = mapped_column(Integer, nullable=True)  # the platform's
    statement_fen: Mapped[int | None] = mapped_column(Integer, nullable=True)  # the provider's
    detail: Mapped[str] = mapped_column(String(300), default="")
    found_at: Mapped[datetime] = mapped_column(UtcDateTime)
    alert_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    resolution: Mapped[FindingResolution | None] = mapped_column(String(16), nullable=True)
    resolved_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    note: Mapped[str] = mapped_column(String(200), default="")
    refund_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("payment_refunds.id"), nullable=True)


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


def rows_matched(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE matched.

    `Session.execute` is typed to return a `Result` (SQLAlchemy 2.0.44 on: some ORM statements
    give no other); for a bulk UPDATE or DELETE without RETURNING it is a `CursorResult`, which
    has the count.
    """
    if not isinstance(result, CursorResult):
        raise TypeError(f"not the result of an UPDATE or DELETE: {type(result).__name__}")
    return result.rowcount


class ReleaseRecord(Base):
    """A release bundle of the kiosk's code (`central.releases`), with its signed manifest."""

    __tablename__ = "releases"

    version: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    manifest: Mapped[str] = mapped_column(String(1000))  # the exact text that was signed
    signature: Mapped[str] = mapped_column(String(128))
    bundle: Mapped[bytes] = mapped_column(LargeBinary)


class RolloutRecord(Base):
    """A version rolled out to some terminals: the first `first_stage` of them first, the rest
    once those run it; stopped at the first terminal whose update failed."""

    __tablename__ = "rollouts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version: Mapped[str] = mapped_column(String(64), ForeignKey("releases.version"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(64))
    first_stage: Mapped[int] = mapped_column(Integer)
    stopped_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    stop_reason: Mapped[str | None] = mapped_column(String(300), nullable=True)


class RolloutTerminal(Base):
    """One terminal of a rollout and how far it got (`contract.releases.UpdateState`)."""

    __tablename__ = "rollout_terminals"
    __table_args__ = (Index("ix_rollout_terminals_terminal", "terminal_id", "rollout_id"),)

    rollout_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("rollouts.id", ondelete="CASCADE"), primary_key=True)
    terminal_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("terminals.id", ondelete="CASCADE"), primary_key=True)
    stage: Mapped[int] = mapped_column(Integer)  # 1: the first terminals, 2: the rest
    state: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(200), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class QueueTicketRecord(Base):
    """A 取号 ticket of the platform's own queue (`central.queue`): no personal data, only the
    group, its number of the day and why it is a priority ticket (a category)."""

    __tablename__ = "queue_tickets"
    __table_args__ = (
        Index("ix_queue_tickets_number", "hall", "day", "number", unique=True),
        Index("ix_queue_tickets_terminal_key", "terminal_id", "idempotency_key", unique=True),
        Index("ix_queue_tickets_waiting", "hall", "day", "group_id", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    hall: Mapped[str] = mapped_column(String(100))
    day: Mapped[date] = mapped_column(Date)  # the hall's day (China time): numbers restart
    group_id: Mapped[str] = mapped_column(String(1))
    number: Mapped[str] = mapped_column(String(8))
    sequence: Mapped[int] = mapped_column(Integer)  # of its group and kind on that day
    priority: Mapped[str | None] = mapped_column(String(16), nullable=True)
    state: Mapped[str] = mapped_column(String(16))  # contract.queue.TicketState
    terminal_id: Mapped[str] = mapped_column(String(64))
    idempotency_key: Mapped[str] = mapped_column(String(64))
    taken_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # the lease it was numbered from while the platform was away (central.queue_offline);
    # NULL: numbered here. Migration 0015.
    lease_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("queue_leases.id"),
                                                 nullable=True)


# -- hall map and SMS (central.hall_map, central.sms; migration 0014) -------------------------

class HallMapRecord(Base):
    """A hall's floor plan (a PNG the platform re-encoded from the upload) and its window
    areas (`central.contract.hall_map.WindowArea` as JSON, validated on the way in and out)."""

    __tablename__ = "hall_maps"

    hall: Mapped[str] = mapped_column(String(100), primary_key=True)
    image_png: Mapped[bytes] = mapped_column(LargeBinary)
    image_sha256: Mapped[str] = mapped_column(String(64))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    areas: Mapped[list[Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_by: Mapped[str] = mapped_column(String(64))


class SmsOutboxRecord(Base):
    """A text message to a person's phone: the number sealed (AES-GCM under a key derived from
    the platform secret), a keyed hash of it for the daily limit, and its masked form for
    staff; the text comes from the platform's template, never from the terminal."""

    __tablename__ = "sms_outbox"
    __table_args__ = (
        Index("ix_sms_outbox_terminal_key", "terminal_id", "idempotency_key", unique=True),
        Index("ix_sms_outbox_phone_day", "phone_key", "day"),
        Index("ix_sms_outbox_terminal_day", "terminal_id", "day"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    terminal_id: Mapped[str] = mapped_column(String(64))
    idempotency_key: Mapped[str] = mapped_column(String(64))
    day: Mapped[date] = mapped_column(Date)  # the hall's day (China time): the daily limits
    kind: Mapped[str] = mapped_column(String(32))
    reference: Mapped[str] = mapped_column(String(64))
    phone_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    phone_key: Mapped[str] = mapped_column(String(64))
    masked_phone: Mapped[str] = mapped_column(String(11))
    text: Mapped[str] = mapped_column(String(500))
    state: Mapped[str] = mapped_column(String(16))  # contract.sms.SmsState
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AppointmentRecord(Base):
    """A 预约 of the platform's appointments (`central.appointments`): the holder only as the
    keyed hash of the verified ID number and the masked name; `seat` numbers the bookings of
    a slot so that two terminals can never both take its last place (NULL once cancelled)."""

    __tablename__ = "appointments"
    __table_args__ = (
        Index("ix_appointments_seat", "hall", "service_id", "day", "start", "seat", unique=True),
        Index("ix_appointments_terminal_key", "terminal_id", "idempotency_key", unique=True),
        Index("ix_appointments_holder", "holder_key", "day"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)  # the confirmation's QR code
    hall: Mapped[str] = mapped_column(String(100))
    service_id: Mapped[str] = mapped_column(String(16))
    day: Mapped[date] = mapped_column(Date)  # the hall's day (China time)
    start: Mapped[str] = mapped_column(String(5))  # 09:00
    end: Mapped[str] = mapped_column(String(5))
    seat: Mapped[int | None] = mapped_column(Integer, nullable=True)
    holder_key: Mapped[str] = mapped_column(String(64))
    holder_masked: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(16))  # contract.appointments.AppointmentState
    ticket_token: Mapped[str | None] = mapped_column(String(64), nullable=True)  # at check-in
    terminal_id: Mapped[str] = mapped_column(String(64))
    idempotency_key: Mapped[str] = mapped_column(String(64))
    booked_at: Mapped[datetime] = mapped_column(UtcDateTime)
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime)


# -- 便民服务 tiles (central.convenience; migration 0013) -------------------------------------

class ConvenienceTileRecord(Base):
    """A 便民服务 tile of a hall, as its manager set it up (`central.contract.convenience.Tile`)."""

    __tablename__ = "convenience_tiles"
    __table_args__ = (Index("ix_convenience_tiles_hall", "hall", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    hall: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer)  # the order on the kiosk's grid
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(40))
    source: Mapped[str | None] = mapped_column(String(16), nullable=True)
    place: Mapped[str] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(String(300), nullable=True)
    document_title: Mapped[str] = mapped_column(String(40))
    document_text: Mapped[str] = mapped_column(String(4000))
    away_text: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_by: Mapped[str] = mapped_column(String(64))


class ConvenienceFeedRecord(Base):
    """The last good answer of a feed's third party (weather of a place, a news feed), and how
    it answered when last asked: a down third party is asked again only after a pause."""

    __tablename__ = "convenience_feeds"
    __table_args__ = (Index("ix_convenience_feeds_source", "source", "place", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(16))
    place: Mapped[str] = mapped_column(String(300))
    lines: Mapped[list[Any]] = mapped_column(JSON)  # contract InfoLine, validated when read
    fetched_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    asked_at: Mapped[datetime] = mapped_column(UtcDateTime)
    third_party: Mapped[str] = mapped_column(String(16))  # contract.convenience.ThirdParty


# -- 取号 offline (central.queue_offline; migration 0015) --------------------------------------

class QueueLeaseRecord(Base):
    """A block of one group's numbers of one hall day (A501-A550) granted to one terminal to
    give while the platform is away; the platform's own numbering skips it."""

    __tablename__ = "queue_leases"
    __table_args__ = (
        # two leases never start at the same number (the write lock keeps them apart; this
        # is the database's word on it)
        Index("ix_queue_leases_block", "hall", "day", "group_id", "priority", "first",
              unique=True),
        Index("ix_queue_leases_terminal", "terminal_id", "day"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_prefix: Mapped[str] = mapped_column(String(12), unique=True)
    hall: Mapped[str] = mapped_column(String(100))
    day: Mapped[date] = mapped_column(Date)
    group_id: Mapped[str] = mapped_column(String(1))
    priority: Mapped[bool] = mapped_column(Boolean)
    first: Mapped[int] = mapped_column(Integer)
    last: Mapped[int] = mapped_column(Integer)
    terminal_id: Mapped[str] = mapped_column(String(64))
    granted_at: Mapped[datetime] = mapped_column(UtcDateTime)
