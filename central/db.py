"""The platform's database: engine and sessions for any SQLAlchemy URL, and the tables.

SQLite (a file) by default, PostgreSQL (`postgresql+psycopg://…`) for a real hall network; the
schema itself is created by the Alembic migrations in `central/migrations`, never by
`create_all`, so both databases go through the same steps.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, DateTime, Engine, Integer, String, create_engine, event
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
    cursor.close()


def session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(engine, expire_on_commit=False)
