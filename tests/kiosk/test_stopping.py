"""Stopping in bounded time: tasks that will not stop are left behind and named, signals stop
the kiosk under asyncio's and Qt's loops, and a process that hangs anyway is ended."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import sys
import textwrap

import pytest

from kiosk.settings import PROJECT_ROOT
from kiosk.stopping import on_stop_signals, stop_tasks


async def stubborn(started: asyncio.Event, released: asyncio.Event) -> None:
    """A task that swallows every cancellation (what a library bug can do) until released."""
    started.set()
    while not released.is_set():
        try:
            await released.wait()
        except asyncio.CancelledError:
            continue


async def obedient(started: asyncio.Event) -> None:
    started.set()
    await asyncio.sleep(3600)


def test_a_task_that_will_not_stop_is_named_with_its_stack_and_left_behind(caplog) -> None:
    async def scenario() -> tuple[list[asyncio.Future[object]], list[asyncio.Task[None]]]:
        started, released = [asyncio.Event(), asyncio.Event()], asyncio.Event()
        tasks = [asyncio.create_task(stubborn(started[0], released), name="stubborn-loop"),
                 asyncio.create_task(obedient(started[1]), name="obedient-loop")]
        for event in started:
            await event.wait()
        left = await stop_tasks(tasks, deadline_s=0.3)
        released.set()  # so that this test's own loop can close
        return left, tasks

    with caplog.at_level(logging.ERROR):
        left, (stubborn_task, obedient_task) = asyncio.run(scenario())
    assert left == [stubborn_task]
    assert obedient_task.cancelled()
    assert "stubborn-loop did not stop within 0.3 s" in caplog.text
    assert "in stubborn" in caplog.text, "where it was stuck"
    assert "obedient-loop" not in caplog.text


def test_a_task_that_failed_is_logged_and_stopping_goes_on(caplog) -> None:
    async def broken() -> None:
        raise RuntimeError("the printer driver fell over")

    async def scenario() -> list[asyncio.Future[object]]:
        task = asyncio.create_task(broken(), name="printer-watch")
        await asyncio.sleep(0)
        return await stop_tasks([task], deadline_s=1.0)

    with caplog.at_level(logging.ERROR):
        assert asyncio.run(scenario()) == []
    assert "printer-watch failed" in caplog.text and "fell over" in caplog.text


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_a_stop_signal_reaches_the_loop_and_the_old_handling_comes_back(signum) -> None:
    before = signal.getsignal(signum)

    async def scenario() -> int:
        got: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        restore = on_stop_signals(asyncio.get_running_loop(), got.set_result)
        try:
            os.kill(os.getpid(), signum)
            return await got
        finally:
            restore()

    assert asyncio.run(scenario()) == signum
    assert signal.getsignal(signum) == before


# The kiosk's own loop is Qt's: Python runs only when Qt calls it. An idle Qt loop must still
# hear SIGTERM, and at once, or systemd's stop would wait for its timeout and then kill.
UNDER_QT = """
import asyncio, os, signal, sys
import qasync
from PySide6.QtCore import QCoreApplication
from kiosk.stopping import on_stop_signals

app = QCoreApplication([])
loop = qasync.QEventLoop(app)

async def idle_until_stopped():
    stopped = loop.create_future()
    restore = on_stop_signals(loop, stopped.set_result)
    print("ready", flush=True)
    try:
        return await stopped
    finally:
        restore()

with loop:
    print("stopped by", signal.Signals(loop.run_until_complete(idle_until_stopped())).name)
"""


def test_an_idle_qt_loop_hears_sigterm() -> None:
    child = subprocess.Popen([sys.executable, "-c", textwrap.dedent(UNDER_QT)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             cwd=PROJECT_ROOT, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    child.send_signal(signal.SIGTERM)
    out, err = child.communicate(timeout=30)
    assert child.returncode == 0, err
    assert out.strip() == "stopped by SIGTERM"


HANGS_ON_EXIT = """
import logging, sys, threading, time
from kiosk.stopping import exit_after
logging.basicConfig(stream=sys.stderr)

def device_call_that_never_returns():
    time.sleep(3600)

threading.Thread(target=device_call_that_never_returns, name="idcard-reader").start()
exit_after(0.5, lambda: 75)  # stopping begins; the non-daemon thread would hold exit for ever
"""


def test_a_process_that_cannot_exit_is_ended_with_its_exit_code_and_threads_logged() -> None:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(HANGS_ON_EXIT)],
                          capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=60)
    assert done.returncode == 75
    assert "did not stop within 0.5 s; exiting anyway" in done.stderr
    assert "device_call_that_never_returns" in done.stderr, "where it hung"


def test_stopping_that_is_cancelled_again_still_sees_every_task_end() -> None:
    # a second stop (the window closed while a restart was stopping the kiosk) must not leave
    # the loops cancelled but never awaited: their loop would close with them still pending
    async def slow_to_stop(started: asyncio.Event) -> None:
        started.set()
        try:
            await asyncio.sleep(3600)
        finally:
            await asyncio.sleep(0.05)  # a little clean-up on the way out

    async def scenario() -> tuple[bool, list[bool]]:
        started = [asyncio.Event() for _ in range(3)]
        tasks = [asyncio.create_task(slow_to_stop(event)) for event in started]
        for event in started:
            await event.wait()
        stopper = asyncio.create_task(stop_tasks(tasks, deadline_s=5.0))
        await asyncio.sleep(0)
        stopper.cancel()  # the second stop
        await asyncio.wait({stopper})
        return stopper.cancelled(), [task.done() for task in tasks]  # as the stopper ended

    cancelled, ended = asyncio.run(scenario())
    assert cancelled, "the second stop is passed on"
    assert ended == [True, True, True]
