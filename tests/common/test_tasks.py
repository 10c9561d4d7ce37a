"""Racing awaitables: the winner decides, the losers are cancelled and awaited, never left."""

from __future__ import annotations

import asyncio

import pytest

from common.tasks import first_done, race


class Loser:
    """Waits forever; cancelled, it takes a few turns of the loop to clean up."""

    def __init__(self) -> None:
        self.started = asyncio.Event()
        self.cancelled = False
        self.cleaned_up = False

    async def wait(self) -> str:
        self.started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            self.cancelled = True
            raise
        finally:
            await asyncio.sleep(0.01)  # cleaning up takes time: it must be waited for
            self.cleaned_up = True
        return "never"


async def after(seconds: float, value: str) -> str:
    await asyncio.sleep(seconds)
    return value


def test_the_winners_result_comes_back_and_the_losers_are_cancelled_and_awaited():
    losers = []

    async def run():
        losers.extend([Loser(), Loser()])
        return await race(losers[0].wait(), after(0.01, "page"), losers[1].wait())

    assert asyncio.run(run()) == "page"
    assert all(loser.cancelled for loser in losers)
    assert all(loser.cleaned_up for loser in losers), "a loser was left cleaning up"


def test_an_exception_from_the_winner_propagates_after_the_losers_stopped():
    loser: Loser | None = None

    async def broken():
        await asyncio.sleep(0.01)
        raise OSError("camera gone")

    async def run():
        nonlocal loser
        loser = Loser()
        await race(loser.wait(), broken())

    with pytest.raises(OSError, match="camera gone"):
        asyncio.run(run())
    assert loser is not None and loser.cancelled and loser.cleaned_up


def test_cancelling_the_caller_cancels_and_awaits_every_task():
    losers: list[Loser] = []

    async def run():
        losers.extend([Loser(), Loser()])
        racing = asyncio.ensure_future(race(losers[0].wait(), losers[1].wait()))
        for loser in losers:
            await loser.started.wait()
        racing.cancel()
        with pytest.raises(asyncio.CancelledError):
            await racing
        # the caller's cancellation surfaced only after both had stopped
        return [(loser.cancelled, loser.cleaned_up) for loser in losers]

    assert asyncio.run(run()) == [(True, True), (True, True)]


def test_of_those_finished_together_the_first_given_wins():
    async def run():
        loop = asyncio.get_running_loop()
        person, device = loop.create_future(), loop.create_future()
        device.set_result("card")
        person.set_result("home")
        return await race(person, device)

    assert asyncio.run(run()) == "home"


def test_a_task_cancelled_on_its_own_loses_to_one_that_finished():
    async def run(with_result: bool):
        loop = asyncio.get_running_loop()
        cancelled, other = loop.create_future(), loop.create_future()
        cancelled.cancel()
        if with_result:
            other.set_result("page")
        return await race(cancelled, other)

    assert asyncio.run(run(True)) == "page"
    with pytest.raises(asyncio.CancelledError):
        asyncio.run(run(False))  # every finished one was cancelled: nothing to give back


def test_first_done_returns_the_winner_and_hands_every_task_to_stop():
    stopped: list[asyncio.Future] = []

    async def stop(tasks):
        stopped.extend(tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def run():
        work = asyncio.ensure_future(after(0.01, "done"))
        winner = await first_done(work, Loser().wait(), stop=stop)
        return winner is work, work.result()

    assert asyncio.run(run()) == (True, "done")
    assert len(stopped) == 2 and all(task.done() for task in stopped)
