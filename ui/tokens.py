"""Design tokens: the one place for colours, type, spacing and touch-target sizes.

The standard and the elder (长辈模式) themes are two sets of values for the same tokens. Sizes
are in pixels for the reference screen, a 21.5" 1920x1080 panel: 1920 px over 476 mm is about
4.03 px per mm, so a 20 mm elder target is at least 81 px.
"""

from __future__ import annotations

from dataclasses import dataclass

PX_PER_MM = 1920 / 476.0


@dataclass(frozen=True)
class Tokens:
    name: str
    # colours
    primary: str  # government blue: bars, primary buttons
    on_primary: str
    background: str
    surface: str  # cards
    text: str
    text_muted: str
    border: str  # cards and other decoration
    control_border: str  # what can be tapped: 3:1 against the background (WCAG 1.4.11)
    disabled_bg: str  # a control that cannot be tapped now: another fill and label, not
    disabled_text: str  # only a dashed border
    disabled_on_primary: str  # the label of a disabled button on a blue bar
    warning_bg: str  # offline banner, notices
    warning_text: str
    error: str  # a field's error, a failed step
    success: str  # accepted, done
    # type scale, px
    font_body: int
    font_title: int
    font_tile: int
    font_bar: int
    # spacing and sizes, px
    spacing: int
    radius: int
    target_min: int  # the smallest touch target's height and width
    # how many choices one screen offers before paging
    tiles_per_page: int
    tile_columns: int
    rows_per_page: int


STANDARD = Tokens(
    name="standard",
    primary="#0B4EA2",
    on_primary="#FFFFFF",
    background="#EEF2F7",
    surface="#FFFFFF",
    text="#1A1F2B",
    text_muted="#4A5568",
    border="#C9D3E0",
    control_border="#6B7A90",  # 3.9:1 on the background, 4.4:1 on white
    disabled_bg="#E4E8EE",
    disabled_text="#52606F",  # 2.6:1 from the enabled label
    disabled_on_primary="#A8BEDC",  # 1.9:1 from white, 4.2:1 on the bar
    warning_bg="#FFF4D6",
    warning_text="#5C3B00",
    error="#B3261E",
    success="#1B7F3B",
    font_body=22,
    font_title=34,
    font_tile=28,
    font_bar=22,
    spacing=20,
    radius=12,
    target_min=round(15 * PX_PER_MM),
    tiles_per_page=12,
    tile_columns=4,
    rows_per_page=6,
)

ELDER = Tokens(
    name="elder",
    primary="#003A80",
    on_primary="#FFFFFF",
    background="#FFFFFF",
    surface="#FFFFFF",
    text="#000000",
    text_muted="#1F1F1F",
    border="#000000",
    control_border="#000000",
    disabled_bg="#E6E6E6",
    disabled_text="#595959",  # 3:1 from the enabled black label
    disabled_on_primary="#9DB0CC",  # 2.2:1 from white, 5:1 on the bar
    warning_bg="#FFE9A8",
    warning_text="#000000",
    error="#8C1D18",
    success="#0F5F2A",
    font_body=34,  # 1.5x or more of every standard size
    font_title=52,
    font_tile=42,
    font_bar=34,
    spacing=28,
    radius=14,
    target_min=round(20 * PX_PER_MM) + 1,
    tiles_per_page=6,
    tile_columns=3,
    rows_per_page=4,
)


def tokens_for(elder_mode: bool) -> Tokens:
    return ELDER if elder_mode else STANDARD
