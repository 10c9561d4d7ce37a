"""Login that holds (issue 14, item 3): guesses sent at once all count and lock the account;
many logins at once leave the rest of the platform responsive; an unknown user, a wrong
password and a locked account answer alike after the same work; guesses are throttled by
address and by name; an unknown terminal id answers as a wrong signature.

The concurrent cases run against the platform served on loopback (`EmbeddedPlatform`), from
threads, each login from a loopback address of its own (127.0.0.N) so that the per-address
throttle is not what holds them.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from central.admin import create_user
from central.app import KnownTerminal
from central.console.login_guard import LoginGuard, SlidingWindow
from central.console.users import MAX_FAILURES, add_user, check_login
from central.db import ConsoleUser
from central.server import EmbeddedPlatform
from tests.central.conftest import TEST_TERMINAL, SignAsTerminal
from tests.central.helpers import PASSWORD, Clock, heartbeat_body, log_in, make_user

ADMIN = "admin-7f3a2c"


class CountingHasher(PasswordHasher):
    """A PasswordHasher that counts its checks and how many ran at once."""

    def __init__(self, **parameters: Any) -> None:
        super().__init__(**parameters)
        self._lock = threading.Lock()
        self.running = 0
        self.most_at_once = 0
        self.checks = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        with self._lock:
            self.checks += 1
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        try:
            return super().verify(hash, password)
        finally:
            with self._lock:
                self.running -= 1


def use_hasher(monkeypatch: pytest.MonkeyPatch, hasher: PasswordHasher) -> PasswordHasher:
    monkeypatch.setattr("central.console.users._hasher", hasher)
    return hasher


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[EmbeddedPlatform]:
    server = EmbeddedPlatform(f"sqlite:///{tmp_path / 'central.sqlite3'}",
                              terminals=[TEST_TERMINAL], sweep_interval_s=0)
    server.start()
    yield server
    server.stop()


def add_admin(platform: EmbeddedPlatform) -> None:
    with platform.app.state.sessions() as session:
        add_user(session, ADMIN, PASSWORD, "administrator", None, datetime.now(UTC))
        session.commit()


class Browser:
    """One visitor from a loopback address of its own, with the login form already open."""

    def __init__(self, platform: EmbeddedPlatform, number: int) -> None:
        self.platform = platform
        self.http = httpx.Client(timeout=60, transport=httpx.HTTPTransport(
            local_address=f"127.0.0.{10 + number}"))
        page = self.http.get(f"{platform.console_url}/login")
        match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert match, page.text
        self.token = match.group(1)

    def log_in(self, username: str, password: str) -> httpx.Response:
        return self.http.post(f"{self.platform.console_url}/login", data={
            "username": username, "password": password, "csrf_token": self.token})

    def close(self) -> None:
        self.http.close()


def at_once(count: int, attempt: Callable[[int], httpx.Response],
            meanwhile: Callable[[], None] = lambda: None) -> list[tuple[httpx.Response, float]]:
    """Run `attempt(i)` on `count` threads released together; each answer with when it came.
    `meanwhile` runs on this thread once they are all released."""
    barrier = threading.Barrier(count + 1)
    answers: list[Any] = [None] * count

    def run(i: int) -> None:
        barrier.wait()
        try:
            answers[i] = (attempt(i), time.monotonic())
        except Exception as exc:  # shown by the assertion below
            answers[i] = (exc, time.monotonic())

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    barrier.wait()
    meanwhile()
    for thread in threads:
        thread.join(120)
    for answer, _ in answers:
        assert isinstance(answer, httpx.Response), answer
    return answers


def error_text(response: Any) -> str:
    match = re.search(r'<p class="error" role="alert">([^<]*)</p>', response.text)
    return match.group(1) if match else ""


def stored_user(sessions: Any, username: str) -> ConsoleUser:
    with sessions() as session:
        user = session.scalars(select(ConsoleUser).where(ConsoleUser.username == username)).one()
        session.expunge(user)
        return user


# -- failures counted atomically -------------------------------------------------------------

def test_wrong_passwords_sent_at_once_all_count_and_lock_the_account(
        platform: EmbeddedPlatform, monkeypatch: pytest.MonkeyPatch) -> None:
    # a hash that takes a few milliseconds, so the guesses really are checked side by side
    use_hasher(monkeypatch, PasswordHasher(time_cost=2, memory_cost=8192, parallelism=1))
    add_admin(platform)
    browsers = [Browser(platform, i) for i in range(12)]
    try:
        answers = at_once(12, lambda i: browsers[i].log_in(ADMIN, f"guess number {i}"))
        statuses = sorted(response.status_code for response, _ in answers)
        assert set(statuses) <= {401, 429}, statuses
        assert statuses.count(401) >= MAX_FAILURES, statuses  # checked, and each one counted
    finally:
        for browser in browsers:
            browser.close()
    user = stored_user(platform.app.state.sessions, ADMIN)
    assert user.locked_until is not None and user.locked_until > datetime.now(UTC)
    # locked: the right password is refused (the name's throttle is full by now, so asked
    # of the check itself)
    with platform.app.state.sessions() as session:
        assert check_login(session, ADMIN, PASSWORD, datetime.now(UTC)).viewer is None


def test_failures_counted_in_threads_lock_the_account_on_either_database(
        make_app: Callable[..., FastAPI], database_url: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The count itself, without HTTP in between: 12 checks at once, each on its own
    connection, on SQLite and on PostgreSQL."""
    use_hasher(monkeypatch, PasswordHasher(time_cost=2, memory_cost=8192, parallelism=1))
    app = make_app(database_url)
    make_user(app, ADMIN)
    now = app.state.clock()
    barrier = threading.Barrier(12)
    errors: list[BaseException] = []

    def guess(i: int) -> None:
        try:
            with app.state.sessions() as session:
                barrier.wait()
                check_login(session, ADMIN, f"guess number {i}", now)
                session.commit()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    user = stored_user(app.state.sessions, ADMIN)
    assert user.locked_until is not None and user.locked_until > now
    with app.state.sessions() as session:
        assert check_login(session, ADMIN, PASSWORD, now).viewer is None


