"""End to end on the Qt kiosk (offscreen, simulated devices): 身份证复印 from the guide of
SS-091, with the A4 printer running out of paper after the first of three copies. Every step is
a tap on what the person would tap; the simulators are steered from the panel, as a demo
operator would: the card on the document camera, the tray running empty, 加纸."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from devices.registry import build_devices
from kiosk.settings import load_settings
from kiosk.terminal import Terminal
from tests.ui.conftest import StaticCatalog, buttons, shown_kiosk, texts, until, while_running
from tests.ui.e2e import button_on
from ui.screens.copies import CheckSideScreen, PlaceCardScreen, PrintOptionsScreen, PurposeScreen
from ui.screens.guide import GuideScreen
from ui.screens.home import HomeScreen
from ui.screens.message import MessageScreen
from ui.screens.theme import ThemeScreen
from ui.simulator_panel import SimulatorPanel

DEVICE_S = 60.0  # a still card found on a busy 2-core PC


class NoPlatform:
    def __getattr__(self, name: str):
        raise AssertionError(f"a copy flow asked the platform: {name}")


@pytest.fixture
def kiosk(qapp, qtbot, seed_catalog):
    settings = load_settings()  # the demo's devices: every family simulated
    # copying asks nothing of the platform (SS-091 works offline): a services port that fails
    # the test if a copy flow ever used it
    terminal = Terminal(settings, build_devices(settings.devices), StaticCatalog(seed_catalog),
                        services=NoPlatform())
    kiosk = shown_kiosk(qapp, qtbot, terminal)
    kiosk.shell.live.detect = False  # the flow's own capture detects; no second detector
    panel = SimulatorPanel(terminal.devices)
    qtbot.addWidget(panel)
    panel.show()
    kiosk.test_panel = panel
    yield kiosk
    qapp.removeEventFilter(kiosk.activity)


def test_an_id_card_copy_with_the_paper_running_out_comes_out_whole(loop, kiosk, qtbot):
    window, panel = kiosk.window, kiosk.test_panel
    printer = kiosk.terminal.devices.by_family["a4_printer"]
    printer.seconds_per_page = 0.05

    def on(kind: type) -> bool:
        return isinstance(window.current_screen, kind)

    async def tap(widget: QWidget) -> None:
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
        await asyncio.sleep(0.05)

    async def scenario():
        await until(lambda: on(HomeScreen) and kiosk.shell.step.tiles, 30)
        while not any(t.startswith("通用") for t in buttons(window.current_screen)):
            await tap(buttons(window.current_screen)["下一页"])
        await tap(next(b for t, b in buttons(window.current_screen).items()
                       if t.startswith("通用")))
        await until(lambda: on(ThemeScreen))
        await tap(next(b for t, b in buttons(window.current_screen).items()
                       if t.startswith("材料复印与身份证复印件打印")))
        await until(lambda: on(GuideScreen))
        assert window.current_screen.start_button.text() == "开始复印"
        await tap(window.current_screen.start_button)
        await until(lambda: on(MessageScreen) and "请选择复印内容" in texts(window.current_screen))
        await tap(button_on(window.current_screen, "身份证复印"))

        # front, then the card turned over
        for side, panel_text in (("人像面", "放身份证正面"), ("国徽面", "放身份证反面")):
            await until(lambda: on(PlaceCardScreen))
            assert side in texts(window.current_screen)
            await tap(button_on(panel, panel_text))
            await until(lambda: on(CheckSideScreen), DEVICE_S)
            assert not window.current_screen.picture.pixmap().isNull()
            await tap(button_on(window.current_screen, "确认"))

        await until(lambda: on(PurposeScreen))
        await tap(button_on(window.current_screen, "社保业务"))
        await until(lambda: on(PrintOptionsScreen))
        await tap(window.current_screen.more)
        await tap(window.current_screen.more)
        assert "3 份" in texts(window.current_screen)

        await tap(button_on(panel, "打印 1 页后缺纸"))
        await tap(button_on(window.current_screen, "开始打印"))
        await until(lambda: on(MessageScreen) and "打印暂停" in texts(window.current_screen),
                    DEVICE_S)
        assert "打印机没纸了，已打印 1 页，还有 2 页没有打印。" in texts(window.current_screen)
        assert "继续打印" not in buttons(window.current_screen), "not while there is no paper"
        await tap(button_on(panel, "加纸"))  # staff load paper: the printer says it can print
        await until(lambda: "继续打印" in buttons(window.current_screen))
        await tap(button_on(window.current_screen, "继续打印"))
        await until(lambda: on(MessageScreen) and "复印完成" in texts(window.current_screen),
                    DEVICE_S)
        assert [sheet.page for sheet in printer.sheets] == [1, 2, 3]
        await tap(button_on(window.current_screen, "返回首页"))
        await until(lambda: on(HomeScreen))
        assert "请取回放在拍照台上的身份证" in texts(window.current_screen)  # in plain words

    while_running(loop, kiosk, scenario)
