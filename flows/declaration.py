"""自助申报 (GB/T 40756 §9.8.5.4): a person applies for a service at the kiosk and leaves with a
receipt.

    guide     → may it be done now? (an online-only service while offline: said before anything)
    identity  → the person, checked to the service's level
    情形       → the questions that decide the materials (flows.situations)
    consent   → shared data, the live face and the scanned pages, each asked separately
    form      → prefilled from the card, shared fields locked, checked
    materials → scanned page by page on the document camera, 容缺 ones may wait
    signature → review → submit (online, or queued: 待受理)
    receipt   → printed and on screen → evaluation → "take your card"

From the identity to the review the person's card stays on the reader: taking it away ends the
visit and wipes what was entered. Once submitted, the application is safe in the outbox and
nothing the person does can lose it; a printer out of paper is told, the number stays on screen.
"""

from __future__ import annotations

import asyncio
import base64
from dataclasses import dataclass, field

import cv2

from central.contract import (
    ApplicationAccepted,
    ApplicationSubmission,
    Consent,
    Material,
    ScannedMaterial,
    Service,
)
from devices.camera.document import encode_jpeg
from devices.camera.document_camera import ScanFailed, ScannedPage
from devices.printer.receipt import QrCode, Receipt, Row
from flows.context import FlowContext
from flows.evaluation import ask_evaluation
from flows.form import Value, field_views, masked, submitted_form, validate
from flows.identity import PERSON, CardTaken, Person, verify_identity, while_card_stays
from flows.messages import STAFF_DESK, TO_HOME, remind_to_take_card
from flows.ports import Submitted
from flows.situations import field_value, situations_of
from flows.steps import (
    SCAN_DONE,
    SCAN_RETAKE,
    SCAN_SKIP,
    SUBMIT,
    BusyStep,
    Consented,
    ConsentItem,
    ConsentStep,
    FormFilled,
    FormStep,
    MessageStep,
    Nav,
    Progress,
    ReceiptStep,
    ReviewRow,
    ReviewStep,
    ScanStep,
    SignatureStep,
    Signed,
    SituationStep,
)
from flows.waiting import ask_while, wait_uninterrupted
from kiosk.i18n import Text, tr

# what home says after the visit ended early
CARD_TAKEN = tr("证件已取走，本次办理已结束，您填写的信息已清除。")
TAKE_YOUR_CARD = tr("请取走您的证件。")
PENDING = "待受理 · 网络恢复后自动提交"
# how close (pixels) a page must lie to the last one to be that page still lying there
SAME_PLACE_PX = 6.0
DRAFT = "application"  # the session key of what the person has entered so far
THUMBNAIL_PX = 360  # the long side of a page as the scan screen shows it


@dataclass(frozen=True)
class _Page:
    jpeg: bytes = field(repr=False)  # what the platform gets
    thumbnail: bytes = field(repr=False)  # what the scan screen shows


def _page(scanned: ScannedPage) -> _Page:
    height, width = scanned.image.shape[:2]
    scale = THUMBNAIL_PX / max(height, width)
    small = cv2.resize(scanned.image, (round(width * scale), round(height * scale)),
                       interpolation=cv2.INTER_AREA)
    return _Page(scanned.jpeg(), encode_jpeg(small, 80))


@dataclass
class _Draft:
    """What the person has entered so far; lives only as long as the flow."""

    service: Service
    person: Person
    situations: dict[str, str] = field(default_factory=dict)
    locked: set[str] = field(default_factory=set)
    values: dict[str, Value] = field(default_factory=dict)
    consent: Consent | None = None
    pages: dict[str, list[_Page]] = field(default_factory=dict, repr=False)
    missing: set[str] = field(default_factory=set)  # 容缺: brought later
    signature: bytes = field(default=b"", repr=False)
    # where the last page captured lay: still lying there, it is not the next page
    last_page_place: object = None


