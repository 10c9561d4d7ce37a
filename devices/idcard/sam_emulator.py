"""An ID-card reader's SAM on the far end of a pseudo-terminal or a USB HID link, for tests,
benchmarks and demos.

What the SAM answers is `sam_model.SamModel` (its docstring cites the public sources); this
module is the line. On a pty the driver opens the slave path exactly as it would open
`/dev/ttyUSB0`; the emulator answers on the master side and paces its bytes at the line rate of
its baud (10 bits a byte), so timings measured against it are honest. A driver that talks at
another baud gets line garbage, as from a real UART. Over USB HID (readers such as 0400:C35A)
the same frames travel in 64-byte reports, zero-padded (libzhouyb's HidCmdAdapter.h: whole
64-byte packets; the frame's LEN says where it ends); `on_hid_socket()` gives the driver one end
of a SOCK_SEQPACKET socket pair, which keeps report boundaries as hidraw does.

    sam = SamEmulator(baud=115200, after_read=AfterRead.NO_CARD_SELECT_FAILS)
    port = sam.on_pty()                 # "/dev/pts/7": give it to the driver
    sam.insert(EmulatedCard.of(card, appended_addresses=("新住址",)))
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
import socket
import termios
import threading
import time
import tty
from collections import Counter, deque
from dataclasses import dataclass
from enum import Enum

from devices.cards import IdCardData
from devices.idcard.card_text import FOREIGN_LAYOUT, join_fields
from devices.idcard.frame import Answer, Command, FrameError, Request, RequestDecoder
from devices.idcard.sam_model import SAM_ID, AfterRead, EmulatedCard, SamModel

__all__ = [
    "HID_REPORT_SIZE",
    "AfterRead",
    "EmulatedCard",
    "LineFault",
    "SamEmulator",
    "foreign_permanent_card_text",
]

log = logging.getLogger(__name__)

SW3_BAD_REQUEST_CHECK = 0x10
HID_REPORT_SIZE = 64
NOISE = b"\x00\xff\xaa\xaa\x96\x13\x37\xaa\xaa\xaa\x96"  # includes near-preambles
BAUD_CONSTANTS = {getattr(termios, f"B{rate}"): rate
                  for rate in (9600, 19200, 38400, 57600, 115200, 230400)}


class LineFault(Enum):
    """What the line can do to the next answer(s)."""

    NOISE_BEFORE_FRAME = "noise_before_frame"
    WRONG_CHECK_BYTE = "wrong_check_byte"
    TRUNCATED_FRAME = "truncated_frame"
    NO_ANSWER = "no_answer"


def foreign_permanent_card_text(
    english_name: str, sex_code: str, permit_number: str, nationality: str, chinese_name: str,
    valid_from: str, valid_to: str, birth_date: str, version: str = "01",
    authority_code: str = "1500", marker: str = "I",
) -> bytes:
    """The text block of a foreign permanent-resident card (dates as YYYYMMDD); marker "Y" for
    the 2023 edition, whose other fields are laid out here as the 2017 card's (unpublished)."""
    return join_fields({
        "english_name": english_name, "sex": sex_code, "permit_number": permit_number,
        "nationality": nationality, "chinese_name": chinese_name, "valid_from": valid_from,
        "valid_to": valid_to, "birth_date": birth_date, "version": version,
        "authority_code": authority_code, "card_type": marker,
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


class _Link:
    """The emulator's end of the line: a pty master (a byte stream) or a HID socket (reports)."""

    def __init__(self, fd: int, peer: int | None, hid: bool) -> None:
        self.fd, self.peer, self.hid = fd, peer, hid  # peer: the pty slave we keep open

    def read(self) -> bytes:
        data = os.read(self.fd, 4096)
        # hidraw: an output report is its report number (0: unnumbered) and its bytes
        return data[1:] if self.hid else data

    def chunks(self, wire: bytes, step: int) -> list[bytes]:
        if not self.hid:
            return [wire[i:i + step] for i in range(0, len(wire), step)]
        return [wire[i:i + HID_REPORT_SIZE].ljust(HID_REPORT_SIZE, b"\x00")
                for i in range(0, len(wire), HID_REPORT_SIZE)]

    def close(self) -> None:
        os.close(self.fd)
        if self.peer is not None:
            os.close(self.peer)


class SamEmulator:
    def __init__(self, baud: int = 115200, *, pace: bool = True,
                 after_read: AfterRead = AfterRead.KEEPS_FOUND, sam_id: str = SAM_ID) -> None:
        self.baud = baud
        self.pace = pace
        self.byte_time = 10 / baud  # start bit, 8 data bits, stop bit
        self.exchanges: deque[Exchange] = deque(maxlen=2000)  # the latest ones
        self._answered: Counter[Command | None] = Counter()
        self.card_placed_at: float | None = None
        self.card_found_at: float | None = None  # first find-card hit after the placement
        self.sam = SamModel(after_read, sam_id)
        self._lock = threading.Lock()
        self._faults: deque[list] = deque()  # [fault, remaining or None, command or None]
        self._link: _Link | None = None
        # bumped at every plug and unplug: a closed descriptor's number can be reused at once
        # (by the driver's next port, say), so I/O checks it still talks to the same link
        self._generation = 0
        self._decoder = RequestDecoder()
        self._closed = threading.Event()
        self._thread: threading.Thread | None = None
        self.path: str | None = None

    # -- the line ----------------------------------------------------------------------------

    def on_pty(self) -> str:
        """Open a new pty pair (closing the old link) and return the slave path to read from."""
        master, slave = os.openpty()
        tty.setraw(slave)
        attrs = termios.tcgetattr(slave)
        speed = next(const for const, rate in BAUD_CONSTANTS.items() if rate == self.baud)
        attrs[4] = attrs[5] = speed
        termios.tcsetattr(slave, termios.TCSANOW, attrs)
        os.set_blocking(master, False)
        path = os.ttyname(slave)
        self._plug(_Link(master, slave, hid=False), path)
        return path

    def on_hid_socket(self) -> socket.socket:
        """A USB HID reader plugged in: the driver's end of the link (reports keep their
        boundaries, as on /dev/hidraw*)."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        ours.setblocking(False)
        self._plug(_Link(ours.detach(), None, hid=True), None)
        return theirs

    def _plug(self, link: _Link, path: str | None) -> None:
        self.unplug()
        with self._lock:
            self._link = link
            self._generation += 1
            self._decoder = RequestDecoder()
            self.path = path
        if self._thread is None:
            self._thread = threading.Thread(target=self._serve, name="sam-emulator", daemon=True)
            self._thread.start()

    def unplug(self) -> None:
        """Close the link: the driver's port is gone (reads and writes fail, the path vanishes)."""
        with self._lock:
            link, self._link = self._link, None
            self._generation += 1
            self.path = None
            if link is not None:
                link.close()

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
            self.sam.place(card)
            self.card_placed_at, self.card_found_at = time.monotonic(), None

    def remove(self) -> None:
        with self._lock:
            self.sam.place(None)

    def inject(self, fault: LineFault, count: int | None = 1,
               on: Command | None = None) -> None:
        """Spoil the next `count` answers (None: every answer until `clear_faults`), or only
        the answers to `on`."""
        with self._lock:
            self._faults.append([fault, count, on])

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def count(self, command: Command) -> int:
        """How many requests of `command` have been answered so far."""
        with self._lock:
            return self._answered[command]

    # -- serving -----------------------------------------------------------------------------

    def _serve(self) -> None:
        while not self._closed.is_set():
            with self._lock:
                link, generation = self._link, self._generation
            if link is None:
                self._closed.wait(0.02)
                continue
            try:
                ready, _, _ = select.select([link.fd], [], [], 0.05)
                with self._lock:
                    if not ready or generation != self._generation:
                        continue
                    chunk = link.read()
            except OSError:  # unplugged under our feet, or nobody on the other side
                self._closed.wait(0.02)
                continue
            if not chunk and link.hid:  # the driver closed its end
                self._closed.wait(0.02)
                continue
            for request in self._decoder.feed(chunk):
                self._answer(link, generation, request)

    def _line_garbled(self, link: _Link) -> bool:
        """The driver's UART runs at another baud than the SAM's: it reads garbage."""
        if link.hid:
            return False
        try:
            speed = termios.tcgetattr(link.fd)[5]
        except termios.error:
            return False
        return BAUD_CONSTANTS.get(speed, 0) != self.baud

    def _answer(self, link: _Link, generation: int, request: Request | FrameError) -> None:
        received_at = time.monotonic()
        if isinstance(request, FrameError):
            command, request_bytes, answer = None, 0, Answer(0, 0, SW3_BAD_REQUEST_CHECK)
        else:
            command = request.command
            request_bytes = 10 + len(request.data)  # preamble, LEN, CMD, PARA, data, CHK
            with self._lock:
                answer = self.sam.respond(request)
                if command is Command.FIND_CARD and answer.sw3 == 0x9F \
                        and self.card_found_at is None:
                    self.card_found_at = received_at
        if self.pace:  # the request could not have arrived faster than the line carries it
            self._sleep_until(received_at + request_bytes * self.byte_time)
        wire = self._spoil(answer.encode(), command)
        if self._line_garbled(link):
            wire = bytes(byte ^ 0x55 for byte in wire)  # no preamble survives
        if not self._write(link, generation, wire):
            return
        self.exchanges.append(Exchange(command, request_bytes, len(wire), answer.sw3,
                                       received_at, time.monotonic()))
        with self._lock:
            self._answered[command] += 1

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

    def _write(self, link: _Link, generation: int, wire: bytes) -> bool:
        """Write `wire` paced at the line rate; False when the line went away meanwhile."""
        start = time.monotonic()
        step = max(1, self.baud // 10_000) if self.pace else max(1, len(wire))  # ~1 ms a write
        written = 0
        for chunk in link.chunks(wire, step):
            written += len(chunk)
            if self.pace:  # hand over each byte only once the line would have carried it
                self._sleep_until(start + min(written, len(wire)) * self.byte_time)
            with self._lock:
                if generation != self._generation:
                    return False
                try:
                    os.write(link.fd, chunk)
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
