"""Identity evidence from a card: the level it supports, age, masking, and nothing in a repr."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

from devices.cards import IdCardData, SsCardData
from kiosk.identity import EvidenceSource, from_id_card, from_ss_card

READ_AT = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def id_card(**changes) -> IdCardData:
    fields = dict(
        card_type="resident", name="张三丰", sex="男", nation="汉", birth_date=date(1949, 12, 31),
        address="北京市朝阳区建国路88号", id_number="11010519491231002X",
        issuing_authority="北京市公安局朝阳分局", valid_from=date(2020, 1, 1), valid_to=None,
        photo_wlt=b"\x00" * 1024)
    return IdCardData(**{**fields, **changes})


def ss_card() -> SsCardData:
    return SsCardData(
        card_identifier="110000D156000005", card_type="1", spec_version="3.00",
        issuing_institution="110000", issue_date=date(2021, 5, 1), expiry_date=date(2031, 5, 1),
        card_number="A12345678", ss_number="440524188001010014", name="李四", sex="男",
        nation="汉", birthplace="广东", birth_date=date(1880, 1, 1))


def test_an_id_card_through_the_sam_reaches_level_5_with_a_live_face():
    evidence = from_id_card(id_card(), READ_AT)
    assert evidence.source is EvidenceSource.ID_CARD
    assert (evidence.supported_level(live_face=False), evidence.supported_level(live_face=True)
            ) == (3, 5)


def test_a_social_security_card_reaches_level_4_with_a_live_face():
    evidence = from_ss_card(ss_card(), READ_AT)
    assert (evidence.supported_level(live_face=False), evidence.supported_level(live_face=True)
            ) == (3, 4)


def test_age_and_the_elderly_rule():
    evidence = from_id_card(id_card(), READ_AT)
    assert evidence.age() == 76 and evidence.is_elderly()
    young = from_id_card(id_card(birth_date=date(1990, 1, 1), id_number="110105199001010000"),
                         READ_AT)
    assert young.age() == 36 and not young.is_elderly()


def test_long_term_cards_never_expire_and_dated_ones_do():
    assert not from_id_card(id_card(valid_to=None), READ_AT).expired()
    assert from_id_card(id_card(valid_to=date(2026, 11, 22)), READ_AT).expired()


def test_the_screen_gets_masked_values():
    shown = from_id_card(id_card(), READ_AT).masked()
    assert shown.name == "张*丰"
    assert shown.id_number == "110***********002X"
    assert shown.address.startswith("北京市朝阳区") and "建国路" not in shown.address


def test_personal_data_never_reaches_a_log_through_repr(caplog):
    evidence = from_id_card(id_card(), READ_AT)
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("test").info("evidence %r card %r ss %r", evidence, id_card(), ss_card())
    for secret in ("张三丰", "11010519491231002X", "建国路", "李四", "440524188001010014",
                   "A12345678"):
        assert secret not in caplog.text
