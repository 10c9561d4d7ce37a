"""Fixtures for the central platform: a fresh database per test, on SQLite and on PostgreSQL.

PostgreSQL tests run in a schema of their own (dropped afterwards) on 127.0.0.1:5432, database
`test`, trust auth; they are skipped, saying so, when no server answers there.
"""

from __future__ import annotations

import functools
import json
import uuid
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi import FastAPI

from central.app import create_app
from central.seed import SEED_FILE

with warnings.catch_warnings():
    # Starlette warns once, at import, that its TestClient will move off httpx
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

PG_HOST, PG_PORT, PG_DATABASE = "127.0.0.1", 5432, "test"
PG_MISSING = f"PostgreSQL not reachable at {PG_HOST}:{PG_PORT} (database {PG_DATABASE})"


@functools.cache
def postgres_user() -> str | None:
    """The first role the test server lets in, or None when there is no server."""
    for user in ("postgres", "root"):
        try:
            psycopg.connect(host=PG_HOST, port=PG_PORT, dbname=PG_DATABASE, user=user,
                            connect_timeout=2).close()
            return user
        except psycopg.OperationalError:
            continue
    return None


def _postgres_admin(user: str) -> psycopg.Connection:
    return psycopg.connect(host=PG_HOST, port=PG_PORT, dbname=PG_DATABASE, user=user,
                           autocommit=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database; every test gets its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'central.sqlite3'}"
        return
    user = postgres_user()
    if user is None:
        pytest.skip(PG_MISSING)
    schema = f"central_test_{uuid.uuid4().hex[:12]}"
    with _postgres_admin(user) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
    # search_path puts every table, alembic_version included, in the test's schema
    yield (f"postgresql+psycopg://{user}@{PG_HOST}:{PG_PORT}/{PG_DATABASE}"
           f"?options=-csearch_path%3D{schema}")
    with _postgres_admin(user) as admin:
        admin.execute("SET lock_timeout = '10s'")
        admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """For tests whose subject does not depend on the database."""
    return f"sqlite:///{tmp_path / 'central.sqlite3'}"


@pytest.fixture
def make_app() -> Iterator[Callable[..., FastAPI]]:
    """`create_app`, with every engine it opened closed after the test."""
    apps: list[FastAPI] = []

    def make(database_url: str, seed_file: Path = SEED_FILE) -> FastAPI:
        app = create_app(database_url, seed_file=seed_file)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.state.engine.dispose()


@pytest.fixture
def client(make_app: Callable[..., FastAPI], database_url: str) -> Iterator[TestClient]:
    with TestClient(make_app(database_url)) as test_client:
        yield test_client


@pytest.fixture
def write_seed(tmp_path: Path) -> Callable[[Callable[[dict[str, Any]], None]], Path]:
    """Write a copy of the seed file changed by `change` (which edits the parsed JSON)."""
    counter = 0

    def write(change: Callable[[dict[str, Any]], None]) -> Path:
        nonlocal counter
        counter += 1
        data = json.loads(SEED_FILE.read_text(encoding="utf-8"))
        change(data)
        path = tmp_path / f"services-{counter}.json"
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        return path

    return write
