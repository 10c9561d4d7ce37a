"""A social-security card in software, answering APDUs the way a T=0 card does.

It holds the records of EF05 (seven: tags 01..07) and EF06 (six: tags 08..0D) made from a typed
`SsCardData`, answers SELECT of the application with 61xx so the reader must GET RESPONSE,
answers READ RECORD with a wrong Le with 6Cxx, can require a PIN or an external authentication
before EF06, and fails on demand (an error status word, or the link dropped in the middle of a
read). `vpcd.VpcdCard` puts it behind a real pcscd; tests of the command sequence call `process`.

How READ RECORD names a record is the card's `addressing`, one per published convention:
- `Addressing.TAG`: P2 = 00, P1 = the record identifier, i.e. its tag (EF06: 08..0D). Readers
  that send `00B2080014` (social-security number), `00B2090020` (name) … `00B20D0006`:
  yxsylyh/hiquotion_cpp Hardware/card/SIDCard/DeCard/SIDCardOperation.cpp (its table "EF06 08
  12", "09 1E" … is each record's tag and length), a7082633/HDOS_VC6
  新疆焦阳/HD_XJDLL/HD_XJDLL.cpp, and a C# reader (namespace YuanTu.ShenZhenArea.CardReader,
  class SB_T6 "读社保卡指令", code-index file 4428310786) with the whole EF05/EF06 table;
- `Addressing.POSITION`: P2 = 04, P1 = the record's position in its file, 1..6 in EF06:
  `00B2010414` (number), `00B2020420` (name) in winkexp/SiChuanActivex
  GYHMeter/GYHMeter/GYHMeterCtrl.cpp and in an Android reader (com.tecsun.jc.base.builder.apdu
  DataDoWithBuilder, code-index file 2235280212); EF05 `00B2010412`, `00B207040B` there too;
- `Addressing.BOTH`: a card taking either, as https://blog.csdn.net/zz_bubble/article/details/
  106245384 found on a real card ("两种指令都可以使用": `00 B2 01 04` by 数据项序号 and
  `00 B2 08 00` by 数据项标志).
ISO/IEC 7816-4 gives READ RECORD's P2 coding (b3..b1 = 100: P1 is a record number; 000: P1 is a
record identifier, first occurrence). A record that is not there is 6A83, a P2 the card does not
take is 6A86 (the status words of gdgly/SI_3rdCard code/GWI_SSSE_SC/GWI_SSSE_SC/GWI_SSSE_SC/
GWI_SSSE_SC.cpp: "6A83 未找到记录", "6A86 参数 P1、P2 不正确", "6A82 未找到文件"). So a position
card asked for record 08 of EF06 says 6A83, as the issue foresaw for the old driver.

`ssse=False` is a regional card whose SSSE (the AID `sx1.sh.社会保障`) cannot be selected (6A82)
but whose EF05 and EF06 can be selected at once: modelled on the issue's description; SSSE "can
be located in MF or DDF under MF" (https://topic.alibabacloud.com/a/font-classtopic-s-color00c1de
socialfont-font-classtopic-s-color00c1desecurityfont-series-1-introduction_8_8_31687232.html),
and a card whose MF is the SSSE has no application to select by name.
A SELECT of the application may be answered 61xx or 9000 (HD_XJDLL.cpp accepts both); this card
says 61xx with its FCI. `tests/devices/sscard/reference_transcripts.json` holds the published
exchanges this card reproduces.

Power off and reset end the card's session (security state, selected files), as on a real card.
Removal is the link's business: pcscd powers idle cards off by itself, so power off is not it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import threading
from dataclasses import dataclass
from enum import Enum

from devices.cards import SsCardData
from devices.sscard.apdu import BY_POSITION, BY_TAG, EF05, EF06, SS_AID
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


class Addressing(Enum):
    """How the card's READ RECORD takes P1 (see the module's docstring for who does which)."""

    TAG = "tag"  # P2 = 00, P1 = the record's tag
    POSITION = "position"  # P2 = 04, P1 = the record's place in its file, from 1
    BOTH = "both"

    def takes(self, p2: int) -> bool:
        wanted = {Addressing.TAG: {BY_TAG}, Addressing.POSITION: {BY_POSITION}}
        return p2 in wanted.get(self, {BY_TAG, BY_POSITION})


def _ef_of(tag: int) -> int:
    return EF05 if tag <= 0x07 else EF06


class EmulatedSsCard:
    def __init__(self, card: SsCardData, *, addressing: Addressing = Addressing.TAG,
                 ssse: bool = True, pin: str | None = None, auth_key: bytes | None = None,
                 pin_tries: int = 3, padded: bool = True) -> None:
        """`padded=False` stores records at their natural length, so a reader asking for the
        usual length gets 6Cxx. `ssse=False`: the application cannot be selected by name, its
        files can be selected at once."""
        self.atr = ATR
        self.addressing, self.ssse = addressing, ssse
        # each file's records in order, as (tag, record bytes); a record's identifier is its tag
        self._records: dict[int, list[tuple[int, bytes]]] = {EF05: [], EF06: []}
        for tag, value in sorted(encode_card(card, pad=padded).items()):
            self._records[_ef_of(tag)].append((tag, bytes((tag, len(value))) + value))
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
            records = self._records[_ef_of(tag)]
            records[:] = [(t, record if t == tag else r) for t, r in records]

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
            if data != SS_AID or not self.ssse:
                return sw(0x6A82)
            self.reset()
            self._application = True
            # FCI: 6F { 84 DF name }; T=0 has no room for it in this answer, hence 61xx
            self._pending = bytes((0x6F, len(SS_AID) + 2, 0x84, len(SS_AID))) + SS_AID
            return bytes((0x61, len(self._pending)))
        # without a selectable SSSE the files sit where the card starts (its MF is the SSSE)
        if p1 in (0x00, 0x02) and len(data) == 2 and (self._application or not self.ssse):
            fid = int.from_bytes(data, "big")
            if fid in self._records:
                self._current_ef = fid
                return SW_OK
        return sw(0x6A82)

    def _read_record(self, apdu: bytes) -> bytes:
        p1, p2 = apdu[2], apdu[3]
        if not self.addressing.takes(p2) or p1 == 0x00:
            return sw(0x6A86)
        if self._current_ef is None:
            return sw(0x6986)
        if self._current_ef == EF06 and not self._ef06_open():
            return sw(0x6982)
        records = self._records[self._current_ef]
        if p2 == BY_TAG:
            record = next((r for tag, r in records if tag == p1), None)
        else:
            record = records[p1 - 1][1] if p1 <= len(records) else None
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
