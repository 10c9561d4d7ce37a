"""Command APDUs for the social-security card and the T=0 exchange rules, over any transport.

Everything here works on a `Transmit` callable (`apdu bytes -> (data, sw1, sw2)`), so the same
code runs against PC/SC, against the emulated card directly, or against a scripted fake.

T=0 cards do not return data with the command that asks for it when the reader cannot know the
length: they answer `61xx` ("xx bytes waiting", fetched with GET RESPONSE) or `6Cxx` ("wrong Le,
resend with Le = xx"). `exchange` follows both so callers only see the final answer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from devices.sscard.errors import CardProtocolError, status_error

log = logging.getLogger(__name__)

Transmit = Callable[[bytes], tuple[bytes, int, int]]

# "sx1.sh." followed by 社会保障 in GBK: the social-security application (SSSE)
SS_AID = b"sx1.sh." + "社会保障".encode("gbk")
EF05 = 0xEF05  # card data: identifier, type, version, issuer, dates, card number
EF06 = 0xEF06  # holder data: social-security number, name, sex, nation, birthplace, birth date

MAX_GET_RESPONSE_ROUNDS = 32  # a card that keeps saying 61xx longer than this is broken


@dataclass(frozen=True)
class Response:
    data: bytes
    sw1: int
    sw2: int

    @property
    def ok(self) -> bool:
        return (self.sw1, self.sw2) == (0x90, 0x00)

    @property
    def sw(self) -> str:
        return f"{self.sw1:02X}{self.sw2:02X}"


def command(ins: int, p1: int, p2: int, data: bytes = b"", le: int | None = None) -> bytes:
    """A short APDU with CLA 00; `le=0` asks for up to 256 bytes."""
    if len(data) > 255 or (le is not None and not 0 <= le <= 255):
        raise ValueError("short APDUs carry at most 255 data bytes and Le 0..255")
    apdu = bytes((0x00, ins, p1, p2))
    if data:
        apdu += bytes((len(data),)) + data
    if le is not None:
        apdu += bytes((le,))
    return apdu


def select_application(aid: bytes = SS_AID) -> bytes:
    return command(0xA4, 0x04, 0x00, aid)


def select_file(fid: int) -> bytes:
    return command(0xA4, 0x02, 0x00, fid.to_bytes(2, "big"))


# READ RECORD's P2 (ISO/IEC 7816-4): how P1 names the record of the current EF
BY_TAG = 0x00  # P1 is the record identifier, its first occurrence: the tag of a TLV record
BY_POSITION = 0x04  # P1 is the record number, 1 for the first record of the file


def read_record(number: int, le: int) -> bytes:
    """READ RECORD `number` of the current EF (P2 = 04: P1 is the record's position)."""
    return command(0xB2, number, BY_POSITION, le=le)


def read_record_by_tag(tag: int, le: int) -> bytes:
    """READ RECORD whose identifier is `tag` (P2 = 00), as most published readers do."""
    return command(0xB2, tag, BY_TAG, le=le)


def get_response(le: int) -> bytes:
    return command(0xC0, 0x00, 0x00, le=le)


def verify_pin(pin: str) -> bytes:
    """VERIFY with the PIN as packed BCD, an odd number of digits padded with F."""
    if not pin.isascii() or not pin.isdigit() or not 4 <= len(pin) <= 12:
        raise ValueError("a PIN has 4 to 12 digits")
    return command(0x20, 0x00, 0x00, bytes.fromhex(pin + "F" * (len(pin) % 2)))


def get_challenge(length: int = 8) -> bytes:
    return command(0x84, 0x00, 0x00, le=length)


def external_authenticate(key_id: int, cryptogram: bytes) -> bytes:
    return command(0x82, 0x00, key_id, cryptogram)


def with_le(apdu: bytes, le: int) -> bytes:
    """The same command asking for `le` bytes (for a 6Cxx answer)."""
    header, body = apdu[:4], apdu[4:]
    if not body or len(body) == 1:  # case 1, or case 2 (P3 is Le)
        return header + bytes((le,))
    lc = body[0]
    return header + body[: 1 + lc] + bytes((le,))  # case 3 or 4: keep Lc and data, set Le


def exchange(transmit: Transmit, apdu: bytes) -> Response:
    """Send `apdu` and follow the T=0 procedure bytes until the card gives its final answer."""
    data, sw1, sw2 = transmit(apdu)
    if sw1 == 0x6C:
        log.debug("INS %02X: 6C%02X, resending with that Le", apdu[1], sw2)
        data, sw1, sw2 = transmit(with_le(apdu, sw2))
        if sw1 == 0x6C:
            raise CardProtocolError(f"INS {apdu[1]:02X}: 6Cxx again after resending with its Le")
    chunks = [data]
    for _ in range(MAX_GET_RESPONSE_ROUNDS):
        if sw1 != 0x61:
            return Response(b"".join(chunks), sw1, sw2)
        log.debug("INS %02X: 61%02X, GET RESPONSE", apdu[1], sw2)
        data, sw1, sw2 = transmit(get_response(sw2))
        chunks.append(data)
    raise CardProtocolError(f"INS {apdu[1]:02X}: still 61xx after {MAX_GET_RESPONSE_ROUNDS} rounds")


def run(transmit: Transmit, apdu: bytes, step: str) -> bytes:
    """`exchange`, then the data of a 9000 answer or the defined error for any other."""
    response = exchange(transmit, apdu)
    log.debug("%s: SW %s, %d bytes", step, response.sw, len(response.data))
    if not response.ok:
        raise status_error(response.sw1, response.sw2, step)
    return response.data
