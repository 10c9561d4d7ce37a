"""Cancelling a long-running loop at many seeded moments: it must end every time.

The moments that matter are races, so each trial runs on `ClockedLoop`, an event loop whose
clock moves only when nothing is ready (straight to the next timer) and whose ready callbacks
run in a seeded random order, as they may under load or on Qt's event loop. A trial cancels at
one of these moments:

- `random`: after a random stretch of loop time;
- `timeout`: in the very callback in which the loop's own timer fires (before or after it);
- `wake`: in the same callback that wakes the loop (before or after it);
- `steps`: after a few turns of the loop, mid-pass.

The loop must then finish within `STOP_LIMIT_S` of loop time. Private parts of asyncio's
`BaseEventLoop` (`_ready`, `_scheduled`, `_run_once`) are used on purpose: it is the only way
to put a cancel in the same instant as a timer.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

STOP_LIMIT_S = 1.0
MOMENTS = ("random", "timeout", "wake", "steps")


class ClockedLoop(asyncio.SelectorEventLoop):
    """Loop time jumps to the next timer when nothing is ready; ready callbacks are shuffled."""

    def __init__(self, rnd: random.Random) -> None:
        super().__init__()
        self._now = 0.0
        self._rnd = rnd

    def time(self) -> float:
        return self._now

    def _run_once(self) -> None:
        if not self._ready and self._scheduled:
            self._now = max(self._now, self._scheduled[0]._when)
        if len(self._ready) > 1:
            ready = list(self._ready)
            self._rnd.shuffle(ready)
            self._ready.clear()
            self._ready.extend(ready)
        super()._run_once()


@dataclass
class Loop:
    """One loop to stop: its coroutine, and how to wake it (None: it has no wake-up)."""

    run: Coroutine[Any, Any, None]
    wake: Callable[[], None] | None = None


def cancel_at_random_moments(make: Callable[[random.Random], Loop], trials: int = 500,
                             seed: int = 13) -> list[str]:
    """Runs `trials` seeded trials; returns a description of each that did not stop."""
    failures = []
    for trial in range(trials):
        rnd = random.Random(seed * 100_003 + trial)
        moment = MOMENTS[trial % len(MOMENTS)]
        loop = ClockedLoop(rnd)
        try:
            stopped = loop.run_until_complete(_trial(make(rnd), moment, rnd))
        finally:
            _close(loop)
        if not stopped:
            failures.append(f"trial {trial} ({moment}) did not stop")
    return failures


async def _trial(subject: Loop, moment: str, rnd: random.Random) -> bool:
    loop = asyncio.get_running_loop()
    task = asyncio.ensure_future(subject.run)
    for _ in range(rnd.randrange(1, 6)):  # let it get going: a pass or two, a wait
        await asyncio.sleep(rnd.choice((0, 0, 0.01, 0.3)))
    cancelled = asyncio.Event()

    def cancel() -> None:
        if not cancelled.is_set():
            task.cancel()
            cancelled.set()

    loop.call_later(5.0, cancel)  # the chosen moment may never come (its timer was cancelled)

    if moment == "timeout" and (timer := _next_timer(loop)) is not None:
        _run_with(timer, cancel, first=rnd.random() < 0.5)
    elif moment == "wake" and subject.wake is not None:
        wake = subject.wake
        both = (wake, cancel) if rnd.random() < 0.5 else (cancel, wake)
        loop.call_soon(lambda: [call() for call in both])
    elif moment == "steps":
        for _ in range(rnd.randrange(1, 8)):
            await asyncio.sleep(0)
        cancel()
    else:
        loop.call_later(rnd.uniform(0, 2.0), cancel)
    await cancelled.wait()
    done, _ = await asyncio.wait({task}, timeout=STOP_LIMIT_S)
    if task not in done:
        task.cancel()  # let the next trial start on a clean loop
        await asyncio.wait({task}, timeout=STOP_LIMIT_S)
        return False
    return True


def _next_timer(loop: ClockedLoop) -> asyncio.TimerHandle | None:
    timers = [timer for timer in loop._scheduled if not timer.cancelled()]
    return min(timers, key=lambda timer: timer.when()) if timers else None


def _run_with(timer: asyncio.TimerHandle, cancel: Callable[[], None], *, first: bool) -> None:
    """The timer's own callback and the cancel, in the one callback the timer fires."""
    callback, args = timer._callback, timer._args

    def both() -> None:
        if first:
            cancel()
        callback(*args)
        if not first:
            cancel()

    timer._callback, timer._args = both, ()


def _close(loop: ClockedLoop) -> None:
    for task in asyncio.all_tasks(loop):
        task.cancel()
    loop.run_until_complete(asyncio.sleep(0))
    loop.run_until_complete(loop.shutdown_default_executor())
    loop.close()
