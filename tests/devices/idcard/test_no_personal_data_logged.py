"""Reading cards, good and bad, never puts what the card says into a log."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from devices.cards import CardPresent, CardReadFailed, IdCardData
from devices.idcard.frame import Command
from devices.idcard.sam_emulator import EmulatedCard, LineFault
from kiosk.logging_setup import configure_logging

CARD = IdCardData(
    card_type="resident", name="司马相如", sex="男", nation="汉", birth_date=date(1947, 6, 18),
    address="四川省成都市青羊区琴台路12号附5号", id_number="510105194706185571",
    issuing_authority="成都市公安局青羊分局", valid_from=date(2015, 9, 9), valid_to=None,
    photo_wlt=bytes(1024))
SECRETS = (CARD.name, CARD.id_number, CARD.address, "琴台路", "19470618", "1947-06-18",
           CARD.id_number[6:14])


@pytest.fixture
def kiosk_log(tmp_path):
    """The kiosk's own log file (with its masking filter), removed again afterwards."""
    root = logging.getLogger()
    level = root.level
    log_file = configure_logging(tmp_path, "DEBUG")
    yield log_file
    for handler in [h for h in root.handlers if getattr(h, "_kiosk_handler", False)]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


def test_no_name_id_number_address_or_birth_date_in_any_log(sam, watch, caplog, kiosk_log):
    caplog.set_level(logging.DEBUG)
    watcher = watch(sam.path)
    sam.insert(CARD)
    assert isinstance(watcher.next_event(), CardPresent)
    sam.remove()
    watcher.next_event()
    # a failed read, and a spoilt text answer, log their details too
    sam.insert(EmulatedCard.of(CARD, read_fails=True))
    assert isinstance(watcher.next_event(), CardReadFailed)
    sam.remove()
    watcher.wait_health("OK")  # the failed card has left
    sam.inject(LineFault.WRONG_CHECK_BYTE, count=2, on=Command.READ_TEXT_AND_PHOTO)
    sam.insert(CARD)
    event = watcher.next_event()
    assert isinstance(event, CardReadFailed)
    watcher.reader.stop()

    captured = caplog.text + "\n".join(
        f"{record.getMessage()} {record.exc_text or ''}" for record in caplog.records)
    written = kiosk_log.read_text(encoding="utf-8")
    assert "card read" in captured and "card read" in written  # the reads were logged
    for secret in SECRETS:
        assert secret not in captured
        assert secret not in written
    assert all(secret not in f"{event!r} {event.detail}" for secret in SECRETS)
