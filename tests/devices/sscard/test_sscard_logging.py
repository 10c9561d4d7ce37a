"""Nothing the card says about its holder reaches a log, at any level, whatever happens."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date

from devices.cards import CardPresent, CardReadFailed, CardRemoved
from devices.sscard.access import PinVerify
from devices.sscard.emulator import EmulatedSsCard, Fault
from devices.sscard.reader import PcscSsCardReader
from devices.sscard.samples import sample_card

HOLDER = replace(sample_card(), name="司马长风", ss_number="320102198807150417",
                 card_number="K73920145", birthplace="320102", birth_date=date(1988, 7, 15),
                 card_identifier="320100D15600000500A9B8C7D6E5F4A3")
SECRETS = [HOLDER.name, HOLDER.ss_number, HOLDER.card_number, HOLDER.card_identifier,
           "320102", "19880715", "1988-07-15", "1988, 7, 15",
           HOLDER.name.encode("gbk").hex(), HOLDER.name.encode("gbk").hex().upper(),
           HOLDER.ss_number.encode().hex(), HOLDER.ss_number.encode().hex().upper(),
           HOLDER.card_number.encode().hex().upper()]


def everything_logged(caplog) -> str:
    handler = logging.Formatter()
    return "\n".join(handler.format(record) for record in caplog.records)


def test_reads_good_and_bad_leave_no_personal_data_in_the_logs(caplog, pcscd, slot, watch):
    caplog.set_level(logging.DEBUG)
    watcher = watch(PcscSsCardReader(poll_s=0.2, retry_s=0.2,
                                     access=PinVerify(lambda: "123456")))
    events = []

    def read(card: EmulatedSsCard, expected: type) -> None:
        slot.insert(card)
        event = watcher.next_event()
        assert isinstance(event, expected)
        events.append(event)
        slot.remove()
        assert isinstance(watcher.next_event(), CardRemoved)

    read(EmulatedSsCard(HOLDER, pin="123456", padded=False), CardPresent)
    failing = EmulatedSsCard(HOLDER, pin="123456")
    failing.fail(Fault(ins=0xB2, p1=0x0C, status=0x6F00))  # after name and number were read
    read(failing, CardReadFailed)
    dropping = EmulatedSsCard(HOLDER, pin="123456")
    dropping.fail(Fault(ins=0xB2, p1=0x0D, drop=True))
    since = pcscd.log_size()
    slot.insert(dropping)
    assert isinstance(watcher.next_event(), CardReadFailed)
    assert isinstance(watcher.next_event(), CardRemoved)
    broken = EmulatedSsCard(HOLDER, pin="123456")
    broken.write_record(0x09, bytes((0x09, 0x08)) + HOLDER.name.encode("gbk")[:7] + b"\xff")
    pcscd.saw_the_slot_empty(since)  # a card lost mid-read: pcscd must look at the empty slot
    read(broken, CardReadFailed)

    logged = everything_logged(caplog)
    assert "card read failed" in logged and "SW 6F00" in logged  # the logs do say what happened
    for secret in SECRETS:
        assert secret not in logged, secret
        for event in events:
            assert secret not in repr(event), secret
