"""The kiosk's font: the first CJK family installed, for Latin text too (one look on every
screen). `ui.app.application` gives it to the whole app; the screen audit gives it to the
window it measures, so what it measures is what the kiosk shows."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase

CJK_FONTS = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei")


def kiosk_font_family() -> str | None:
    """None when none is installed (Chinese may then show as boxes: install fonts-wqy-microhei)."""
    families = set(QFontDatabase.families())
    return next((name for name in CJK_FONTS if name in families), None)
