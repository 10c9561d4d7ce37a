"""The citizen identity number (公民身份号码, GB 11643-1999): check digit, birth date, sex, age.

An 18-character number is 6 area digits, 8 birth-date digits, 3 sequence digits (odd for men)
and an ISO 7064 MOD 11-2 check character. The area is checked only at province level: a full
county table changes every year and an unknown code is a warning, never a rejection (people
born in a county that has since been renamed still hold valid cards).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"

# GB/T 2260 province-level codes; 81/82/83: Hong Kong, Macao and Taiwan residence permits
PROVINCES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71", "81", "82", "83",
})


def check_character(first17: str) -> str:
    """The MOD 11-2 check character for the first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


def has_valid_check_character(number: str) -> bool:
    return (re.fullmatch(r"[0-9]{17}[0-9Xx]", number) is not None
            and check_character(number[:17]) == number[17].upper())


@dataclass(frozen=True)
class IdNumberCheck:
    """The outcome of checking a number: errors reject it, warnings are for staff only."""

    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    birth_date: date | None = field(default=None, repr=False)
    sex: str | None = field(default=None, repr=False)  # 男 / 女

    @property
    def valid(self) -> bool:
        return not self.errors


def check_id_number(number: str, today: date) -> IdNumberCheck:
    number = number.strip().upper()
    if not re.fullmatch(r"[0-9]{17}[0-9X]", number):  # ASCII only: "²".isdigit() is True
        return IdNumberCheck(errors=("FORMAT",))
    errors: list[str] = []
    warnings: list[str] = []
    if check_character(number[:17]) != number[17]:
        errors.append("CHECK_DIGIT")
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        born = None
        errors.append("BIRTH_DATE")
    if born is not None and (born > today or born.year < 1880):
        errors.append("BIRTH_DATE")
        born = None
    if number[:2] not in PROVINCES:
        warnings.append("UNKNOWN_AREA")
    sex = "男" if int(number[16]) % 2 else "女"
    return IdNumberCheck(tuple(errors), tuple(warnings), born, sex)


def age_on(birth_date: date, day: date) -> int:
    """Full years of age on `day` (someone born on 29 February turns a year older on 1 March)."""
    had_birthday = (day.month, day.day) >= (birth_date.month, birth_date.day)
    return day.year - birth_date.year - (0 if had_birthday else 1)
