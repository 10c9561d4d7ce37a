"""取号 with the platform's queue away: the kiosk numbers the ticket from its lease and the
person sees, and the slip says, that it was taken while the queue system was offline, with the
people ahead as an estimate and the window's calls deciding. Without a lease for today the
person is sent to the service desk, as for a hall's own queue system that is down."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC
from pathlib import Path

import pytest

from central.contract.queue import QueueGroup, hall_day
from flows.queue_ticket import OFFLINE_LINE, QUEUE_DOWN, REGULAR, QueueTicketStep, take_queue_ticket
from flows.steps import Choose, MessageStep
from kiosk.network_switch import NetworkSwitch
from kiosk.offline_queue import FOLLOW_BASE, OfflineQueue
from kiosk.platform_client import PlatformClient, TerminalCredentials
from kiosk.queue_service import PlatformQueueService
from offline_cache.offline_tickets import Lease, OfflineTickets
from tests.flows.kiosk_harness import NOW, Kiosk
from tests.flows.scripted_ui import ScriptedUi

TAKEN_AT = NOW.replace(tzinfo=UTC)
FOLLOW = "https://zwfw.example.gov.cn/queue/ticket/"
GROUPS = [QueueGroup(group_id="A", name="社保医保", window_area="一楼 A 区 1-4 号窗口",
                     waiting=3)]


@pytest.fixture
def kiosk(seed_catalog) -> Kiosk:
    return Kiosk(ScriptedUi([]), seed_catalog)


def platform_away(tmp_path: Path, leased: bool) -> tuple[PlatformQueueService, OfflineTickets]:
    """The demo queue's port with the network cut, after an earlier visit of the platform."""
    network = NetworkSwitch()
    network.cut()
    client = PlatformClient("http://127.0.0.1:9/api/v1", timeout_s=1.0, retries=0,
                            credentials=TerminalCredentials("KIOSK-TEST", "k" * 24),
                            network=network)
    store = OfflineTickets(tmp_path / "queue_tickets.sqlite3")
    offline = OfflineQueue(client, store, clock=lambda: TAKEN_AT)
    if leased:
        store.keep_leases([Lease(hall_day(TAKEN_AT), "A", False, 501, 550, "Lease0000001")])
    store.remember(FOLLOW_BASE, FOLLOW)
    offline.note_groups(GROUPS)
    return PlatformQueueService(client, offline), store


def test_an_offline_ticket_is_shown_and_printed_saying_so(kiosk, tmp_path) -> None:
    queue, store = platform_away(tmp_path, leased=True)
    kiosk.ui.script = [Choose("A"), Choose(REGULAR), Choose("done")]
    kiosk.run(lambda ctx: take_queue_ticket(replace(ctx, queue=queue)))
    (shown,) = kiosk.ui.of_type(QueueTicketStep)
    assert (shown.number, shown.offline, shown.people_ahead) == ("A501", True, 3)
    assert shown.printed and not shown.send_to_phone  # the platform that would send is away
    assert shown.follow_url.startswith(FOLLOW + "Lease0000001-")
    slip = kiosk.receipt_printer.last_text()
    for words in ("排队号 A501", OFFLINE_LINE, "约 3 人", "以窗口叫号为准", "一楼 A 区 1-4 号窗口"):
        assert words in slip
    assert "预计等候" not in slip  # no wait can be estimated here
    assert kiosk.receipt_printer.receipts[-1].qr.payload == shown.follow_url
    assert [(t.number, t.state) for t in store.tickets()] == [("A501", "pending")]


def test_without_a_lease_for_today_the_person_goes_to_the_service_desk(kiosk,
                                                                       tmp_path) -> None:
    queue, store = platform_away(tmp_path, leased=False)
    kiosk.ui.script = [Choose("home")]
    kiosk.run(lambda ctx: take_queue_ticket(replace(ctx, queue=queue)))
    assert kiosk.ui.of_type(MessageStep)[0].lines == (QUEUE_DOWN,)
    assert kiosk.ui.of_type(QueueTicketStep) == [] and store.tickets() == []
