"""The citizen identity number (公民身份号码) by GB 11643-1999: rules both programs apply.

An 18-character number is 6 area digits, 8 birth-date digits, 3 sequence digits (odd for men)
and a check character by ISO 7064 MOD 11-2 (GB 11643-1999 §5.2). The kiosk checks a number
typed in or read from a card (`kiosk.id_number`), the platform one it is asked to verify
(`central.identity`); both must accept and refuse the same numbers.
"""

from __future__ import annotations

import re
from datetime import date

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # 2^(i-1) mod 11, i = 18..2
CHECK_CHARACTERS = "10X98765432"  # by the weighted sum mod 11


def check_character(first17: str) -> str:
    """The MOD 11-2 check character for the first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


def has_valid_check_character(number: str) -> bool:
    """Whether `number` is 17 ASCII digits and their check character (x or X)."""
    return (re.fullmatch(r"[0-9]{17}[0-9Xx]", number) is not None
            and check_character(number[:17]) == number[17].upper())


def age_on(birth_date: date, day: date) -> int:
    """Full years of age on `day` (someone born on 29 February turns a year older on 1 March)."""
    had_birthday = (day.month, day.day) >= (birth_date.month, birth_date.day)
    return day.year - birth_date.year - (0 if had_birthday else 1)
