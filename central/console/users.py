"""Console accounts: argon2id password hashes, lock-out after repeated failures, and the
server-side sessions behind the login cookie.

Roles: an administrator sees and commands every terminal; a hall manager only those of their
own hall (enforced in the queries of `central.console.views`, not in the pages).
"""

from __future__ import annotations

import hashlib
import secrets
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import case, delete, literal, select, update
from sqlalchemy.orm import Session

from central.db import ConsoleSession, ConsoleUser, Role, rows_matched

ROLES: tuple[Role, ...] = ("administrator", "hall-manager")

MAX_FAILURES = 5  # wrong passwords in a row before the account is locked
LOCKOUT = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=8)  # one working day
MIN_PASSWORD = 10

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# verified against when the user does not exist, so both cases take the same time
_dummy = (_hasher, _hasher.hash(secrets.token_urlsafe(16)))


class UserError(ValueError):
    """An account cannot be created as asked; the message says why."""


@dataclass(frozen=True)
class Viewer:
    """Who is looking at the console, and so what they may see."""

    user_id: int
    username: str
    role: Role
    hall: str | None

    @property
    def is_admin(self) -> bool:
        return self.role == "administrator"

    def may_see_hall(self, hall: str) -> bool:
        return self.is_admin or hall == self.hall


@dataclass(frozen=True)
class LoginResult:
    viewer: Viewer | None
    locked_until: datetime | None = None  # for the log: the account is locked until then


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def add_user(session: Session, username: str, password: str, role: str, hall: str | None,
             now: datetime) -> ConsoleUser:
    """Create an account; the caller commits."""
    username = username.strip()
    if not username or len(username) > 64:
        raise UserError("the user name must be 1-64 characters")
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}")
    if role == "hall-manager" and not (hall and hall.strip()):
        raise UserError("a hall manager needs --hall")
    if role == "administrator":
        hall = None
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password must have at least {MIN_PASSWORD} characters")
    if session.scalars(select(ConsoleUser).where(ConsoleUser.username == username)).first():
        raise UserError(f"user {username} already exists")
    user = ConsoleUser(username=username, password_hash=hash_password(password), role=role,
                       hall=hall.strip() if hall else None, failed_logins=0, created_at=now)
    session.add(user)
    return user


def check_login(session: Session, username: str, password: str, now: datetime,
                write_lock: AbstractContextManager[object] | None = None) -> LoginResult:
    """Check a password; counts failures and locks the account for `LOCKOUT` after
    `MAX_FAILURES` in a row. Commits what it writes (a failure counts whatever follows).

    An unknown user, a wrong password and a locked account are alike to the caller (no viewer)
    and cost the same: one argon2 check (against a dummy hash for an unknown user, against the
    account's own hash while it is locked, whose outcome then does not matter). Failures are
    counted in the database by one UPDATE (failed_logins = failed_logins + 1), so guesses sent
    at once all count; a failure while the account is locked does not count again.
    `write_lock` is held around the writes only, never around the hash (see app.state).
    """
    user = session.scalars(select(ConsoleUser).where(ConsoleUser.username == username)).first()
    user_id = user.id if user is not None else None
    stored = user.password_hash if user is not None else _dummy_hash()
    locked = user is not None and _is_locked(user.locked_until, now)
    session.rollback()  # no transaction stays open while the hash takes its time
    right = _verify(stored, password)
    if user_id is None:
        return LoginResult(None)
    if locked:
        return LoginResult(None, locked_until=_locked_until(session, user_id, now))
    unlocked = (ConsoleUser.id == user_id) & (
        ConsoleUser.locked_until.is_(None) | (ConsoleUser.locked_until <= now))
    with write_lock or nullcontext():
        if not right:
            reached = ConsoleUser.failed_logins + 1 >= MAX_FAILURES
            session.execute(update(ConsoleUser).where(unlocked).values(
                failed_logins=case((reached, 0), else_=ConsoleUser.failed_logins + 1),
                locked_until=case((reached, literal(now + LOCKOUT, ConsoleUser.locked_until.type)),
                                  else_=ConsoleUser.locked_until)))
            session.commit()
            return LoginResult(None, locked_until=_locked_until(session, user_id, now))
        values: dict[str, object] = {"failed_logins": 0, "locked_until": None,
                                     "last_login_at": now}
        if _hasher.check_needs_rehash(stored):
            values["password_hash"] = hash_password(password)
        opened = session.execute(update(ConsoleUser).where(unlocked).values(**values))
        session.commit()
        if rows_matched(opened) != 1:  # locked by guesses checked meanwhile
            return LoginResult(None, locked_until=_locked_until(session, user_id, now))
        user = session.get(ConsoleUser, user_id)
        if user is None:
            return LoginResult(None)
        return LoginResult(_viewer(user))


def _is_locked(locked_until: datetime | None, now: datetime) -> bool:
    return locked_until is not None and locked_until > now


def _locked_until(session: Session, user_id: int, now: datetime) -> datetime | None:
    until = session.scalar(select(ConsoleUser.locked_until).where(ConsoleUser.id == user_id))
    session.rollback()
    return until if _is_locked(until, now) else None


def _dummy_hash() -> str:
    """A hash made by the current hasher, checked when the user does not exist."""
    global _dummy
    hasher, dummy = _dummy
    if hasher is not _hasher:  # the parameters changed (tests make hashing cheap)
        hasher = _hasher
        dummy = hasher.hash(secrets.token_urlsafe(16))
        _dummy = (hasher, dummy)
    return dummy


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _viewer(user: ConsoleUser) -> Viewer:
    return Viewer(user.id, user.username, user.role, user.hall)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(session: Session, viewer: Viewer, now: datetime) -> str:
    """A new login session; returns the token for the cookie (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    session.add(ConsoleSession(token_hash=_token_hash(token), user_id=viewer.user_id,
                               csrf_token=secrets.token_urlsafe(32), created_at=now,
                               expires_at=now + SESSION_LIFETIME))
    return token


@dataclass(frozen=True)
class LoggedIn:
    viewer: Viewer
    csrf_token: str


def session_for(session: Session, token: str | None, now: datetime) -> LoggedIn | None:
    if not token or len(token) > 100:
        return None
    row = session.get(ConsoleSession, _token_hash(token))
    if row is None or row.expires_at <= now:
        return None
    user = session.get(ConsoleUser, row.user_id)
    if user is None:
        return None
    return LoggedIn(_viewer(user), row.csrf_token)


def close_session(session: Session, token: str | None) -> None:
    if token:
        session.execute(delete(ConsoleSession)
                        .where(ConsoleSession.token_hash == _token_hash(token)))
