"""Stopping the kiosk in bounded time: its tasks, on a signal, and the process as a last resort.

A kiosk is stopped by the platform (restart, update), by systemd (SIGTERM) and by staff; it must
stop every time, in seconds, and lose nothing. Nothing needs to be saved on the way out: an
application is committed to the outbox before the citizen is told so, and a snapshot before it
is served, so a task that does not stop in time is abandoned, logged with where it was stuck.
"""

from __future__ import annotations

import asyncio
import contextlib
import faulthandler
import io
import logging
import os
import signal
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

log = logging.getLogger(__name__)

STOP_DEADLINE_S = 5.0  # for the tasks
EXIT_DEADLINE_S = 15.0  # for the process: tasks, devices, the embedded platform, exit
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


async def stop_tasks(tasks: Iterable[asyncio.Future[Any]],
                     deadline_s: float = STOP_DEADLINE_S) -> list[asyncio.Future[Any]]:
    """Cancel `tasks` and wait for them up to `deadline_s`; the ones still running are logged
    with their stacks, cancelled once more and returned (the caller goes on without them).

    A task's failure (before or as it stopped) is logged, not raised: stopping must not stop
    half-way. Cancelled again while it waits (a second stop), it still waits out the deadline
    for the tasks, then raises CancelledError; left half-way, they would never be awaited.
    """
    given = [task for task in tasks if task is not None]
    pending = {task for task in given if not task.done()}
    for task in pending:
        task.cancel()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + deadline_s
    cancelled_again = False
    while any(not task.done() for task in pending) and loop.time() < deadline:
        try:
            await asyncio.wait(pending, timeout=deadline - loop.time())
        except asyncio.CancelledError:  # stopped again while stopping: finish first, bounded
            cancelled_again = True
    stuck = [task for task in given if not task.done()]
    for task in given:
        if task.done() and not task.cancelled() and task.exception() is not None:
            log.error("%s failed", _name(task), exc_info=task.exception())
    for task in stuck:
        log.error("%s did not stop within %.1f s; left behind at:\n%s", _name(task),
                  deadline_s, _stack(task))
        task.cancel()  # once more: a cancellation it swallowed may have been its only one
    if cancelled_again:
        raise asyncio.CancelledError
    return stuck


def on_stop_signals(loop: asyncio.AbstractEventLoop,
                    stop: Callable[[int], None]) -> Callable[[], None]:
    """Call `stop(signal number)` on `loop` at SIGTERM (systemd), SIGINT or SIGHUP; returns a
    function that puts the previous handling back.

    Works under Qt's event loop too, where Python runs only when Qt calls it: the signal's
    number is written to a socket (`signal.set_wakeup_fd`) that the loop watches, so the
    handler runs at once even on an idle kiosk. Main thread only.
    """
    receiver, sender = socket.socketpair()
    receiver.setblocking(False)
    sender.setblocking(False)
    caught: list[int] = []

    def handler(signum: int, _frame: object) -> None:
        caught.append(signum)

    def drain() -> None:
        with contextlib.suppress(BlockingIOError, InterruptedError):
            receiver.recv(256)
        while caught:
            signum = caught.pop(0)
            log.info("stopping on %s", signal.Signals(signum).name)
            stop(signum)

    previous = {signum: signal.signal(signum, handler) for signum in STOP_SIGNALS}
    previous_fd = signal.set_wakeup_fd(sender.fileno())
    loop.add_reader(receiver.fileno(), drain)

    def restore() -> None:
        loop.remove_reader(receiver.fileno())
        signal.set_wakeup_fd(previous_fd)
        for signum, before in previous.items():
            signal.signal(signum, before)
        receiver.close()
        sender.close()

    return restore


def exit_after(seconds: float, code: Callable[[], int]) -> None:
    """From now on the process has `seconds` to end by itself; then every thread's stack is
    logged and it ends with `code()` whatever is stuck (a device call that never returns, a
    worker thread the interpreter would wait for at exit). Call it as stopping begins."""

    def watch() -> None:
        time.sleep(seconds)
        with tempfile.TemporaryFile("w+") as dump:  # faulthandler writes to a real file
            faulthandler.dump_traceback(file=dump, all_threads=True)
            dump.seek(0)
            log.error("the kiosk did not stop within %.1f s; exiting anyway. Threads:\n%s",
                      seconds, dump.read())
        logging.shutdown()
        os._exit(code())

    threading.Thread(target=watch, name="exit-deadline", daemon=True).start()


def _name(task: asyncio.Future[Any]) -> str:
    return task.get_name() if isinstance(task, asyncio.Task) else repr(task)


def _stack(task: asyncio.Future[Any]) -> str:
    if not isinstance(task, asyncio.Task):
        return "  (not a task)"
    text = io.StringIO()
    task.print_stack(limit=12, file=text)
    return text.getvalue()
