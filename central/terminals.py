"""The terminal registry: terminals, their halls and keys, and what state each is in.

A terminal is registered by an installer (`python main.py central add-terminal --hall NAME`),
which gives its id and key; the key goes into the terminal's profile and signs every request.
Status is worked out when asked, from the last heartbeat: so a page is right even between two
runs of the sweeper that raises the offline alerts.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy.orm import Session

from central.contract import TERMINAL_ID_PATTERN
from central.db import TerminalEvent, TerminalRecord

TerminalStatus = Literal["online", "degraded", "offline", "never"]

# "offline after 3 missed heartbeats": the third one is half an interval late
MISSED_HEARTBEATS = 3
LATE_FRACTION = 0.5


class RegistryError(ValueError):
    """A terminal cannot be registered as asked; the message says why."""


def new_key() -> str:
    """A terminal key: 256 random bits, URL-safe text."""
    return secrets.token_urlsafe(32)


def add_terminal(session: Session, hall: str, now: datetime,
                 terminal_id: str | None = None) -> TerminalRecord:
    """Register a new terminal in `hall`; the caller commits and hands out id and key once."""
    hall = hall.strip()
    if not hall:
        raise RegistryError("the hall name is empty")
    if terminal_id is None:
        terminal_id = _free_id(session)
    elif not re.fullmatch(TERMINAL_ID_PATTERN, terminal_id):
        raise RegistryError(f"terminal id {terminal_id!r} must be 1-64 of A-Z a-z 0-9 . _ -")
    elif session.get(TerminalRecord, terminal_id) is not None:
        raise RegistryError(f"terminal {terminal_id} is already registered")
    terminal = _new_record(terminal_id, hall, new_key(), now)
    session.add(terminal)
    session.flush()  # the event below refers to it
    session.add(TerminalEvent(terminal_id=terminal_id, at=now, kind="registered",
                              detail=f"登记于 {hall}"))
    return terminal


def ensure_terminal(session: Session, terminal_id: str, hall: str, key: str,
                    now: datetime) -> TerminalRecord:
    """Make sure this terminal exists with this hall and key (the embedded demo platform)."""
    terminal = session.get(TerminalRecord, terminal_id)
    if terminal is None:
        terminal = _new_record(terminal_id, hall, key, now)
        session.add(terminal)
        session.flush()
        session.add(TerminalEvent(terminal_id=terminal_id, at=now, kind="registered",
                                  detail=f"登记于 {hall}"))
    else:
        terminal.hall, terminal.key, terminal.enabled = hall, key, True
    return terminal


def _new_record(terminal_id: str, hall: str, key: str, now: datetime) -> TerminalRecord:
    return TerminalRecord(
        id=terminal_id, hall=hall, key=key, enabled=True, created_at=now, interval_s=30.0,
        outbox_backlog=0, backlog_rises=0, devices={}, maintenance=False,
    )


def _free_id(session: Session) -> str:
    while True:
        candidate = f"T-{secrets.token_hex(4).upper()}"
        if session.get(TerminalRecord, candidate) is None:
            return candidate


def offline_after(terminal: TerminalRecord) -> timedelta:
    return timedelta(seconds=(MISSED_HEARTBEATS + LATE_FRACTION) * terminal.interval_s)


def heartbeats_stopped(terminal: TerminalRecord, now: datetime) -> bool:
    return terminal.last_seen_at is not None and (
        now - terminal.last_seen_at > offline_after(terminal)
    )


def status_of(terminal: TerminalRecord, now: datetime) -> TerminalStatus:
    if terminal.last_seen_at is None:
        return "never"
    if heartbeats_stopped(terminal, now):
        return "offline"
    if any(device.get("state") != "ok" for device in (terminal.devices or {}).values()):
        return "degraded"
    return "online"
