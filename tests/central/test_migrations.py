"""The Alembic migrations build the schema the models expect, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from central.db import Base, open_engine
from central.migrate import alembic_config, current_revision, head_revision, migrate


def test_fresh_sqlite_file_is_migrated_to_head(tmp_path: Path, make_app) -> None:
    database = tmp_path / "new" / "central.sqlite3"  # the folder does not exist yet
    app = make_app(f"sqlite:///{database}")
    engine = app.state.engine
    assert database.exists()
    assert current_revision(engine) == head_revision()
    assert {"services", "catalog_releases", "alembic_version"} <= set(
        inspect(engine).get_table_names()
    )


def test_migrated_schema_matches_the_models(empty_database_url: str) -> None:
    engine = open_engine(empty_database_url)
    try:
        migrate(engine)
        migrate(engine)  # a second run is a no-op
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert differences == []
    finally:
        engine.dispose()


def test_downgrade_to_base_and_back(empty_database_url: str) -> None:
    engine = open_engine(empty_database_url)
    try:
        migrate(engine)
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), "base")
        assert "services" not in inspect(engine).get_table_names()
        migrate(engine)
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()
