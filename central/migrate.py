"""Bring a platform database to the newest schema with the Alembic migrations, from code.

No alembic.ini on disk: the configuration is built here, pointing at `central/migrations`.
For developers:

    python -m central.migrate upgrade  sqlite:///var/central.sqlite3
    python -m central.migrate revision sqlite:///var/central.sqlite3 "add terminals"

(`revision` autogenerates from the models in `central.db` against an up-to-date database.)
"""

from __future__ import annotations

import argparse
import functools
import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from central.db import open_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# alembic announces each of its plugins at INFO on every start; only its warnings matter here
logging.getLogger("alembic").setLevel(logging.WARNING)


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    # the value goes through configparser interpolation: a literal % must be doubled
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    config.attributes["connection"] = connection
    return config


def migrate(engine: Engine) -> None:
    """Run `alembic upgrade head` on this database (a no-op when it is up to date)."""
    with engine.begin() as connection:
        # at head already (every start but the first after an update): done, without running
        # alembic's environment, which reads every migration file again
        if MigrationContext.configure(connection).get_current_revision() == head_revision():
            return
        command.upgrade(alembic_config(connection), "head")


@functools.cache
def head_revision() -> str | None:
    """The newest migration's revision (the files do not change while the process runs)."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m central.migrate", description=__doc__)
    parser.add_argument("action", choices=["upgrade", "revision"])
    parser.add_argument("database_url")
    parser.add_argument("message", nargs="?", default="schema change")
    args = parser.parse_args(argv)
    engine = open_engine(args.database_url)
    migrate(engine)
    if args.action == "revision":
        with engine.begin() as connection:
            command.revision(alembic_config(connection), args.message, autogenerate=True)
    engine.dispose()


if __name__ == "__main__":
    main()
