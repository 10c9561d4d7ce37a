"""An ID-card reader's SAM on the far end of a pseudo-terminal, for tests, benchmarks and demos.

The driver opens the pty's slave path exactly as it would open `/dev/ttyUSB0`; the emulator
answers GA 467 requests on the master side with the card that lies on it, and paces its bytes
at the line rate of its baud (10 bits a byte), so timings measured against it are honest.

    sam = SamEmulator(baud=115200)
    port = sam.on_pty()                 # "/dev/pts/7": give it to the driver
    sam.insert(EmulatedCard.of(card))   # a card whose text is built from typed fields
    sam.inject(LineFault.WRONG_CHECK_BYTE)
    sam.unplug(); port = sam.on_pty()   # the reader is pulled out and plugged in again
    sam.close()

Cards can misbehave (`read_fails`, `select_fails`, `pulled_after_select`); the line can too
(`inject`: noise before a frame, a wrong check byte, a truncated frame, no answer).
"""

from __future__ import annotations

import logging
import os
import select
import threading
import time
import tty
from collections import deque
from dataclasses import dataclass, field
from enum import Enum

from devices.cards import IdCardData
from devices.idcard.card_text import (
    FOREIGN_LAYOUT,
    FOREIGN_MARKER,
    PHOTO_SIZE,
    encode_card_text,
    encode_read_data,
    join_fields,
)
from devices.idcard.frame import (
    SW3_CARD_FOUND,
    SW3_NO_CARD,
    SW3_OK,
    SW3_READ_FAILED,
    SW3_SELECT_FAILED,
    Answer,
    Command,
    FrameError,
    Request,
    RequestDecoder,
)

log = logging.getLogger(__name__)

SW3_BAD_REQUEST_CHECK = 0x10
SW3_UNKNOWN_REQUEST = 0x21
SAM_ID = bytes.fromhex("0501000020201122000012340000abcd")  # a made-up SAM number
NOISE = b"\x00\xff\xaa\xaa\x96\x13\x37\xaa\xaa\xaa\x96"  # includes near-preambles


class LineFault(Enum):
    """What the line can do to the next answer(s)."""

    NOISE_BEFORE_FRAME = "noise_before_frame"
    WRONG_CHECK_BYTE = "wrong_check_byte"
    TRUNCATED_FRAME = "truncated_frame"
    NO_ANSWER = "no_answer"


@dataclass(frozen=True)
class EmulatedCard:
    """A card on the emulated reader: its text block and photo, and how it misbehaves."""

    text: bytes = field(repr=False)
    photo: bytes = field(default=bytes(PHOTO_SIZE), repr=False)
    read_fails: bool = False  # the SAM answers 0x41 to every read
    select_fails: bool = False  # the SAM answers 0x81 to select
    pulled_after_select: bool = False  # leaves the field between select and read

    @classmethod
    def of(cls, card: IdCardData, *, pass_number: str = "", issue_count: str = "",
           **behaviour: bool) -> EmulatedCard:
        """The card that decodes to `card` (a resident card or an HMT residence permit)."""
        text = encode_card_text(card, pass_number=pass_number, issue_count=issue_count)
        return cls(text, card.photo_wlt or bytes(PHOTO_SIZE), **behaviour)


def foreign_permanent_card_text(
    english_name: str, sex_code: str, permit_number: str, nationality: str, chinese_name: str,
    valid_from: str, valid_to: str, birth_date: str, version: str = "01",
    authority_code: str = "1500",
) -> bytes:
    """The text block of a 2017 foreign permanent-resident card (dates as YYYYMMDD)."""
    return join_fields({
        "english_name": english_name, "sex": sex_code, "permit_number": permit_number,
        "nationality": nationality, "chinese_name": chinese_name, "valid_from": valid_from,
        "valid_to": valid_to, "birth_date": birth_date, "version": version,
        "authority_code": authority_code, "card_type": FOREIGN_MARKER,
    }, FOREIGN_LAYOUT)


@dataclass(frozen=True)
class Exchange:
    """One request and its answer as the emulator saw them (for benchmarks and tests)."""

    command: Command | None
    request_bytes: int
    answer_bytes: int  # bytes written, faults included
    sw3: int | None
    received_at: float  # time.monotonic() when the request was complete
    answered_at: float  # when the last answer byte was written


