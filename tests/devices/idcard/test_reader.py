"""The real driver over a real pty, against the SAM emulator: what the kiosk and a manager see.

The reader polls every 0.3 s (the floor), so waits here are a few polls long.
"""

from __future__ import annotations

import os
import time
from datetime import date

import pytest

from devices.cards import CardPresent, CardReadFailed, CardRemoved, IdCardData
from devices.health import HealthState
from devices.idcard.frame import Command
from devices.idcard.outcomes import FOREIGN_CARD_MESSAGE, READ_FAILED_MESSAGE
from devices.idcard.reader import Ga467Reader
from devices.idcard.sam_emulator import (
    EmulatedCard,
    LineFault,
    SamEmulator,
    foreign_permanent_card_text,
)
from tests.devices.waiting import wait_until

PHOTO = bytes(range(256)) * 4
# the emulator answers at once; waiting as long as for a real SAM for a lost answer only slows
# the tests down
QUICK_SAM = {Command.FIND_CARD: 0.2, Command.SAM_STATUS: 0.2, Command.SAM_ID: 0.2,
             Command.SELECT_CARD: 0.2, Command.READ_TEXT_AND_PHOTO: 0.3,
             Command.READ_APPENDED_ADDRESS: 0.3}


def polls(sam: SamEmulator) -> int:
    """The reader's polls (FIND_CARD) the emulator has answered so far."""
    return sum(1 for exchange in list(sam.exchanges) if exchange.command is Command.FIND_CARD)


def more_polls(sam: SamEmulator, count: int):
    """True once `count` more polls than now have been answered *and acted on*: the reader
    sends its next poll only after acting on the last answer, so one more is waited for."""
    target = polls(sam) + count + 1
    return lambda: polls(sam) >= target


def person(**changes) -> IdCardData:
    fields = dict(
        card_type="resident", name="欧阳娜娜", sex="女", nation="满",
        birth_date=date(1958, 2, 28), address="辽宁省沈阳市和平区示例路66号3单元",
        id_number="210102195802282325", issuing_authority="沈阳市公安局和平分局",
        valid_from=date(2016, 4, 1), valid_to=None, photo_wlt=PHOTO)
    return IdCardData(**{**fields, **changes})


def test_a_placed_card_is_read_once_and_its_removal_told_once(sam, watch):
    watcher = watch(sam.path)
    sam.insert(person())
    event = watcher.next_event()
    assert isinstance(event, CardPresent)
    card = event.card
    assert (card.card_type, card.name, card.sex, card.nation, card.birth_date) == (
        "resident", "欧阳娜娜", "女", "满", date(1958, 2, 28))
    assert (card.id_number, card.address, card.issuing_authority) == (
        "210102195802282325", "辽宁省沈阳市和平区示例路66号3单元", "沈阳市公安局和平分局")
    assert (card.valid_from, card.valid_to, card.photo_wlt) == (date(2016, 4, 1), None, PHOTO)
    assert watcher.reader.health().ok
    # three more polls find the same card: no second CardPresent
    watcher.quiet_until(more_polls(sam, 3))
    sam.remove()
    assert isinstance(watcher.next_event(), CardRemoved)
    watcher.quiet_until(more_polls(sam, 2))
    finds = [e.received_at for e in list(sam.exchanges) if e.command is Command.FIND_CARD]
    assert len(finds) >= 6
    # the poll floor, on average: one poll the emulator's thread noticed late makes the next
    # gap look short on a busy machine, while a driver polling too fast shortens them all
    assert (finds[-1] - finds[0]) / (len(finds) - 1) >= 0.29


def test_a_card_that_cannot_be_read_fails_once_and_the_next_card_reads(sam, watch):
    watcher = watch(sam.path)
    sam.insert(EmulatedCard.of(person(), read_fails=True))
    event = watcher.next_event()
    assert isinstance(event, CardReadFailed)
    assert (event.code, event.message) == ("CARD_READ_FAILED", READ_FAILED_MESSAGE)
    assert "41" in event.detail
    health = watcher.wait_health("CARD_READ_FAILED")
    assert health.state is HealthState.ERROR
    watcher.quiet_until(more_polls(sam, 2))  # the same card is not retried while it lies there
    sam.remove()
    watcher.wait_health("OK")
    sam.insert(person())
    assert isinstance(watcher.next_event(), CardPresent)