# -- many logins at once ---------------------------------------------------------------------

def test_many_logins_at_once_leave_health_and_heartbeats_answering(
        platform: EmbeddedPlatform, monkeypatch: pytest.MonkeyPatch) -> None:
    # the real argon2id parameters: 64 MiB and about 0.1-0.3 s a check
    hasher = use_hasher(monkeypatch, CountingHasher())
    add_admin(platform)
    logins = 40
    browsers = [Browser(platform, i) for i in range(logins)]
    measured: dict[str, tuple[int, float]] = {}

    def meanwhile() -> None:
        time.sleep(0.3)  # the logins are in: hashing, or waiting for their turn
        health = httpx.get(f"{platform.base_url}/health", timeout=30)
        measured["health"] = (health.status_code, time.monotonic())
        body = heartbeat_body()
        beat = httpx.post(f"{platform.base_url}/heartbeats", content=body, timeout=30,
                          headers={"Content-Type": "application/json"},
                          auth=SignAsTerminal(TEST_TERMINAL))
        measured["heartbeat"] = (beat.status_code, time.monotonic())

    try:
        answers = at_once(logins, lambda i: browsers[i].log_in(
            ADMIN if i % 2 else f"visitor-{i}", "not the password"), meanwhile)
    finally:
        for browser in browsers:
            browser.close()
    last_login = max(when for _, when in answers)
    for name, (status, answered) in measured.items():
        assert status == 200, name
        assert answered < last_login, f"{name} waited for the logins"
    guard: LoginGuard = platform.app.state.login_guard
    assert hasher.most_at_once <= guard.hashes.slots  # a 64 MiB hash each, at most this many
    statuses = {response.status_code for response, _ in answers}
    assert statuses <= {401, 429, 503}, statuses
    busy = [response for response, _ in answers if response.status_code == 503]
    for response in busy:
        assert "稍后再试" in error_text(response) and response.headers["retry-after"]


# -- alike answers ---------------------------------------------------------------------------

@pytest.fixture
def app(make_app: Callable[..., FastAPI], sqlite_url: str, clock: Clock) -> FastAPI:
    app = make_app(sqlite_url, clock=clock)
    make_user(app, ADMIN)
    return app


