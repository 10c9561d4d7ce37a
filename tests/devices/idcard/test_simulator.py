"""The in-process simulator keeps the real reader's promises, with no serial line at all."""

from __future__ import annotations

import asyncio

from devices.cards import CardPresent, CardReader, CardReadFailed, CardRemoved
from devices.health import HealthState
from devices.idcard.outcomes import CARD_READ_FAILED, READ_FAILED_MESSAGE
from devices.idcard.simulator import IdCardSimulator, sample_cards
from kiosk.id_number import has_valid_check_character


async def drain(reader: CardReader) -> list:
    await asyncio.sleep(0)  # let call_soon_threadsafe deliveries run
    events = []
    while True:
        try:
            events.append(await asyncio.wait_for(reader.events.next(), 0.05))
        except TimeoutError:
            return events


def test_insert_and_remove_are_told_once_per_card():
    async def scenario():
        simulator = IdCardSimulator()
        simulator.events.bind(asyncio.get_running_loop())
        simulator.start()
        card = sample_cards()["resident"]
        simulator.insert(card)
        assert await drain(simulator) == [CardPresent(card)]
        simulator.remove()
        simulator.remove()
        assert await drain(simulator) == [CardRemoved()]
        elder, permit = sample_cards()["elder"], sample_cards()["hmt_residence"]
        simulator.insert(elder)
        simulator.insert(permit)  # placing another card takes the first one away
        assert await drain(simulator) == [CardPresent(elder), CardRemoved(), CardPresent(permit)]
        simulator.stop()

    asyncio.run(scenario())


def test_a_failed_read_is_told_with_the_real_readers_code_and_message():
    async def scenario():
        simulator = IdCardSimulator()
        simulator.events.bind(asyncio.get_running_loop())
        healths = []
        simulator.on_health_change(lambda _family, health: healths.append(health))
        simulator.fail_read()
        [event] = await drain(simulator)
        assert isinstance(event, CardReadFailed)
        assert (event.code, event.message) == (CARD_READ_FAILED, READ_FAILED_MESSAGE)
        assert simulator.health().state is HealthState.ERROR
        simulator.insert(sample_cards()["resident"])
        assert simulator.health().ok
        assert [h.code for h in healths] == [CARD_READ_FAILED, "OK"]

    asyncio.run(scenario())


def test_sample_cards_are_made_up_but_well_formed():
    for card in sample_cards().values():
        assert has_valid_check_character(card.id_number)
        assert card.name not in repr(card) and card.id_number not in repr(card)


def test_the_simulator_describes_itself_without_a_sam():
    description = IdCardSimulator().describe()
    assert (description.driver, description.sam_id) == ("simulator", None)
    assert description.summary == "simulator on simulated, no SAM number (yet)"
