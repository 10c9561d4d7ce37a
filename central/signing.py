"""The platform's signing key: what makes a certificate or a receipt code checkable.

Ed25519, so whoever holds the public key (`GET /api/v1/signing-key`, PEM) can check a
signature without being able to make one: a bank can check a certificate's record without
holding anything that could forge one (the HMAC secret of `central.platform_secret` cannot be
handed out like that). One key per platform database, created on first use and kept beside
that secret in `platform_secrets`, so every process serving the same database, and every
restart, signs with the same key.

Signatures are base64url without padding (86 characters), short enough for a QR code.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from central.db import PlatformSecret

SECRET_NAME = "certificate-signing-key"  # the 32-byte Ed25519 seed, base64url


class PlatformSigner:
    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._private = private_key
        self.public_key: Ed25519PublicKey = private_key.public_key()

    def sign(self, data: bytes) -> str:
        return _b64(self._private.sign(data))

    def verify(self, data: bytes, signature: str) -> bool:
        try:
            raw = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
            self.public_key.verify(raw, data)
        except (InvalidSignature, binascii.Error, ValueError):
            return False
        return True

    def public_key_pem(self) -> str:
        return self.public_key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode("ascii")


def load_or_create(session: Session, now: datetime) -> PlatformSigner:
    """The database's key; created (and committed) when there is none yet."""
    record = session.get(PlatformSecret, SECRET_NAME)
    if record is None:
        seed = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
            serialization.NoEncryption())
        session.add(PlatformSecret(name=SECRET_NAME, value=_b64(seed), created_at=now))
        try:
            session.commit()
        except IntegrityError:  # another process created it first: use theirs
            session.rollback()
        record = session.get(PlatformSecret, SECRET_NAME)
        assert record is not None
    seed = base64.urlsafe_b64decode(record.value + "=" * (-len(record.value) % 4))
    return PlatformSigner(Ed25519PrivateKey.from_private_bytes(seed))


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")
