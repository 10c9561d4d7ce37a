"""What card readers tell the rest of the kiosk: a card arrived (with what it says), left, or
could not be read. Shared by the ID-card and the social-security-card families.

Readers poll in a worker thread and publish events; `CardEvents` hands them to asyncio code
(`await reader.events.next()`) on the loop it was bound to, so a flow never touches a thread.
Personal fields never appear in a `repr`, so a stray log line cannot leak them.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, Protocol

from devices.health import Health, HealthListener

IdCardType = Literal["resident", "foreign_permanent", "hmt_residence"]


@dataclass(frozen=True)
class IdCardData:
    """What the second-generation ID card's chip says (GA 467 text + photo)."""

    card_type: IdCardType
    name: str = field(repr=False)
    sex: str = field(repr=False)  # decoded text: 男 / 女 / 未知的性别 / 未说明的性别
    nation: str = field(repr=False)  # decoded text, e.g. 汉; "" where the layout has none
    birth_date: date = field(repr=False)
    address: str = field(repr=False)
    id_number: str = field(repr=False)
    issuing_authority: str = field(repr=False)
    valid_from: date = field(repr=False)
    valid_to: date | None = field(repr=False)  # None: 长期 (no expiry)
    photo_wlt: bytes = field(repr=False)  # vendor WLT format; the platform decodes it
    # the address printed on the card when a newer one was appended to its chip (moved house);
    # `address` is then the appended, current one. "" when the card has no appended address
    printed_address: str = field(default="", repr=False)


@dataclass(frozen=True)
class SsCardData:
    """What the social-security card's EF05 and EF06 say."""

    card_identifier: str = field(repr=False)
    card_type: str
    spec_version: str
    issuing_institution: str
    issue_date: date | None
    expiry_date: date | None
    card_number: str = field(repr=False)
    ss_number: str = field(repr=False)  # the social-security number (= ID number for most)
    name: str = field(repr=False)
    sex: str = field(repr=False)
    nation: str = field(repr=False)
    birthplace: str = field(repr=False)
    birth_date: date | None = field(repr=False)


@dataclass(frozen=True)
class CardPresent:
    card: IdCardData | SsCardData


@dataclass(frozen=True)
class CardRemoved:
    pass


@dataclass(frozen=True)
class CardReadFailed:
    """A card is there but could not be read; `code` is the health code (CARD_READ_FAILED …)."""

    code: str
    message: str  # Simplified Chinese for the person, marked with QT_TR_NOOP
    detail: str = ""  # for staff and logs; never personal data


CardEvent = CardPresent | CardRemoved | CardReadFailed


class CardEvents:
    """Thread-safe hand-over of card events from a reader's worker to asyncio code."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._queue: asyncio.Queue[CardEvent] | None = None
        self._listeners: list[Callable[[CardEvent], None]] = []

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Deliver events to `loop` from now on (call once, on that loop's thread)."""
        with self._lock:
            self._loop = loop
            self._queue = asyncio.Queue()

    def listen(self, listener: Callable[[CardEvent], None]) -> None:
        """Also call `listener` on the bound loop for every event (the UI, telemetry)."""
        self._listeners.append(listener)

    def publish(self, event: CardEvent) -> None:
        """Called from any thread."""
        with self._lock:
            loop, queue = self._loop, self._queue
        if loop is None or queue is None or loop.is_closed():
            return
        loop.call_soon_threadsafe(self._deliver, queue, event)

    def _deliver(self, queue: asyncio.Queue[CardEvent], event: CardEvent) -> None:
        queue.put_nowait(event)
        for listener in list(self._listeners):
            listener(event)

    async def next(self) -> CardEvent:
        if self._queue is None:
            self.bind(asyncio.get_running_loop())
        assert self._queue is not None
        return await self._queue.get()

    def clear(self) -> None:
        """Forget events nobody waited for (a new session must not see the last person's card)."""
        if self._queue is not None:
            while not self._queue.empty():
                self._queue.get_nowait()


class CardReader(Protocol):
    """The port flows and the shell use; a real driver and its simulator both provide it."""

    family: str
    events: CardEvents

    def health(self) -> Health: ...

    def on_health_change(self, listener: HealthListener) -> None: ...

    def start(self) -> None:
        """Begin watching for cards (a worker thread); idempotent."""

    def stop(self) -> None:
        """Stop watching and release the transport; idempotent, returns within a second."""
