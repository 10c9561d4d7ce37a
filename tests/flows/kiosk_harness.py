"""A kiosk for flow tests: the scripted person, the simulated devices, and a platform fake.

The fake takes payments as `central.contract.payments` describes them: a pay code's fate is
scripted (`FakePlatform.pay_codes`: the answer to the hand-over, then to each wait), so is a
shown QR code's (`qr_script`); every call is recorded in `payment_calls` and every charge in
`charges`, so a test sees what the platform was asked and that nothing was paid twice.

Devices are the real simulators of `devices/` (card readers, document camera, printers, code
scanner), steered from the script. Two stand-ins: the platform (`FakePlatform`, answers as the
contract says, and can be "down") and the face camera (`StillFaceCamera`, hands over a capture
at once, so the many identity paths do not each run seconds of OpenCV; one test runs the real
simulated face camera).
"""

from __future__ import annotations

import asyncio
import itertools
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import cv2
import numpy as np

from central.contract import (
    PAYMENT_ORDER_ID_PATTERN,
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
from central.contract.payments import (
    PaymentChannel,
    PaymentFailure,
    PaymentOrder,
    PaymentOrderRequest,
    PaymentQr,
    PaymentState,
)
from common.citizen_services import Submitted
from devices.camera.face import FaceCaptured, FaceCaptureFailed, FaceQuality
from devices.camera.simulated import SimulatedCodeScanner, SimulatedDocumentCamera
from devices.idcard.simulator import IdCardSimulator, sample_cards
from devices.printer.receipt import Receipt, layout, printed_text
from devices.printer.result import PrintResult
from devices.printer.simulated import SimulatedA4Printer, SimulatedReceiptPrinter
from devices.sscard.simulator import SsCardSimulator
from flows.context import FlowContext, FlowDevices
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


@dataclass(frozen=True)
class Fate:
    """One state an order moves to (and why, when it was not paid)."""

    state: PaymentState
    failure: PaymentFailure | None = None


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
    # -- payments --
    # a pay code → what becomes of it: the hand-over's answer, then each wait's, e.g.
    # [Fate("paying"), Fate("paid")]; a code not scripted is paid at once
    pay_codes: dict[str, list[Fate]] = field(default_factory=dict)
    qr_script: list[Fate] = field(default_factory=list)  # a shown QR code: each wait's answer
    # calls that fail as unreachable, by name ("create", "pay_code", "wait", "cancel", "qr");
    # `lost_pay_code`: the hand-over reaches the platform, its answer is lost
    failing: set[str] = field(default_factory=set)
    lost_pay_code: bool = False
    cancel_leaves_paying: bool = False  # a cancel of a paying order: reversed at the next wait
    payment_calls: list[tuple[str, ...]] = field(default_factory=list)
    orders: dict[str, PaymentOrder] = field(default_factory=dict)
    charges: list[str] = field(default_factory=list)  # order ids, once per charge
    held: dict[str, ApplicationSubmission] = field(default_factory=dict)
    hold_gate: asyncio.Event | None = None  # a commit that waits for it (set by the test)
    released: list[tuple[str, str | None]] = field(default_factory=list)
    left: list[tuple[str, str | None]] = field(default_factory=list)
    _keys: dict[str, str] = field(default_factory=dict)  # Idempotency-Key → order id
    _fates: dict[str, list[Fate]] = field(default_factory=dict)  # order id → what comes next

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

    # -- payments (the port's methods) -------------------------------------------------------

    async def hold_application(self, submission: ApplicationSubmission) -> str:
        await asyncio.sleep(0)
        if self.hold_gate is not None:
            await self.hold_gate.wait()
        local = f"K01-H{len(self.held) + 1:05d}"
        self.held[local] = submission
        return local

    async def release_application(self, local_number: str,
                                  payment_order_id: str | None) -> Submitted:
        self.released.append((local_number, payment_order_id))
        submission = self.held.pop(local_number).model_copy(
            update={"payment_order_id": payment_order_id})
        submitted = await self.submit_application(submission)
        return Submitted(local_number, submitted.accepted, submitted.queued_because)

    def leave_application(self, local_number: str, *, cancel_order_id: str | None) -> None:
        self.left.append((local_number, cancel_order_id))

    async def create_payment(self, request: PaymentOrderRequest,
                             idempotency_key: str) -> PaymentOrder:
        self.payment_calls.append(("create", idempotency_key, request.local_number))
        self._payment_check("create")
        if idempotency_key in self._keys:
            return self.orders[self._keys[idempotency_key]]
        order_id = f"PO2026112300{len(self.orders) + 1:04d}"
        assert re.fullmatch(PAYMENT_ORDER_ID_PATTERN, order_id)
        amount = {"SS-018": 1500, "SS-022": 1000}.get(request.service_id, 2000)
        item = {"SS-018": "港澳通行证再次签注费", "SS-022": "驾驶证工本费"}.get(
            request.service_id, "行政事业性收费")
        order = PaymentOrder(order_id=order_id, service_id=request.service_id, item=item,
                             amount_fen=amount, state="unpaid",
                             notice_code=f"1100{len(self.orders) + 1:014d}",
                             reference=f"JF{order_id[2:]}")
        self._keys[idempotency_key] = order_id
        self.orders[order_id] = order
        return order

    async def pay_with_code(self, order_id: str, auth_code: str) -> PaymentOrder:
        self.payment_calls.append(("pay_code", order_id, auth_code))
        self._payment_check("pay_code")
        fates = list(self.pay_codes.get(auth_code, [Fate("paid")]))
        first, self._fates[order_id] = fates[0], fates[1:]
        order = self._become(order_id, first, channel="wechat")
        if self.lost_pay_code:
            raise unreachable()
        return order

    async def payment_qr(self, order_id: str, channel: PaymentChannel) -> PaymentQr:
        self.payment_calls.append(("qr", order_id, channel))
        self._payment_check("qr")
        self._fates[order_id] = list(self.qr_script)
        order = self.orders[order_id].model_copy(update={"channel": channel})
        self.orders[order_id] = order
        return PaymentQr(order=order, qr_content=f"weixin://wxpay/bizpayurl?pr={order_id}",
                         expires_at=NOW + timedelta(minutes=5))

    async def wait_for_payment(self, order_id: str, state: PaymentState,
                               wait_s: float) -> PaymentOrder:
        self.payment_calls.append(("wait", order_id, state))
        await asyncio.sleep(0)
        self._payment_check("wait")
        order = self.orders[order_id]
        if order.state == state and self._fates.get(order_id):
            order = self._become(order_id, self._fates[order_id].pop(0))
        return order

    async def cancel_payment(self, order_id: str) -> PaymentOrder:
        self.payment_calls.append(("cancel", order_id))
        self._payment_check("cancel")
        order = self.orders[order_id]
        if order.state == "paying" and self.cancel_leaves_paying:
            self._fates[order_id] = [Fate("closed")]
            return order
        if order.state in ("unpaid", "paying"):
            return self._become(order_id, Fate("closed"))
        return order

    def _payment_check(self, call: str) -> None:
        if self.down or call in self.failing:
            raise unreachable()

    def _become(self, order_id: str, fate: Fate, channel: PaymentChannel | None = None
                ) -> PaymentOrder:
        order = self.orders[order_id]
        update: dict[str, object] = {"state": fate.state, "failure": fate.failure}
        if channel is not None:
            update["channel"] = channel
        if fate.state == "paid":
            assert order.state != "paid", "charged twice"
            self.charges.append(order_id)
            update.update(transaction_masked="4200****1234", paid_at=NOW,
                          e_receipt_number="11010126000012345678",
                          e_receipt_url=f"https://pjcy.example.gov.cn/check/{order_id}")
        order = order.model_copy(update=update)
        self.orders[order_id] = order
        return order

    def asked(self, call: str) -> list[tuple[str, ...]]:
        return [c for c in self.payment_calls if c[0] == call]

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
