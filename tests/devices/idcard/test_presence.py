"""A card left on the reader keeps the visit going, whatever the SAM answers to "find card" after
a read (each `AfterRead` mode is a published behaviour), and a card taken away is noticed within
a second. The reader's polls run on a clock the test moves: five minutes pass in seconds, and
"within a second" is counted on that clock, not measured."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from devices.cards import CardEvent, CardPresent, CardRemoved
from devices.idcard.frame import Command
from devices.idcard.reader import MIN_POLL_INTERVAL_S
from devices.idcard.sam_emulator import AfterRead, EmulatedCard, SamEmulator
from devices.idcard.simulator import sample_cards
from tests.devices.card_watcher import Watcher
from tests.devices.idcard.stepped_clock import SteppedClock

FIVE_MINUTES_S = 300.0


@pytest.fixture(params=list(AfterRead), ids=lambda mode: mode.value)
def sam(request) -> Iterator[SamEmulator]:
    """A SAM of each published behaviour; unpaced, so minutes of polls take little real time."""
    emulator = SamEmulator(pace=False, after_read=request.param)
    emulator.on_pty()
    yield emulator
    emulator.close()


def published(watcher: Watcher) -> list[CardEvent]:
    """The events the reader has published so far (it is waiting on the clock meanwhile)."""
    asyncio.run_coroutine_threadsafe(asyncio.sleep(0), watcher.loop).result(timeout=5)
    events = []
    while not watcher.events.empty():
        events.append(watcher.events.get_nowait())
    return events


def test_a_card_left_for_five_minutes_keeps_the_visit_and_its_removal_is_noticed_within_a_second(
        sam, watch):
    clock = SteppedClock()
    assert sam.path is not None
    watcher = watch(sam.path, clock=clock)
    sam.insert(EmulatedCard.of(sample_cards()["elder"], appended_addresses=("上海市新住址9号",)))
    clock.run_for(MIN_POLL_INTERVAL_S)
    [event] = published(watcher)
    assert isinstance(event, CardPresent) and event.card.address == "上海市新住址9号"

    finds_before = sam.count(Command.FIND_CARD)
    clock.run_for(FIVE_MINUTES_S)
    assert published(watcher) == []  # no CardRemoved: the visit goes on
    assert sam.count(Command.FIND_CARD) - finds_before >= FIVE_MINUTES_S / 0.31  # it polled
    assert watcher.reader.health().ok

    sam.remove()
    removed_at = clock.now()
    events: list[CardEvent] = []
    while not events and clock.now() - removed_at < 5:
        clock.run_for(0.1)
        events = published(watcher)
    assert events == [CardRemoved()]
    assert clock.now() - removed_at <= 1.0
