"""The citizen identity number (GB 11643-1999) as the platform checks it: the MOD 11-2 check
character and the birth date. The kiosk has its own copy (`kiosk.id_number`): the platform is
another program and imports nothing of the kiosk side.
"""

from __future__ import annotations

import re
from datetime import date

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"


def check_character(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


def birth_date(number: str) -> date | None:
    """The birth date of a well-formed number with a valid check character; None otherwise."""
    number = number.strip().upper()
    if len(number) != 18 or not re.fullmatch(r"[0-9]{17}", number[:17]):
        return None
    if check_character(number[:17]) != number[17]:
        return None
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def age_on(born: date, day: date) -> int:
    had_birthday = (day.month, day.day) >= (born.month, born.day)
    return day.year - born.year - (0 if had_birthday else 1)
