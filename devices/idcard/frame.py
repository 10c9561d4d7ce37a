"""The GA 467 serial frame: pure encoding and incremental decoding, no I/O.

Both directions share one shape:

    AA AA AA 96 69 | LEN (2, big-endian) | body | CHK

LEN counts the body and CHK; CHK is the XOR of every byte from LEN to the end of the body.
A request's body is `CMD PARA data`; an answer's is `SW1 SW2 SW3 data`, SW3 saying how it went.

`FrameDecoder` (answers, for the driver) and `RequestDecoder` (requests, for the emulator) are
fed whatever the line delivers, in any chunks. Noise before a preamble is skipped; a frame with
an impossible length or a wrong check byte comes out as a `FrameError` value and decoding
resumes at the next preamble. Their buffers never hold more than one maximal frame.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from functools import reduce

from devices.idcard.errors import FrameError

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
HEADER_SIZE = len(PREAMBLE) + 2  # preamble + LEN
# The largest body we accept. The biggest GA 467 answer is text + photo + fingerprint
# (30 10: 2 + 2 + 2 + 256 + 1024 + 1024 + SW + CHK); a bit of room above that, no more,
# so a corrupted LEN cannot make the decoder wait for (or buffer) megabytes.
MAX_LEN = 4096


class Command(Enum):
    """The SAM commands the kiosk uses: (CMD, PARA)."""

    RESET_SAM = (0x10, 0xFF)
    SAM_STATUS = (0x11, 0xFF)
    SAM_ID = (0x12, 0xFF)
    FIND_CARD = (0x20, 0x01)
    SELECT_CARD = (0x20, 0x02)
    READ_TEXT_AND_PHOTO = (0x30, 0x01)
    READ_APPENDED_ADDRESS = (0x30, 0x03)  # 读最新追加信息: the newest address the card was given

    @property
    def cmd(self) -> int:
        return self.value[0]

    @property
    def para(self) -> int:
        return self.value[1]

    @property
    def label(self) -> str:
        """For logs: `20 01`."""
        return f"{self.cmd:02X} {self.para:02X}"


# SW3, the status byte of an answer
SW3_OK = 0x90
SW3_CARD_FOUND = 0x9F
SW3_NO_CARD = 0x80
SW3_SELECT_FAILED = 0x81
SW3_READ_FAILED = 0x41
SW3_NO_CONTENT = 0x91  # the card holds nothing for this item (no appended address, say)

# What each SW3 means (GA 467), for logs and health details
SW3_MEANING: dict[int, str] = {
    0x90: "ok",
    0x9F: "card found",
    0x10: "request check byte wrong",
    0x11: "request length wrong",
    0x21: "request not understood",
    0x23: "operation not permitted",
    0x24: "unrecognised error",
    0x31: "card failed to authenticate the reader",
    0x32: "reader failed to authenticate the card",
    0x33: "information verification failed",
    0x40: "unknown card type",
    0x41: "read failed",
    0x47: "random number failed",
    0x60: "SAM self-check failed",
    0x66: "SAM not authorised",
    0x80: "no card",
    0x81: "select failed",
    0x91: "no such item on the card",
}


def describe_sw3(sw3: int) -> str:
    return f"{sw3:02X} ({SW3_MEANING.get(sw3, 'undefined')})"


def check_byte(data: bytes | bytearray) -> int:
    """XOR of `data` (LEN through the last body byte)."""
    return reduce(lambda acc, byte: acc ^ byte, data, 0)


def _frame(body: bytes) -> bytes:
    length = (len(body) + 1).to_bytes(2, "big")
    return PREAMBLE + length + body + bytes([check_byte(length + body)])


def encode_request(cmd: int, para: int, data: bytes = b"") -> bytes:
    """A request frame; `encode_request(0x20, 0x01)` is `AA AA AA 96 69 00 03 20 01 22`."""
    if not (0 <= cmd <= 0xFF and 0 <= para <= 0xFF):
        raise ValueError("CMD and PARA are single bytes")
    if len(data) + 3 > MAX_LEN:
        raise ValueError(f"request data too long: {len(data)} bytes")
    return _frame(bytes([cmd, para]) + data)


def encode_command(command: Command, data: bytes = b"") -> bytes:
    return encode_request(command.cmd, command.para, data)


@dataclass(frozen=True)
class Answer:
    """A SAM answer. `data` may hold a card's text and photo, so it stays out of the repr."""

    sw1: int
    sw2: int
    sw3: int
    data: bytes = field(default=b"", repr=False)

    @property
    def status(self) -> str:
        """For logs: `SW 00 00 90, 1284 data bytes`."""
        return f"SW {self.sw1:02X} {self.sw2:02X} {self.sw3:02X}, {len(self.data)} data bytes"

    def encode(self) -> bytes:
        if len(self.data) + 4 > MAX_LEN:
            raise ValueError(f"answer data too long: {len(self.data)} bytes")
        return _frame(bytes([self.sw1, self.sw2, self.sw3]) + self.data)


