"""A kiosk for flow tests: the scripted person, the simulated devices, and a platform fake.

Devices are the real simulators of `devices/` (card readers, document camera, printers, code
scanner), steered from the script. Two stand-ins: the platform (`FakePlatform`, answers as the
contract says, and can be "down") and the face camera (`StillFaceCamera`, hands over a capture
at once, so the many identity paths do not each run seconds of OpenCV; one test runs the real
simulated face camera).
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import cv2
import numpy as np

from central.contract import (
    ApplicationAccepted,
    ApplicationProgress,
    ApplicationSubmission,
    Catalog,
    EvaluationSubmission,
    Holder,
    ProgressEvent,
    ResultDocument,
    Verification,
    VerificationRequest,
    parse_receipt_code,
    receipt_code,
)
from devices.camera.face import FaceCaptured, FaceCaptureFailed, FaceQuality
from devices.camera.simulated import SimulatedCodeScanner, SimulatedDocumentCamera
from devices.idcard.simulator import IdCardSimulator, sample_cards
from devices.printer.receipt import Receipt, layout, printed_text
from devices.printer.result import PrintResult
from devices.printer.simulated import SimulatedA4Printer, SimulatedReceiptPrinter
from devices.sscard.simulator import SsCardSimulator
from flows.context import FlowContext, FlowDevices
from flows.ports import Submitted
from kiosk.platform_client import PlatformError, PlatformErrorKind
from kiosk.session import CitizenSession
from tests.flows.scripted_ui import ScriptedUi

NOW = datetime(2026, 11, 23, 10, 0)
CARDS = sample_cards()


@dataclass
class Status:
    online: bool = True


@dataclass
class Source:
    catalog: Catalog | None
    status: Status = field(default_factory=Status)


def unreachable() -> PlatformError:
    return PlatformError(PlatformErrorKind.UNREACHABLE, "connection refused")


@dataclass
class FakePlatform:
    """The platform's citizen services as the contract describes them."""

    # answers to identity checks in turn; when empty, the person is verified
    verdicts: list[Verification | PlatformError] = field(default_factory=list)
    down: bool = False  # every call fails as unreachable; submissions are queued
    verification_requests: list[VerificationRequest] = field(default_factory=list)
    submissions: list[ApplicationSubmission] = field(default_factory=list)
    ratings: list[EvaluationSubmission] = field(default_factory=list)
    applications: dict[str, ApplicationProgress] = field(default_factory=dict)
    by_holder: dict[str, list[str]] = field(default_factory=dict)  # id number → numbers
    documents: dict[str, bytes] = field(default_factory=dict)
    _numbers: itertools.count = field(default_factory=lambda: itertools.count(1))

    async def verify_identity(self, request: VerificationRequest) -> Verification:
        self.verification_requests.append(request)
        await asyncio.sleep(0)
        if self.down:
            raise unreachable()
        verdict = self.verdicts.pop(0) if self.verdicts else None
        if isinstance(verdict, PlatformError):
            raise verdict
        if verdict is not None:
            return verdict
        holder = Holder(name=request.evidence.name or "王五",
                        id_number=request.evidence.id_number or "110101199003070011")
        return Verification(verified=True, level=5 if request.evidence.dedicated_reader else 4,
                            verification_id=f"v-{len(self.verification_requests)}",
                            elderly_relaxed_applied=request.elderly_relaxed, holder=holder)

    async def submit_application(self, submission: ApplicationSubmission) -> Submitted:
        self.submissions.append(submission)
        local = f"K01-{len(self.submissions):06d}"
        await asyncio.sleep(0)
        if self.down:
            return Submitted(local, None, "PLATFORM_UNREACHABLE")
        number = f"2026{submission.service_id[3:]}{next(self._numbers):06d}"
        accepted = ApplicationAccepted(
            acceptance_number=number, local_number=local, status="已受理", accepted_at=NOW,
            receipt_code=receipt_code(number, "sig" + number),
            next_steps="请留意短信通知，5 个工作日内到窗口领取。")
        self.applications[number] = ApplicationProgress(
            acceptance_number=number, service_id=submission.service_id, service_name="居住证申领",
            applicant_masked="张*", submitted_at=NOW, status="已受理",
            timeline=[ProgressEvent(status="已受理", at=NOW)])
        self.by_holder.setdefault(submission.applicant.id_number, []).append(number)
        return Submitted(local, accepted)

    async def rate(self, evaluation: EvaluationSubmission) -> None:
        self.ratings.append(evaluation)

    async def progress(self, acceptance_number: str) -> ApplicationProgress | None:
        self._check()
        return self.applications.get(acceptance_number)

    async def progress_by_receipt_code(self, code: str) -> ApplicationProgress | None:
        self._check()
        parsed = parse_receipt_code(code)
        if parsed is None or parsed[1] != "sig" + parsed[0]:
            return None  # not signed by us
        return self.applications.get(parsed[0])

    async def applications_of(self, verification_id: str) -> list[ApplicationProgress]:
        self._check()
        request = self.verification_requests[int(verification_id.split("-")[1]) - 1]
        numbers = self.by_holder.get(request.evidence.id_number, [])
        return [self.applications[n] for n in numbers]

    async def document(self, path: str) -> bytes:
        self._check()
        return self.documents[path]

    def local_status(self, local_number: str) -> ApplicationAccepted | None:
        return None

    def _check(self) -> None:
        if self.down:
            raise unreachable()

    def finished(self, number: str) -> None:
        """The application is done and its certificate can be printed."""
        app = self.applications[number]
        doc = ResultDocument(id="d1", name="居住证领取通知", path=f"/docs/{number}/d1")
        self.documents[doc.path] = b"%PDF-1.4\n1 0 obj<</Type/Pages/Count 1>>endobj\n%%EOF\n"
        self.applications[number] = app.model_copy(update={
            "status": "办结", "documents": [doc],
            "timeline": [*app.timeline,
                         ProgressEvent(status="在办", at=NOW + timedelta(days=1)),
                         ProgressEvent(status="办结", at=NOW + timedelta(days=3),
                                       note="请到窗口领取")]})


