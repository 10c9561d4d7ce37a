"""The resolver: a background task of the platform (started and stopped with the app, like the
offline sweeper of `central.heartbeats`) that moves every open payment on.

Each pass (`PaymentMachine.run_due`, in a worker thread: it calls the providers) queries the
undecided charges and the QR codes on screen, reverses and confirms, closes what expired,
refunds what must go back, and asks the refund of paid orders no application named in time.
Passes come every `tick_s`, and at once when something asks (`wake`: a cancel, money to give
back). The first pass runs as the platform starts, so whatever a stopped or killed platform
left `paying`, `reversing` or to be refunded is picked up from the database and finished: the
provider's answer to the next query is the truth.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from starlette.concurrency import run_in_threadpool

from central.payments.machine import PaymentMachine

log = logging.getLogger(__name__)


class Resolver:
    def __init__(self, machine: PaymentMachine, tick_s: float) -> None:
        self.machine = machine
        self.tick_s = tick_s
        self._task: asyncio.Task[None] | None = None
        self._woken: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def start(self) -> None:
        """On the app's event loop (its lifespan); nothing when `tick_s` is 0."""
        if self.tick_s <= 0 or self._task is not None:
            return
        self._loop = asyncio.get_running_loop()
        self._woken = asyncio.Event()
        self.machine.wake = self.wake
        self._task = asyncio.ensure_future(self._run())

    async def stop(self) -> None:
        """On the loop that started it; an app served by two clients at once (tests) enters its
        lifespan on each client's loop, and only the first started the resolver."""
        if self._loop is not asyncio.get_running_loop():
            return
        task, self._task = self._task, None
        self.machine.wake = lambda: None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def wake(self) -> None:
        """From any thread: run a pass soon."""
        loop, woken = self._loop, self._woken
        if loop is not None and woken is not None:
            with contextlib.suppress(RuntimeError):  # the loop has closed
                loop.call_soon_threadsafe(woken.set)

    async def _run(self) -> None:
        woken = self._woken
        assert woken is not None
        while True:
            woken.clear()
            try:
                await run_in_threadpool(self.machine.run_due)
            except Exception:  # the database may be restarting: the next pass tries again
                log.exception("payment resolver pass failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(woken.wait(), self.tick_s)
