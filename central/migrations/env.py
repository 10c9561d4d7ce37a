"""Alembic environment: migrates the connection `central.migrate` hands over.

There is no alembic.ini; `central.migrate.alembic_config` builds the configuration in code and
passes either an open connection (normal case) or a URL (offline SQL generation).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from central.db import Base

config = context.config
target_metadata = Base.metadata


def run_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online(config.attributes["connection"])
