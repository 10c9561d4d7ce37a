"""Identity (人证核验, GB/T 40756 §9.8.5.2): who is at the kiosk, checked to the level the
service needs (GB/T 39047-2020 §5.2.3.2: 3 document, 4 + live face, 5 + a dedicated reader).

    evidence = a card on the reader, or a citizen QR code on the scanner
    face     = a live face from the face camera (aged 60+: captured, no blink asked)
    answer   = the platform's verification of the two
    person   = who they are, kept in the session (wiped with it)

Every failure offers to try again, to use another method, or a member of staff. When the
platform cannot be reached, a service that may be queued offline goes on with the evidence and
the face kept: the platform verifies them when the queued application arrives.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Awaitable
from dataclasses import dataclass, field
from enum import Enum
from typing import TypeVar

from central.contract import (
    FaceSample,
    Holder,
    IdentityEvidenceIn,
    Service,
    Verification,
    VerificationRequest,
    parse_receipt_code,
)
from common.citizen_services import ServiceUnavailable
from common.i18n import Text, tr
from common.tasks import first_done
from devices.camera.face import FaceCaptured, FaceCaptureFailed
from devices.cards import CardPresent, CardReader, CardReadFailed, CardRemoved, IdCardData
from devices.codes.payload import Code
from flows.context import FlowContext
from flows.messages import STAFF_DESK, call_staff
from flows.steps import (
    BusyStep,
    Choice,
    Choose,
    IdentityMethod,
    IdentityStep,
    LiveFaceStep,
    MessageStep,
    Nav,
    Progress,
)
from flows.waiting import ask_while
from kiosk.identity import IdentityEvidence, from_id_card, from_qr_code, from_ss_card
from kiosk.pii import mask_name

PERSON = "person"  # the session key the verified person is kept under

# the catalog's words for each method (GB/T 40756 §9.8.5.2 lists them this way)
_METHOD_WORDS: dict[IdentityMethod, tuple[str, ...]] = {
    "id_card": ("身份证",),
    "ss_card": ("社保卡+",),  # "社保卡+人脸比对"; "电子社保卡扫码" is a code
    "qr_code": ("扫码",),
}
STAFF = "staff"
D = TypeVar("D")
T = TypeVar("T")


@dataclass(frozen=True)
class Person:
    """Who is at the kiosk, as far as this session knows."""

    evidence: IdentityEvidence
    # the platform's answer; None while offline: the queued application carries the evidence
    verification: Verification | None
    face: FaceCaptured | None = field(repr=False)
    level: int
    masked_name: str

    @property
    def name(self) -> str:
        holder = self.verification.holder if self.verification else None
        return self.evidence.name or (holder.name if holder else "")

    @property
    def id_number(self) -> str:
        holder = self.verification.holder if self.verification else None
        return self.evidence.id_number or (holder.id_number if holder else "")

    @property
    def verification_id(self) -> str | None:
        return self.verification.verification_id if self.verification else None

    @property
    def from_card(self) -> bool:
        return self.evidence.source != "qr_code"

    def holder(self) -> Holder:
        return Holder(name=self.name, id_number=self.id_number)

    def prefill(self) -> dict[str, str]:
        """Form values the card (or the platform) already knows, by the catalog's field keys."""
        values = {"name": self.name, "id_no": self.id_number}
        evidence = self.evidence
        if evidence.address:
            values["address"] = evidence.address
        if evidence.sex:
            values["sex"] = evidence.sex
        if evidence.birth_date:
            values["birth_date"] = evidence.birth_date.isoformat()
        if evidence.nation:
            values["nation"] = evidence.nation
        return {key: value for key, value in values.items() if value}

    def evidence_in(self) -> IdentityEvidenceIn:
        return evidence_in(self.evidence)

    def face_sample(self) -> FaceSample | None:
        return face_sample(self.face)