class SamEmulator:
    def __init__(self, baud: int = 115200, *, pace: bool = True) -> None:
        self.baud = baud
        self.pace = pace
        self.byte_time = 10 / baud  # start bit, 8 data bits, stop bit
        self.exchanges: deque[Exchange] = deque(maxlen=1000)
        self.card_placed_at: float | None = None
        self.card_found_at: float | None = None  # first find-card hit after the placement
        self._lock = threading.Lock()
        self._card: EmulatedCard | None = None
        self._selected = False
        self._faults: deque[list] = deque()  # [fault, remaining or None, command or None]
        self._master: int | None = None
        self._slave: int | None = None
        # bumped at every plug and unplug: a closed descriptor's number can be reused at once
        # (by the driver's next port, say), so I/O checks it still talks to the same pty
        self._generation = 0
        self._decoder = RequestDecoder()
        self._closed = threading.Event()
        self._thread: threading.Thread | None = None
        self.path: str | None = None

    # -- the line ----------------------------------------------------------------------------

    def on_pty(self) -> str:
        """Open a new pty pair (closing the old one) and return the slave path to read from."""
        self.unplug()
        master, slave = os.openpty()
        tty.setraw(slave)
        os.set_blocking(master, False)
        with self._lock:
            self._master, self._slave = master, slave
            self._generation += 1
            self._decoder = RequestDecoder()
            self.path = os.ttyname(slave)
        if self._thread is None:
            self._thread = threading.Thread(target=self._serve, name="sam-emulator", daemon=True)
            self._thread.start()
        return self.path

    def unplug(self) -> None:
        """Close the pty: the driver's port is gone (reads and writes fail, the path vanishes)."""
        with self._lock:
            fds = (self._master, self._slave)
            self._master = self._slave = None
            self._generation += 1
            self.path = None
            for fd in fds:
                if fd is not None:
                    os.close(fd)

    def close(self) -> None:
        self._closed.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
        self.unplug()

    def __enter__(self) -> SamEmulator:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- the card and the faults ---------------------------------------------------------------

    def insert(self, card: EmulatedCard | IdCardData) -> None:
        if isinstance(card, IdCardData):
            card = EmulatedCard.of(card)
        with self._lock:
            self._card, self._selected = card, False
            self.card_placed_at, self.card_found_at = time.monotonic(), None

    def remove(self) -> None:
        with self._lock:
            self._card, self._selected = None, False

    def inject(self, fault: LineFault, count: int | None = 1,
               on: Command | None = None) -> None:
        """Spoil the next `count` answers (None: every answer until `clear_faults`), or only
        the answers to `on`."""
        with self._lock:
            self._faults.append([fault, count, on])

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    # -- serving -----------------------------------------------------------------------------

    def _serve(self) -> None:
        while not self._closed.is_set():
            with self._lock:
                master, generation = self._master, self._generation
            if master is None:
                self._closed.wait(0.02)
                continue
            try:
                ready, _, _ = select.select([master], [], [], 0.05)
                with self._lock:
                    if not ready or generation != self._generation:
                        continue
                    chunk = os.read(master, 4096)
            except OSError:  # unplugged under our feet, or nobody on the slave side
                self._closed.wait(0.02)
                continue
            for request in self._decoder.feed(chunk):
                self._answer(master, generation, request)

    def _answer(self, master: int, generation: int, request: Request | FrameError) -> None:
        received_at = time.monotonic()
        if isinstance(request, FrameError):
            command, request_bytes, answer = None, 0, Answer(0, 0, SW3_BAD_REQUEST_CHECK)
        else:
            command = request.command
            request_bytes = 10 + len(request.data)  # preamble, LEN, CMD, PARA, data, CHK
            with self._lock:
                answer = self._respond(command, received_at)
        if self.pace:  # the request could not have arrived faster than the line carries it
            self._sleep_until(received_at + request_bytes * self.byte_time)
        wire = self._spoil(answer.encode(), command)
        if not self._write(master, generation, wire):
            return
        self.exchanges.append(Exchange(command, request_bytes, len(wire), answer.sw3,
                                       received_at, time.monotonic()))

    def _respond(self, command: Command | None, now: float) -> Answer:
        card = self._card
        match command:
            case Command.RESET_SAM | Command.SAM_STATUS:
                return Answer(0, 0, SW3_OK)
            case Command.SAM_ID:
                return Answer(0, 0, SW3_OK, SAM_ID)
            case Command.FIND_CARD:
                if card is None:
                    return Answer(0, 0, SW3_NO_CARD)
                if self.card_found_at is None:
                    self.card_found_at = now
                return Answer(0, 0, SW3_CARD_FOUND, bytes(4))
            case Command.SELECT_CARD:
                if card is None or card.select_fails:
                    return Answer(0, 0, SW3_SELECT_FAILED)
                self._selected = True
                if card.pulled_after_select:
                    self._card = None
                return Answer(0, 0, SW3_OK, bytes(8))
            case Command.READ_TEXT_AND_PHOTO:
                if card is None or not self._selected or card.read_fails:
                    return Answer(0, 0, SW3_READ_FAILED)
                return Answer(0, 0, SW3_OK, encode_read_data(card.text, card.photo))
            case _:
                return Answer(0, 0, SW3_UNKNOWN_REQUEST)

    def _spoil(self, wire: bytes, command: Command | None) -> bytes:
        with self._lock:
            entry = next((e for e in self._faults if e[2] in (None, command)), None)
            if entry is None:
                return wire
            if entry[1] is not None:
                entry[1] -= 1
                if entry[1] <= 0:
                    self._faults.remove(entry)
        match entry[0]:
            case LineFault.NOISE_BEFORE_FRAME:
                return NOISE + wire
            case LineFault.WRONG_CHECK_BYTE:
                return wire[:-1] + bytes([wire[-1] ^ 0x5A])
            case LineFault.TRUNCATED_FRAME:
                return wire[: len(wire) // 2]
            case LineFault.NO_ANSWER:
                return b""
        return wire

    def _write(self, master: int, generation: int, wire: bytes) -> bool:
        """Write `wire` paced at the line rate; False when the line went away meanwhile."""
        start = time.monotonic()
        step = max(1, self.baud // 10_000) if self.pace else len(wire)  # ~1 ms of bytes a write
        for offset in range(0, len(wire), step):
            chunk = wire[offset:offset + step]
            if self.pace:  # hand over each byte only once the line would have carried it
                self._sleep_until(start + (offset + len(chunk)) * self.byte_time)
            with self._lock:
                if generation != self._generation:
                    return False
                try:
                    os.write(master, chunk)
                except BlockingIOError:
                    return True  # nobody reads the other end and its buffer is full: bytes lost
                except OSError:
                    return False
        return True

    @staticmethod
    def _sleep_until(deadline: float) -> None:
        delay = deadline - time.monotonic()
        if delay > 0:
            time.sleep(delay)
