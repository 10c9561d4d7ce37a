"""Reading the social-security application of a card: the command sequence, transport-free.

SELECT the application (SSSE), SELECT EF05 and read its records, run the card's access step,
SELECT EF06 and read its records, decode. Each record is read by its number (= its tag) asking
for the usual length; a card that has another length says 6Cxx and `exchange` asks again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from devices.cards import SsCardData
from devices.sscard.access import AccessStep, NoAccessStep
from devices.sscard.apdu import (
    EF05,
    EF06,
    SS_AID,
    Transmit,
    read_record,
    run,
    select_application,
    select_file,
)
from devices.sscard.errors import CardStatusError, NotSocialSecurityCard
from devices.sscard.records import EF05_FIELDS, EF06_FIELDS, Field, decode_card, decode_field
from devices.sscard.tlv import record_value

log = logging.getLogger(__name__)


def select_ss_application(transmit: Transmit) -> None:
    try:
        run(transmit, select_application(SS_AID), "SELECT SSSE")
    except CardStatusError as exc:
        # any refusal here (6A82 not found, 6A81 not supported …) means: not our kind of card
        raise NotSocialSecurityCard(exc.sw1, exc.sw2, exc.step) from None


def read_records(transmit: Transmit, fid: int, fields: Iterable[Field]) -> dict[int, bytes]:
    run(transmit, select_file(fid), f"SELECT {fid:04X}")
    values = {}
    for field in fields:
        step = f"READ RECORD {field.tag:02X}"
        data = run(transmit, read_record(field.tag, 2 + field.length), step)
        values[field.tag] = record_value(data, field.tag)
    return values


def read_ss_card(transmit: Transmit, access: AccessStep | None = None) -> SsCardData:
    """Everything EF05 and EF06 say, or an `SsCardError` naming what went wrong."""
    select_ss_application(transmit)
    values = read_records(transmit, EF05, EF05_FIELDS)
    card_identifier = str(decode_field(EF05_FIELDS[0], values[EF05_FIELDS[0].tag]))
    (access or NoAccessStep()).before_ef06(transmit, card_identifier)
    values |= read_records(transmit, EF06, EF06_FIELDS)
    card = decode_card(values)
    log.debug("social-security card read: %d records", len(values))
    return card