class _Next(Enum):
    RETRY = "retry"
    OTHER_METHOD = "other"
    GIVE_UP = "give_up"


async def verify_identity(ctx: FlowContext, service: Service,
                          progress: Progress | None = None) -> Person | None:
    """The verified person, or None when they gave up, went home or were sent to staff."""
    methods = identity_methods(service, ctx)
    if not methods:
        await call_staff(ctx, tr("本机暂时无法读取证件。"))
        return None
    problem: Text | None = None
    while True:
        evidence = await _read_evidence(ctx, service, methods, problem, progress)
        if evidence is None:
            return None
        if isinstance(evidence, Text):
            problem = evidence
            continue
        problem = _document_problem(evidence)
        if problem is not None:
            continue
        outcome = await _face_and_verify(ctx, service, evidence, progress)
        if isinstance(outcome, Person):
            ctx.session.keep(PERSON, outcome)
            return outcome
        if outcome is _Next.GIVE_UP:
            return None
        problem = None  # another method: back to the identity screen


def identity_methods(service: Service, ctx: FlowContext) -> tuple[IdentityMethod, ...]:
    """The service's methods that this terminal has the device for (ID card when unsaid)."""
    devices = {"id_card": ctx.devices.id_reader, "ss_card": ctx.devices.ss_reader,
               "qr_code": ctx.devices.code_scanner}
    named: list[IdentityMethod] = [
        m for m, words in _METHOD_WORDS.items()
        if any(w in method for method in service.auth.methods for w in words)]
    return tuple(m for m in (named or ["id_card"]) if devices[m] is not None)


# -- the document ------------------------------------------------------------------------------

async def _read_evidence(ctx: FlowContext, service: Service, methods: tuple[IdentityMethod, ...],
                         problem: Text | None, progress: Progress | None,
                         ) -> IdentityEvidence | Text | None:
    """Evidence, a problem to show on the next attempt, or None (gave up)."""
    step = IdentityStep(service.name, methods, problem, progress)
    got = await ask_while(ctx.ui, step, *_waits(ctx, methods))
    while isinstance(got, Choose) and got.key in methods:
        # the person tapped the way they chose: every reader is listening already
        got = await ask_while(ctx.ui, step, *_waits(ctx, methods))
    if isinstance(got, Choose) and got.key == STAFF:
        await call_staff(ctx, tr("您选择了人工帮办。"), title=tr("呼叫工作人员"))
        return None
    if isinstance(got, Nav | Choose):
        return None
    if isinstance(got, CardReadFailed):
        return tr(got.message)
    if isinstance(got, CardPresent):
        card = got.card
        if isinstance(card, IdCardData):
            return from_id_card(card, ctx.now())
        return from_ss_card(card, ctx.now())
    # a scanned code: the step's other answers (Choose, the bottom bar) were handled above
    assert isinstance(got, Code)
    if got.truncated or parse_receipt_code(got.text) is not None:
        return tr("这不是身份二维码。请出示居民身份电子凭证或电子社保卡的二维码。")
    return from_qr_code(got.text, ctx.now())


def _waits(ctx: FlowContext, methods: tuple[IdentityMethod, ...],
           ) -> list[Awaitable[CardPresent | CardReadFailed | Code]]:
    waits: list[Awaitable[CardPresent | CardReadFailed | Code]] = []
    if "id_card" in methods:
        waits.append(_next_card(_offered(ctx.devices.id_reader)))
    if "ss_card" in methods:
        waits.append(_next_card(_offered(ctx.devices.ss_reader)))
    if "qr_code" in methods:
        waits.append(_offered(ctx.devices.code_scanner).events.next())
    return waits


def _offered(device: D | None) -> D:
    assert device is not None, "identity_methods offers only the methods with a device"
    return device


async def _next_card(reader: CardReader) -> CardPresent | CardReadFailed:
    while True:
        event = await reader.events.next()
        if not isinstance(event, CardRemoved):  # a card taken away asks nothing of us
            return event


