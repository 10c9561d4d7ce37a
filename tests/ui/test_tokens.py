"""Elder mode is measurably easier to read and to hit (issue: type 1.5x, 20 mm, 7:1)."""

from __future__ import annotations

from dataclasses import fields

import pytest

from ui.tokens import ELDER, PX_PER_MM, STANDARD, Tokens


def luminance(colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def text_pairs(t: Tokens) -> list[tuple[str, str]]:
    return [(t.text, t.background), (t.text, t.surface), (t.text_muted, t.surface),
            (t.on_primary, t.primary), (t.primary, t.surface), (t.warning_text, t.warning_bg)]


def test_every_type_size_is_at_least_one_and_a_half_times_larger_in_elder_mode():
    for field in (f.name for f in fields(Tokens) if f.name.startswith("font_")):
        assert getattr(ELDER, field) >= 1.5 * getattr(STANDARD, field), field


def test_elder_touch_targets_are_at_least_20_mm_on_the_reference_screen():
    assert ELDER.target_min / PX_PER_MM >= 20


@pytest.mark.parametrize(("tokens", "minimum"), [(ELDER, 7.0), (STANDARD, 4.5)])
def test_text_contrast(tokens, minimum):
    for fg, bg in text_pairs(tokens):
        assert contrast(fg, bg) >= minimum, (fg, bg, round(contrast(fg, bg), 2))


def test_elder_mode_offers_fewer_choices_per_screen():
    assert ELDER.tiles_per_page < STANDARD.tiles_per_page
    assert ELDER.rows_per_page < STANDARD.rows_per_page
