"""A person who walks away is asked once, then forgotten; one who taps stays."""

from __future__ import annotations

import asyncio

from kiosk.session import CitizenSession, IdleWatch, serve_sessions


def test_silence_after_the_countdown_ends_the_session_and_wipes_it():
    asked: list[float] = []
    ended: list[CitizenSession] = []
    seen: list[CitizenSession] = []

    async def nobody_answers(countdown_s: float) -> bool:
        asked.append(countdown_s)
        return False

    async def flow(session: CitizenSession) -> None:
        session.keep("id_no", "110101199003071234")
        session.elder_mode = True
        seen.append(session)
        idle.touch()  # the person tapped once, then walked away
        await asyncio.Event().wait()

    idle = IdleWatch(timeout_s=0.05, countdown_s=20, ask_to_continue=nobody_answers)

    async def scenario():
        server = asyncio.ensure_future(serve_sessions(flow, idle, ended.append))
        while len(seen) < 2:
            await asyncio.sleep(0.01)
        server.cancel()

    asyncio.run(scenario())
    assert asked[0] == 20
    first = ended[0]
    assert first is seen[0] and first.get("id_no") is None and not first.elder_mode
    assert seen[1] is not seen[0], "the next person gets a fresh session"


def test_a_tap_on_continue_keeps_the_session():
    answers = [True, False]
    ended: list[CitizenSession] = []

    async def ask(_countdown: float) -> bool:
        return answers.pop(0)

    async def flow(session: CitizenSession) -> None:
        idle.touch()
        await asyncio.Event().wait()

    idle = IdleWatch(timeout_s=0.03, countdown_s=5, ask_to_continue=ask)

    async def scenario():
        server = asyncio.ensure_future(serve_sessions(flow, idle, ended.append))
        while not ended:
            await asyncio.sleep(0.01)
        server.cancel()

    asyncio.run(scenario())
    assert answers == [], "asked twice: kept after the first tap, ended after silence"


def test_an_untouched_kiosk_never_asks():
    asked: list[float] = []
    now = [1000.0]

    def clock() -> float:  # every look at it finds a second gone: idle far past the timeout
        now[0] += 1
        return now[0]

    async def ask(countdown: float) -> bool:
        asked.append(countdown)
        return False

    idle = IdleWatch(timeout_s=0.01, countdown_s=5, ask_to_continue=ask, clock=clock)

    async def scenario():
        watching = asyncio.ensure_future(idle.walked_away())
        for _ in range(100):  # the watch gets a hundred turns of the loop, untouched
            await asyncio.sleep(0)
        assert asked == []
        idle.touch()  # and it was watching: once touched and left, it asks
        await asyncio.wait_for(watching, 30)

    asyncio.run(scenario())
    assert asked == [5]


def test_a_flow_forgets_what_it_kept_and_the_visit_keeps_its_settings():
    session = CitizenSession()
    session.elder_mode = True
    session.keep("person", object())
    session.keep("draft", object())
    session.forget("person")
    assert session.get("person") is None and session.get("draft") is not None
    assert session.elder_mode, "the person is still there: elder mode stays"
