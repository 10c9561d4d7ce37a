"""A card reader watched as the kiosk watches it: events delivered on an event loop of its own
(as the GUI loop gets them), health changes recorded, both for a test to wait on."""

from __future__ import annotations

import asyncio
import queue
import threading
import time
from collections.abc import Callable

from devices.cards import CardEvent, CardReader
from devices.health import Health
from tests.devices.waiting import DEADLINE_S, wait_until


class Watcher:
    """A reader's card events and health changes, delivered on an event loop of its own (as the
    kiosk's GUI loop gets them) and collected for the test to wait on."""

    def __init__(self, reader: CardReader, *, reported_only: bool = False) -> None:
        self.reader = reader
        # True: wait for a health the reader *reports*, not the one it started with (the ID-card
        # reader starts as "offline, not started" and must say why it is offline)
        self.reported_only = reported_only
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()
        self.events: queue.Queue[CardEvent] = queue.Queue()
        self.healths: list[Health] = []
        self._changed = threading.Condition()

        async def bind() -> None:
            reader.events.bind(self.loop)
            reader.events.listen(self.events.put)

        asyncio.run_coroutine_threadsafe(bind(), self.loop).result(timeout=2)
        reader.on_health_change(self._on_health)

    def _on_health(self, _family: str, health: Health) -> None:
        with self._changed:
            self.healths.append(health)
            self._changed.notify_all()

    def next_event(self, timeout: float = DEADLINE_S) -> CardEvent:
        try:
            return self.events.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no card event within {timeout} s") from None

    def quiet_until(self, counted: Callable[[], bool] | None = None,
                    timeout: float = DEADLINE_S) -> None:
        """No card event while `counted()` comes true: a number of the reader's polls, say, so
        a busy machine makes this wait longer instead of checking less. Without `counted`: no
        event among those published so far."""
        if counted is not None and not wait_until(counted, timeout):
            raise AssertionError(f"what was counted did not happen within {timeout} s")
        # events are handed to the loop in order: once a call queued now has run there, every
        # event published before it is in `events`
        asyncio.run_coroutine_threadsafe(asyncio.sleep(0), self.loop).result(timeout)
        try:
            event = self.events.get_nowait()
        except queue.Empty:
            return
        raise AssertionError(f"unexpected event {event!r}")

    def wait_health(self, code: str, timeout: float = DEADLINE_S) -> Health:
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                current = (self.healths[-1] if self.healths else None) if self.reported_only \
                    else self.reader.health()
                if current is not None and current.code == code:
                    return current
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"health never became {code}: {self.healths}")
                self._changed.wait(remaining)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=2)
        self.loop.close()
