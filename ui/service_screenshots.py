"""The service path's screens for `python main.py screenshot`: each sample step (`ui.sample_steps`)
shown by the kiosk's own shell in standard and elder mode, with the simulated cameras showing
a face and a page where the screen has a live picture."""

from __future__ import annotations

from collections.abc import Callable

from ui.app import Kiosk
from ui.sample_steps import sample_steps
from ui.screens.evaluation import EvaluationScreen
from ui.screenshot_waits import live_pictures_drawn


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
            await live_pictures_drawn(shell)
            save(f"{name}-elder" if elder else name)
            if name == "evaluation":  # after a low rating: why
                screen = shell.window.current_screen
                assert isinstance(screen, EvaluationScreen), "the evaluation step's screen"
                screen.pick(2)
                save("evaluation-reasons-elder" if elder else "evaluation-reasons")
    shell.set_elder_mode(False)
