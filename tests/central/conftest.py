"""Fixtures for the central platform: a fresh database per test, on SQLite and on PostgreSQL.

Each test gets its own database already at the newest schema, as migrating anew for each of
some 750 tests took a quarter of a second each: on SQLite a copy of a file this worker migrated
once, on PostgreSQL a schema of its own (dropped afterwards) built by the migrations' DDL in one
go. The migrations themselves are tested, operation by operation, from an empty database
(`empty_database_url`).

PostgreSQL tests use 127.0.0.1:5432, database `test`, trust auth; they are skipped, saying so,
when no server answers there.
"""

from __future__ import annotations

import functools
import io
import json
import shutil
import uuid
import warnings
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import requests
from alembic import command
from fastapi import FastAPI

from central.app import KnownTerminal, create_app
from central.contract import signed_headers
from central.db import open_engine
from central.migrate import alembic_config, migrate
from central.seed import SEED_FILE

with warnings.catch_warnings():
    # Starlette warns once, at import, that its TestClient will move off httpx
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

# the terminal every test app knows, so tests can make signed requests as it
TEST_TERMINAL = KnownTerminal("TEST-0001", "测试大厅", "test-terminal-key-0123456789abcdef")


class SignAsTerminal(httpx.Auth, requests.auth.AuthBase):
    """Signs each request as a terminal, for httpx (TestClient) and requests alike."""

    def __init__(self, terminal: KnownTerminal = TEST_TERMINAL,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.terminal = terminal
        self.clock = clock  # the platform's, when a test moves it

    def headers(self, method: str, path: str, body: bytes) -> dict[str, str]:
        now = self.clock().timestamp() if self.clock else None
        return signed_headers(self.terminal.id, self.terminal.key, method, path, body, now=now)

    def auth_flow(self, request: httpx.Request) -> Iterator[httpx.Request]:
        request.headers.update(self.headers(request.method, request.url.raw_path.decode(),
                                            request.read()))
        yield request

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        url = httpx.URL(request.url or "")
        body = request.body or b""
        body = body.encode() if isinstance(body, str) else body
        request.headers.update(self.headers(request.method or "GET", url.raw_path.decode(),
                                            body))
        return request


SIGNED = SignAsTerminal()

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


@functools.cache
def _schema_script() -> str:
    """The migrations' DDL for PostgreSQL as Alembic writes it (`alembic upgrade head --sql`),
    less its BEGIN/COMMIT: run in one go it builds a schema in half the time of migrating it
    operation by operation."""
    config = alembic_config()
    config.set_main_option("sqlalchemy.url", "postgresql+psycopg://")
    config.output_buffer = io.StringIO()
    command.upgrade(config, "head", sql=True)
    script = config.output_buffer.getvalue()
    return "\n".join(line for line in script.splitlines()
                     if line.strip() not in ("BEGIN;", "COMMIT;"))


def _new_postgres_schema(migrated: bool) -> tuple[str, str]:
    """(user, name) of a new schema, empty or at the newest schema; skips without a server."""
    user = postgres_user()
    if user is None:
        pytest.skip(PG_MISSING)
    schema = f"central_test_{uuid.uuid4().hex[:12]}"
    with _postgres_admin(user) as admin, admin.transaction():
        admin.execute(f'CREATE SCHEMA "{schema}"')
        if migrated:
            admin.execute(f'SET LOCAL search_path TO "{schema}"')
            admin.execute(_schema_script())
    return user, schema


def _postgres_url(user: str, schema: str) -> str:
    # search_path puts every table, alembic_version included, in the test's schema
    return (f"postgresql+psycopg://{user}@{PG_HOST}:{PG_PORT}/{PG_DATABASE}"
            f"?options=-csearch_path%3D{schema}")


def _drop_postgres_schema(user: str, schema: str) -> None:
    with _postgres_admin(user) as admin:
        admin.execute("SET lock_timeout = '10s'")
        admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file at the newest schema, copied for each test."""
    template = tmp_path_factory.mktemp("template") / "central.sqlite3"
    engine = open_engine(f"sqlite:///{template}")
    try:
        migrate(engine)
    finally:
        engine.dispose()
    return template


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database of the test's own at the newest schema, with nothing in it."""
    yield from _own_database(request, tmp_path, migrated=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database of the test's own with no tables at all, for the migrations' own tests."""
    yield from _own_database(request, tmp_path, migrated=False)


def _own_database(request: pytest.FixtureRequest, tmp_path: Path,
                  migrated: bool) -> Iterator[str]:
    """The URL of the test's database on `request.param`'s engine, dropped afterwards."""
    if request.param == "sqlite":
        database = tmp_path / "central.sqlite3"
        if migrated:
            shutil.copyfile(request.getfixturevalue("migrated_sqlite"), database)
        yield f"sqlite:///{database}"
        return
    user, schema = _new_postgres_schema(migrated)
    yield _postgres_url(user, schema)
    _drop_postgres_schema(user, schema)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """For tests whose subject does not depend on the database."""
    return f"sqlite:///{tmp_path / 'central.sqlite3'}"


@pytest.fixture
def make_app() -> Iterator[Callable[..., FastAPI]]:
    """`create_app`, with every engine it opened closed after the test."""
    apps: list[FastAPI] = []

    def make(database_url: str, seed_file: Path = SEED_FILE, **options: Any) -> FastAPI:
        options.setdefault("terminals", [TEST_TERMINAL])
        options.setdefault("sweep_interval_s", 0)  # tests sweep when they mean to
        options.setdefault("development", True)  # the reference verifier and issuer
        app = create_app(database_url, seed_file=seed_file, **options)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.state.engine.dispose()


@pytest.fixture
def client(make_app: Callable[..., FastAPI], database_url: str) -> Iterator[TestClient]:
    """A client of the platform; its requests are signed as TEST_TERMINAL."""
    with TestClient(make_app(database_url)) as test_client:
        test_client.auth = SIGNED
        yield test_client


@pytest.fixture
def clock():
    """The platform's idea of now, for a test that moves it (`make_app(..., clock=clock)`)."""
    from tests.central.helpers import Clock  # helpers import this module

    return Clock()


@pytest.fixture
def clocked_client(make_app: Callable[..., FastAPI], database_url: str,
                   clock: Callable[[], datetime]) -> Iterator[TestClient]:
    """A client signed as TEST_TERMINAL of a platform on `clock`, signing on that clock too."""
    with signed_client(make_app(database_url, clock=clock)) as test_client:
        test_client.auth = SignAsTerminal(clock=clock)
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


def signed_client(app: FastAPI) -> TestClient:
    """A TestClient whose requests are signed as TEST_TERMINAL (use it as a context manager)."""
    test_client = TestClient(app)
    test_client.auth = SIGNED
    return test_client


# The platform most console and terminal tests talk to: clocked, with an administrator; a
# module that needs another platform defines its own `app`, and these clients follow it.
@pytest.fixture
def app(make_app: Callable[..., FastAPI], database_url: str, clock: Any) -> FastAPI:
    from tests.central.helpers import make_user  # (helpers import this module)

    app = make_app(database_url, clock=clock)
    make_user(app, "admin")
    return app


@pytest.fixture
def terminal(app: FastAPI) -> Iterator[TestClient]:
    """Signed as TEST_TERMINAL."""
    with signed_client(app) as client:
        yield client


@pytest.fixture
def admin(app: FastAPI) -> Iterator[TestClient]:
    """Logged in to the console as the administrator."""
    from tests.central.helpers import console

    with console(app, "admin") as client:
        yield client


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id with the lowest cost: the real parameters take 0.1 s a hash, and the tests
    are about the rules around hashing, not its cost."""
    from argon2 import PasswordHasher

    monkeypatch.setattr("central.console.users._hasher",
                        PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
