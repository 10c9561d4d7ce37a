"""Code scanners: a camera that reads codes, a serial scanner, a keyboard-wedge scanner.

All three publish `Code`s on `CodeEvents`; a flow awaits `await scanner.events.next()` and
never touches a thread. The same code seen again within `repeat_s` is published once: a code
held in front of the camera is one scan, not thirty.

- `CameraCodeScanner` reads codes from a `Camera`'s newest frames, skipping frames while it
  is busy; the decoding runs in a child process with a hard deadline.
- `SerialCodeScanner` reads one code per line (CR, LF or CRLF) from a serial or USB-serial
  scanner (pyserial); `NO_DEVICE` while the port is missing, back by itself when it returns.
  A line longer than the cap is thrown away whole, never half-used.
- `KeyboardWedge` tells a scanner that types (USB HID, a burst of keys ending in Enter) from a
  person typing: scanners type a key every few milliseconds, people every 80 ms or more. The
  shell feeds it every key press; it answers what to do with the keys.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from devices.camera.frames import Camera
from devices.codes.payload import MAX_PAYLOAD_CHARS, Code, make_code
from devices.codes.pipeline import DEFAULT_BUDGET_S
from devices.codes.reader_process import CodeReaderProcess
from devices.health import HEALTHY, Health, HealthListener, HealthReporter, HealthState
from devices.worker import Worker

if TYPE_CHECKING:  # imported when a serial scanner starts
    import serial

log = logging.getLogger(__name__)

NO_DEVICE = "NO_DEVICE"


class CodeEvents:
    """Thread-safe hand-over of scanned codes from a worker to asyncio code."""

    def __init__(self, repeat_s: float = 3.0) -> None:
        self.repeat_s = repeat_s
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._queue: asyncio.Queue[Code] | None = None
        self._listeners: list[Callable[[Code], None]] = []
        self._last: tuple[str, str, float] | None = None

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Deliver codes to `loop` from now on (call on that loop's thread)."""
        with self._lock:
            self._loop = loop
            self._queue = asyncio.Queue(maxsize=16)

    def listen(self, listener: Callable[[Code], None]) -> None:
        """Also call `listener` on the bound loop for every code (the UI)."""
        self._listeners.append(listener)

    def publish(self, code: Code) -> bool:
        """Called from any thread; False when it repeats the last code or nobody listens."""
        now = time.monotonic()
        with self._lock:
            last = self._last
            if last and (last[0], last[1]) == (code.format, code.text) \
                    and now - last[2] < self.repeat_s:
                self._last = (code.format, code.text, now)
                return False
            self._last = (code.format, code.text, now)
            loop, queue = self._loop, self._queue
        if loop is None or queue is None or loop.is_closed():
            return False
        loop.call_soon_threadsafe(self._deliver, queue, code)
        return True

    def _deliver(self, queue: asyncio.Queue[Code], code: Code) -> None:
        if queue.full():  # nobody is reading: keep the newest
            queue.get_nowait()
        queue.put_nowait(code)
        for listener in list(self._listeners):
            listener(code)

    async def next(self) -> Code:
        if self._queue is None:
            self.bind(asyncio.get_running_loop())
        assert self._queue is not None
        return await self._queue.get()

    def clear(self) -> None:
        """Forget codes nobody waited for: a new session must not see the last person's."""
        with self._lock:
            self._last = None
        if self._queue is not None:
            while not self._queue.empty():
                self._queue.get_nowait()


class CodeScanner(Protocol):
    """The port flows use: whichever scanner it is, codes arrive on `events`."""

    family: str

    @property
    def events(self) -> CodeEvents: ...

    def health(self) -> Health: ...

    def on_health_change(self, listener: HealthListener) -> None: ...


class CameraCodeScanner:
    """Reads codes from a camera's frames in a worker; health is the camera's.

    The decoding itself runs in a child process (`CodeReaderProcess`): a stuck decode is
    killed at its deadline and a decoder crash cannot take the kiosk with it.
    """

    def __init__(self, camera: Camera, *, budget_s: float = DEFAULT_BUDGET_S) -> None:
        self.camera = camera
        self.family = camera.family
        self.reader = CodeReaderProcess(budget_s)
        self.events = CodeEvents()
        self._worker = Worker(f"codes-{self.family}", join_s=2.0)

    def health(self) -> Health:
        return self.camera.health()

    def on_health_change(self, listener: HealthListener) -> None:
        self.camera.on_health_change(listener)

    def probe(self) -> Health:
        """Check the camera is there without starting it (selftest)."""
        return self.camera.probe()

    def start(self) -> None:
        self.camera.start()
        self._worker.start(self._run)

    def stop(self) -> None:
        self._worker.stop()
        self.reader.stop()
        self.camera.stop()

    def _run(self, stop: threading.Event) -> None:
        self.reader.start()
        seen = 0
        while not stop.is_set():
            frame = self.camera.wait_for_frame(after=seen, timeout=0.5)
            if frame is None:
                continue
            seen = frame.number
            try:
                codes = self.reader.read(frame.image)
            except Exception:  # one bad frame must not end scanning
                log.exception("code reading failed on a frame")
                continue
            for code in codes:
                self.events.publish(code)


