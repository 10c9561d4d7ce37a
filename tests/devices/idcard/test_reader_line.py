"""What the reader learns and checks on its line: the SAM's number, the baud it answers at, a USB
HID reader with the same frames; and what it reads besides the card text: the newest appended
address, and the 2023 foreign permanent-resident card it cannot decode."""

from __future__ import annotations

from datetime import date

import pytest

from devices.cards import CardPresent, CardReadFailed, CardRemoved, IdCardData
from devices.health import HealthState
from devices.idcard.frame import Command
from devices.idcard.links import HidLink, is_hid_port
from devices.idcard.outcomes import FOREIGN_CARD_MESSAGE
from devices.idcard.reader import Ga467Reader
from devices.idcard.sam_emulator import (
    EmulatedCard,
    LineFault,
    SamEmulator,
    foreign_permanent_card_text,
)
from devices.idcard.sam_model import SAM_ID

QUICK_SAM = {Command.FIND_CARD: 0.2, Command.SAM_STATUS: 0.2, Command.SAM_ID: 0.2,
             Command.SELECT_CARD: 0.2, Command.READ_TEXT_AND_PHOTO: 0.3,
             Command.READ_APPENDED_ADDRESS: 0.3}
PRINTED = "辽宁省沈阳市和平区示例路66号3单元"


def person(**changes) -> IdCardData:
    fields = dict(
        card_type="resident", name="欧阳娜娜", sex="女", nation="满",
        birth_date=date(1958, 2, 28), address=PRINTED,
        id_number="210102195802282325", issuing_authority="沈阳市公安局和平分局",
        valid_from=date(2016, 4, 1), valid_to=None, photo_wlt=bytes(1024))
    return IdCardData(**{**fields, **changes})


def test_the_sam_number_is_read_at_start_and_shown_for_self_tests(sam, watch):
    watcher = watch(sam.path)
    health = watcher.wait_health("OK")
    reader = watcher.reader
    assert reader.sam_id == SAM_ID == "05.01-20101015-0000012345-1234567890"
    assert health.detail == f"SAM {SAM_ID}"
    description = reader.describe()
    assert (description.family, description.driver, description.sam_id) == (
        "idcard", "ga467", SAM_ID)
    assert description.transport == f"serial {sam.path}, 115200 baud"
    assert description.summary.endswith(f"SAM {SAM_ID}")


def test_a_probe_names_the_sam_and_a_silent_sam_names_every_baud_tried(sam):
    reader = Ga467Reader(sam.path, sam_time=QUICK_SAM)
    health = reader.probe()
    assert health.ok and SAM_ID in health.detail
    sam.inject(LineFault.NO_ANSWER, count=None)
    health = reader.probe()
    assert (health.state, health.code) == (HealthState.ERROR, "SAM_NO_ANSWER")
    assert "tried 115200, 57600, 38400, 19200, 9600" in health.detail


def test_a_sam_at_another_baud_is_found_and_used(watch):
    with SamEmulator(baud=19200) as sam:
        watcher = watch(sam.on_pty(), baud=115200, sam_time=QUICK_SAM)
        watcher.wait_health("OK")
        assert watcher.reader.describe().transport.endswith("19200 baud")
        sam.insert(person())
        event = watcher.next_event()
        assert isinstance(event, CardPresent) and event.card.name == "欧阳娜娜"


def test_a_moved_persons_newest_appended_address_is_the_one_shown(sam, watch):
    watcher = watch(sam.path)
    sam.insert(EmulatedCard.of(person(), appended_addresses=(
        "辽宁省沈阳市皇姑区第一次搬家路1号", "辽宁省大连市中山区现住址路2号")))
    event = watcher.next_event()
    assert isinstance(event, CardPresent)
    assert event.card.address == "辽宁省大连市中山区现住址路2号"
    assert event.card.printed_address == PRINTED


def test_a_card_without_appended_address_keeps_its_printed_one(sam, watch):
    watcher = watch(sam.path)
    sam.insert(person())
    event = watcher.next_event()
    assert isinstance(event, CardPresent)
    assert (event.card.address, event.card.printed_address) == (PRINTED, "")


def test_an_appended_address_that_does_not_come_is_a_read_failure_not_the_old_address(sam, watch):
    watcher = watch(sam.path, sam_time=QUICK_SAM)
    sam.inject(LineFault.TRUNCATED_FRAME, count=None, on=Command.READ_APPENDED_ADDRESS)
    sam.insert(EmulatedCard.of(person(), appended_addresses=("辽宁省大连市中山区现住址路2号",)))
    event = watcher.next_event()
    assert isinstance(event, CardReadFailed) and "30 03" in event.detail


def test_a_2023_foreign_permanent_resident_card_is_named_to_the_person(sam, watch):
    watcher = watch(sam.path)
    text = foreign_permanent_card_text("SMITH JOHN", "1", "", "USA", "史密斯", "20230808",
                                       "20330807", "19800101", marker="Y")
    sam.insert(EmulatedCard(text))
    event = watcher.next_event()
    assert isinstance(event, CardReadFailed)
    assert (event.code, event.message) == ("CARD_TYPE_UNSUPPORTED", FOREIGN_CARD_MESSAGE)
    assert "2023" in event.detail


def test_a_usb_hid_reader_reads_cards_with_the_same_frames(watch):
    with SamEmulator() as sam:
        link = sam.on_hid_socket()
        watcher = watch("hid:emulated", open_link=lambda: HidLink.over_socket(link))
        watcher.wait_health("OK")
        assert watcher.reader.sam_id == SAM_ID
        assert watcher.reader.describe().transport == "USB HID (socket)"
        sam.insert(EmulatedCard.of(person(), appended_addresses=("辽宁省大连市中山区现住址路2号",)))
        event = watcher.next_event()
        assert isinstance(event, CardPresent)
        assert event.card.photo_wlt == bytes(1024)  # 1295 bytes over 21 reports, reassembled
        assert event.card.address == "辽宁省大连市中山区现住址路2号"
        sam.remove()
        assert isinstance(watcher.next_event(), CardRemoved)


@pytest.mark.parametrize(("port", "hid"), [("hid:/dev/hidraw3", True), ("/dev/hidraw0", True),
                                            ("/dev/ttyUSB0", False), ("COM3", False)])
def test_a_hid_reader_is_configured_by_its_port(port, hid):
    assert is_hid_port(port) is hid


def test_a_missing_hid_reader_is_offline(tmp_path):
    health = Ga467Reader(f"hid:{tmp_path}/hidraw9").probe()
    assert (health.state, health.code) == (HealthState.OFFLINE, "NO_DEVICE")