def _document_problem(evidence: IdentityEvidence) -> Text | None:
    if not evidence.resolved:
        return None  # a code: the platform checks it
    if evidence.expired():
        return tr("证件已过期，请使用有效证件，或改用其他方式。")
    if not evidence.id_number_check().valid:
        return tr("证件信息无法识别，请改用其他方式或联系工作人员。")
    return None


# -- the face and the platform -------------------------------------------------------------------

async def _face_and_verify(ctx: FlowContext, service: Service, evidence: IdentityEvidence,
                           progress: Progress | None) -> Person | _Next:
    auth = service.auth
    # 60+ on a service that allows it: the face is captured, no blink asked, not blocking
    relaxed = auth.elderly_relaxed and evidence.is_elderly()
    masked = mask_name(evidence.name) if evidence.name else ""
    face_problem: Text | None = None
    while True:
        face = await _capture_face(ctx, masked, relaxed, face_problem, progress)
        if face is _Next.RETRY:
            face_problem = None
            continue
        if isinstance(face, _Next):
            return face
        if isinstance(face, FaceCaptureFailed):
            face_problem = tr(face.message)
            continue
        face_problem = None
        outcome = await _ask_platform(ctx, service, evidence, face, relaxed)
        if outcome is not _Next.RETRY:
            return outcome


async def _capture_face(ctx: FlowContext, masked_name: str, relaxed: bool,
                        problem: Text | None, progress: Progress | None,
                        ) -> FaceCaptured | FaceCaptureFailed | _Next:
    camera = ctx.devices.face_camera
    if camera is None:
        await call_staff(ctx, tr("本机人脸摄像头暂时无法使用。"))
        return _Next.GIVE_UP
    step = LiveFaceStep(masked_name, relaxed, problem, progress)
    got = await ask_while(ctx.ui, step, camera.capture(liveness_required=not relaxed))
    if isinstance(got, FaceCaptured | FaceCaptureFailed):
        if isinstance(got, FaceCaptureFailed) and problem is not None:
            # the second failure in a row: let them choose rather than loop on the camera
            return await _after_failure(ctx, tr(got.message))
        return got
    if isinstance(got, Choose) and got.key == STAFF:
        await call_staff(ctx, tr("您选择了人工帮办。"), title=tr("呼叫工作人员"))
        return _Next.GIVE_UP
    return _Next.OTHER_METHOD if got == Nav.BACK else _Next.GIVE_UP


async def _ask_platform(ctx: FlowContext, service: Service, evidence: IdentityEvidence,
                        face: FaceCaptured, relaxed: bool) -> Person | _Next:
    request = VerificationRequest(
        evidence=evidence_in(evidence), face=face_sample(face),
        elderly_relaxed=service.auth.elderly_relaxed,
        required_level=service.auth.identity_level)
    try:
        got = await ask_while(ctx.ui, BusyStep(tr("正在核验身份，请稍候…")),
                              ctx.services.verify_identity(request))
    except ServiceUnavailable as error:
        return await _platform_unreachable(ctx, service, evidence, face, error)
    if isinstance(got, Nav):
        return _Next.OTHER_METHOD if got == Nav.BACK else _Next.GIVE_UP
    assert isinstance(got, Verification)
    if got.verified:
        name = evidence.name or (got.holder.name if got.holder else "")
        return Person(evidence, got, face, got.level, mask_name(name))
    return await _after_failure(ctx, _FAILURES.get(got.failure or "", _FAILED))


_FAILED = tr("身份核验未通过。")
_FAILURES: dict[str, Text] = {
    "FACE_MISMATCH": tr("人脸与证件不一致。请摘下帽子、眼镜，正对摄像头重试。"),
    "FACE_QUALITY": tr("人脸照片不够清晰。请正对摄像头、保持不动后重试。"),
    "DOCUMENT_INVALID": tr("证件无法核验，请改用其他方式或联系工作人员。"),
    "DOCUMENT_EXPIRED": tr("证件已过期，请使用有效证件，或改用其他方式。"),
    "CODE_UNKNOWN": tr("二维码无效或已过期，请刷新二维码后重试，或改用其他方式。"),
}


