"""Console accounts: argon2id password hashes, lock-out after repeated failures, and the
server-side sessions behind the login cookie.

Roles: an administrator sees and commands every terminal; a hall manager only those of their
own hall (enforced in the queries of `central.console.views`, not in the pages).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from central.db import ConsoleSession, ConsoleUser

Role = Literal["administrator", "hall-manager"]
ROLES: tuple[Role, ...] = ("administrator", "hall-manager")

MAX_FAILURES = 5  # wrong passwords in a row before the account is locked
LOCKOUT = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=8)  # one working day
MIN_PASSWORD = 10

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# verified against when the user does not exist, so both cases take the same time
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


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
    locked_until: datetime | None = None  # set when the account is (now) locked


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


def check_login(session: Session, username: str, password: str, now: datetime) -> LoginResult:
    """Check a password; counts failures and locks the account after `MAX_FAILURES`.

    A locked account refuses even the right password until the lock runs out. The caller
    commits (the failure count must be kept whatever the outcome).
    """
    user = session.scalars(select(ConsoleUser).where(ConsoleUser.username == username)).first()
    if user is None:
        _verify(_DUMMY_HASH, password)
        return LoginResult(None)
    if user.locked_until is not None and user.locked_until > now:
        return LoginResult(None, locked_until=user.locked_until)
    if not _verify(user.password_hash, password):
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILURES:
            user.failed_logins = 0
            user.locked_until = now + LOCKOUT
            return LoginResult(None, locked_until=user.locked_until)
        return LoginResult(None)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return LoginResult(_viewer(user))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _viewer(user: ConsoleUser) -> Viewer:
    return Viewer(user.id, user.username, user.role, user.hall)  # type: ignore[arg-type]


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
