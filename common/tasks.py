"""Racing awaitables: the first to finish decides, the others are cancelled and awaited.

A screen waits for the person or a device, a session for its flow or the person walking away,
a form for the person or the card leaving the reader. Whichever comes first decides, and none
of the others outlives the wait: no device read goes on behind the next screen and no answer
arrives for a screen that is gone.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")

# how the tasks are stopped once the race is decided; it is given every task, the winner too
Stop = Callable[[Sequence["asyncio.Future[Any]"]], Awaitable[object]]


async def cancel_and_wait(tasks: Sequence[asyncio.Future[Any]]) -> None:
    """Cancel `tasks` and wait until every one has stopped. What they raise as they stop (a
    cancelled device read) is theirs, not the caller's."""
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def first_done(*aws: Awaitable[Any], stop: Stop = cancel_and_wait) -> asyncio.Future[Any]:
    """Run `aws` together until one of them finishes, `stop` them all, and return the winner:
    a finished future, whose `result()` gives its value or raises its exception.

    Of those finished by the time the race is decided, the first given wins (give the person's
    answer first: what they pressed is what they meant); one that finished by being cancelled
    wins only when all of them did. Cancelled while it waits, it stops them all as well and
    raises CancelledError. `stop` is given every task; by default each is cancelled and awaited.
    """
    tasks: list[asyncio.Future[Any]] = []
    try:
        for each in aws:
            tasks.append(asyncio.ensure_future(each))
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finished = [task for task in tasks if task.done()]
    finally:
        await stop(tasks)
    return next((task for task in finished if not task.cancelled()), finished[0])


async def race(*aws: Awaitable[T]) -> T:
    """The result of the first of `aws` to finish (see `first_done`), or its exception; the
    others are cancelled and awaited before this returns."""
    winner = await first_done(*aws)
    return winner.result()
