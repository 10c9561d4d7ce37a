"""End to end: 取号 by a person over 70 on the Qt kiosk (offscreen, simulated devices) against the
real platform on loopback. Two people queued before (one regular, one declared priority); home →
取号 → 社保医保 → 70 岁以上 → the simulated ID card of a person born in 1950 → a priority ticket,
after the earlier priority ticket only, printed with the window area and the people ahead."""

from __future__ import annotations

import uuid

import pytest

from tests.ui.conftest import buttons, texts, until, while_running
from tests.ui.e2e import DEVICE_S, button_on, kiosk_at, on, tap, tapped
from ui.screens.elder_home import ElderHomeScreen
from ui.screens.home import HomeScreen
from ui.screens.identity import IdentityScreen
from ui.screens.queue_ticket import QueueChoiceScreen, QueueTicketScreen


@pytest.fixture
def kiosk(qapp, qtbot, platform, tmp_path):
    kiosk = kiosk_at(qapp, qtbot, platform, tmp_path / "kiosk")
    yield kiosk
    qapp.removeEventFilter(kiosk.activity)


def tile_of(screen: QueueChoiceScreen, words: str):
    (found,) = [t for t in screen.tiles if t.accessibleName().startswith(words)]
    return found


def test_a_person_over_70_takes_a_priority_ticket(loop, kiosk, qtbot) -> None:
    window, panel = kiosk.window, kiosk.test_panel
    printer = kiosk.terminal.devices.by_family["receipt_printer"]
    queue = kiosk.terminal.queue
    assert queue is not None

    async def scenario():
        # two people before: A001, and AP001 declared at another kiosk of the hall
        await queue.take_ticket("A", None, uuid.uuid4().hex)
        await queue.take_ticket("A", "pregnant", uuid.uuid4().hex)
        printed_before = len(printer.previews)

        await until(lambda: on(kiosk, HomeScreen) and kiosk.shell.step.tiles, 30)
        await tapped(qtbot, window.current_screen.queue_button)
        await until(lambda: on(kiosk, QueueChoiceScreen), DEVICE_S)
        assert "一楼 A 区 1-4 号窗口 · 等候 2 人" in tile_of(window.current_screen,
                                                          "社保医保").accessibleName()
        await tapped(qtbot, tile_of(window.current_screen, "社保医保"))
        await until(lambda: on(kiosk, QueueChoiceScreen)
                    and "是否需要优先办理" in texts(window.current_screen))
        await tapped(qtbot, tile_of(window.current_screen, "70 岁以上"))

        await until(lambda: on(kiosk, IdentityScreen))
        tap(qtbot, button_on(panel, "放身份证（60岁以上）"))  # 李秀英, born 1950
        await until(lambda: on(kiosk, QueueTicketScreen), DEVICE_S)
        shown = texts(window.current_screen)
        assert "AP002" in shown and "一楼 A 区 1-4 号窗口" in shown
        assert "1 人" in shown and "70 岁以上" in shown
        assert "李" not in shown, "nothing about the person on the ticket"
        assert len(printer.previews) == printed_before + 1
        slip = printer.previews[-1].text
        for words in ("排队号 AP002", "一楼 A 区 1-4 号窗口", "前面等候", "1 人",
                      "优先号：70 岁以上"):
            assert words in slip
        spoken = window.current_screen.announcement()
        assert "一楼 A 区 1-4 号窗口" in spoken and "前面还有 1 人" in spoken

        await tapped(qtbot, buttons(window.current_screen)["完成"])
        await until(lambda: on(kiosk, HomeScreen))
        assert "请取走您的证件" in texts(window.current_screen)
        tap(qtbot, button_on(panel, "取走证件"))

    while_running(loop, kiosk, scenario)


def test_in_elder_mode_queue_is_the_first_tile_and_gives_the_same_priority(
        loop, kiosk, qtbot) -> None:
    window, panel = kiosk.window, kiosk.test_panel
    printer = kiosk.terminal.devices.by_family["receipt_printer"]

    async def scenario():
        await until(lambda: on(kiosk, HomeScreen) and kiosk.shell.step.tiles, 30)
        tap(qtbot, window.elder_button)
        await until(lambda: on(kiosk, ElderHomeScreen))
        first = window.current_screen.service_tiles[0]
        assert first.accessibleName() == "取号"
        assert len(window.current_screen.service_tiles) == 6, "one of the six places"
        await tapped(qtbot, first)
        await until(lambda: on(kiosk, QueueChoiceScreen), DEVICE_S)
        await tapped(qtbot, tile_of(window.current_screen, "社保医保"))
        await until(lambda: on(kiosk, QueueChoiceScreen)
                    and "是否需要优先办理" in texts(window.current_screen))
        await tapped(qtbot, tile_of(window.current_screen, "70 岁以上"))
        await until(lambda: on(kiosk, IdentityScreen))
        tap(qtbot, button_on(panel, "放身份证（60岁以上）"))  # born 1950
        await until(lambda: on(kiosk, QueueTicketScreen), DEVICE_S)
        assert "AP001" in texts(window.current_screen)
        assert "排队号 AP001" in printer.previews[-1].text
        await tapped(qtbot, buttons(window.current_screen)["完成"])
        await until(lambda: on(kiosk, ElderHomeScreen))
        tap(qtbot, button_on(panel, "取走证件"))

    while_running(loop, kiosk, scenario)