async def declare(ctx: FlowContext, service: Service) -> Text | None:
    """Runs the whole application; returns what home should remind the person of."""
    if not await _may_start(ctx, service):
        return None
    person = await verify_identity(ctx, service, Progress(1, _steps(service)))
    if person is None:
        return TAKE_YOUR_CARD  # a card may still lie on the reader
    try:
        try:
            draft = await while_card_stays(ctx, person, _prepare(ctx, service, person))
        except CardTaken:
            return CARD_TAKEN
        if draft is None:
            return TAKE_YOUR_CARD if person.from_card else None
        submitted = await _submit(ctx, draft)
        receipt = await _receipt(ctx, draft, submitted)
        if await ctx.ui.ask(receipt) != Nav.HOME:
            accepted = submitted.accepted
            await ask_evaluation(ctx, service,
                                 acceptance_number=accepted.acceptance_number if accepted else None,
                                 local_number=None if accepted else submitted.local_number)
        await remind_to_take_card(ctx)
        return None
    finally:
        ctx.session.forget(PERSON)
        ctx.session.forget(DRAFT)


async def _may_start(ctx: FlowContext, service: Service) -> bool:
    """An online-only service while offline is refused before the person starts."""
    if ctx.catalog.status.online or service.offline_behavior in (
            "offline_queue_submit", "offline_full"):
        return True
    await ctx.ui.ask(MessageStep(
        tr("网络中断，暂不能办理"),
        (tr("“{name}”需要联网办理，本机网络暂时中断。", name=service.name), STAFF_DESK),
        (TO_HOME,), tone="warning"))
    return False


def _steps(service: Service) -> int:
    """Identity and the stages after it: "第 2 步，共 7 步" on each screen."""
    return 1 + len(_stages(service))


def _stages(service: Service) -> list:
    """The stages this service has, in order: 情形, consent, form, materials, signature, review."""
    return [stage for stage, present in (
        (_ask_situations, bool(situations_of(service))),
        (_ask_consent, True),
        (_fill_form, bool(service.form_fields)),
        (_scan_materials, bool(_materials_to_scan(service))),
        (_sign, True),
        (_review, True),
    ) if present]


# -- before submitting: the card stays on the reader ---------------------------------------------

async def _prepare(ctx: FlowContext, service: Service, person: Person) -> _Draft | None:
    """The stages in order; 返回 goes one stage back, 首页 gives up (None)."""
    draft = _Draft(service, person)
    ctx.session.keep(DRAFT, draft)  # personal data lives in the session, wiped with it
    stages = _stages(service)
    total = _steps(service)
    index = 0
    while index < len(stages):
        got = await stages[index](ctx, draft, Progress(index + 2, total))
        if got is Nav.HOME:
            return None
        if got is Nav.BACK:
            if index == 0:
                return None  # back from the first stage: the person changed their mind
            index -= 1
        else:
            index += 1
    return draft


async def _ask_situations(ctx: FlowContext, draft: _Draft, progress: Progress) -> Nav | None:
    situations = situations_of(draft.service)
    index = 0
    while index < len(situations):
        situation = situations[index]
        got = await ctx.ui.ask(SituationStep(
            draft.service.name, situation.question,
            tuple(o.answer for o in situation.options), progress))
        if isinstance(got, Nav):
            if got is Nav.HOME or index == 0:
                return got
            index -= 1
            continue
        answer = getattr(got, "key", None)
        if answer not in [o.answer for o in situation.options]:
            continue
        draft.situations[situation.key] = answer
        if (value := field_value(situation, answer, draft.service)) is not None:
            assert situation.field is not None
            draft.values[situation.field] = value
            draft.locked.add(situation.field)
        index += 1
    return None


