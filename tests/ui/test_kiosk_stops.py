"""The kiosk always stops, in bounded time, and loses or doubles no application.

Fifteen lives of one terminal (one data folder, as a kiosk restarted in place) against the real
platform on loopback: each starts the Qt kiosk, one citizen is served, more submit applications
(some lives with the network cut, so they queue), and at a random moment the kiosk is stopped
the three ways it is in the field: its task cancelled (the window closed), SIGTERM (systemd),
or the platform's restart command; every fifth life is stopped while it is still starting.
Every stop must end the kiosk within the stop deadline with no task of it left running; at
the end every application that was committed reaches the platform exactly once, and every
receipt a citizen was given names one of them.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
from collections import Counter
from collections.abc import Iterator

import pytest
import shiboken6
from sqlalchemy import select

from central.db import ApplicationRecord
from common.citizen_services import Submitted
from kiosk.stopping import STOP_DEADLINE_S, on_stop_signals
from kiosk.telemetry import RESTART_EXIT_CODE
from offline_cache.outbox import OutboxState
from tests.kiosk.citizen_platform import TERMINAL, residence_permit, run_sync_until
from tests.ui.conftest import until
from tests.ui.e2e import kiosk_at

LIVES = 15  # five each way
WAYS = ("cancel", "SIGTERM", "restart")
START_S = 60.0  # a cold start (catalog, knowledge index) on a busy 2-core machine


class OwnWidgets:
    """Stands in for qtbot's widget keeping: each life's windows are deleted as it ends, or
    fifty kiosks' worth of widgets would slow every later one (a style sheet is applied to
    every live widget)."""

    def addWidget(self, widget) -> None:
        pass


@pytest.fixture
def lives(qapp, platform, tmp_path) -> Iterator:
    """Builds the kiosk anew for each life, over the same data folder; `end(kiosk)` ends one."""
    made = []

    def next_life():
        kiosk = kiosk_at(qapp, OwnWidgets(), platform, tmp_path / "kiosk")
        made.append(kiosk)
        return kiosk

    yield next_life
    for kiosk in made:
        end(qapp, kiosk)


def end(qapp, kiosk) -> None:
    qapp.removeEventFilter(kiosk.activity)
    for window in (kiosk.window, kiosk.test_panel):
        if shiboken6.isValid(window):
            window.close()
            window.deleteLater()


@pytest.mark.timeout(LIVES * 20)
def test_fifteen_stops_at_random_moments_are_bounded_and_lose_nothing(qapp, loop, lives, platform):
    rnd = random.Random(2026)
    receipts: list[Submitted] = []
    stops: Counter[str] = Counter()
    for life in range(LIVES):
        kiosk = lives()
        way = WAYS[life % len(WAYS)]
        receipts += loop.run_until_complete(_live_and_stop(kiosk, way, rnd, life))
        stops[way] += 1
        end(qapp, kiosk)

    final = lives()  # one more life with the network up, to deliver what waited
    loop.run_until_complete(run_sync_until(final.terminal, lambda: final.terminal.outbox_sync
                                           .outbox.backlog() == 0, limit_s=120.0))
    outbox = final.terminal.outbox_sync.outbox
    committed = [item.local_number for item in outbox.items()]
    assert outbox.items(OutboxState.PENDING) == [], "everything waiting was delivered"
    assert outbox.items(OutboxState.REFUSED) == []
    at_platform = Counter(_local_numbers_at(platform))
    doubled = [number for number, count in at_platform.items() if count > 1]
    assert doubled == [], "an application reached the platform twice"
    assert sorted(at_platform) == sorted(committed), "committed and delivered are the same"
    given = [receipt.local_number for receipt in receipts]
    assert set(given) <= set(at_platform), "every receipt handed out is at the platform"
    assert stops == {"cancel": 5, "SIGTERM": 5, "restart": 5}


async def _live_and_stop(kiosk, way: str, rnd: random.Random, life: int) -> list[Submitted]:
    loop = asyncio.get_running_loop()
    before = asyncio.all_tasks()
    run = asyncio.ensure_future(kiosk.runtime.run())
    restore_signals = on_stop_signals(loop, lambda _signum: run.cancel())
    citizens: list[asyncio.Future[Submitted]] = []
    try:
        if life % 5 == 4:  # stopped while it starts: fetching the catalog, no one served yet
            await asyncio.sleep(rnd.uniform(0.0, 0.3))
        else:
            await until(lambda: kiosk.terminal.catalog.catalog is not None, timeout_s=START_S)
            if rnd.random() < 0.3:
                kiosk.terminal.network.cut()  # these citizens get 待受理 receipts
            services = kiosk.terminal.services
            # one citizen is served to the end, others are mid-submission at the stop
            citizens.append(asyncio.ensure_future(services.submit_application(
                residence_permit())))
            await asyncio.wait_for(asyncio.shield(citizens[0]), START_S)
            citizens += [asyncio.ensure_future(services.submit_application(residence_permit()))
                         for _ in range(rnd.randint(1, 3))]
            await asyncio.sleep(rnd.uniform(0.0, 0.5))  # the random moment of the stop

        if way == "cancel":
            run.cancel()
        elif way == "SIGTERM":
            os.kill(os.getpid(), signal.SIGTERM)
        else:
            kiosk.runtime.telemetry.handlers.restart()  # as the heartbeat answer's command does
        for citizen in citizens:  # a person mid-submission is cut off with the kiosk
            citizen.cancel()

        done, _ = await asyncio.wait({run}, timeout=STOP_DEADLINE_S + 5.0)
        assert run in done, f"life {life}: the kiosk did not stop ({way})"
        assert kiosk.runtime.left_running == [], (
            f"life {life}: a task had to be left behind ({way})")
        await asyncio.gather(*citizens, return_exceptions=True)
        still = [task.get_coro() for task in asyncio.all_tasks() - before
                 if task is not asyncio.current_task()]
        assert still == [], f"life {life}: tasks outlived the kiosk ({way})"
        if way == "restart":
            assert kiosk.runtime.exit_code == RESTART_EXIT_CODE
        await asyncio.gather(*citizens, return_exceptions=True)
        return [c.result() for c in citizens if not c.cancelled() and c.exception() is None]
    finally:
        restore_signals()
        kiosk.terminal.network.restore()


def _local_numbers_at(platform) -> list[str]:
    with platform.app.state.sessions() as session:
        return list(session.scalars(select(ApplicationRecord.local_number)
                                    .where(ApplicationRecord.terminal_id == TERMINAL.id)))
