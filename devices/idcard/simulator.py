"""The ID-card reader without hardware: the demo's simulator panel and flow tests steer it.

It speaks the same `CardReader` port as `Ga467Reader` and keeps the same promises: one
`CardPresent` per card placed, one `CardRemoved` when it leaves, `CardReadFailed` with the same
code and message, and health error `CARD_READ_FAILED` while a failed card lies on it.
"""

from __future__ import annotations

from datetime import date

from devices.cards import CardEvents, CardPresent, CardReadFailed, CardRemoved, IdCardData
from devices.health import HEALTHY, Health, HealthState
from devices.idcard.card_text import PHOTO_SIZE
from devices.idcard.description import ReaderDescription
from devices.idcard.outcomes import CARD_READ_FAILED, READ_FAILED_MESSAGE
from devices.simulated import SimulatedDevice


class IdCardSimulator(SimulatedDevice):
    def __init__(self, family: str = "idcard") -> None:
        super().__init__(family)
        self.events = CardEvents()
        self._card: IdCardData | None = None
        self.running = False

    def start(self) -> None:
        self.running = True

    def stop(self) -> None:
        self.running = False

    @property
    def sam_id(self) -> str | None:
        """A simulator has no SAM."""
        return None

    def describe(self) -> ReaderDescription:
        return ReaderDescription(self.family, "simulator", "simulated", None)

    @property
    def card(self) -> IdCardData | None:
        """The card lying on the reader, if one was read."""
        return self._card

    def insert(self, card: IdCardData) -> None:
        """A card is placed and read. Placing another card first removes the one there."""
        if self._card is not None:
            self.remove()
        self._card = card
        self._clear_read_failure()
        self.events.publish(CardPresent(card))

    def remove(self) -> None:
        """The card is taken away (nothing happens when there is none)."""
        self._clear_read_failure()
        if self._card is None:
            return
        self._card = None
        self.events.publish(CardRemoved())

    def fail_read(self, detail: str = "simulated read failure") -> None:
        """A card is placed but cannot be read."""
        if self._card is not None:
            self.remove()
        self.report(Health(HealthState.ERROR, CARD_READ_FAILED, detail))
        self.events.publish(CardReadFailed(CARD_READ_FAILED, READ_FAILED_MESSAGE, detail))

    def _clear_read_failure(self) -> None:
        if self.health().code == CARD_READ_FAILED:
            self.report(HEALTHY)


def sample_cards() -> dict[str, IdCardData]:
    """Made-up people for the demo's simulator panel (check digits valid, no real person)."""
    blank_photo = bytes(PHOTO_SIZE)
    return {
        "resident": IdCardData(
            card_type="resident", name="张三", sex="男", nation="汉",
            birth_date=date(1990, 3, 7), address="北京市东城区示范路1号",
            id_number="110101199003070011", issuing_authority="北京市公安局东城分局",
            valid_from=date(2019, 5, 20), valid_to=date(2039, 5, 20), photo_wlt=blank_photo),
        "elder": IdCardData(
            card_type="resident", name="李秀英", sex="女", nation="回",
            birth_date=date(1950, 8, 15), address="上海市黄浦区样例街道2号",
            id_number="310101195008150028", issuing_authority="上海市公安局黄浦分局",
            valid_from=date(2012, 1, 10), valid_to=None, photo_wlt=blank_photo),
        "hmt_residence": IdCardData(
            card_type="hmt_residence", name="陈大文", sex="男", nation="",
            birth_date=date(1985, 11, 2), address="广东省深圳市福田区演示路3号",
            id_number="810000198511020036", issuing_authority="深圳市公安局",
            valid_from=date(2021, 6, 1), valid_to=date(2026, 6, 1), photo_wlt=blank_photo),
    }
