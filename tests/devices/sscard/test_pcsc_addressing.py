"""Cards of each published kind read through the real pcscd and vpcd (issue 17): records named by
their tag (P2 = 00, what most public readers send), by their position (P2 = 04), and a regional
card whose SSSE cannot be selected while EF05 can."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest

from devices.cards import CardPresent, CardReader, SsCardData
from devices.sscard.emulator import Addressing, EmulatedSsCard
from devices.sscard.reader import PcscSsCardReader
from devices.sscard.samples import sample_card
from devices.sscard.vpcd import VpcdCard
from tests.devices.card_watcher import Watcher

Watch = Callable[[CardReader], Watcher]


def holder() -> SsCardData:
    return replace(sample_card(), name="欧阳明月", sex="女", nation="满", birthplace="210102",
                   birth_date=date(1958, 2, 28), ss_number="210102195802282325",
                   card_number="B87654321")


def read_by_the_kiosk(slot: VpcdCard, watch: Watch, card: EmulatedSsCard) -> list[str]:
    """Insert `card`; assert the kiosk heard the holder's data; the command headers it sent."""
    watcher = watch(PcscSsCardReader(poll_s=0.2, retry_s=0.2))
    slot.insert(card)
    event = watcher.next_event()
    assert isinstance(event, CardPresent), event
    assert event.card == holder()
    assert watcher.reader.health().ok
    return [header.hex().upper() for header in card.commands]


BY_TAG = ["00B20800", "00B20900", "00B20A00", "00B20B00", "00B20C00", "00B20D00"]
BY_POSITION = ["00B20104", "00B20204", "00B20304", "00B20404", "00B20504", "00B20604"]


@pytest.mark.parametrize(("addressing", "ef06_read"), [
    (Addressing.TAG, BY_TAG),  # the reference: what most public readers send
    (Addressing.POSITION, BY_POSITION),  # 6A86 by tag, then by position
    (Addressing.BOTH, BY_TAG),
])
def test_a_card_is_read_whichever_way_it_names_its_records(slot: VpcdCard, watch: Watch,
                                                          addressing: Addressing,
                                                          ef06_read: list[str]):
    sent = read_by_the_kiosk(slot, watch, EmulatedSsCard(holder(), addressing=addressing))
    assert sent[-6:] == ef06_read


def test_a_card_whose_ssse_cannot_be_selected_is_read_from_ef05_directly(slot: VpcdCard,
                                                                         watch: Watch):
    sent = read_by_the_kiosk(slot, watch, EmulatedSsCard(holder(), ssse=False))
    assert sent[:2] == ["00A40400", "00A40200"]  # SSSE asked for (6A82), then EF05 itself
