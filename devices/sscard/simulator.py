"""The social-security-card reader without PC/SC: the demo's simulator panel and flow tests steer
it. It keeps the real reader's promises: one `CardPresent` per card inserted, one `CardRemoved`
when it leaves, `CardReadFailed` with a code and a message, health error `CARD_READ_FAILED` while
a failed card is in, and nothing happens while the reader is "unplugged" (health offline).
"""

from __future__ import annotations

from devices.cards import CardEvents, CardPresent, CardReadFailed, CardRemoved, SsCardData
from devices.health import HEALTHY, Health, HealthState
from devices.simulated import SimulatedDevice
from devices.sscard.errors import CARD_READ_FAILED, SsCardError, status_error
from devices.sscard.samples import sample_card

__all__ = ["SsCardSimulator", "sample_card"]


class SsCardSimulator(SimulatedDevice):
    def __init__(self, family: str = "sscard") -> None:
        super().__init__(family)
        self.events = CardEvents()
        self._card_in = False
        self.card: SsCardData | None = None  # the card in the reader, if it was read
        self.running = False

    def start(self) -> None:
        self.running = True

    def stop(self) -> None:
        self.running = False

    def insert(self, card: SsCardData) -> bool:
        """A card is inserted and read; False (nothing happens) while the reader is unplugged.
        Inserting another card first takes out the one there."""
        if not self._reachable():
            return False
        self.remove()
        self._card_in, self.card = True, card
        self.events.publish(CardPresent(card))
        return True

    def remove(self) -> None:
        """The card is taken out (nothing happens when there is none)."""
        if self.health().code == CARD_READ_FAILED:
            self.report(HEALTHY)
        if not self._card_in:
            return
        self._card_in, self.card = False, None
        self.events.publish(CardRemoved())

    def fail_read(self, error: SsCardError | None = None) -> bool:
        """A card is inserted but cannot be read; `error` picks how (default: an unexpected
        status word), e.g. `status_error(0x63, 0xC2, "VERIFY")` for a wrong PIN."""
        if not self._reachable():
            return False
        self.remove()
        error = error or status_error(0x6F, 0x00, "READ RECORD 09")
        self._card_in = True
        self.report(Health(HealthState.ERROR, CARD_READ_FAILED, f"{error.code}: {error.detail}"))
        self.events.publish(CardReadFailed(error.code, error.message, error.detail))
        return True

    def set_health(self, health: Health) -> None:
        if health.state is HealthState.OFFLINE:
            self.remove()  # an unplugged reader has no card in it
        super().set_health(health)

    def _reachable(self) -> bool:
        return self.health().state is not HealthState.OFFLINE
