"""Search on screen: pinyin typed on the real Qt Virtual Keyboard, a candidate picked, the
suggestions it brings, and the service opened to its guide."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel

from central.contract import HotService
from devices.registry import build_devices
from kiosk.settings import load_settings
from kiosk.terminal import Terminal
from tests.ui.conftest import (
    ServedKnowledge,
    StaticCatalog,
    buttons,
    running,
    shown_kiosk,
    tap,
    texts,
    until,
)
from ui.read_aloud import plain
from ui.screens.guide import GuideScreen
from ui.screens.search import AnswerScreen, SearchScreen

HOT = ["社保参保证明打印", "公积金提取（租房）", "居住证办理"]
SEARCH_ENTRY = "搜索：输入要办的事或拼音，也可点下方“语音提问”直接说"


@pytest.fixture
def kiosk(qapp, qtbot, seed_catalog, knowledge_base):
    terminal = Terminal(load_settings(), build_devices(load_settings().devices),
                        StaticCatalog(seed_catalog))
    terminal.knowledge = ServedKnowledge(knowledge_base, [
        HotService(service_id=f"SS-{n:03}", name=name, asks=10 - n) for n, name in enumerate(HOT)])
    kiosk = shown_kiosk(qapp, qtbot, terminal)
    kiosk.window.activateWindow()  # the search box takes the focus, and the keyboard with it
    yield kiosk
    qapp.removeEventFilter(kiosk.activity)
    qapp.removeEventFilter(kiosk.read_aloud)


# -- the keyboard's own items, as a finger finds them --------------------------------------

def _items(item: QQuickItem):
    for child in item.childItems():
        yield child
        yield from _items(child)


def keyboard_keys(kiosk) -> dict[str, QQuickItem]:
    root = kiosk.window.keyboard.quick.rootObject()
    keys: dict[str, QQuickItem] = {}
    for item in _items(root):
        meta = item.metaObject()
        if (meta.indexOfProperty("key") >= 0 and meta.indexOfProperty("text") >= 0
                and item.isVisible() and item.property("text")):
            keys.setdefault(item.property("text"), item)
    return keys


def candidates(kiosk) -> dict[str, QQuickItem]:
    """The word candidates the pinyin engine shows above the keys."""
    root = kiosk.window.keyboard.quick.rootObject()
    found: dict[str, QQuickItem] = {}
    for item in _items(root):
        if item.objectName() == "wordCandidateView":
            for entry in _items(item):
                if "SelectionListItem" in entry.metaObject().className() and entry.isVisible():
                    words = [c.property("text") for c in entry.childItems()
                             if c.metaObject().indexOfProperty("text") >= 0]
                    if words and words[0]:
                        found.setdefault(words[0], entry)
    return found


def touch(kiosk, item: QQuickItem) -> None:
    centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2)).toPoint()
    QTest.mouseClick(kiosk.window.keyboard.quick, Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, centre)


def test_pinyin_on_the_keyboard_a_candidate_suggestions_then_the_guide(loop, kiosk, qtbot):
    window = kiosk.window

    async def scenario():
        tap(qtbot, buttons(window.current_screen)[SEARCH_ENTRY])
        await until(lambda: isinstance(window.current_screen, SearchScreen))
        screen = window.current_screen
        await until(lambda: window.keyboard.ready or window.keyboard.problem)
        assert window.keyboard.available, window.keyboard.problem
        assert screen.field.hasFocus()
        for letter in "shebao":
            touch(kiosk, keyboard_keys(kiosk)[letter])
            await asyncio.sleep(0.02)
        await until(lambda: "社保" in candidates(kiosk))
        assert screen.field.text() == "", "pinyin is composed, not typed as letters"
        touch(kiosk, candidates(kiosk)["社保"])
        await until(lambda: screen.field.text() == "社保")

        await until(lambda: screen.suggestions_card.isVisible())
        rows = [b for b in screen.suggestions_card.findChildren(type(screen.search_button))
                if b.isVisible()]
        names = [row.accessibleName() for row in rows]
        assert "社保参保证明打印" in names
        row = rows[names.index("社保参保证明打印")]
        (shown,) = row.findChildren(QLabel)
        assert '<b style="color:#0B4EA2">社保</b>参保证明打印' in shown.text()

        tap(qtbot, row)
        await until(lambda: isinstance(window.current_screen, AnswerScreen))
        # a confident answer or "which one?": either way one button opens this service
        (open_it,) = [b for text, b in buttons(window.current_screen).items()
                      if "社保参保证明打印" in text]
        tap(qtbot, open_it)
        await until(lambda: isinstance(window.current_screen, GuideScreen))
        assert "社会保险个人参保证明查询打印" in texts(window.current_screen)
        assert kiosk.terminal.knowledge.asked_for == ["SS-001"], "counted for hot searches"
        assert not window.keyboard.isVisible(), "the keyboard goes with the search box"
        tap(qtbot, window.back_button)
        await until(lambda: isinstance(window.current_screen, AnswerScreen))

    running(loop, kiosk, scenario)


def test_hot_and_recent_searches_and_markup_typed_is_shown_as_text(loop, kiosk, qtbot):
    window = kiosk.window

    async def scenario():
        tap(qtbot, buttons(window.current_screen)[SEARCH_ENTRY])
        await until(lambda: isinstance(window.current_screen, SearchScreen))
        assert {"社保参保证明打印", "公积金提取（租房）", "居住证办理"} <= set(
            buttons(window.current_screen))
        assert "本次搜索过" not in texts(window.current_screen)
        screen = window.current_screen
        screen.field.setText("<b>社保</b>")
        tap(qtbot, screen.search_button)
        await until(lambda: isinstance(window.current_screen, AnswerScreen))
        asked = [label for label in window.current_screen.findChildren(QLabel)
                 if "您问的是" in label.text()]
        (question,) = asked
        assert plain(question) == "您问的是：<b>社保</b>", "what was typed, as characters"
        tap(qtbot, window.back_button)
        await until(lambda: isinstance(window.current_screen, SearchScreen))
        assert window.current_screen.field.text() == "<b>社保</b>"
        assert "本次搜索过" in texts(window.current_screen)
        assert "<b>社保</b>" in buttons(window.current_screen), "the recent search, as typed"

    running(loop, kiosk, scenario)


def test_where_the_pinyin_keyboard_cannot_run_a_plain_keypad_types_initials(
        loop, qapp, qtbot, seed_catalog, knowledge_base, monkeypatch, caplog):
    monkeypatch.setenv("QT_IM_MODULE", "none")  # as if the kiosk were set up without it
    terminal = Terminal(load_settings(), build_devices(load_settings().devices),
                        StaticCatalog(seed_catalog))
    terminal.knowledge = ServedKnowledge(knowledge_base, [])
    kiosk = shown_kiosk(qapp, qtbot, terminal)
    kiosk.window.activateWindow()
    window = kiosk.window

    async def scenario():
        tap(qtbot, buttons(window.current_screen)[SEARCH_ENTRY])
        await until(lambda: isinstance(window.current_screen, SearchScreen))
        await until(lambda: window.keyboard.isVisible())
        assert not window.keyboard.available and window.keyboard.quick is None
        assert "拼音键盘暂不可用" in texts(window.keyboard)
        for letter in "sbzm":
            tap(qtbot, buttons(window.keyboard)[letter])
        assert window.current_screen.field.text() == "sbzm"

        def suggested() -> list[str]:
            return [b.accessibleName() for b in window.current_screen.suggestions_card.findChildren(
                type(window.current_screen.search_button)) if b.isVisible()]

        await until(suggested)
        assert suggested()[0].startswith("社保"), "pinyin initials find 社保证明"

    try:
        running(loop, kiosk, scenario)
    finally:
        qapp.removeEventFilter(kiosk.activity)
