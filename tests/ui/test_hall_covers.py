"""Hall hours on screen (ui.hall_covers): the attract loop over an untouched home, gone at a
touch; out of hours the window black and the backlight off, a touch shows the hours; at the
stepped time the hall opens and home is back."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from devices.registry import build_devices
from kiosk.settings import DataSettings, HoursSettings, load_settings
from kiosk.terminal import Terminal
from tests.kiosk.test_hall_hours import SteppedClock
from tests.ui.conftest import StaticCatalog, running, tap, texts, until
from ui.app import Kiosk
from ui.screens.attract import AttractScreen, ClosedScreen
from ui.screens.home import HomeScreen

MONDAY = datetime(2026, 12, 7)
WEEKDAYS_9_TO_5 = {day: "08:30-17:30" for day in ("mon", "tue", "wed", "thu", "fri")}


@pytest.fixture
def backlight(tmp_path: Path) -> Path:
    (tmp_path / "backlight" / "panel").mkdir(parents=True)
    (tmp_path / "backlight" / "panel" / "bl_power").write_text("0")
    return tmp_path / "backlight"


def hall_kiosk(qapp, qtbot, seed_catalog, tmp_path: Path, backlight: Path,
               clock: SteppedClock) -> Kiosk:
    defaults = load_settings()
    settings = defaults.model_copy(update={
        "data": DataSettings(dir=tmp_path), "devices": {},
        "ui": defaults.ui.model_copy(update={"attract_after_s": 300}),
        "hours": HoursSettings.model_validate({**WEEKDAYS_9_TO_5,
                                               "backlight": str(backlight)})})
    terminal = Terminal(settings, build_devices(settings.devices), StaticCatalog(seed_catalog))
    kiosk = Kiosk(terminal, qapp, clock=clock)
    qtbot.addWidget(kiosk.window)
    kiosk.window.resize(1920, 1080)
    kiosk.window.show()
    return kiosk


def test_the_attract_loop_over_an_idle_home_goes_at_a_touch(
        qapp, qtbot, loop, seed_catalog, tmp_path, backlight) -> None:
    clock = SteppedClock(MONDAY.replace(hour=10))
    kiosk = hall_kiosk(qapp, qtbot, seed_catalog, tmp_path, backlight, clock)

    async def scenario() -> None:
        clock.advance(seconds=300)
        await until(lambda: isinstance(kiosk.covers.cover, AttractScreen))
        cover = kiosk.covers.cover
        assert cover is not None and cover.geometry() == kiosk.window.rect(), "full screen"
        shown = texts(cover)
        assert "政务服务自助终端" in shown and "请触摸屏幕开始" in shown
        assert "Touch the screen to start" in shown and kiosk.window.hall in shown
        assert "常用事项：" in shown, "a most used service's name"

        tap(qtbot, cover)
        await until(lambda: kiosk.covers.cover is None)
        assert isinstance(kiosk.window.current_screen, HomeScreen)

    try:
        running(loop, kiosk, scenario)
    finally:
        qapp.removeEventFilter(kiosk.activity)


def test_out_of_hours_black_then_the_hours_at_a_touch_then_open(
        qapp, qtbot, loop, seed_catalog, tmp_path, backlight) -> None:
    clock = SteppedClock(MONDAY.replace(hour=17, minute=29))
    kiosk = hall_kiosk(qapp, qtbot, seed_catalog, tmp_path, backlight, clock)
    power = backlight / "panel" / "bl_power"

    async def scenario() -> None:
        clock.advance(minutes=1)
        await until(lambda: isinstance(kiosk.covers.cover, ClosedScreen))
        cover = kiosk.covers.cover
        assert isinstance(cover, ClosedScreen) and cover.hours is None, "black"
        assert power.read_text() == "4"

        tap(qtbot, cover)
        await until(lambda: isinstance(kiosk.covers.cover, ClosedScreen)
                    and kiosk.covers.cover.hours is not None)
        assert power.read_text() == "0"
        woken = kiosk.covers.cover
        assert isinstance(woken, ClosedScreen) and woken.hours is not None
        assert woken.hours.text() == ("当前非服务时间，服务时间：今日 08:30-17:30，"
                                      "下次开放：明天 08:30")

        clock.advance(hours=15)  # Tuesday 08:30
        await until(lambda: kiosk.covers.cover is None
                    and isinstance(kiosk.window.current_screen, HomeScreen))
        assert power.read_text() == "0"

    try:
        running(loop, kiosk, scenario)
    finally:
        qapp.removeEventFilter(kiosk.activity)
