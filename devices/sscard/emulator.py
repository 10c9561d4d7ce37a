"""A social-security card in software, answering APDUs the way a T=0 card does.

It holds the records of EF05 and EF06 (made from a typed `SsCardData`), answers SELECT of the
application with 61xx so the reader must GET RESPONSE, answers READ RECORD with a wrong Le with
6Cxx, can require a PIN or an external authentication before EF06, and fails on demand (an error
status word, or the link dropped in the middle of a read). `vpcd.VpcdCard` puts it behind a real
pcscd; tests of the command sequence call `process` directly.

Power off and reset end the card's session (security state, selected files), as on a real card.
Removal is the link's business: pcscd powers idle cards off by itself, so power off is not it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import threading
from dataclasses import dataclass

from devices.cards import SsCardData
from devices.sscard.apdu import EF05, EF06, SS_AID
from devices.sscard.records import encode_card

# TS 3B (direct), T0 6A: TB1 and TC1 follow, 10 historical bytes; no TD1, so only T=0
ATR = bytes.fromhex("3B6A0000") + b"SSCARD-EMU"


class Drop:
    """What `process` returns when the link must be cut instead of answering."""


DROP = Drop()

SW_OK = b"\x90\x00"


def sw(value: int) -> bytes:
    return value.to_bytes(2, "big")


def emulator_cryptogram(key: bytes, challenge: bytes) -> bytes:
    """The emulator's stand-in for an issuer's cryptogram (real cards use SM4/3DES with
    diversified keys held by the platform): HMAC-SHA256 of the challenge, 8 bytes."""
    return hmac.new(key, challenge, hashlib.sha256).digest()[:8]


@dataclass
class Fault:
    """Answer the next `times` commands with INS `ins` (and P1 `p1`, if given) by `status` or,
    with `drop`, by cutting the link."""

    ins: int
    p1: int | None = None
    status: int = 0x6F00
    drop: bool = False
    times: int = 1

    def matches(self, apdu: bytes) -> bool:
        return self.times > 0 and apdu[1] == self.ins and self.p1 in (None, apdu[2])


class EmulatedSsCard:
    def __init__(self, card: SsCardData, *, pin: str | None = None, auth_key: bytes | None = None,
                 pin_tries: int = 3, padded: bool = True) -> None:
        """`padded=False` stores records at their natural length, so a reader asking for the
        usual length gets 6Cxx."""
        self.atr = ATR
        values = encode_card(card, pad=padded)
        self._records = {
            EF05: {tag: bytes((tag, len(v))) + v for tag, v in values.items() if tag <= 0x07},
            EF06: {tag: bytes((tag, len(v))) + v for tag, v in values.items() if tag > 0x07},
        }
        self.pin, self.auth_key = pin, auth_key
        self.pin_tries = self._max_tries = pin_tries
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self.commands: list[bytes] = []  # headers (CLA INS P1 P2) seen, for tests to inspect
        self.reset()

    # --- the card's life ---------------------------------------------------------------------

    def reset(self) -> None:
        self._application = False
        self._current_ef: int | None = None
        self._pending = b""
        self._challenge: bytes | None = None
        self._pin_verified = False
        self._authenticated = False

    power_on = reset
    power_off = reset

    def fail(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def write_record(self, tag: int, record: bytes) -> None:
        """Store `record` (tag, length and value, or any broken bytes) as record `tag`."""
        with self._lock:
            ef = EF05 if tag <= 0x07 else EF06
            self._records[ef][tag] = record

    # --- commands ------------------------------------------------------------------------------

    def process(self, apdu: bytes) -> bytes | Drop:
        """The response APDU (data + SW) to `apdu`, or `DROP`."""
        with self._lock:
            self.commands.append(apdu[:4])
            if len(apdu) < 4:
                return sw(0x6700)
            for fault in self._faults:
                if fault.matches(apdu):
                    fault.times -= 1
                    return DROP if fault.drop else sw(fault.status)
            if apdu[0] != 0x00:
                return sw(0x6E00)
            handler = {
                0xA4: self._select, 0xB2: self._read_record, 0xC0: self._get_response,
                0x20: self._verify, 0x84: self._get_challenge, 0x82: self._external_authenticate,
            }.get(apdu[1])
            return handler(apdu) if handler else sw(0x6D00)

    @staticmethod
    def _body(apdu: bytes) -> tuple[bytes, int | None]:
        """(data, Le) of a short APDU."""
        if len(apdu) == 4:
            return b"", None
        if len(apdu) == 5:
            return b"", apdu[4]
        lc = apdu[4]
        data = apdu[5 : 5 + lc]
        return data, apdu[5 + lc] if len(apdu) > 5 + lc else None

    def _select(self, apdu: bytes) -> bytes:
        data, _ = self._body(apdu)
        p1 = apdu[2]
        if p1 == 0x04:
            if data != SS_AID:
                return sw(0x6A82)
            self.reset()
            self._application = True
            # FCI: 6F { 84 DF name }; T=0 has no room for it in this answer, hence 61xx
            self._pending = bytes((0x6F, len(SS_AID) + 2, 0x84, len(SS_AID))) + SS_AID
            return bytes((0x61, len(self._pending)))
        if p1 in (0x00, 0x02) and len(data) == 2 and self._application:
            fid = int.from_bytes(data, "big")
            if fid in self._records:
                self._current_ef = fid
                return SW_OK
        return sw(0x6A82)

    def _read_record(self, apdu: bytes) -> bytes:
        if apdu[3] != 0x04:
            return sw(0x6A86)
        if self._current_ef is None:
            return sw(0x6986)
        if self._current_ef == EF06 and not self._ef06_open():
            return sw(0x6982)
        record = self._records[self._current_ef].get(apdu[2])
        if record is None:
            return sw(0x6A83)
        _, le = self._body(apdu)
        if le != len(record):
            return bytes((0x6C, len(record)))
        return record + SW_OK

    def _ef06_open(self) -> bool:
        return ((self.pin is None or self._pin_verified)
                and (self.auth_key is None or self._authenticated))

    def _get_response(self, apdu: bytes) -> bytes:
        if not self._pending:
            return sw(0x6985)
        _, le = self._body(apdu)
        wanted = le or 256
        if wanted > len(self._pending):
            return bytes((0x6C, len(self._pending)))
        data, self._pending = self._pending[:wanted], self._pending[wanted:]
        return data + (bytes((0x61, len(self._pending))) if self._pending else SW_OK)

    def _verify(self, apdu: bytes) -> bytes:
        if self.pin is None:
            return sw(0x6A88)
        if self.pin_tries == 0:
            return sw(0x6983)
        data, _ = self._body(apdu)
        if data.hex().upper().rstrip("F") == self.pin:
            self.pin_tries = self._max_tries
            self._pin_verified = True
            return SW_OK
        self.pin_tries -= 1
        return sw(0x6983) if self.pin_tries == 0 else sw(0x63C0 | self.pin_tries)

    def _get_challenge(self, apdu: bytes) -> bytes:
        _, le = self._body(apdu)
        self._challenge = os.urandom(le or 8)
        return self._challenge + SW_OK

    def _external_authenticate(self, apdu: bytes) -> bytes:
        if self.auth_key is None or self._challenge is None:
            return sw(0x6985)
        data, _ = self._body(apdu)
        expected = emulator_cryptogram(self.auth_key, self._challenge)
        self._challenge = None
        if not hmac.compare_digest(data, expected):
            return sw(0x6300)
        self._authenticated = True
        return SW_OK
