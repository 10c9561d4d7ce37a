"""Verifications as the platform remembers them: a token for the terminal, bound to it.

The terminal gets a random token; the platform keeps only its SHA-256, the holder's keyed
hash (`CitizenKeys.holder_key`), the level and the expiry. No face, no name, no ID number.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete
from sqlalchemy.orm import Session

from central.contract import Verification
from central.db import IdentityVerificationRecord
from central.identity.verifier import IdentityCheck
from central.platform_secret import CitizenKeys

# long enough for a form, a few scanned pages and a signature at an elder's pace
LIFETIME = timedelta(minutes=30)
# expired rows are kept this long: an application queued offline may still name one
KEPT_AFTER_EXPIRY = timedelta(days=2)
CHINA = timezone(timedelta(hours=8))  # no daylight saving: a fixed offset is exact


def in_china(now: datetime) -> datetime:
    return now.astimezone(CHINA)


def record(session: Session, keys: CitizenKeys, terminal_id: str, check: IdentityCheck,
           now: datetime) -> Verification:
    """The answer to the terminal; a successful check is remembered (the caller commits)."""
    if not check.verified or check.holder is None:
        return Verification(verified=False, level=check.level,
                            failure=check.failure or "DOCUMENT_INVALID")
    token = secrets.token_urlsafe(24)
    expires_at = now + LIFETIME
    session.execute(delete(IdentityVerificationRecord).where(
        IdentityVerificationRecord.expires_at < now - KEPT_AFTER_EXPIRY))
    session.add(IdentityVerificationRecord(
        token_hash=token_hash(token), terminal_id=terminal_id,
        holder_key=keys.holder_key(check.holder.id_number), level=check.level,
        elderly_relaxed_applied=check.elderly_relaxed_applied, created_at=now,
        expires_at=expires_at))
    return Verification(verified=True, level=check.level,
                        elderly_relaxed_applied=check.elderly_relaxed_applied,
                        verification_id=token, expires_at=expires_at, holder=check.holder)


def find_verification(session: Session, token: str, terminal_id: str
                      ) -> IdentityVerificationRecord | None:
    """The terminal's own verification with this token, expired or not; None otherwise."""
    record = session.get(IdentityVerificationRecord, token_hash(token))
    return record if record is not None and record.terminal_id == terminal_id else None


def current(record: IdentityVerificationRecord | None, at: datetime
            ) -> IdentityVerificationRecord | None:
    """The record if it was still valid at `at`."""
    return record if record is not None and at < record.expires_at else None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