@dataclass(frozen=True)
class Request:
    cmd: int
    para: int
    data: bytes = field(default=b"", repr=False)

    @property
    def command(self) -> Command | None:
        try:
            return Command((self.cmd, self.para))
        except ValueError:
            return None


class _FrameSplitter:
    """Cuts a byte stream into frame bodies; subclasses give the bodies their meaning."""

    MIN_LEN = 1  # a body of at least one byte plus CHK

    def __init__(self) -> None:
        self._buffer = bytearray()
        self.skipped = 0  # noise bytes dropped so far, for diagnostics

    def reset(self) -> None:
        """Forget a partial frame (after a timeout, before a new request)."""
        self._buffer.clear()

    @property
    def pending(self) -> int:
        """Bytes held waiting for the rest of a frame."""
        return len(self._buffer)

    def _split(self, data: bytes) -> list[bytes | FrameError]:
        buffer = self._buffer
        buffer += data
        out: list[bytes | FrameError] = []
        while True:
            start = buffer.find(PREAMBLE)
            if start < 0:
                # keep a tail that may be the start of a preamble split across chunks
                keep = next((n for n in range(len(PREAMBLE) - 1, 0, -1)
                             if buffer.endswith(PREAMBLE[:n])), 0)
                self.skipped += len(buffer) - keep
                del buffer[: len(buffer) - keep]
                return out
            if start:
                self.skipped += start
                del buffer[:start]
            if len(buffer) < HEADER_SIZE:
                return out
            length = int.from_bytes(buffer[len(PREAMBLE):HEADER_SIZE], "big")
            if not self.MIN_LEN + 1 <= length <= MAX_LEN:
                out.append(FrameError(f"impossible frame length {length}"))
                del buffer[:1]  # resynchronise on the next preamble
                continue
            end = HEADER_SIZE + length
            if len(buffer) < end:
                return out
            expected = check_byte(buffer[len(PREAMBLE):end - 1])
            if buffer[end - 1] != expected:
                out.append(FrameError(
                    f"wrong check byte {buffer[end - 1]:02X} (expected {expected:02X}) "
                    f"in a frame of length {length}"))
                del buffer[:1]  # the length itself may be corrupt: resynchronise
                continue
            out.append(bytes(buffer[HEADER_SIZE:end - 1]))
            del buffer[:end]


class FrameDecoder(_FrameSplitter):
    """Answers from the SAM, as they complete: `Answer` values, or `FrameError` values."""

    MIN_LEN = 3  # SW1 SW2 SW3

    def feed(self, data: bytes) -> list[Answer | FrameError]:
        return [body if isinstance(body, FrameError)
                else Answer(body[0], body[1], body[2], body[3:])
                for body in self._split(data)]


class RequestDecoder(_FrameSplitter):
    """Requests to the SAM (the emulator's side): `Request` values, or `FrameError` values."""

    MIN_LEN = 2  # CMD PARA

    def feed(self, data: bytes) -> list[Request | FrameError]:
        return [body if isinstance(body, FrameError) else Request(body[0], body[1], body[2:])
                for body in self._split(data)]

