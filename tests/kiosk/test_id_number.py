"""Identity numbers: the examples published in GB 11643-1999, and what a wrong one looks like."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.id_number import age_on, check_character, check_id_number

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(("number", "born", "sex"), [
    ("11010519491231002X", date(1949, 12, 31), "女"),  # GB 11643-1999 annex example
    ("440524188001010014", date(1880, 1, 1), "男"),  # GB 11643-1999 annex example
    ("11010519491231002x", date(1949, 12, 31), "女"),  # a lower-case x as typed
])
def test_the_standard_examples_are_valid(number, born, sex):
    check = check_id_number(number, TODAY)
    assert check.valid and check.birth_date == born and check.sex == sex
    assert check.warnings == ()


@pytest.mark.parametrize(("number", "error"), [
    ("110105194912310021", "CHECK_DIGIT"),
    ("11010519491331002X", "BIRTH_DATE"),  # month 13
    ("110105202712310028", "BIRTH_DATE"),  # born after today
    ("1101051949123100", "FORMAT"),
    ("11010519491231002Y", "FORMAT"),
])
def test_a_wrong_number_says_what_is_wrong(number, error):
    check = check_id_number(number, TODAY)
    assert not check.valid and error in check.errors


def test_an_unknown_area_is_a_warning_not_a_rejection():
    first17 = "99010519491231002"
    check = check_id_number(first17 + check_character(first17), TODAY)
    assert check.valid and check.warnings == ("UNKNOWN_AREA",)


@pytest.mark.parametrize(("born", "day", "age"), [
    (date(1966, 11, 23), TODAY, 60),  # the birthday itself
    (date(1966, 11, 24), TODAY, 59),
    (date(1964, 2, 29), date(2025, 2, 28), 60),  # leap-day birthday in a common year
    (date(1964, 2, 29), date(2025, 3, 1), 61),
])
def test_age_on_a_given_day(born, day, age):
    assert age_on(born, day) == age


@given(st.text(max_size=30))
def test_any_text_gives_an_answer_not_an_exception(text):
    check = check_id_number(text, TODAY)
    assert check.valid or check.errors
