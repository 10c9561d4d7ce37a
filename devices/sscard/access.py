"""What a card may want before it lets the kiosk read the holder's data (EF06).

Issuers differ: some cards give EF06 freely, some want the holder's PIN, some an external
authentication with a cryptogram only the platform (its key management) can compute. The reader
takes one `AccessStep` and runs it between EF05 and EF06, so the policy of a region is
configuration, not a branch in the reader.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from devices.sscard.apdu import Transmit, external_authenticate, get_challenge, run, verify_pin

log = logging.getLogger(__name__)


class AccessStep(Protocol):
    def before_ef06(self, transmit: Transmit, card_identifier: str) -> None:
        """Open access to EF06 or raise an `SsCardError` (a `CardStatusError` for the card's
        refusal). `card_identifier` (EF05 record 01) lets a key be diversified per card."""


class NoAccessStep:
    """Cards whose EF06 is readable once the application is selected."""

    def before_ef06(self, transmit: Transmit, card_identifier: str) -> None:
        return None


class PinVerify:
    """VERIFY with the holder's PIN. `pin` is asked each time, so the kiosk can collect it from
    the person (the keypad) just before; it runs on the reader's thread and may block.

    Exactly one attempt per card: a wrong PIN raises `PinIncorrect` (with the tries left) and is
    never retried here, so the kiosk cannot lock a card by itself.
    """

    def __init__(self, pin: Callable[[], str]) -> None:
        self._pin = pin

    def before_ef06(self, transmit: Transmit, card_identifier: str) -> None:
        run(transmit, verify_pin(self._pin()), "VERIFY")


class CryptogramSource(Protocol):
    """Whoever holds the keys (the platform's key service, a PSAM): the answer to a challenge."""

    def cryptogram(self, card_identifier: str, challenge: bytes) -> bytes: ...


class ExternalAuthentication:
    """GET CHALLENGE, a cryptogram over it from `source`, EXTERNAL AUTHENTICATE with `key_id`."""

    def __init__(self, source: CryptogramSource, key_id: int = 0x00,
                 challenge_length: int = 8) -> None:
        self.source, self.key_id, self.challenge_length = source, key_id, challenge_length

    def before_ef06(self, transmit: Transmit, card_identifier: str) -> None:
        challenge = run(transmit, get_challenge(self.challenge_length), "GET CHALLENGE")
        cryptogram = self.source.cryptogram(card_identifier, challenge)
        run(transmit, external_authenticate(self.key_id, cryptogram), "EXTERNAL AUTHENTICATE")
