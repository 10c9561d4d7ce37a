"""End to end: 取号 while the platform is away, on the Qt kiosk (offscreen, simulated devices)
against the real platform on loopback. The kiosk has its leases from the start; the network is
cut; home → 取号 → 社保医保 → 普通取号 → a ticket numbered at the kiosk (A501), shown and printed
saying it was taken offline; its QR page says "not yet received"; the network comes back, the
ticket reaches the platform's queue behind the one taken before, and its page shows it."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import pytest
import requests

from central.contract.queue import hall_day
from flows.queue_ticket import OFFLINE_LINE, QueueTicketStep
from tests.ui.conftest import buttons, texts, until, while_running
from tests.ui.e2e import DEVICE_S, kiosk_at, on, tapped
from ui.screens.home import HomeScreen
from ui.screens.queue_ticket import QueueChoiceScreen, QueueTicketScreen


@pytest.fixture
def kiosk(qapp, qtbot, platform, tmp_path):
    kiosk = kiosk_at(qapp, qtbot, platform, tmp_path / "kiosk")
    yield kiosk
    qapp.removeEventFilter(kiosk.activity)


def tile_of(screen: QueueChoiceScreen, words: str):
    (found,) = [t for t in screen.tiles if t.accessibleName().startswith(words)]
    return found


def page(url: str) -> requests.Response:
    return requests.get(url, timeout=10)


def test_a_ticket_taken_offline_joins_the_queue_when_the_platform_is_back(loop, kiosk,
                                                                          qtbot) -> None:
    window, terminal = kiosk.window, kiosk.terminal
    printer = terminal.devices.by_family["receipt_printer"]
    queue, offline = terminal.queue, terminal.offline_queue
    assert queue is not None and offline is not None

    async def scenario():
        before = await queue.take_ticket("A", None, uuid.uuid4().hex)  # A001, online
        today = hall_day(datetime.now(UTC))
        await until(lambda: offline.store.leases(today), 30)  # the runtime's first pass
        await until(lambda: on(kiosk, HomeScreen) and kiosk.shell.step.tiles, 30)
        await asyncio.to_thread(offline.refresh)  # the groups as they are now: A001 waiting
        terminal.network.cut()

        await tapped(qtbot, window.current_screen.queue_button)
        await until(lambda: on(kiosk, QueueChoiceScreen), DEVICE_S)
        await tapped(qtbot, tile_of(window.current_screen, "社保医保"))
        await until(lambda: on(kiosk, QueueChoiceScreen)
                    and "是否需要优先办理" in texts(window.current_screen))
        await tapped(qtbot, tile_of(window.current_screen, "不需要"))
        await until(lambda: on(kiosk, QueueTicketScreen), DEVICE_S)
        shown = texts(window.current_screen)
        assert "A501" in shown and "排队系统暂时离线" in shown and "以窗口叫号为准" in shown
        assert "约 1 人" in shown
        slip = printer.previews[-1].text
        assert "排队号 A501" in slip and OFFLINE_LINE in slip
        step = kiosk.shell.step
        assert isinstance(step, QueueTicketStep)
        waiting_page = await asyncio.to_thread(page, step.follow_url)
        assert "尚未收到" in waiting_page.text
        await tapped(qtbot, buttons(window.current_screen)["完成"])
        await until(lambda: on(kiosk, HomeScreen))

        terminal.network.restore()  # wakes the offline queue: the ticket goes now
        await until(lambda: offline.backlog() == 0, 30)
        arrived_page = await asyncio.to_thread(page, step.follow_url)
        assert arrived_page.status_code == 200
        assert "A501" in arrived_page.text and "等候中" in arrived_page.text
        token = step.follow_url.rsplit("/", 1)[1]
        arrived = await queue.ticket(token)
        assert arrived is not None and arrived.issued_offline
        assert arrived.people_ahead == 1  # behind A001, taken before it
        assert (await queue.ticket(before.token)) is not None

    while_running(loop, kiosk, scenario)
