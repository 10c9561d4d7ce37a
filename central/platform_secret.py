"""The platform's own HMAC secret, and the keys derived from it for citizen services.

From CENTRAL_SIGNING_KEY when set (every platform process of a hall network must share it),
otherwise generated on first start and kept in the database, so restarts and every process
serving the same database agree. Two keys are derived from it, one per purpose:

- the receipt key signs acceptance numbers for the receipt's QR code: 16 base32 characters
  (80 bits), short enough to keep the code small and far too many to guess;
- the holder key turns an ID number into a keyed hash, so the by-holder lookup works without
  the platform keeping ID numbers in a column of its own.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from central.db import PlatformSecret

ENV_SIGNING_KEY = "CENTRAL_SIGNING_KEY"
SECRET_NAME = "citizen-services"
RECEIPT_SIGNATURE_BYTES = 10  # 16 base32 characters


class CitizenKeys:
    def __init__(self, secret: bytes) -> None:
        self._receipt = _derive(secret, b"receipt-code")
        self._holder = _derive(secret, b"holder-key")
        self._einvoice = _derive(secret, b"einvoice-check")
        self._phone = _derive(secret, b"sms-phone")  # central.sms: the outbox's numbers

    def einvoice_number_serial(self, order_id: str, salt: int) -> int:
        """A 10-digit 票据号码 for `order_id` (`salt` > 0 only after a collision)."""
        digest = hmac.new(self._einvoice, f"number {order_id} {salt}".encode(), hashlib.sha256)
        return int.from_bytes(digest.digest()[:8], "big") % 10**10

    def einvoice_check_code(self, number: str) -> str:
        """The short check code of an e-receipt's address (?c=): 8 base32 characters."""
        digest = hmac.new(self._einvoice, f"check {number}".encode(), hashlib.sha256)
        return base64.b32encode(digest.digest()[:5]).decode("ascii")

    def einvoice_check_matches(self, number: str, code: str) -> bool:
        return hmac.compare_digest(self.einvoice_check_code(number).encode("ascii"),
                                   code.strip().upper().encode("utf-8"))

    def receipt_signature(self, acceptance_number: str) -> str:
        digest = hmac.new(self._receipt, acceptance_number.encode("utf-8"), hashlib.sha256)
        return base64.b32encode(digest.digest()[:RECEIPT_SIGNATURE_BYTES]).decode("ascii")

    def receipt_signature_matches(self, acceptance_number: str, signature: str) -> bool:
        expected = self.receipt_signature(acceptance_number)
        return hmac.compare_digest(expected.encode("ascii"),
                                   signature.strip().upper().encode("utf-8"))

    def holder_key(self, id_number: str) -> str:
        normalised = id_number.strip().upper().encode("utf-8")
        return hmac.new(self._holder, normalised, hashlib.sha256).hexdigest()

    def phone_key(self, phone: str) -> str:
        """A keyed hash of a phone number: the SMS daily limit counts it, not the number."""
        return hmac.new(self._phone, b"key " + phone.encode("ascii"), hashlib.sha256).hexdigest()

    def phone_sealing_key(self) -> bytes:
        """The AES-256-GCM key the SMS outbox seals phone numbers with."""
        return _derive(self._phone, b"seal")


def load_citizen_keys(session: Session, now: datetime,
                      environ: Mapping[str, str] = os.environ) -> CitizenKeys:
    configured = environ.get(ENV_SIGNING_KEY, "").strip()
    if configured:
        return CitizenKeys(configured.encode("utf-8"))
    record = session.get(PlatformSecret, SECRET_NAME)
    if record is None:
        session.add(PlatformSecret(name=SECRET_NAME, value=secrets.token_urlsafe(48),
                                   created_at=now))
        try:
            session.commit()
        except IntegrityError:  # another process made it first: use theirs
            session.rollback()
        record = session.get(PlatformSecret, SECRET_NAME)
        assert record is not None
    return CitizenKeys(record.value.encode("utf-8"))


def _derive(secret: bytes, purpose: bytes) -> bytes:
    return hmac.new(secret, purpose, hashlib.sha256).digest()
