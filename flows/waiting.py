"""Asking while waiting: a screen that the person may answer, or a device may answer first.

The identity screen waits for a card or a code, the scan screen for a page, the busy screen for
the platform; each also takes the person's taps (返回, 完成, 呼叫工作人员). Whichever comes first
wins and the others are cancelled and awaited, so no device wait outlives its screen and no
answer arrives for a screen that is gone.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

from common.tasks import race
from flows.steps import Answer, Step, Ui

T = TypeVar("T")


async def ask_while(ui: Ui, step: Step, *waits: Awaitable[T]) -> Answer | T:
    """Show `step` and return the person's answer or the first of `waits` to finish.

    When the person and a device finish together, the person's answer wins: what they pressed
    is what they meant. An exception from a wait is raised here, after the others are cancelled
    and awaited (`common.tasks.race`).
    """
    return await race(ui.ask(step), *waits)


async def wait_uninterrupted(ui: Ui, step: Step, work: Awaitable[T]) -> T:
    """Wait for `work` with `step` (a BusyStep) on screen; the bottom bar does not stop it:
    a submission is committed before the person is told anything, a receipt half printed is
    still theirs. The session's end cancels the wait, and even then the work runs to its end."""
    task = asyncio.ensure_future(work)
    while not task.done():
        await ask_while(ui, step, asyncio.shield(task))
    return task.result()