def face_capture(liveness: str = "blink") -> FaceCaptured:
    quality = FaceQuality((200, 120, 200, 200), 0.3, (0.0, -0.1), 60.0, 130.0, 40.0)
    ok, jpeg = cv2.imencode(".jpg", np.full((96, 80, 3), 150, np.uint8))
    assert ok
    return FaceCaptured(jpeg.tobytes(), quality, liveness)


@dataclass
class StillFaceCamera:
    """Hands over its outcomes in turn (a capture when it has none left)."""

    outcomes: list[FaceCaptured | FaceCaptureFailed] = field(default_factory=list)
    asked_liveness: list[bool] = field(default_factory=list)

    async def capture(self, *, liveness_required: bool, timeout_s: float = 30.0,
                      on_step=None) -> FaceCaptured | FaceCaptureFailed:
        self.asked_liveness.append(liveness_required)
        await asyncio.sleep(0)
        if self.outcomes:
            return self.outcomes.pop(0)
        return face_capture("blink" if liveness_required else "not_required")


class RecordingReceiptPrinter(SimulatedReceiptPrinter):
    """The simulated printer, also keeping the receipts it was given (to read their text)."""

    def __init__(self) -> None:
        super().__init__(seconds_per_block=0)
        self.receipts: list[Receipt] = []

    async def print_receipt(self, receipt: Receipt) -> PrintResult:
        self.receipts.append(receipt)
        return await super().print_receipt(receipt)

    def last_text(self) -> str:
        return "\n".join(printed_text(layout(self.receipts[-1], self.model.columns)))


@dataclass
class Kiosk:
    ui: ScriptedUi
    catalog: Catalog
    platform: FakePlatform = field(default_factory=FakePlatform)
    status: Status = field(default_factory=Status)
    id_reader: IdCardSimulator = field(default_factory=IdCardSimulator)
    ss_reader: SsCardSimulator = field(default_factory=SsCardSimulator)
    face_camera: object = field(default_factory=StillFaceCamera)
    document_camera: SimulatedDocumentCamera | None = None
    code_scanner: SimulatedCodeScanner = field(default_factory=SimulatedCodeScanner)
    receipt_printer: RecordingReceiptPrinter = field(default_factory=RecordingReceiptPrinter)
    a4_printer: SimulatedA4Printer = field(
        default_factory=lambda: SimulatedA4Printer(seconds_per_page=0))
    session: CitizenSession = field(default_factory=CitizenSession)
    counts: list[str] = field(default_factory=list)

    def context(self) -> FlowContext:
        devices = FlowDevices(
            id_reader=self.id_reader, ss_reader=self.ss_reader, face_camera=self.face_camera,
            document_camera=self.document_camera, code_scanner=self.code_scanner,
            receipt_printer=self.receipt_printer, a4_printer=self.a4_printer)
        return FlowContext(ui=self.ui, catalog=Source(self.catalog, self.status),
                           services=self.platform, devices=devices, session=self.session,
                           count=self.counts.append, now=lambda: NOW)

    def run(self, flow, *args, **kwargs):
        """Run `flow(ctx, *args)` on a fresh loop with the devices' events bound to it."""
        async def main():
            loop = asyncio.get_running_loop()
            for events in (self.id_reader.events, self.ss_reader.events,
                           self.code_scanner.events):
                events.bind(loop)
            try:
                return await flow(self.context(), *args, **kwargs)
            finally:
                if self.document_camera is not None:
                    self.document_camera.stop()

        return asyncio.run(main())

    def service(self, service_id: str):
        service = self.catalog.service(service_id)
        assert service is not None
        return service
