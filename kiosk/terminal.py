"""Composition root of the kiosk core: builds what a terminal runs from its settings.

No widgets here: the Qt shell (`ui.app`) and the command line (`main.py selftest`) both start
from a `Terminal`. The embedded platform, when configured, is started by `main.py`, because
the kiosk side knows the platform only through its URL and the API contract.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from common.appointment_service import AppointmentService
from common.citizen_services import CitizenServices
from common.convenience_service import ConvenienceService
from common.hall_map import HallMapSource
from common.phone_messages import PhoneMessages
from common.queue_service import QueueService
from devices.health import Health
from devices.registry import Devices, build_devices
from kiosk.appointment_service import PlatformAppointmentService
from kiosk.catalog_source import CatalogSource
from kiosk.citizen_services import PlatformCitizenServices, send_outbox_item
from kiosk.convenience_service import PlatformConvenienceService
from kiosk.hall_map_source import PlatformHallMap
from kiosk.knowledge.source import KnowledgeSource
from kiosk.network_switch import NetworkSwitch
from kiosk.novosga_queue import NovoSgaQueue
from kiosk.offline_queue import FAMILY as QUEUE_FAMILY
from kiosk.offline_queue import OfflineQueue
from kiosk.payments import Payments
from kiosk.phone_messages import PlatformPhoneMessages
from kiosk.platform_client import PlatformClient, TerminalCredentials
from kiosk.queue_service import PlatformQueueService
from kiosk.readiness import Readiness
from kiosk.settings import Settings
from kiosk.staff_events import StaffEventLog
from kiosk.telemetry import Telemetry, app_version
from kiosk.updates import DOWNLOAD_TIMEOUT_S, Updater
from offline_cache.catalog_snapshot import CatalogSnapshots
from offline_cache.convenience_store import ConvenienceCopies
from offline_cache.knowledge_snapshot import KnowledgeSnapshots
from offline_cache.offline_tickets import OfflineTickets
from offline_cache.outbox import Outbox
from offline_cache.outbox_sync import OutboxSync
from offline_cache.payment_journal import PaymentJournal
from offline_cache.sealed import Sealer, load_or_create_key


@dataclass
class Terminal:
    settings: Settings
    devices: Devices
    catalog: CatalogSource
    telemetry: Telemetry | None = None  # None: no heartbeats (UI tests without a platform)
    services: CitizenServices | None = None  # None: browsing only (UI tests without a platform)
    outbox_sync: OutboxSync | None = None  # delivers the outbox while the kiosk runs
    # settles the payments of held applications no flow is paying for (at start: a crash's)
    payments: Payments | None = None
    # what search and voice questions answer from; None: no search
    knowledge: KnowledgeSource | None = None
    # "cut the network" for the demo panel and tests: every platform client obeys it
    network: NetworkSwitch = field(default_factory=NetworkSwitch)
    # staff at the screen (the staff exit's PIN attempts), for the hall manager; None: not told
    staff_events: StaffEventLog | None = None
    # the self-test at start and the readiness report; None: neither (tests without devices)
    readiness: Readiness | None = None
    # remote update (kiosk.updates); None: not configured
    updates: Updater | None = None
    queue: QueueService | None = None  # 取号 (kiosk.queue_service); None: no platform
    # 取号 while the platform is away: leases kept, tickets reconciled (kiosk.offline_queue)
    offline_queue: OfflineQueue | None = None
    # 预约 and 签到 (kiosk.appointment_service); None: no platform
    appointments: AppointmentService | None = None
    hall_map: HallMapSource | None = None  # 大厅导航 (kiosk.hall_map_source); None: none
    phone: PhoneMessages | None = None  # 发送到手机 (kiosk.phone_messages); None: no SMS
    # 便民服务 (kiosk.convenience_service); None: no platform
    convenience: ConvenienceService | None = None

    @property
    def data_dir(self) -> Path:
        return self.settings.data_dir


def build_terminal(settings: Settings, platform_url: str) -> Terminal:
    data_dir = settings.data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    platform = settings.platform
    credentials = TerminalCredentials(settings.terminal.id, settings.terminal.key)
    network = NetworkSwitch()
    client = PlatformClient(platform_url, timeout_s=platform.timeout_s, retries=platform.retries,
                            credentials=credentials, network=network)
    snapshots = CatalogSnapshots(data_dir / "offline_cache.sqlite3")
    devices = build_devices(settings.devices)
    catalog = CatalogSource(client, snapshots)
    knowledge = KnowledgeSource(client, KnowledgeSnapshots(data_dir / "knowledge.sqlite3"),
                                catalog)
    # a client of its own: a slow catalog download must not hold up the heartbeats
    heartbeat_client = PlatformClient(platform_url, timeout_s=platform.timeout_s, retries=0,
                                      credentials=credentials, network=network)
    # and one for the citizens' requests and the outbox: neither waits behind the other two
    services_client = PlatformClient(platform_url, timeout_s=platform.timeout_s,
                                     retries=platform.retries, credentials=credentials,
                                     network=network)
    outbox = Outbox(data_dir / "outbox.sqlite3",
                    Sealer(load_or_create_key(settings.outbox_key_file)), settings.terminal.id)
    outbox_sync = OutboxSync(outbox, partial(send_outbox_item, services_client))
    # a client of its own: a person paying never waits behind an application being sent
    payments_client = PlatformClient(platform_url, timeout_s=platform.timeout_s,
                                     retries=platform.retries, credentials=credentials,
                                     network=network)
    payments = Payments(payments_client, PaymentJournal(data_dir / "payments.sqlite3"),
                        outbox_sync)
    # a client of its own, without retries of its own: the queue tries again later
    staff_client = PlatformClient(platform_url, timeout_s=platform.timeout_s, retries=0,
                                  credentials=credentials, network=network)
    staff_events = StaffEventLog(staff_client, data_dir, retry_s=platform.offline_retry_s)
    queue: QueueService
    offline_queue: OfflineQueue | None = None
    if settings.queue.driver == "novosga" and settings.queue.novosga is not None:
        # 取号 from the hall's own NovoSGA: its numbers only, never the platform's nor numbers
        # issued here (kiosk.novosga_queue)
        queue = NovoSgaQueue(settings.queue.novosga)
    else:
        # 取号 offline: a client of its own, without retries (the loop tries again later)
        offline_queue = OfflineQueue(
            PlatformClient(platform_url, timeout_s=platform.timeout_s, retries=0,
                           credentials=credentials, network=network),
            OfflineTickets(data_dir / "queue_tickets.sqlite3"))
        # a client of its own: a ticket is taken at once, never behind an upload or a payment
        queue = PlatformQueueService(PlatformClient(
            platform_url, timeout_s=platform.timeout_s, retries=platform.retries,
            credentials=credentials, network=network), offline_queue)

    # a client of its own: booking or 签到 never waits behind an upload or a payment
    appointments = PlatformAppointmentService(PlatformClient(
        platform_url, timeout_s=platform.timeout_s, retries=platform.retries,
        credentials=credentials, network=network))

    # 大厅导航 and 发送到手机: a client of their own, without retries (a person is waiting;
    # the map falls back to its copy, a message is retried by the person with the same key)
    small_client = PlatformClient(platform_url, timeout_s=platform.timeout_s, retries=0,
                                  credentials=credentials, network=network)
    hall_map = PlatformHallMap(small_client, data_dir / "hall_map")
    phone = PlatformPhoneMessages(small_client)
    # 便民服务: a client of its own, no retries (a lookup is never repeated; the tiles and
    # feeds fall back to the kiosk's copies at once)
    convenience = PlatformConvenienceService(
        PlatformClient(platform_url, timeout_s=platform.timeout_s, retries=0,
                       credentials=credentials, network=network),
        ConvenienceCopies(data_dir / "convenience.sqlite3"))

    def network_changed(cut: bool) -> None:
        if not cut:  # back: what waited for the platform goes now
            outbox_sync.wake()
            payments.wake()
            staff_events.wake()
            if offline_queue is not None:
                offline_queue.wake()

    network.on_change(network_changed)
    services = PlatformCitizenServices(services_client, outbox_sync, platform.submit_wait_s,
                                       payments)
    telemetry = Telemetry(
        heartbeat_client,
        platform.heartbeat_interval_s,
        lambda: _health_report(devices, offline_queue),
        network_online=lambda: catalog.status.online,
        catalog_version=lambda: catalog.catalog.version if catalog.catalog else None,
        # with the queue tickets given offline: writes the platform has yet to receive
        outbox_backlog=lambda: outbox_sync.backlog() + (
            offline_queue.backlog() if offline_queue is not None else 0),
    )
    devices.on_health_change(lambda _family, _health: telemetry.poke())
    # the heartbeats' client: its answers measure the clock offset the report carries
    readiness = Readiness(heartbeat_client, devices, settings.devices, data_dir)
    updates = _updater(settings, platform_url, credentials, network, telemetry)
    return Terminal(settings=settings, devices=devices, catalog=catalog, telemetry=telemetry,
                    hall_map=hall_map, phone=phone,
                    services=services, outbox_sync=outbox_sync, payments=payments,
                    network=network, knowledge=knowledge, staff_events=staff_events,
                    readiness=readiness, updates=updates, queue=queue,
                    offline_queue=offline_queue,
                    appointments=appointments, convenience=convenience)


def _health_report(devices: Devices, offline_queue: OfflineQueue | None) -> dict[str, Health]:
    """The devices' health, and the offline queue's when it has numbers the platform refused
    (their holders will never be called: the manager must know)."""
    report = devices.health_report()
    queue = offline_queue.health() if offline_queue is not None else None
    if queue is not None:
        report[QUEUE_FAMILY] = queue
    return report


def _updater(settings: Settings, platform_url: str, credentials: TerminalCredentials,
             network: NetworkSwitch, telemetry: Telemetry) -> Updater | None:
    config = settings.updates
    if config.root is None or config.public_key is None:
        return None
    # a client of its own: a bundle downloading holds up no other request
    client = PlatformClient(platform_url, timeout_s=DOWNLOAD_TIMEOUT_S,
                            retries=settings.platform.retries, credentials=credentials,
                            network=network)
    updates = Updater(client, config.root, settings.data_dir, config.public_key.read_bytes(),
                      app_version())
    telemetry.updates = updates
    return updates