class SerialCodeScanner(HealthReporter):
    """A scanner on a serial port that sends each code as a line."""

    def __init__(self, port: str, baud: int = 9600, *, family: str = "qr_scanner",
                 retry_s: float = 2.0) -> None:
        super().__init__(family)
        self.port, self.baud, self.retry_s = port, baud, retry_s
        self.events = CodeEvents()
        self._worker = Worker(f"scanner-{family}", join_s=2.0)
        self._link: serial.Serial | None = None  # the open port, for stop() to interrupt a read
        self.report(Health(HealthState.OFFLINE, NO_DEVICE, "not started"))

    def start(self) -> None:
        self._worker.start(self._run)

    def stop(self) -> None:
        self._worker.stop(interrupt=self._interrupt_read)

    def _interrupt_read(self) -> None:
        """A read waits up to its timeout for bytes; a stopping kiosk need not wait with it."""
        link = self._link
        if link is not None:
            with contextlib.suppress(Exception):  # closed meanwhile, or a port without it
                link.cancel_read()

    def probe(self) -> Health:
        """Open and close the port once (selftest without starting the reader)."""
        if self._worker.running:
            return self.health()
        link = self._open()
        if link is not None:
            link.close()
            self.report(HEALTHY)
        return self.health()

    def _open(self) -> serial.Serial | None:
        import serial

        try:
            return serial.serial_for_url(self.port, baudrate=self.baud, timeout=0.2)
        except (serial.SerialException, OSError, ValueError) as exc:
            self.report(Health(HealthState.OFFLINE, NO_DEVICE, f"{self.port}: {exc}"[:200]))
            return None

    def _run(self, stop: threading.Event) -> None:
        import serial

        while not stop.is_set():
            link = self._open()
            if link is None:
                stop.wait(self.retry_s)
                continue
            self.report(HEALTHY)
            self._link = link
            try:
                self._read_lines(link, stop)
            except (serial.SerialException, OSError) as exc:
                self.report(Health(HealthState.OFFLINE, NO_DEVICE, f"{self.port}: lost: {exc}"
                                   [:200]))
            finally:
                self._link = None
                with contextlib.suppress(Exception):
                    link.close()
            stop.wait(self.retry_s if not stop.is_set() else 0)

    def _read_lines(self, link: serial.Serial, stop: threading.Event) -> None:
        line = bytearray()
        overlong = False
        limit = MAX_PAYLOAD_CHARS * 4  # bytes: up to 4 per character in UTF-8
        while not stop.is_set():
            chunk = link.read(256)
            for byte in chunk:
                if byte in (0x0D, 0x0A):
                    if line and not overlong:
                        code = make_code("Serial", bytes(line), source="serial")
                        if code is not None:
                            self.events.publish(code)
                    line.clear()
                    overlong = False
                elif not overlong:
                    line.append(byte)
                    if len(line) > limit:
                        overlong = True  # drop the whole line, up to its end
                        line.clear()
                        log.warning("scanner line over %d bytes dropped", limit)


@dataclass(frozen=True)
class Scanned:
    code: Code


@dataclass(frozen=True)
class Typed:
    text: str  # keys a person typed: hand them to the focused field


WedgeDecision = Scanned | Typed | None  # None: keys held back for now


class KeyboardWedge(HealthReporter):
    """Separates a scanner's keystroke bursts from a person's typing.

    Keys arriving within `max_gap_s` of each other are held; an Enter ending such a burst of at
    least `min_length` characters is a scan. A slower key, or a burst without Enter that has
    gone quiet (`flush(now)`), gives the held keys back as typing, so a person's input is only
    delayed by a few tens of milliseconds, never lost.
    """

    def __init__(self, *, max_gap_s: float = 0.035, min_length: int = 4,
                 family: str = "qr_scanner") -> None:
        super().__init__(family)  # always ok: a USB keyboard cannot be asked whether it is there
        self.max_gap_s = max_gap_s
        self.min_length = min_length
        self.events = CodeEvents()
        self._held: list[str] = []
        self._last_time: float | None = None

    def feed(self, key: str, now: float) -> WedgeDecision:
        """One key press: a character, or "\\r"/"\\n" for Enter."""
        gap_ok = self._last_time is not None and now - self._last_time <= self.max_gap_s
        if key in ("\r", "\n"):
            held, self._held, self._last_time = "".join(self._held), [], None
            if gap_ok and len(held) >= self.min_length:
                code = make_code("Keyboard", held, source="keyboard")
                if code is not None:
                    self.events.publish(code)
                    return Scanned(code)
            return Typed(held + "\n")
        given_back = ""
        if self._held and not gap_ok:
            given_back = "".join(self._held)  # too slow for a scanner: a person is typing
            self._held = []
        self._last_time = now
        if len(self._held) >= MAX_PAYLOAD_CHARS:
            given_back += "".join(self._held)
            self._held = []
        self._held.append(key)
        return Typed(given_back) if given_back else None

    def flush(self, now: float) -> Typed | None:
        """Call from a timer: keys held longer than a scanner's gap are a person's typing."""
        if self._held and self._last_time is not None and now - self._last_time > self.max_gap_s:
            held, self._held, self._last_time = "".join(self._held), [], None
            return Typed(held)
        return None
