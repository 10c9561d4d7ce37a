"""ask_while: the screen and the device race; the loser is stopped, never left running."""

from __future__ import annotations

import asyncio

import pytest

from flows.steps import BusyStep, Choose, MessageStep, Nav
from flows.waiting import ask_while, wait_uninterrupted
from tests.flows.scripted_ui import ScriptedUi, Wait

STEP = MessageStep("请放置证件", (), ())


def test_the_person_answering_stops_the_device_wait():
    stopped = []

    async def card():
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            stopped.append(True)
            raise

    async def run():
        return await ask_while(ScriptedUi([Choose("done")]), STEP, card())

    assert asyncio.run(run()) == Choose("done")
    assert stopped == [True], "the card wait did not outlive its screen"


def test_the_device_answering_withdraws_the_screen_and_a_device_error_is_raised():
    async def page():
        await asyncio.sleep(0.01)
        return "page"

    async def broken():
        raise OSError("camera gone")

    async def run(wait):
        ui = ScriptedUi([Wait()])
        return await ask_while(ui, STEP, wait), ui

    got, ui = asyncio.run(run(page()))
    assert got == "page" and ui.shown == [STEP]
    with pytest.raises(OSError):
        asyncio.run(run(broken()))


class HomePresser:
    """Presses 首页 on the busy screen three times, then waits like anyone."""

    def __init__(self) -> None:
        self.presses = 3
        self.shown = 0
        self.gave_up = asyncio.Event()

    async def ask(self, step):
        self.shown += 1
        if self.presses:
            self.presses -= 1
            await asyncio.sleep(0)
            return Nav.HOME
        self.gave_up.set()
        await asyncio.Event().wait()


def test_the_bottom_bar_does_not_stop_work_that_must_finish():
    async def submit(person):
        await person.gave_up.wait()  # still running after every press
        return "K01-000001"

    async def run():
        person = HomePresser()
        return await wait_uninterrupted(person, BusyStep("正在提交…"), submit(person)), person

    number, person = asyncio.run(run())
    assert number == "K01-000001"
    assert person.presses == 0 and person.shown == 4, "asked again after every press"
