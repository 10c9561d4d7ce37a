"""The citizen identity number (GB 11643-1999) as the platform checks it: the check character
and the birth date. The check character is the one rule the kiosk applies too
(`central.contract.id_number`).
"""

from __future__ import annotations

from datetime import date

from central.contract.id_number import check_character, has_valid_check_character

__all__ = ["birth_date", "check_character"]


def birth_date(number: str) -> date | None:
    """The birth date of a well-formed number with a valid check character; None otherwise."""
    number = number.strip().upper()
    if not has_valid_check_character(number):
        return None
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None