async def _ask_consent(ctx: FlowContext, draft: _Draft, progress: Progress) -> Nav | None:
    service, person = draft.service, draft.person
    shared = [m.name for m in service.materials if m.shared]
    to_scan = _materials_to_scan(service, draft.situations)
    items = []
    if shared or any(f.shared_from for f in service.form_fields):
        depts = "、".join(dict.fromkeys(m.share_dept for m in service.materials
                                        if m.shared and m.share_dept)) or tr("有关部门")
        items.append(ConsentItem("shared_data", tr("由{depts}共享您的信息：{what}", depts=depts,
                                                   what="、".join(shared) or tr("基本信息")),
                                 tr("用于审核本事项，您无需再提交这些材料")))
    if person.face is not None:
        items.append(ConsentItem("face", tr("现场采集的人脸照片"),
                                 tr("与申请一并保存，用于核实是您本人申请")))
    if to_scan:
        items.append(ConsentItem("materials", tr("您拍摄的材料：{what}",
                                                 what="、".join(label for _m, label in to_scan)),
                                 tr("提交给{dept}审核本事项", dept=service.department)))
    got = await ctx.ui.ask(ConsentStep(service.name, tuple(items), progress))
    if isinstance(got, Nav):
        return got
    granted = got.granted if isinstance(got, Consented) else frozenset()
    asked = {item.key for item in items}
    refused = _refused_but_needed(service, draft, asked - granted)
    if refused is not None:
        await ctx.ui.ask(MessageStep(tr("无法在本机继续办理"), (refused, STAFF_DESK), (TO_HOME,),
                                     tone="warning", progress=progress))
        return Nav.HOME
    draft.consent = Consent(shared_data="shared_data" in granted, face="face" in granted,
                            materials="materials" in granted, given_at=ctx.now())
    return None


def _refused_but_needed(service: Service, draft: _Draft, refused: set[str]) -> Text | None:
    """GB/T 35273: each is asked separately; refusing one the service cannot do without ends
    here, with the counter as the way on."""
    if "face" in refused and service.auth.identity_level >= 4:
        return tr("本事项需要保存现场人脸照片以核实是您本人申请。您可以到人工窗口办理。")
    if "materials" in refused and any(
            m.required and not m.tolerance_missing
            for m, _label in _materials_to_scan(service, draft.situations)):
        return tr("本事项需要提交您拍摄的材料。您可以带上原件到人工窗口办理。")
    if "shared_data" in refused and any(m.shared and m.required for m in service.materials):
        return tr("不共享信息时，需要您提交纸质证明材料。请到人工窗口办理。")
    return None


async def _fill_form(ctx: FlowContext, draft: _Draft, progress: Progress) -> Nav | None:
    service = draft.service
    if not service.form_fields:
        return None
    keys = {f.key for f in service.form_fields}
    prefill = {k: v for k, v in draft.person.prefill().items() if k in keys}
    values: dict[str, Value] = {**prefill, **draft.values}
    locked = frozenset(draft.locked)
    editable = {f.key for f in service.form_fields if f.editable and f.key not in locked}
    errors: dict[str, Text] = {}
    while True:
        got = await ctx.ui.ask(FormStep(service.name, field_views(service, values, locked, errors),
                                        progress))
        if isinstance(got, Nav):
            draft.values = {k: v for k, v in values.items() if k in editable or k in locked}
            return got
        if not isinstance(got, FormFilled):
            continue
        values.update({k: v for k, v in got.values.items() if k in editable})
        errors = validate(service, values, locked, ctx.now().date())
        if not errors:
            draft.values = values
            return None


def _materials_to_scan(service: Service, situations: dict[str, str] | None = None,
                       ) -> list[tuple[Material, str]]:
    """(material, what the screen calls it): what the person brings, not what is shared; a
    choice material by the answer given (SS-015: 合法稳定就业证明)."""
    chosen = {m: answer for s in situations_of(service) for o in s.options
              for m in o.materials if (answer := (situations or {}).get(s.key)) == o.answer}
    return [(m, chosen.get(m.name, m.name)) for m in service.materials if not m.shared]


