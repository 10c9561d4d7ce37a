"""The maintenance PIN: set on the terminal (`main.py staff-pin set`), asked by the staff exit.

Stored hashed in the kiosk's data directory (`staff_pin.json`, readable by its owner only):
scrypt (RFC 7914) with a random salt, its parameters in the record, so stronger ones later
still check the PINs set before. Never the PIN itself, never logged.

Three wrong PINs in a row lock the PIN pad for five minutes. The count and the lock are kept
in the same record, on the wall clock, so restarting the app (or the PC) does not unlock it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from common.atomic_file import replace_atomically

PIN_FILE = "staff_pin.json"
PIN_PATTERN = r"[0-9]{6,12}"
MAX_FAILURES = 3  # wrong PINs in a row before the pad locks
LOCK_S = 300.0
# scrypt's cost: 16 MiB and about 50 ms a check on a kiosk PC (RFC 7914 §2 suggests N=2^14 for
# interactive logins); the lock, not the cost, is what stops guessing at the screen
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SALT_BYTES = 16
HASH_BYTES = 32


class PinError(ValueError):
    """Not a PIN this kiosk accepts (6 to 12 digits)."""


@dataclass(frozen=True)
class Right:
    pass


@dataclass(frozen=True)
class Wrong:
    failures: int  # in a row, this one included
    tries_left: int


@dataclass(frozen=True)
class Locked:
    failures: int  # what locked it (0: it was locked before this attempt)
    remaining_s: float


Outcome = Right | Wrong | Locked


def check_pin_form(pin: str) -> None:
    if not re.fullmatch(PIN_PATTERN, pin):
        raise PinError("the PIN must be 6 to 12 digits")


def _hash(pin: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p,
                          maxmem=2 * 128 * n * r * p, dklen=length)


class StaffPin:
    """The record in `data_dir`. Checking costs a scrypt: call `check` off the GUI thread."""

    def __init__(self, data_dir: Path, clock: Callable[[], float] = time.time) -> None:
        self.path = data_dir / PIN_FILE
        self.clock = clock  # the wall clock: a lock must outlast a restart

    def _load(self) -> dict | None:
        try:
            record = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        return record if isinstance(record, dict) and "hash" in record else None

    def _save(self, record: dict) -> None:
        replace_atomically(self.path, json.dumps(record).encode("utf-8"))

    @property
    def is_set(self) -> bool:
        return self._load() is not None

    def set(self, pin: str) -> None:
        """A new PIN; the count of wrong ones and any lock go with the old one."""
        check_pin_form(pin)
        salt = secrets.token_bytes(SALT_BYTES)
        digest = _hash(pin, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, HASH_BYTES)
        self._save({"scheme": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P,
                    "salt": base64.b64encode(salt).decode("ascii"),
                    "hash": base64.b64encode(digest).decode("ascii"),
                    "failures": 0, "locked_until": None})

    def locked_for(self) -> float:
        """Seconds the pad stays locked (0: not locked)."""
        record = self._load()
        return self._remaining(record) if record is not None else 0.0

    def _remaining(self, record: dict) -> float:
        until = record.get("locked_until")
        return max(0.0, float(until) - self.clock()) if until is not None else 0.0

    def check(self, pin: str) -> Outcome:
        """Right, wrong (and how many tries are left) or locked; the outcome is recorded. With
        no PIN set every PIN is wrong (the screen says so before asking)."""
        record = self._load()
        if record is None:
            return Wrong(failures=0, tries_left=0)
        remaining = self._remaining(record)
        if remaining > 0:
            return Locked(failures=0, remaining_s=remaining)
        expected = base64.b64decode(record["hash"])
        digest = _hash(pin, base64.b64decode(record["salt"]), int(record["n"]),
                       int(record["r"]), int(record["p"]), len(expected))
        if hmac.compare_digest(digest, expected):
            self._save({**record, "failures": 0, "locked_until": None})
            return Right()
        failures = int(record.get("failures", 0)) + 1
        if failures >= MAX_FAILURES:
            self._save({**record, "failures": 0, "locked_until": self.clock() + LOCK_S})
            return Locked(failures=failures, remaining_s=LOCK_S)
        self._save({**record, "failures": failures, "locked_until": None})
        return Wrong(failures=failures, tries_left=MAX_FAILURES - failures)
