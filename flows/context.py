"""What every flow is given: the screen, the catalog, the platform's services, the devices,
the session, and a counter for the manager's console. Built by the composition root
(`ui.app`), faked in tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flows.ask import AskDesk
from flows.browse import CatalogView
from flows.ports import CitizenServices
from flows.steps import Ui
from kiosk.session import CitizenSession


@dataclass
class FlowDevices:
    """The devices a flow may use, by their ports; None when the terminal has none."""

    id_reader: Any = None  # devices.cards.CardReader (family "idcard")
    ss_reader: Any = None  # devices.cards.CardReader (family "sscard")
    face_camera: Any = None  # devices.camera.face.FaceCamera
    document_camera: Any = None  # devices.camera.document_camera.DocumentCamera
    code_scanner: Any = None  # a scanner with `events` (devices.codes)
    receipt_printer: Any = None  # async print_receipt(Receipt) -> PrintResult
    a4_printer: Any = None  # async print_document(...) -> PrintResult
    speech: Any = None  # devices.speech.device.SpeechDevice

    @classmethod
    def from_families(cls, by_family: dict[str, Any]) -> FlowDevices:
        return cls(
            id_reader=by_family.get("idcard"),
            ss_reader=by_family.get("sscard"),
            face_camera=by_family.get("face_camera"),
            document_camera=by_family.get("document_camera"),
            code_scanner=by_family.get("qr_scanner"),
            receipt_printer=by_family.get("receipt_printer"),
            a4_printer=by_family.get("a4_printer"),
            speech=by_family.get("speech"),
        )


@dataclass
class FlowContext:
    ui: Ui
    catalog: CatalogView
    services: CitizenServices
    devices: FlowDevices
    session: CitizenSession
    # telemetry: "services", "prints", "ratings" (kiosk.telemetry.Telemetry.count)
    count: Callable[[str], None] = lambda what: None
    now: Callable[[], datetime] = field(default=datetime.now)
    ask: AskDesk | None = None  # search and voice questions (flows.ask); None: no search
