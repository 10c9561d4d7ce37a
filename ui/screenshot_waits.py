"""Waiting, for `python main.py screenshot`, until a screen is worth photographing: a keyboard
compiled, a live picture with frames and what detection draws over them."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from ui.shell import Shell

LIVE_WAIT_S = 15.0  # a detector process starts (imports OpenCV) before the first outline


async def until(condition: Callable[[], object], timeout_s: float) -> bool:
    """Whether `condition()` came to hold within `timeout_s`; a late picture beats none."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


async def live_pictures_drawn(shell: Shell) -> None:
    """Wait until each live picture on the screen shows frames and its detection overlay."""
    previews = [p for p in shell.live.previews.values() if p.isVisible()]
    await until(lambda: all(p.frames_shown and p.overlay() for p in previews),
                LIVE_WAIT_S if previews else 0)