def test_unknown_wrong_and_locked_answer_alike_after_the_same_work(
        app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    hasher = use_hasher(monkeypatch, CountingHasher(time_cost=1, memory_cost=1024,
                                                    parallelism=1))
    with TestClient(app) as client:
        def attempt(username: str, password: str) -> tuple[int, str, int]:
            before = hasher.checks
            response = log_in(client, username, password)
            return response.status_code, error_text(response), hasher.checks - before

        unknown = attempt("nobody-here", "not the password")
        wrong = attempt(ADMIN, "not the password")
        for _ in range(MAX_FAILURES - 1):
            attempt(ADMIN, "not the password")
        locked_wrong = attempt(ADMIN, "not the password")
        locked_right = attempt(ADMIN, PASSWORD)
    assert unknown == wrong == locked_wrong == locked_right == (401, "用户名或密码错误。", 1)


def test_one_address_is_throttled_whatever_names_it_tries(app: FastAPI) -> None:
    with TestClient(app, client=("198.51.100.7", 40000)) as stranger:
        for i in range(10):
            assert log_in(stranger, f"guess-{i}", "not the password").status_code == 401
        refused = log_in(stranger, ADMIN, "not the password")
        assert refused.status_code == 429 and "频繁" in error_text(refused)
        assert int(refused.headers["retry-after"]) > 0
        # the same answer for a name that does not exist: it says nothing about names
        unknown = log_in(stranger, "nobody-here", "not the password")
        assert (unknown.status_code, error_text(unknown)) == (429, error_text(refused))
    with TestClient(app, client=("203.0.113.9", 40000)) as administrator:
        # the stranger's guesses stopped short of the lock: the administrator logs in
        assert log_in(administrator, ADMIN).status_code == 303


def test_one_name_is_throttled_from_any_address(app: FastAPI) -> None:
    for i in range(10):
        with TestClient(app, client=(f"198.51.100.{i + 1}", 40000)) as client:
            assert log_in(client, "nobody-here", "not the password").status_code == 401
    with TestClient(app, client=("198.51.100.99", 40000)) as client:
        assert log_in(client, "nobody-here", "not the password").status_code == 429
        assert log_in(client, ADMIN).status_code == 303  # another name, the same address


def test_a_login_that_succeeds_does_not_count_against_the_address(app: FastAPI) -> None:
    with TestClient(app) as client:
        for _ in range(15):
            response = log_in(client, ADMIN)
            assert response.status_code == 303
            client.cookies.clear()


def test_the_throttle_window_slides() -> None:
    now = [1000.0]
    window = SlidingWindow(3, 60.0, clock=lambda: now[0])
    assert [window.hit("a") for _ in range(3)] == [None, None, None]
    assert window.hit("a") == pytest.approx(60.0)
    now[0] += 30
    assert window.hit("b") is None  # another key has its own count
    assert window.hit("a") == pytest.approx(30.0)
    now[0] += 31
    assert window.hit("a") is None


def test_the_throttle_forgets_the_oldest_keys_first() -> None:
    window = SlidingWindow(1, 60.0, max_keys=100)
    for i in range(1000):
        window.hit(f"name-{i}")
    assert len(window._events) <= 100
    assert window.hit("name-999") is not None


# -- the administrator's name ----------------------------------------------------------------

def test_a_new_administrator_is_not_called_admin(sqlite_url: str) -> None:
    first = create_user(sqlite_url, "administrator", None, None, None)
    second = create_user(sqlite_url, "administrator", None, None, None)
    assert first.username != "admin" and first.username.startswith("admin-")
    assert len({first.username, second.username}) == 2


# -- terminals -------------------------------------------------------------------------------

def test_an_unknown_terminal_answers_as_a_bad_signature(
        make_app: Callable[..., FastAPI], sqlite_url: str,
        caplog: pytest.LogCaptureFixture) -> None:
    wrong_key = KnownTerminal(TEST_TERMINAL.id, TEST_TERMINAL.hall, "not-the-key-0123456789abc")
    stranger = KnownTerminal("NOBODY-1", "外地", "some-key-0123456789abcdef")
    with TestClient(make_app(sqlite_url)) as client:
        def beat(terminal: KnownTerminal) -> tuple[int, Any]:
            response = client.post("/api/v1/heartbeats", content=heartbeat_body(),
                                   headers={"Content-Type": "application/json"},
                                   auth=SignAsTerminal(terminal))
            return response.status_code, response.json()

        with caplog.at_level("WARNING", logger="central.terminal_auth"):
            unknown = beat(stranger)
        mis_signed = beat(wrong_key)
    assert unknown == mis_signed
    assert unknown[0] == 401 and unknown[1]["code"] == "SIGNATURE_INVALID"
    # the platform's own log says what it was, for staff
    assert "NOBODY-1" in caplog.text and "TERMINAL_UNKNOWN" in caplog.text