def test_a_card_pulled_between_select_and_read(sam, watch):
    watcher = watch(sam.path)
    sam.insert(EmulatedCard.of(person(), pulled_after_select=True))
    event = watcher.next_event()
    assert isinstance(event, CardReadFailed) and event.code == "CARD_READ_FAILED"
    watcher.wait_health("OK")  # the card is gone: the reader itself is fine
    sam.insert(person())
    assert isinstance(watcher.next_event(), CardPresent)


def test_a_card_that_cannot_be_selected(sam, watch):
    watcher = watch(sam.path)
    sam.insert(EmulatedCard.of(person(), select_fails=True))
    event = watcher.next_event()
    assert isinstance(event, CardReadFailed) and "81" in event.detail


@pytest.mark.parametrize("fault", [LineFault.WRONG_CHECK_BYTE, LineFault.TRUNCATED_FRAME,
                                   LineFault.NO_ANSWER])
def test_one_spoilt_answer_is_asked_again_and_the_card_still_reads(sam, watch, fault):
    watcher = watch(sam.path, sam_time=QUICK_SAM)
    sam.inject(fault, count=1, on=Command.READ_TEXT_AND_PHOTO)
    sam.insert(person())
    event = watcher.next_event()
    assert isinstance(event, CardPresent) and event.card.name == "欧阳娜娜"

    def reads() -> int:
        return sum(e.command is Command.READ_TEXT_AND_PHOTO for e in list(sam.exchanges))

    # the emulator logs an exchange once its last byte is out: the reader may have published
    # the card a moment before the log has the second read
    wait_until(lambda: reads() >= 2)
    assert reads() == 2  # the spoilt one and the one asked again


@pytest.mark.parametrize(("fault", "code"), [(LineFault.WRONG_CHECK_BYTE, "SAM_BAD_ANSWER"),
                                             (LineFault.TRUNCATED_FRAME, "SAM_NO_ANSWER"),
                                             (LineFault.NO_ANSWER, "SAM_NO_ANSWER")])
def test_a_sam_that_keeps_answering_badly_is_an_error_and_recovers(sam, watch, fault, code):
    watcher = watch(sam.path, sam_time=QUICK_SAM)
    watcher.wait_health("OK")
    sam.inject(fault, count=None)
    health = watcher.wait_health(code)
    assert health.state is HealthState.ERROR and "20 01" in health.detail
    sam.clear_faults()
    watcher.wait_health("OK")
    sam.insert(person())
    assert isinstance(watcher.next_event(), CardPresent)


def test_noise_before_every_frame_does_not_disturb_reading(sam, watch):
    watcher = watch(sam.path)
    sam.inject(LineFault.NOISE_BEFORE_FRAME, count=None)
    sam.insert(person())
    assert isinstance(watcher.next_event(), CardPresent)
    assert watcher.reader.health().ok


def test_a_read_that_never_completes_is_a_read_failure_then_recovers(sam, watch):
    watcher = watch(sam.path, sam_time=QUICK_SAM)
    sam.inject(LineFault.TRUNCATED_FRAME, count=None, on=Command.READ_TEXT_AND_PHOTO)
    sam.insert(person())
    event = watcher.next_event()
    assert isinstance(event, CardReadFailed) and "30 01" in event.detail
    sam.clear_faults()
    sam.remove()
    watcher.wait_health("OK")
    sam.insert(person())
    assert isinstance(watcher.next_event(), CardPresent)