async def _platform_unreachable(ctx: FlowContext, service: Service, evidence: IdentityEvidence,
                                face: FaceCaptured, error: ServiceUnavailable) -> Person | _Next:
    if not error.transient:
        await call_staff(ctx, tr(error.user_message))
        return _Next.GIVE_UP
    if service.offline_behavior != "offline_queue_submit":
        await call_staff(ctx, tr("网络中断，本事项需要联网核验身份，暂不能在本机办理。"))
        return _Next.GIVE_UP
    if not evidence.resolved:
        return await _after_failure(
            ctx, tr("网络中断，二维码暂时无法核验。请改用身份证或社保卡。"), retry=False)
    # verified by the platform when the queued application arrives (ApplicationSubmission)
    return Person(evidence, None, face, evidence.supported_level(live_face=True),
                  mask_name(evidence.name))


async def _after_failure(ctx: FlowContext, problem: Text, *, retry: bool = True) -> _Next:
    choices = (
        *((Choice(_Next.RETRY.value, tr("重试"), primary=True),) if retry else ()),
        Choice(_Next.OTHER_METHOD.value, tr("换一种方式"), primary=not retry),
        Choice(STAFF, tr("呼叫工作人员")),
    )
    got = await ctx.ui.ask(MessageStep(tr("身份核验未通过"), (problem,), choices, tone="error"))
    if isinstance(got, Choose) and got.key == STAFF:
        await ctx.ui.ask(MessageStep(tr("呼叫工作人员"), (STAFF_DESK,),
                                     (Choice("home", tr("返回首页"), primary=True),)))
        return _Next.GIVE_UP
    if isinstance(got, Choose):
        return _Next(got.key)
    return _Next.OTHER_METHOD if got == Nav.BACK else _Next.GIVE_UP


# -- what the platform is sent ------------------------------------------------------------------

def evidence_in(evidence: IdentityEvidence) -> IdentityEvidenceIn:
    return IdentityEvidenceIn(
        kind=evidence.source.value,
        name=evidence.name,
        id_number=evidence.id_number,
        valid_to=evidence.valid_to,
        dedicated_reader=evidence.dedicated_reader,
        document_photo_b64=base64.b64encode(evidence.photo_wlt).decode("ascii"),
        code=evidence.code or None,
    )


def face_sample(face: FaceCaptured | None) -> FaceSample | None:
    if face is None:
        return None
    return FaceSample(
        jpeg_b64=base64.b64encode(face.jpeg).decode("ascii"),
        # the capture's score runs 0-2 (sharpness + centring + light); the contract wants 0-1
        quality=max(0.0, min(1.0, face.quality.score / 2)),
        liveness_passed=face.liveness == "blink",
    )


# -- the card stays on the reader while the person fills in ------------------------------------

class CardTaken(Exception):
    """The card the person was identified with left the reader: their session is over."""


async def while_card_stays(ctx: FlowContext, person: Person, work: Awaitable[T]) -> T:
    """Run `work` (a coroutine) unless the person's card leaves the reader first: then
    `work` is cancelled (its `finally` blocks run) and `CardTaken` is raised."""
    reader = {"id_card": ctx.devices.id_reader, "ss_card": ctx.devices.ss_reader}.get(
        person.evidence.source.value)
    if reader is None:
        return await work
    task = asyncio.ensure_future(work)
    if await first_done(task, _card_removed(reader)) is task:
        return task.result()
    raise CardTaken


async def _card_removed(reader: CardReader) -> None:
    while not isinstance(await reader.events.next(), CardRemoved):
        pass
