"""Checking that a request comes from a registered terminal (see `central.contract` for the
scheme): signed with the terminal's key, fresh, and never seen before.

Refusals are 401 with a code an installer can act on: SIGNATURE_MISSING, SIGNATURE_INVALID,
TIMESTAMP_SKEWED (with how far off the terminal's clock is), NONCE_REPLAYED. An unknown (or
disabled) terminal id is answered as a wrong signature, with the same code and message after
the same work, so an outsider cannot tell which terminal ids exist; the platform's log says
which it was (TERMINAL_UNKNOWN), for staff.
"""

from __future__ import annotations

import hmac
import logging
import re
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta

from fastapi import Request
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from central.contract import (
    HEADER_NONCE,
    HEADER_SIGNATURE,
    HEADER_TERMINAL,
    HEADER_TIMESTAMP,
    MAX_CLOCK_SKEW_S,
    NONCE_PATTERN,
    TERMINAL_ID_PATTERN,
    request_signature,
)
from central.db import NonceRecord, TerminalRecord, rows_matched
from central.errors import Refused

# config/default.toml's terminal key: published with the code, so it proves nothing
DEMO_TERMINAL_KEY = "demo-terminal-key-not-a-secret"

# signed against when the terminal id is unknown, so that refusal costs what a wrong one does
_NO_KEY = secrets.token_urlsafe(32)
log = logging.getLogger(__name__)

# a nonce must be remembered while its timestamp is still accepted: up to 2 skews from now
NONCE_MEMORY = timedelta(seconds=2 * MAX_CLOCK_SKEW_S + 60)


class TerminalAuthError(Refused):
    """The request is refused as not from a registered terminal: 401 with `code`."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(401, message, code=code)


def signed_path(request: Request) -> str:
    # the path exactly as sent: a terminal signs "%3A" or "%20", not the decoded characters
    raw = request.scope.get("raw_path")
    path = raw.decode("latin-1") if raw else request.url.path
    query = request.url.query
    return path + (f"?{query}" if query else "")


def authenticate(session: Session, method: str, path: str, headers: Mapping[str, str],
                 body: bytes, now: datetime, *, demo: bool = False) -> TerminalRecord:
    """The terminal that signed this request; its nonce is recorded in `session` (the caller
    commits). Raises `TerminalAuthError` when the request must be refused.

    The demo's terminal key is public (config/default.toml): only the embedded demo platform
    (`demo`) accepts it, whatever database the platform was pointed at.
    """
    terminal_id = headers.get(HEADER_TERMINAL)
    timestamp = headers.get(HEADER_TIMESTAMP)
    nonce = headers.get(HEADER_NONCE)
    signature = headers.get(HEADER_SIGNATURE)
    if not (terminal_id and timestamp and nonce and signature):
        raise TerminalAuthError(
            "SIGNATURE_MISSING",
            f"terminal requests must carry {HEADER_TERMINAL}, {HEADER_TIMESTAMP}, "
            f"{HEADER_NONCE} and {HEADER_SIGNATURE}",
        )
    # ASCII digits only: "²".isdigit() is True and int("²") fails
    if (not re.fullmatch(TERMINAL_ID_PATTERN, terminal_id)
            or not re.fullmatch(r"[0-9]{1,12}", timestamp)
            or not re.fullmatch(NONCE_PATTERN, nonce)
            or not re.fullmatch(r"[0-9A-Fa-f]{64}", signature)):  # compare_digest wants ASCII
        raise TerminalAuthError("SIGNATURE_INVALID", "malformed signature headers")
    skew = int(timestamp) - now.timestamp()
    if abs(skew) > MAX_CLOCK_SKEW_S:
        raise TerminalAuthError(
            "TIMESTAMP_SKEWED",
            f"the terminal's clock is {abs(skew):.0f} s {'ahead of' if skew > 0 else 'behind'} "
            f"the platform's; at most {MAX_CLOCK_SKEW_S} s is accepted",
        )
    terminal = session.get(TerminalRecord, terminal_id)
    known = terminal is not None and terminal.enabled
    key = terminal.key if terminal is not None and known else _NO_KEY
    expected = request_signature(key, method, path, timestamp, nonce, body)
    # terminal is None: not known; said again so the type checker sees it is there below
    if not hmac.compare_digest(expected, signature.lower()) or not known or terminal is None:
        if not known:
            log.warning("terminal request refused as SIGNATURE_INVALID: terminal %s is %s "
                        "(TERMINAL_UNKNOWN)", terminal_id,
                        "disabled" if terminal is not None else "not registered")
        raise TerminalAuthError("SIGNATURE_INVALID", "the signature does not match")
    if not demo and hmac.compare_digest(key, DEMO_TERMINAL_KEY):
        raise TerminalAuthError("TERMINAL_DEMO_KEY", "this terminal has the demo's public key: "
                                "register it anew (main.py central add-terminal)")
    session.add(NonceRecord(terminal_id=terminal_id, nonce=nonce, seen_at=now))
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise TerminalAuthError("NONCE_REPLAYED", "this nonce was used before") from None
    return terminal


def forget_old_nonces(session: Session, now: datetime) -> int:
    """Nonces whose timestamps are no longer accepted anyway; returns how many went."""
    result = session.execute(delete(NonceRecord).where(NonceRecord.seen_at < now - NONCE_MEMORY))
    return rows_matched(result) or 0
