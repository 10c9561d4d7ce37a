"""The real driver through a real pcscd and vpcd, against the emulated card: what the kiosk hears
and what a manager sees. The readers here look every 0.2 s and retry pcscd every 0.2 s."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from devices.cards import CardPresent, CardReadFailed, CardRemoved, SsCardData
from devices.health import HealthState
from devices.sscard.access import PinVerify
from devices.sscard.emulator import EmulatedSsCard, Fault
from devices.sscard.errors import CARD_ACCESS_DENIED, CARD_READ_FAILED
from devices.sscard.reader import NO_DEVICE, PCSC_UNAVAILABLE, PcscSsCardReader
from devices.sscard.samples import sample_card
from tests.devices.sscard.testbed import READER_NAME, Looks, wait_for_slot
from tests.devices.waiting import DEADLINE_S, wait_until


def reader(name: str = "", **options) -> PcscSsCardReader:
    return PcscSsCardReader(name, **{"poll_s": 0.2, "retry_s": 0.2, **options})


def holder() -> SsCardData:
    return replace(sample_card(), name="欧阳明月", sex="女", nation="满", birthplace="210102",
                   birth_date=date(1958, 2, 28), ss_number="210102195802282325",
                   card_number="B87654321")


def test_an_inserted_card_is_read_once_and_its_removal_told_once(slot, watch):
    watcher = watch(reader())
    looks = Looks(watcher.reader)
    slot.insert(EmulatedSsCard(holder()))
    event = watcher.next_event()
    assert isinstance(event, CardPresent)
    card = event.card
    assert isinstance(card, SsCardData)
    assert (card.name, card.sex, card.nation, card.birthplace, card.birth_date) == (
        "欧阳明月", "女", "满", "210102", date(1958, 2, 28))
    assert (card.ss_number, card.card_number) == ("210102195802282325", "B87654321")
    assert (card.card_type, card.spec_version, card.issuing_institution) == (
        "3", "3.00", "110100000000")
    assert (card.issue_date, card.expiry_date) == (date(2021, 6, 1), date(2031, 6, 1))
    assert card.card_identifier == "110100D156000005000FA1B2C3D4E5F6"
    assert watcher.reader.health().ok
    watcher.quiet_until(looks.more(3))  # more looks at the same card: no second CardPresent
    slot.remove()
    assert isinstance(watcher.next_event(), CardRemoved)
    watcher.quiet_until(looks.more(2))
    assert watcher.reader.health().ok


def test_t0_get_response_and_resend_with_le_are_followed(slot, watch):
    watcher = watch(reader())
    emulated = EmulatedSsCard(holder(), padded=False)  # records shorter than the usual Le
    slot.insert(emulated)
    event = watcher.next_event()
    assert isinstance(event, CardPresent) and event.card == holder()
    headers = [h.hex().upper() for h in emulated.commands]
    assert headers[:2] == ["00A40400", "00C00000"]  # 61xx after SELECT: GET RESPONSE
    assert headers.count("00B20900") == 2  # name asked with the usual Le, 6Cxx, asked again


def test_a_card_wanting_a_pin_is_refused_without_it_and_read_with_it(slot, watch):
    without = watch(reader())
    slot.insert(EmulatedSsCard(holder(), pin="123456"))
    event = without.next_event()
    assert isinstance(event, CardReadFailed)
    assert event.code == CARD_ACCESS_DENIED
    assert event.message == "此社保卡需验证后才能读取，请到人工窗口办理。"
    assert "6982" in event.detail
    health = without.reader.health()
    assert (health.state, health.code) == (HealthState.ERROR, CARD_READ_FAILED)
    slot.remove()
    assert isinstance(without.next_event(), CardRemoved)
    without.wait_health("OK")
    without.reader.stop()

    with_pin = watch(reader(access=PinVerify(lambda: "123456")))
    slot.insert(EmulatedSsCard(holder(), pin="123456"))
    event = with_pin.next_event()
    assert isinstance(event, CardPresent) and event.card == holder()


def test_an_access_step_that_breaks_fails_the_read_and_the_reader_goes_on(slot, watch):
    def no_keypad() -> str:
        raise RuntimeError("keypad gone")

    watcher = watch(reader(access=PinVerify(no_keypad)))
    slot.insert(EmulatedSsCard(holder(), pin="123456"))
    event = watcher.next_event()
    assert isinstance(event, CardReadFailed) and event.code == CARD_READ_FAILED
    assert event.detail.startswith("unexpected RuntimeError at test_pcsc_reader.py:")
    slot.remove()
    assert isinstance(watcher.next_event(), CardRemoved)
    assert watcher.wait_health("OK").ok


def test_an_error_status_word_fails_the_read_with_a_code_until_the_card_leaves(slot, watch):
    watcher = watch(reader())
    looks = Looks(watcher.reader)
    faulty = EmulatedSsCard(holder())
    faulty.fail(Fault(ins=0xB2, p1=0x09, status=0x6F00))
    slot.insert(faulty)
    event = watcher.next_event()
    assert isinstance(event, CardReadFailed)
    assert (event.code, event.message) == (CARD_READ_FAILED, "社保卡读取失败，请取出后重新插入。")
    assert event.detail == "READ RECORD 09: SW 6F00"
    assert watcher.wait_health(CARD_READ_FAILED).state is HealthState.ERROR
    watcher.quiet_until(looks.more(2))  # the same card is not read again and again
    slot.remove()
    assert isinstance(watcher.next_event(), CardRemoved)
    assert watcher.wait_health("OK").ok
    slot.insert(EmulatedSsCard(holder()))
    assert isinstance(watcher.next_event(), CardPresent)


def test_a_link_dropped_mid_read_is_a_defined_error_and_the_reader_recovers(pcscd, slot, watch):
    watcher = watch(reader())
    flaky = EmulatedSsCard(holder())
    flaky.fail(Fault(ins=0xB2, p1=0x09, drop=True))
    since = pcscd.log_size()
    slot.insert(flaky)
    event = watcher.next_event()
    assert isinstance(event, CardReadFailed)
    assert event.code == CARD_READ_FAILED
    assert event.detail.startswith("INS B2: ")  # the transmit itself failed
    assert isinstance(watcher.next_event(), CardRemoved)  # vpcd lost the card with the link
    assert watcher.wait_health("OK").ok
    # the person takes the card out and puts it back: pcscd looks at vpcd every 0.4 s, and a
    # card back before pcscd saw the slot empty would go unnoticed by pcscd itself
    pcscd.saw_the_slot_empty(since)
    slot.insert(EmulatedSsCard(holder()))
    event = watcher.next_event()
    assert isinstance(event, CardPresent) and event.card == holder()


def test_pcscd_stopping_or_dying_is_offline_and_it_is_found_again_when_back(pcscd, slot, watch):
    watcher = watch(reader())
    slot.insert(EmulatedSsCard(holder()))
    assert isinstance(watcher.next_event(), CardPresent)

    pcscd.stop()
    assert isinstance(watcher.next_event(), CardRemoved)
    health = watcher.wait_health(PCSC_UNAVAILABLE)
    assert health.state is HealthState.OFFLINE
    pcscd.start()  # the card is still in the slot and connects to the new vpcd
    assert isinstance(watcher.next_event(), CardPresent)
    assert watcher.wait_health("OK").ok

    pcscd.kill()
    assert isinstance(watcher.next_event(), CardRemoved)
    watcher.wait_health(PCSC_UNAVAILABLE)
    pcscd.start()
    event = watcher.next_event()
    assert isinstance(event, CardPresent) and event.card == holder()


def test_a_reader_that_is_gone_is_no_device_and_is_picked_up_when_back(pcscd, slot, watch):
    watcher = watch(reader())
    slot.insert(EmulatedSsCard(holder()))
    assert isinstance(watcher.next_event(), CardPresent)
    pcscd.start(with_reader=False)  # pcscd comes back without the vpcd reader
    assert isinstance(watcher.next_event(), CardRemoved)
    health = watcher.wait_health(NO_DEVICE)
    assert health.state is HealthState.OFFLINE
    assert health.detail == "no PC/SC reader at all; found 0"
    pcscd.start(with_reader=True)
    assert isinstance(watcher.next_event(), CardPresent)
    assert watcher.reader.health().ok


def test_the_configured_reader_is_chosen_by_part_of_its_name(slot, watch):
    second_slot = watch(reader(f"{READER_NAME.lower()} 00 01"))
    looks = Looks(second_slot.reader)
    missing = watch(reader("Some Other Reader"))
    slot.insert(EmulatedSsCard(holder()))  # into the first slot
    wait_for_slot(present=True)  # pcscd sees it there
    second_slot.quiet_until(looks.more(2))
    assert second_slot.reader.health().ok
    health = missing.wait_health(NO_DEVICE)
    assert health.detail == "no PC/SC reader matching 'Some Other Reader'; found 2"


def test_a_reader_started_again_reads_the_card_that_is_in(slot, watch):
    watcher = watch(reader())
    slot.insert(EmulatedSsCard(holder()))
    assert isinstance(watcher.next_event(), CardPresent)
    watcher.reader.stop()
    watcher.reader.start()
    assert isinstance(watcher.next_event(), CardPresent)


def test_selftest_probes_pcscd_and_the_reader_without_starting_the_worker(pcscd):
    assert reader().probe().ok
    health = reader("Some Other Reader").probe()
    assert (health.state, health.code) == (HealthState.OFFLINE, NO_DEVICE)
    pcscd.stop()
    health = reader().probe()
    assert (health.state, health.code) == (HealthState.OFFLINE, PCSC_UNAVAILABLE)
    assert "0x8010001D" in health.detail  # SCARD_E_NO_SERVICE


@pytest.mark.parametrize("pcscd_up", [True, False])
def test_stop_does_not_wait_out_a_poll_or_a_retry(pcscd, watch, pcscd_up):
    """A kiosk shutting down is not held by the reader: stop() cancels pcscd's wait (SCardCancel)
    and the pause between two tries, which here last ten minutes."""
    if not pcscd_up:
        pcscd.stop()
    sleepy = reader(poll_s=600.0, retry_s=600.0)
    looks = Looks(sleepy)
    watcher = watch(sleepy)
    # waiting for a card (the first look returns at once: it knew no state), or between two
    # tries to reach pcscd
    if pcscd_up:
        assert wait_until(lambda: looks.count >= 2)
    else:
        watcher.wait_health(PCSC_UNAVAILABLE)
    worker = watcher.reader._thread
    watcher.reader.stop()
    # the worker has ended: a safety net far below the 600 s it would otherwise wait
    assert wait_until(lambda: not worker.is_alive(), DEADLINE_S)