def test_a_reader_unplugged_and_plugged_in_again_is_picked_up(sam, watch, tmp_path):
    link = tmp_path / "ttyIDCARD"
    link.symlink_to(sam.path)
    watcher = watch(str(link))
    sam.insert(person())
    assert isinstance(watcher.next_event(), CardPresent)

    sam.unplug()
    link.unlink()
    health = watcher.wait_health("NO_DEVICE")
    assert health.state is HealthState.OFFLINE
    assert isinstance(watcher.next_event(), CardRemoved)  # what lay there cannot be vouched for

    link.symlink_to(sam.on_pty())  # a new device node, as after a replug
    watcher.wait_health("OK")
    event = watcher.next_event()  # the card still lies there: read again
    assert isinstance(event, CardPresent) and event.card.name == "欧阳娜娜"


def test_a_reader_missing_at_start_is_offline_until_it_appears(sam, watch, tmp_path):
    link = tmp_path / "ttyIDCARD"
    watcher = watch(str(link), reopen_interval=0.3)
    health = watcher.wait_health("NO_DEVICE")
    assert health.state is HealthState.OFFLINE and str(link) in health.detail
    link.symlink_to(sam.path)
    watcher.wait_health("OK")
    sam.insert(person())
    assert isinstance(watcher.next_event(), CardPresent)


def test_an_hmt_residence_permit_is_read(sam, watch):
    watcher = watch(sam.path)
    permit = person(card_type="hmt_residence", nation="", id_number="810000199001010032",
                    valid_to=date(2028, 1, 1))
    sam.insert(EmulatedCard.of(permit, pass_number="H01234567", issue_count="00"))
    event = watcher.next_event()
    assert isinstance(event, CardPresent) and event.card == permit


def test_a_foreign_permanent_resident_card_is_named_unsupported_and_the_reader_stays_ok(
        sam, watch):
    watcher = watch(sam.path)
    text = foreign_permanent_card_text("SMITH JOHN", "1", "USA110012345678", "USA", "史密斯",
                                       "20200101", "20300101", "19800101")
    sam.insert(EmulatedCard(text, PHOTO))
    event = watcher.next_event()
    assert isinstance(event, CardReadFailed)
    assert (event.code, event.message) == ("CARD_TYPE_UNSUPPORTED", FOREIGN_CARD_MESSAGE)
    assert "foreign permanent-resident" in event.detail
    watcher.quiet_until(more_polls(sam, 2))
    assert watcher.reader.health().ok


def test_the_poll_interval_has_a_floor():
    with pytest.raises(ValueError, match=r"0\.3"):
        Ga467Reader("/dev/null", poll_interval=0.1)


def test_stop_returns_within_a_second_even_while_waiting_for_an_answer(sam, watch):
    watcher = watch(sam.path)
    sam.inject(LineFault.NO_ANSWER, count=None)
    # a request went unanswered: the reader is waiting for its answer
    assert wait_until(lambda: any(e.answer_bytes == 0 for e in list(sam.exchanges)))
    started = time.monotonic()
    watcher.reader.stop()
    assert time.monotonic() - started < 1.0
    watcher.reader.stop()  # idempotent


def test_a_stopped_reader_releases_the_port(sam, watch):
    watcher = watch(sam.path)
    assert wait_until(lambda: len(sam.exchanges) > 0)  # the reader has the port open
    watcher.reader.stop()
    fds = [os.readlink(f"/proc/self/fd/{fd}") for fd in os.listdir("/proc/self/fd")
           if os.path.exists(f"/proc/self/fd/{fd}")]
    assert fds.count(sam.path) == 1  # only the emulator's own handle on the slave


def test_a_reader_not_started_can_be_probed_once(sam, tmp_path):
    reader = Ga467Reader(sam.path, sam_time=QUICK_SAM)
    assert (reader.health().state, reader.health().detail) == (HealthState.OFFLINE, "not started")
    assert reader.probe().ok
    sam.inject(LineFault.NO_ANSWER, count=None)
    assert reader.probe().code == "SAM_NO_ANSWER"
    missing = Ga467Reader(str(tmp_path / "ttyNONE"))
    assert missing.probe().code == "NO_DEVICE"
