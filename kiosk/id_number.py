"""The citizen identity number (公民身份号码, GB 11643-1999): check digit, birth date, sex, age.

An 18-character number is 6 area digits, 8 birth-date digits, 3 sequence digits (odd for men)
and an ISO 7064 MOD 11-2 check character, computed as the platform does
(`central.contract.id_number`). The area is checked only at province level: a full county
table changes every year and an unknown code is a warning, never a rejection (people born in a
county that has since been renamed still hold valid cards).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from central.contract.id_number import age_on, check_character, has_valid_check_character

__all__ = ["PROVINCES", "IdNumberCheck", "age_on", "check_character", "check_id_number",
           "has_valid_check_character"]

# GB/T 2260 province-level codes; 81/82/83: Hong Kong, Macao and Taiwan residence permits
PROVINCES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71", "81", "82", "83",
})


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

