"""Reading the social-security application of a card: the command sequence, transport-free.

SELECT the application (SSSE), SELECT EF05 and read its records, run the card's access step,
SELECT EF06 and read its records, decode. Each record is asked for with the usual length; a card
that has another length says 6Cxx and `exchange` asks again.

Cards name their records two ways (ISO/IEC 7816-4 READ RECORD, see `emulator`'s sources): by the
record's tag (P2 = 00, P1 = 08 for the social-security number), which most published readers
send, or by its position in the file (P2 = 04, P1 = 1..6 in EF06). A record is asked for by its
tag first; when the card says it knows no such record or no such addressing (6A82, 6A83, 6A86)
it is asked for by its position, and the rest of that file is read the way that worked.

A card whose SSSE cannot be selected (6A82) may keep EF05 where it starts (its MF is the SSSE):
EF05 is then selected directly, and only when that fails too is the card not ours.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from devices.cards import SsCardData
from devices.sscard.access import AccessStep, NoAccessStep
from devices.sscard.apdu import (
    EF05,
    EF06,
    SS_AID,
    Transmit,
    read_record,
    read_record_by_tag,
    run,
    select_application,
    select_file,
)
from devices.sscard.errors import CardStatusError, NotSocialSecurityCard, UnreadableRecord
from devices.sscard.records import EF05_FIELDS, EF06_FIELDS, Field, decode_card, decode_field
from devices.sscard.tlv import record_value

log = logging.getLogger(__name__)

# "no such record / file / addressing": the card may know the record the other way
_ASK_THE_OTHER_WAY = frozenset((0x6A82, 0x6A83, 0x6A86))


def select_ss_application(transmit: Transmit) -> bool:
    """Enter the social-security application; True when that left EF05 selected already (a
    card without a selectable SSSE), or `NotSocialSecurityCard`."""
    try:
        run(transmit, select_application(SS_AID), "SELECT SSSE")
        return False
    except CardStatusError as exc:
        # any other refusal (6A81 not supported …) means: not our kind of card
        if exc.sw != 0x6A82:
            raise NotSocialSecurityCard(exc.sw1, exc.sw2, exc.step) from None
    try:
        run(transmit, select_file(EF05), "SELECT EF05 without SSSE")
    except CardStatusError as exc:
        raise NotSocialSecurityCard(exc.sw1, exc.sw2, "SELECT SSSE (6A82), " + exc.step) from None
    log.info("SSSE not selectable (6A82); EF05 selected directly")
    return True


def _by_tag(transmit: Transmit, field: Field, _position: int) -> bytes:
    return run(transmit, read_record_by_tag(field.tag, 2 + field.length),
               f"READ RECORD {field.tag:02X}")


def _by_position(transmit: Transmit, field: Field, position: int) -> bytes:
    return run(transmit, read_record(position, 2 + field.length),
               f"READ RECORD {field.tag:02X} at {position}")


def read_records(transmit: Transmit, fid: int, fields: Sequence[Field],
                 selected: bool = False) -> dict[int, bytes]:
    """The value of each of `fields` (in file order) from EF `fid`."""
    if not selected:
        run(transmit, select_file(fid), f"SELECT {fid:04X}")
    ways = [_by_tag, _by_position]
    values = {}
    for position, field in enumerate(fields, start=1):
        try:
            data = ways[0](transmit, field, position)
        except CardStatusError as first:
            if first.sw not in _ASK_THE_OTHER_WAY:
                raise
            try:
                data = ways[1](transmit, field, position)
            except CardStatusError as second:
                if second.sw not in _ASK_THE_OTHER_WAY:
                    raise
                raise UnreadableRecord(first, second) from None
            log.info("EF %04X names its records by %s", fid,
                     "position" if ways[1] is _by_position else "tag")
            ways.reverse()
        values[field.tag] = record_value(data, field.tag)
    return values


def read_ss_card(transmit: Transmit, access: AccessStep | None = None) -> SsCardData:
    """Everything EF05 and EF06 say, or an `SsCardError` naming what went wrong."""
    ef05_selected = select_ss_application(transmit)
    values = read_records(transmit, EF05, EF05_FIELDS, selected=ef05_selected)
    card_identifier = str(decode_field(EF05_FIELDS[0], values[EF05_FIELDS[0].tag]))
    (access or NoAccessStep()).before_ef06(transmit, card_identifier)
    values |= read_records(transmit, EF06, EF06_FIELDS)
    card = decode_card(values)
    log.debug("social-security card read: %d records", len(values))
    return card