async def _scan_materials(ctx: FlowContext, draft: _Draft, progress: Progress) -> Nav | None:
    if draft.consent is None or not draft.consent.materials:
        return None  # refused, and nothing needed (checked at consent)
    to_scan = _materials_to_scan(draft.service, draft.situations)
    index = 0
    while index < len(to_scan):
        material, label = to_scan[index]
        got = await _scan_one(ctx, draft, material, label, progress)
        if got is Nav.HOME:
            return got
        if got is Nav.BACK:
            if index == 0:
                return got
            index -= 1
        else:
            index += 1
    return None


async def _scan_one(ctx: FlowContext, draft: _Draft, material: Material, label: str,
                    progress: Progress) -> Nav | None:
    camera = ctx.devices.document_camera
    pages = draft.pages.setdefault(material.name, [])
    may_skip = material.tolerance_missing or not material.required
    problem: Text | None = None if camera is not None else tr("高拍仪暂时无法使用")
    while True:
        step = ScanStep(label, tuple(p.thumbnail for p in pages), may_skip, problem, progress)
        waits = [_next_page(camera, draft.last_page_place)] if camera is not None else []
        got = await ask_while(ctx.ui, step, *waits)
        problem = None
        if isinstance(got, ScannedPage):
            pages.append(await asyncio.to_thread(_page, got))
            draft.last_page_place = got.corners
            draft.missing.discard(material.name)
        elif isinstance(got, ScanFailed):
            problem = tr(got.message)
        elif isinstance(got, Nav):
            return got
        elif getattr(got, "key", None) == SCAN_RETAKE:
            if pages:
                pages.pop()
            draft.last_page_place = None  # the person may retake the page where it lies
        elif getattr(got, "key", None) == SCAN_SKIP and may_skip:
            pages.clear()
            if material.tolerance_missing:
                draft.missing.add(material.name)
            return None
        elif getattr(got, "key", None) == SCAN_DONE:
            if pages or may_skip:
                if not pages and material.tolerance_missing:
                    draft.missing.add(material.name)
                return None
            problem = tr("请至少拍摄一页")


async def _next_page(camera, last_place) -> ScannedPage | ScanFailed:
    """The next page placed: the page just captured, still lying where it was, is not it."""
    while True:
        page = await camera.capture_page(kind="page")
        if isinstance(page, ScanFailed) or last_place is None or \
                float(abs(page.corners - last_place).max()) > SAME_PLACE_PX:
            return page
        await asyncio.sleep(0.2)


async def _sign(ctx: FlowContext, draft: _Draft, progress: Progress) -> Nav | None:
    problem: Text | None = None
    while True:
        got = await ctx.ui.ask(SignatureStep(draft.service.name, problem, progress))
        if isinstance(got, Nav):
            return got
        if isinstance(got, Signed) and got.png:
            draft.signature = got.png
            return None
        problem = tr("请在签名区内签名")


async def _review(ctx: FlowContext, draft: _Draft, progress: Progress) -> Nav | None:
    service = draft.service
    # a situation that filled a form field shows as that field
    rows = [ReviewRow(s.question, draft.situations[s.key])
            for s in situations_of(service) if s.key in draft.situations and s.field is None]
    for form_field in service.form_fields:
        value = draft.values.get(form_field.key) or draft.person.prefill().get(form_field.key)
        if not value:
            continue
        text = (" 至 " if form_field.type == "date_range" else "、").join(value) \
            if isinstance(value, tuple) else masked(form_field, value)
        rows.append(ReviewRow(form_field.label, text))
    materials = tuple((label, len(draft.pages.get(m.name, [])))
                      for m, label in _materials_to_scan(service, draft.situations))
    offline = draft.person.verification is None or not ctx.catalog.status.online
    step = ReviewStep(service.name, tuple(rows), materials, _fee(service), offline, progress)
    while True:
        got = await ctx.ui.ask(step)
        if isinstance(got, Nav):
            return got
        if getattr(got, "key", None) == SUBMIT:
            return None


