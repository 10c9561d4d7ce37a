"""One citizen's visit: what it holds, when it ends, and the wipe at its end.

A session starts on the first touch and ends when the person walks away (idle timeout and an
unanswered "继续办理？"), or when the kiosk is paused. Ending it cancels the running flow, whose
`finally` blocks release what they held, then wipes everything the session kept.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from common.tasks import first_done
from kiosk.stopping import stop_tasks

log = logging.getLogger(__name__)


class CitizenSession:
    """What the kiosk keeps about the person in front of it, and nothing beyond the visit."""

    def __init__(self) -> None:
        self.elder_mode = False
        self.language: str | None = None  # None: the terminal's default
        self._personal: dict[str, object] = {}

    def keep(self, key: str, value: object) -> None:
        self._personal[key] = value

    def get(self, key: str) -> object | None:
        return self._personal.get(key)

    def forget(self, key: str) -> None:
        """A flow is done with what it kept (the person left mid-way, or it finished)."""
        self._personal.pop(key, None)

    def wipe(self) -> None:
        self._personal.clear()
        self.elder_mode = False
        self.language = None


# Asks "继续办理？" for the given seconds; True when the person tapped to continue.
AskToContinue = Callable[[float], Awaitable[bool]]


class IdleWatch:
    """Decides when a person has walked away.

    `touch()` is called on every input. After `timeout_s` without one, `ask_to_continue` shows the
    countdown; a tap keeps the session, silence ends it. Nothing is asked before the first touch,
    so an empty kiosk on its home screen stays quiet.
    """

    def __init__(self, timeout_s: float, countdown_s: float, ask_to_continue: AskToContinue,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.timeout_s = timeout_s
        self.countdown_s = countdown_s
        self._ask = ask_to_continue
        self._clock = clock
        self._last_touch: float | None = None
        self._touched = asyncio.Event()

    def touch(self) -> None:
        self._last_touch = self._clock()
        self._touched.set()

    def reset(self) -> None:
        """A new session: nobody has touched the screen yet."""
        self._last_touch = None
        self._touched.clear()

    async def walked_away(self) -> None:
        """Returns when the person is gone: idle past the timeout and the countdown unanswered."""
        while True:
            if self._last_touch is None:
                await self._touched.wait()
                continue
            remaining = self._last_touch + self.timeout_s - self._clock()
            if remaining > 0:
                await asyncio.sleep(remaining)
                continue
            if not await self._ask(self.countdown_s):
                return
            self.touch()


async def serve_sessions(
    run_flow: Callable[[CitizenSession], Awaitable[None]],
    idle: IdleWatch,
    on_end: Callable[[CitizenSession], None] = lambda session: None,
) -> None:
    """Serve one person after another until cancelled."""
    while True:
        session = CitizenSession()
        idle.reset()
        try:
            # the flow ends or the person walks away; stopping the other is bounded: a flow
            # that will not stop is logged and left behind, and the person's data is wiped all
            # the same (a flow's failure is logged by stop_tasks, not raised)
            await first_done(run_flow(session), idle.walked_away(), stop=stop_tasks)
        finally:
            session.wipe()
            on_end(session)
        log.info("session ended")
