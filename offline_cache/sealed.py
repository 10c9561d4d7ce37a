"""Personal data at rest: sealed with AES-GCM under the terminal's key.

A sealed value is `nonce (12 bytes) | ciphertext+tag`. The associated data binds it to its row
(the outbox item id), so a ciphertext copied onto another row does not open.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = 12


class SealError(Exception):
    """The key is wrong or the stored value was altered."""


class Sealer:
    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("the outbox key must be 32 bytes (AES-256)")
        self._aead = AESGCM(key)

    def seal(self, value: object, bound_to: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        plain = json.dumps(value, ensure_ascii=False).encode("utf-8")
        return nonce + self._aead.encrypt(nonce, plain, bound_to.encode("utf-8"))

    def open(self, sealed: bytes, bound_to: str) -> object:
        try:
            plain = self._aead.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:],
                                       bound_to.encode("utf-8"))
        except (InvalidTag, ValueError):
            raise SealError("sealed value does not open with this key") from None
        return json.loads(plain)


def load_or_create_key(path: Path) -> bytes:
    """The terminal's key file (base64 of 32 bytes); created, readable by owner only, if absent.

    A deployment provisions the file; the demo gets one made on first start.
    """
    if path.exists():
        key = base64.b64decode(path.read_text(encoding="ascii").strip(), validate=True)
        if len(key) != 32:
            raise ValueError(f"{path}: expected the base64 of 32 bytes")
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = AESGCM.generate_key(bit_length=256)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(base64.b64encode(key).decode("ascii") + "\n")
    return key
