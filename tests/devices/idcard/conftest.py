"""A SAM emulator on a real pty, and a reader watched as the kiosk would watch it."""

from __future__ import annotations

import asyncio
import queue
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from devices.cards import CardEvent, CardReader
from devices.health import Health
from devices.idcard.reader import Ga467Reader
from devices.idcard.sam_emulator import SamEmulator


class Watcher:
    """The card events and health changes of a reader, delivered on an event loop of its own
    (as the kiosk's GUI loop would get them), collected for the test to wait on."""

    def __init__(self, reader: CardReader) -> None:
        self.reader = reader
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()
        self.events: queue.Queue[CardEvent] = queue.Queue()
        self.healths: list[Health] = []
        self._health_changed = threading.Condition()

        async def bind() -> None:
            reader.events.bind(self.loop)
            reader.events.listen(self.events.put)

        asyncio.run_coroutine_threadsafe(bind(), self.loop).result(timeout=2)
        reader.on_health_change(self._on_health)

    def _on_health(self, _family: str, health: Health) -> None:
        with self._health_changed:
            self.healths.append(health)
            self._health_changed.notify_all()

    def next_event(self, timeout: float = 3.0) -> CardEvent:
        try:
            return self.events.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no card event within {timeout} s") from None

    def quiet_for(self, seconds: float) -> None:
        """Assert that nothing is published for `seconds` (several polls)."""
        try:
            event = self.events.get(timeout=seconds)
        except queue.Empty:
            return
        raise AssertionError(f"unexpected event {event!r}")

    def wait_health(self, code: str, timeout: float = 4.0) -> Health:
        deadline = time.monotonic() + timeout
        with self._health_changed:
            while True:
                if self.healths and self.healths[-1].code == code:
                    return self.healths[-1]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"health never became {code}: {self.healths}")
                self._health_changed.wait(remaining)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=2)
        self.loop.close()


@pytest.fixture
def sam() -> Iterator[SamEmulator]:
    emulator = SamEmulator(baud=115200)
    emulator.on_pty()
    yield emulator
    emulator.close()


@pytest.fixture
def watch() -> Iterator[Callable[..., Watcher]]:
    """`watcher = watch(port)`: a started `Ga467Reader` on `port` (`watcher.reader`), stopped
    at the end of the test."""
    started: list[Watcher] = []

    def start(port: str, **options) -> Watcher:
        watcher = Watcher(Ga467Reader(port, **options))
        watcher.reader.start()
        started.append(watcher)
        return watcher

    yield start
    for watcher in started:
        watcher.reader.stop()
        watcher.close()
