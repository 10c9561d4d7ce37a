"""Installer and operator commands on a platform database: register a terminal, add a console
user, reconcile a day's payments.

Called by `python main.py central add-terminal` / `add-user` / `reconcile`; they bring the
database up to date first, so they work on a fresh one too.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select

from central.console.users import add_user
from central.contract.payments import PaymentChannel
from central.db import PaymentFindingRecord, open_engine, session_factory
from central.migrate import migrate
from central.payments.reconciliation import Reconciler, Report, StatementSource
from central.terminals import add_terminal


@dataclass(frozen=True)
class NewTerminal:
    id: str
    hall: str
    key: str


@dataclass(frozen=True)
class NewUser:
    username: str
    role: str
    hall: str | None
    password: str


def register_terminal(database_url: str, hall: str, terminal_id: str | None = None) -> NewTerminal:
    engine = open_engine(database_url)
    try:
        migrate(engine)
        with session_factory(engine)() as session:
            terminal = add_terminal(session, hall, datetime.now(UTC), terminal_id)
            session.commit()
            return NewTerminal(terminal.id, terminal.hall, terminal.key)
    finally:
        engine.dispose()


def create_user(database_url: str, role: str, hall: str | None, username: str | None,
                password: str | None) -> NewUser:
    """Add a console account; a user name and a password are generated when none is given.

    Never `admin`: a name everyone guesses is half of a login, and lets anyone aim guesses
    (and the lock that follows them) at the administrator.
    """
    prefix = "admin" if role == "administrator" else "manager"
    username = username or f"{prefix}-{secrets.token_hex(3)}"
    password = password or secrets.token_urlsafe(12)
    engine = open_engine(database_url)
    try:
        migrate(engine)
        with session_factory(engine)() as session:
            user = add_user(session, username, password, role, hall, datetime.now(UTC))
            session.commit()
            return NewUser(user.username, user.role, user.hall, password)
    finally:
        engine.dispose()


def reconcile(database_url: str, day: date, providers: Mapping[PaymentChannel, StatementSource],
              channels: Iterable[PaymentChannel] | None = None
              ) -> tuple[Report, list[PaymentFindingRecord]]:
    """`day`'s statements of `providers` matched with the payments (`central.payments.
    reconciliation`); the report and the findings it raised (none found before)."""
    engine = open_engine(database_url)
    try:
        migrate(engine)
        sessions = session_factory(engine)
        # the running platform takes turns in its own process; the database keeps the
        # findings' keys unique against it
        report = Reconciler(sessions, contextlib.nullcontext(), lambda: datetime.now(UTC),
                            providers).run(day, "command", channels)
        with sessions() as session:
            found = list(session.scalars(select(PaymentFindingRecord).where(
                PaymentFindingRecord.id.in_(report.new_findings or [-1]))
                .order_by(PaymentFindingRecord.id)))
        return report, found
    finally:
        engine.dispose()
