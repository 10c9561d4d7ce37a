"""The on-screen keyboard measured as drawn, on the kiosk's 21.5" 1920×1080 panel (0.248 mm a
pixel): in elder mode keys of at least 20 mm and letters at least 6 mm tall, in both modes no
blank key, and at least 4 pinyin candidates in view after typing; in elder mode at least 4 of
the search's suggestions, whole, between the search box and the keyboard."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QFontMetricsF
from PySide6.QtQuick import QQuickItem
from PySide6.QtWidgets import QPushButton

from flows.ask import AskDesk, search_step
from kiosk.session import CitizenSession
from tests.ui.conftest import SCENARIO_LIMIT_S, until
from tests.ui.test_search_screen import _items, candidates, keyboard_keys, touch
from tests.ui.test_search_screen import kiosk as kiosk  # the fixture
from ui.screens.search import SearchScreen
from ui.tokens import PX_PER_MM

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def keys_drawn(kiosk) -> list[tuple[QQuickItem, QQuickItem | None]]:
    """Every key on the keyboard (a key has a panel the style draws) with its label, if any."""
    root = kiosk.window.keyboard.quick.rootObject()
    found = []
    for item in _items(root):
        meta = item.metaObject()
        if (meta.indexOfProperty("keyPanelDelegate") < 0 or not item.isVisible()
                or item.width() <= 0 or not item.property("keyPanelDelegate")):
            continue
        labels = [child for child in _items(item) if child.objectName() == "keyLabel"]
        found.append((item, labels[0] if labels else None))
    return found


async def settled(kiosk, geometry) -> None:
    """Wait until the keyboard's `geometry()` is the same after two rendered frames in a row:
    the render loop polishes the layouts before each frame, so that is what a person sees."""
    quick = kiosk.window.keyboard.quick.quickWindow()
    frames = []
    quick.afterRendering.connect(lambda: frames.append(None))
    try:
        before = None
        while True:
            seen = len(frames)
            quick.update()  # ask for a frame even when nothing moves
            await until(lambda seen=seen: len(frames) > seen)
            now = geometry()
            if now == before:
                return
            before = now
    finally:
        quick.afterRendering.disconnect()


def mm(pixels: float) -> float:
    return pixels / PX_PER_MM


@pytest.mark.parametrize("elder", [True, False])
def test_keys_letters_and_candidates_are_large_enough_and_no_key_is_blank(
        loop, kiosk, qtbot, knowledge_base, elder):
    window = kiosk.window
    desk = AskDesk(lambda: knowledge_base, lambda: [], CitizenSession())
    least_key_mm, least_letter_mm = (20.0, 6.0) if elder else (12.0, 3.5)

    async def scenario():
        kiosk.shell.set_elder_mode(elder)
        kiosk.shell.show(search_step(desk, ""))  # its search box takes the focus
        assert isinstance(window.current_screen, SearchScreen)
        await until(lambda: window.keyboard.ready or window.keyboard.problem)
        assert window.keyboard.available, window.keyboard.problem
        await until(lambda: len(keys_drawn(kiosk)) >= 30)
        panel = kiosk.window.keyboard.quick.rootObject().findChild(QQuickItem, "inputPanel")
        sizes = window.keyboard.look.sizes
        # laid out in the mode's sizes (the mode just changed: QML lays out on its next pass,
        # the panel first and the keys after it; on a busy machine the keys come a pass later)
        key_height = sizes.row - 2 * sizes.margin

        def faces_now() -> list:
            return [label.parentItem() for _key, label in keys_drawn(kiosk) if label is not None]

        await until(lambda: panel.height() == 4 * sizes.row)
        # and as wide as the mode's ten keys: the 1920 px window has room for them; while the
        # dock was still narrow (laid out a pass later), the keys were squeezed to 64 px
        await until(lambda: round(panel.width()) == sizes.key_width * 10)
        await until(lambda: all(round(face.height()) == key_height for face in faces_now()))
        # a face's height can be the new mode's while its row still holds the old widths (the
        # rows lay out on a later polish): measure what two rendered frames in a row drew alike
        await settled(kiosk, lambda: [(face.width(), face.height()) for face in faces_now()])

        drawn = keys_drawn(kiosk)
        blank = [key.property("displayText") for key, label in drawn
                 if label is None or not label.property("text")
                 or label.property("opacity") < 0.4]
        assert not blank, f"keys with no label to read: {blank}"

        faces = [label.parentItem() for _key, label in drawn if label is not None]
        smallest = min(min(face.width(), face.height()) for face in faces)
        print(f"\n{'elder' if elder else 'standard'}: {len(drawn)} keys, smallest key "
              f"{mm(smallest):.1f} mm", end="")
        assert mm(smallest) >= least_key_mm, (
            f"a key face {smallest:.0f} px; the panel {panel.width():.0f}x{panel.height():.0f}")

        letters = {label.property("text"): label for key, label in drawn
                   if label is not None and label.property("text") in LETTERS}
        assert set(letters) == set(LETTERS)
        heights = {}
        for letter, label in letters.items():
            shown = letter.upper() if label.property("font").capitalization().name == (
                "AllUppercase") else letter
            heights[letter] = QFontMetricsF(label.property("font")).tightBoundingRect(
                shown).height()
        lowest = min(heights, key=heights.get)
        print(f", shortest letter {lowest!r} {mm(heights[lowest]):.1f} mm", end="")
        assert mm(heights[lowest]) >= least_letter_mm

        screen = window.current_screen
        for letter in "shebao":
            touch(kiosk, keyboard_keys(kiosk)[letter])
            await asyncio.sleep(0.02)
        await until(lambda: "社保" in candidates(kiosk))
        bar = next(item for item in _items(kiosk.window.keyboard.quick.rootObject())
                   if item.objectName() == "wordCandidateView")
        in_view = [word for word, entry in candidates(kiosk).items()
                   if entry.mapToItem(bar, 0, 0).x() >= 0
                   and entry.mapToItem(bar, entry.width(), 0).x() <= bar.width()]
        print(f", {len(in_view)} candidates in view", end="")
        assert len(in_view) >= 4, in_view
        touch(kiosk, candidates(kiosk)["社保"])
        await until(lambda: screen.field.text() == "社保")

        def whole(row: QPushButton) -> bool:  # not clipped by the list, above the keyboard
            bottom = row.mapTo(window, row.rect().bottomLeft()).y()
            return (row.isVisible() and row.visibleRegion().boundingRect() == row.rect()
                    and bottom < window.keyboard.mapTo(window, QPoint(0, 0)).y())

        def suggestions_in_view() -> list[str]:
            return [row.accessibleName() for row in screen.suggestions_card.findChildren(
                QPushButton) if whole(row)]

        await until(lambda: len(suggestions_in_view()) >= (4 if elder else 1))
        print(f", {len(suggestions_in_view())} suggestions in view", end="")
        assert suggestions_in_view()[0].startswith("社保")

    loop.run_until_complete(asyncio.wait_for(scenario(), SCENARIO_LIMIT_S))


def test_the_pinyin_engines_words_of_a_killed_kiosk_are_removed(tmp_path, monkeypatch):
    """The engine learns words from what people type into its user data folder; a kiosk that
    was killed could not remove its own, so the next one does (its pid names it)."""
    from ui.virtual_keyboard import user_data_folder

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    killed = tmp_path / f"kiosk-pinyin-{gone}-abc123"
    killed.mkdir()
    (killed / "user.dict").write_text("张三 zhangsan", encoding="utf-8")
    living = tmp_path / f"kiosk-pinyin-{os.getppid()}-def456"  # a kiosk still running
    living.mkdir()
    mine = user_data_folder()
    try:
        assert not killed.exists()
        assert living.exists()
        assert Path(mine.name).name.startswith(f"kiosk-pinyin-{os.getpid()}-")
    finally:
        mine.cleanup()
    assert not Path(mine.name).exists()
