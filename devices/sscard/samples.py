"""A fictional card holder for the demo, the simulator panel and tests."""

from __future__ import annotations

from datetime import date

from devices.cards import SsCardData


def sample_card() -> SsCardData:
    """A fictional holder for demos (the ID number is GB 11643's own example)."""
    return SsCardData(
        card_identifier="110100D156000005000FA1B2C3D4E5F6",
        card_type="3",
        spec_version="3.00",
        issuing_institution="110100000000",
        issue_date=date(2021, 6, 1),
        expiry_date=date(2031, 6, 1),
        card_number="A12345678",
        ss_number="11010519491231002X",
        name="张三",
        sex="男",
        nation="汉",
        birthplace="110105",
        birth_date=date(1949, 12, 31),
    )
