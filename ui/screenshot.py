"""`python main.py screenshot --out DIR`: the main screens rendered offscreen to PNG.

Drives the real browse flow with a scripted person who photographs each screen, so the pictures
show exactly what a citizen would see with the current catalog.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtWidgets import QApplication

from flows.browse import browse_catalog
from flows.steps import Answer, OpenService, OpenTheme, Step
from ui.app import Kiosk
from ui.certificate_samples import certificate_steps
from ui.copy_samples import photograph_copy_screens
from ui.search_screenshots import photograph_search_screens
from ui.service_screenshots import photograph_service_screens

SIZE = (1920, 1080)


class _Done(Exception):
    pass


class _Photographer:
    """A `Ui` that shows each step, saves a picture of it, and answers from a script."""

    def __init__(self, kiosk: Kiosk, out: Path) -> None:
        self.kiosk = kiosk
        self.out = out
        self.saved: list[Path] = []
        self._script: list[tuple[str, Answer | None]] = [
            ("home", OpenTheme("社保")),
            ("theme", OpenService("SS-001")),
            ("guide", None),
        ]

    def _save(self, name: str) -> None:
        # a screen that draws in the background (the certificate's pages) finishes first
        if (drawn := getattr(self.kiosk.window.screen, "wait_until_drawn", None)) is not None:
            drawn()
        self.kiosk.window.resize(*SIZE)  # a tall screen must not stretch the next picture
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


async def take_screenshots(kiosk: Kiosk, out: Path) -> list[Path]:
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
    if kiosk.terminal.services is not None:  # issue 7: a real certificate from the platform
        for name, step in await certificate_steps(kiosk.terminal.services,
                                                  kiosk.terminal.catalog):
            kiosk.shell.show(step)
            photographer._save(name)
            kiosk.shell.set_elder_mode(True)
            photographer._save(f"{name}-elder")
            kiosk.shell.set_elder_mode(False)
    await photograph_service_screens(kiosk, photographer._save)  # issue 6's screens
    await photograph_copy_screens(kiosk, photographer._save)  # issue 7's copies
    await photograph_search_screens(kiosk, photographer._save)  # issue 8's search and answers
    return photographer.saved

