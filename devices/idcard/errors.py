"""The defined errors of the ID-card protocol: one base class, so a caller catches one thing.

Messages name codes, lengths and positions only; never a card's contents.
"""

from __future__ import annotations


class IdCardProtocolError(Exception):
    """Something on the line or on the card did not follow GA 467."""


class FrameError(IdCardProtocolError):
    """A frame was malformed: impossible length, wrong check byte, unexpected shape."""


class CardTextError(IdCardProtocolError):
    """The card's text or photo block could not be decoded (bad field, bad date, bad code)."""


class UnsupportedCardLayout(CardTextError):
    """The card is of a kind whose text layout this kiosk does not decode (yet)."""

    def __init__(self, detail: str, marker: str) -> None:
        super().__init__(detail)
        self.marker = marker  # the card-type marker character, e.g. "I"


class NoAnswer(IdCardProtocolError):
    """The SAM did not answer (completely) within the deadline."""
