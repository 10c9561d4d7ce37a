"""`python main.py screenshot --out DIR`: the main screens rendered offscreen to PNG.

Drives the real browse flow with a scripted person who photographs each screen, so the pictures
show exactly what a citizen would see with the current catalog.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtWidgets import QApplication

from flows.browse import browse_catalog
from flows.steps import Answer, OpenService, OpenTheme, OpenThemes, Step
from ui.app import Kiosk
from ui.certificate_samples import certificate_steps
from ui.copy_samples import photograph_copy_screens
from ui.payment_samples import photograph_payment_screens
from ui.screen_samples import Scene, all_scenes, photograph_scenes
from ui.search_screenshots import photograph_search_screens
from ui.service_screenshots import photograph_service_screens

SIZE = (1920, 1080)
PORTRAIT = (1080, 1920)  # an upright kiosk


class _Done(Exception):
    pass


class _Photographer:
    """A `Ui` that shows each step, saves a picture of it, and answers from a script."""

    def __init__(self, kiosk: Kiosk, out: Path) -> None:
        self.kiosk = kiosk
        self.out = out
        self.saved: list[Path] = []
        self.size: tuple[int, int] = SIZE
        self._script: list[tuple[str, Answer | None]] = [
            ("home", OpenThemes()),  # home-elder is 长辈模式's own home
            ("themes", OpenTheme("社保")),  # 更多事项: every theme
            ("theme", OpenService("SS-001")),
            ("guide", None),
        ]

    def _save(self, name: str) -> None:
        # a screen that draws in the background (the certificate's pages) finishes first
        screen = self.kiosk.window.current_screen
        if (drawn := getattr(screen, "wait_until_drawn", None)) is not None:
            drawn()
        for _ in range(3):  # laid out for this screen's shape first (upright: keypad below)
            QApplication.processEvents()
        self.kiosk.window.resize(*self.size)  # a tall screen must not stretch the next picture
        for _ in range(3):
            QApplication.processEvents()
        path = self.out / f"{name}.png"
        if not self.kiosk.window.grab().save(str(path)):
            raise OSError(f"could not write {path}")
        self.saved.append(path)

    async def ask(self, step: Step) -> Answer:
        shell = self.kiosk.shell
        name, answer = self._script.pop(0)
        shell.show(step)
        self._save(name)
        shell.set_elder_mode(True)
        self._save(f"{name}-elder")
        shell.set_elder_mode(False)
        if name == "home":
            shell.set_language("en")
            self._save("home-en")
            shell.set_language("zh_CN")
        if answer is None:
            raise _Done
        return answer


async def take_screenshots(kiosk: Kiosk, out: Path, portrait: bool = False) -> list[Path]:
    """Every screen in standard and elder mode at 1920x1080; with `portrait`, every screen
    (`ui.screen_samples`) again at 1080x1920 as `<name>[-elder]-portrait.png`."""
    out.mkdir(parents=True, exist_ok=True)
    kiosk.window.resize(*SIZE)
    kiosk.window.show()
    await kiosk.terminal.catalog.start()
    kiosk.shell.show_catalog_status(kiosk.terminal.catalog.status)
    if kiosk.terminal.knowledge is not None:  # indexed now: no task may wake mid-picture
        await kiosk.terminal.knowledge.start()
    photographer = _Photographer(kiosk, out)
    with contextlib.suppress(_Done):
        await browse_catalog(photographer, kiosk.terminal.catalog)
    certificates = []
    if kiosk.terminal.services is not None:  # a real certificate from the platform
        certificates = await certificate_steps(kiosk.terminal.services, kiosk.terminal.catalog)
        for name, step in certificates:
            kiosk.shell.show(step)
            photographer._save(name)
            kiosk.shell.set_elder_mode(True)
            photographer._save(f"{name}-elder")
            kiosk.shell.set_elder_mode(False)
    await photograph_service_screens(kiosk, photographer._save)  # the service path
    await photograph_payment_screens(kiosk, photographer._save)  # paying a fee
    await photograph_copy_screens(kiosk, photographer._save)  # copies and printing
    await photograph_search_screens(kiosk, photographer._save)  # search and answers
    # every other screen the audit measures: the guide's start button, "继续办理？", 呼叫工作人员,
    # the offline banner, 暂停服务 …
    catalog = kiosk.terminal.catalog.catalog
    if catalog is not None:
        scenes = all_scenes(catalog, [Scene(name, step) for name, step in certificates])
        done = {path.stem for path in photographer.saved}
        status = kiosk.terminal.catalog.status
        await photograph_scenes(kiosk.shell, [s for s in scenes if s.name not in done],
                                photographer._save, status)
        if portrait:
            photographer.size = PORTRAIT
            await photograph_scenes(kiosk.shell, scenes, photographer._save, status,
                                    "-portrait")
            photographer.size = SIZE
    return photographer.saved

