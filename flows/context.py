"""What every flow is given: the screen, the catalog, the platform's services, the devices,
the session, and a counter for the manager's console. Built by the composition root
(`ui.app`), faked in tests."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from central.contract import Catalog
from common.appointment_service import AppointmentService
from common.citizen_services import CitizenServices
from common.convenience_service import ConvenienceService
from common.hall_map import HallMapSource
from common.phone_messages import PhoneMessages
from common.queue_service import QueueService
from devices.camera.document_camera import DocumentCamera
from devices.camera.face import FaceCamera
from devices.cards import CardReader
from devices.codes.scanners import CodeScanner
from devices.printer.a4 import A4Printer
from devices.printer.receipt_printer import ReceiptPrinter
from flows.ask import AskDesk
from flows.elder_home import ElderHome
from flows.steps import Ui
from kiosk.session import CitizenSession
from kiosk.telemetry import Activity


class CatalogStatus(Protocol):
    @property
    def online(self) -> bool: ...


class CatalogView(Protocol):
    """What the flow reads of the catalog; `kiosk.catalog_source.CatalogSource` provides it."""

    @property
    def catalog(self) -> Catalog | None: ...

    @property
    def status(self) -> CatalogStatus: ...


@dataclass
class FlowDevices:
    """The devices a flow may use, by their families' ports; None when the terminal has none."""

    id_reader: CardReader | None = None  # family "idcard"
    ss_reader: CardReader | None = None  # family "sscard"
    face_camera: FaceCamera | None = None
    document_camera: DocumentCamera | None = None
    code_scanner: CodeScanner | None = None  # family "qr_scanner"
    receipt_printer: ReceiptPrinter | None = None
    a4_printer: A4Printer | None = None

    @classmethod
    def from_families(cls, by_family: Mapping[str, object]) -> FlowDevices:
        # each family's device was built to its port (devices/registry.py: every driver's
        # factory returns the port, and the type checker holds the drivers to it)
        def port(family: str) -> Any:
            return by_family.get(family)

        return cls(
            id_reader=port("idcard"),
            ss_reader=port("sscard"),
            face_camera=port("face_camera"),
            document_camera=port("document_camera"),
            code_scanner=port("qr_scanner"),
            receipt_printer=port("receipt_printer"),
            a4_printer=port("a4_printer"),
        )


@dataclass
class FlowContext:
    ui: Ui
    catalog: CatalogView
    services: CitizenServices
    devices: FlowDevices
    session: CitizenSession
    # telemetry: "services", "prints", "ratings" (kiosk.telemetry.Telemetry.count)
    count: Callable[[Activity], None] = lambda what: None
    now: Callable[[], datetime] = field(default=datetime.now)
    ask: AskDesk | None = None  # search and voice questions (flows.ask); None: no search
    elder_home: ElderHome = field(default_factory=ElderHome)  # 长辈模式's home services
    queue: QueueService | None = None  # 取号 (flows.queue_ticket); None: no queue to ask
    hall_map: HallMapSource | None = None  # 大厅导航 (flows.directions); None: no map
    phone: PhoneMessages | None = None  # 发送到手机 (flows.send_to_phone); None: no SMS
    # 预约 and 签到 (flows.appointment); None: no platform to ask
    appointments: AppointmentService | None = None
    # 便民服务 (flows.convenience); None: no tiles
    convenience: ConvenienceService | None = None

    @property
    def elder_mode(self) -> bool:
        """长辈模式 is on: the flows leave out what the person need not decide."""
        return self.session.elder_mode