def _fee(service: Service) -> Text | None:
    fee = service.fee
    if fee.amount_cny <= 0 and not fee.variable:
        return None
    amount = (tr("按所选标准收费") if fee.variable
              else tr("{amount} 元", amount=f"{fee.amount_cny:g}"))
    # taking payment at the kiosk is a later issue: for now, the person pays at the counter
    return tr("{amount}：提交后请到收费窗口缴纳", amount=amount)


# -- after submitting: safe in the outbox ---------------------------------------------------------

async def _submit(ctx: FlowContext, draft: _Draft) -> Submitted:
    person, consent = draft.person, draft.consent
    assert consent is not None
    verified = person.verification_id is not None
    submission = ApplicationSubmission(
        service_id=draft.service.id,
        local_number="",  # the outbox numbers it
        submitted_at=ctx.now(),
        applicant=person.holder(),
        verification_id=person.verification_id,
        evidence=None if verified else person.evidence_in(),
        face=None if verified or not consent.face else person.face_sample(),
        situations=draft.situations,
        form=submitted_form(draft.service, draft.values),
        materials=_scanned(draft),
        signature_png_b64=base64.b64encode(draft.signature).decode("ascii"),
        consent=consent,
    )
    submitted = await wait_uninterrupted(ctx.ui, BusyStep(tr("正在提交申请，请稍候…")),
                                     ctx.services.submit_application(submission))
    ctx.count("services")
    return submitted


def _scanned(draft: _Draft) -> list[ScannedMaterial]:
    scanned = []
    for material, _label in _materials_to_scan(draft.service, draft.situations):
        pages = draft.pages.get(material.name, [])
        if pages:
            scanned.append(ScannedMaterial(
                name=material.name,
                pages_jpeg_b64=[base64.b64encode(p.jpeg).decode("ascii") for p in pages]))
        elif material.name in draft.missing:
            scanned.append(ScannedMaterial(name=material.name, missing_tolerated=True))
    return scanned


async def _receipt(ctx: FlowContext, draft: _Draft, submitted: Submitted) -> ReceiptStep:
    """Prints the receipt and returns what the screen shows of it."""
    service, accepted = draft.service, submitted.accepted
    at = (accepted.accepted_at if accepted else ctx.now()).strftime("%Y-%m-%d %H:%M")
    number = accepted.acceptance_number if accepted else submitted.local_number
    next_steps = accepted.next_steps if accepted else tr(
        "网络恢复后本机自动提交，受理后可凭本凭条查询办理进度。")
    receipt = _printed_receipt(service, draft.person.masked_name, accepted, number, at,
                               next_steps if isinstance(next_steps, str) else next_steps.render())
    printed, problem = False, tr("本机没有凭条打印机，请记下您的编号。")
    if (printer := ctx.devices.receipt_printer) is not None:
        result = await wait_uninterrupted(ctx.ui, BusyStep(tr("正在打印凭条…")),
                                      printer.print_receipt(receipt))
        printed, problem = result.printed, None if result.printed else tr(result.message)
        if printed:
            ctx.count("prints")
    return ReceiptStep(service.name, draft.person.masked_name, number, accepted is None, at,
                       next_steps, accepted.receipt_code if accepted else None, printed, problem)


def _printed_receipt(service: Service, masked_name: str, accepted: ApplicationAccepted | None,
                     number: str, at: str, next_steps: str) -> Receipt:
    output = next((o.name for o in service.outputs if o.type == "凭条80mm"), "受理回执")
    rows = (
        Row("办理事项", service.name),
        Row("申请人", masked_name),
        Row("受理编号" if accepted else "本机编号", number),
        Row("状态", accepted.status if accepted else PENDING),
        Row("时间", at),
    )
    qr = QrCode(accepted.receipt_code, caption="扫码查询办理进度") if accepted else None
    return Receipt(title=output, lines=(service.department,), rows=rows, qr=qr,
                   footer=(next_steps, "请妥善保管本凭条。"))
