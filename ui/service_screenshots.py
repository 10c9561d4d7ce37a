"""Issue 6's screens for `python main.py screenshot`: each sample step (`ui.sample_steps`)
shown by the kiosk's own shell in standard and elder mode, with the simulated cameras showing
a face and a page where the screen has a live picture."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from ui.app import Kiosk
from ui.sample_steps import sample_steps

LIVE_WAIT_S = 15.0  # a detector process starts (imports OpenCV) before the first outline


async def _until(condition: Callable[[], bool], timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


def _put_in_view(kiosk: Kiosk) -> None:
    devices = kiosk.terminal.devices.by_family
    if callable(show_face := getattr(devices.get("face_camera"), "show_face", None)):
        show_face()
    if callable(place_page := getattr(devices.get("document_camera"), "place_page", None)):
        place_page()


async def photograph_service_screens(kiosk: Kiosk, save: Callable[[str], None]) -> None:
    """`save(name)` photographs the window as it is."""
    _put_in_view(kiosk)
    shell = kiosk.shell
    for name, step in sample_steps():
        for elder in (False, True):
            shell.set_elder_mode(elder)
            shell.show(step)
            previews = [p for p in shell.live.previews.values() if p.isVisible()]
            # a live picture: wait for frames and for what detection draws over them
            await _until(lambda ps=previews: all(p.frames_shown and p.overlay() for p in ps),
                         LIVE_WAIT_S if previews else 0)
            save(f"{name}-elder" if elder else name)
            if name == "evaluation":  # after a low rating: why
                shell.window.screen.pick(2)
                save("evaluation-reasons-elder" if elder else "evaluation-reasons")
    shell.set_elder_mode(False)
