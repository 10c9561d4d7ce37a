"""Identity evidence: what a card or a code says about the person in front of the kiosk.

Evidence is what the kiosk read, not yet what the platform verified: it carries its source,
its fields, when it was read, and the highest identity level it can support (GB/T 39047-2020
§5.2.3.2, table 1: level 3 = document checked; level 4 = + live face; level 5 = level 4 read
with a dedicated ID-card reading device). Personal fields never appear in a `repr`; `masked()`
is what a screen may show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from devices.cards import IdCardData, SsCardData
from kiosk.id_number import IdNumberCheck, age_on, check_id_number
from kiosk.pii import mask_address, mask_id_number, mask_name

ELDERLY_AGE = 60  # GB/T 40756 §9.8.5.2: face captured but not blocking from this age


class EvidenceSource(StrEnum):
    ID_CARD = "id_card"  # second-generation ID card through the reader's SAM
    SS_CARD = "ss_card"  # social-security card through PC/SC
    QR_CODE = "qr_code"  # e-ID or electronic social-security card code


@dataclass(frozen=True)
class MaskedIdentity:
    """What the screen shows: 张*三, 110***********123X, 北京市朝阳区***."""

    name: str
    id_number: str
    address: str


@dataclass(frozen=True)
class IdentityEvidence:
    source: EvidenceSource
    read_at: datetime
    name: str = field(repr=False)
    id_number: str = field(repr=False)
    sex: str = field(repr=False)
    birth_date: date | None = field(repr=False)
    address: str = field(default="", repr=False)
    nation: str = field(default="", repr=False)
    # the document's own validity; None: long-term (长期) or not on the document
    valid_to: date | None = field(default=None, repr=False)
    photo_wlt: bytes = field(default=b"", repr=False)
    # read with a dedicated ID-card reading device (the SAM), the condition of level 5
    dedicated_reader: bool = False
    # a citizen QR code's payload: the platform resolves it to a person (fields above empty)
    code: str = field(default="", repr=False)

    def supported_level(self, live_face: bool) -> int:
        """The highest GB/T 39047 level this evidence can reach, with or without a live face."""
        if not live_face:
            return 3
        return 5 if self.dedicated_reader else 4

    def id_number_check(self) -> IdNumberCheck:
        return check_id_number(self.id_number, self.read_at.date())

    def age(self, on: date | None = None) -> int | None:
        born = self.birth_date or self.id_number_check().birth_date
        return None if born is None else age_on(born, on or self.read_at.date())

    def is_elderly(self, on: date | None = None) -> bool:
        age = self.age(on)
        return age is not None and age >= ELDERLY_AGE

    def expired(self, on: date | None = None) -> bool:
        return self.valid_to is not None and self.valid_to < (on or self.read_at.date())

    @property
    def resolved(self) -> bool:
        """Whether the kiosk knows the name and number itself (a card), or must ask (a code)."""
        return bool(self.id_number)

    def masked(self) -> MaskedIdentity:
        return MaskedIdentity(mask_name(self.name), mask_id_number(self.id_number),
                              mask_address(self.address) if self.address else "")


def from_id_card(card: IdCardData, read_at: datetime) -> IdentityEvidence:
    return IdentityEvidence(
        source=EvidenceSource.ID_CARD,
        read_at=read_at,
        name=card.name,
        id_number=card.id_number,
        sex=card.sex,
        birth_date=card.birth_date,
        address=card.address,
        nation=card.nation,
        valid_to=card.valid_to,
        photo_wlt=card.photo_wlt,
        dedicated_reader=True,
    )


def from_ss_card(card: SsCardData, read_at: datetime) -> IdentityEvidence:
    return IdentityEvidence(
        source=EvidenceSource.SS_CARD,
        read_at=read_at,
        name=card.name,
        id_number=card.ss_number,
        sex=card.sex,
        birth_date=card.birth_date,
        nation=card.nation,
        valid_to=card.expiry_date,
    )


def from_qr_code(code: str, read_at: datetime) -> IdentityEvidence:
    """An e-ID (居民身份电子凭证) or electronic social-security card code: the kiosk cannot read
    who it names, only the platform can; until then name and number are empty."""
    return IdentityEvidence(
        source=EvidenceSource.QR_CODE,
        read_at=read_at,
        name="",
        id_number="",
        sex="",
        birth_date=None,
        code=code,
    )
