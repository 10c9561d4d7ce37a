"""自助申报 (GB/T 40756 §9.8.5.4): a person applies for a service at the kiosk and leaves with a
receipt.

    guide     → may it be done now? (an online-only service while offline: said before anything)
    identity  → the person, checked to the service's level
    情形       → the questions that decide the materials (flows.situations)
    consent   → shared data, the live face and the scanned pages, each asked separately
    form      → prefilled from the card, shared fields locked, checked
    materials → scanned page by page on the document camera, 容缺 ones may wait
    signature → review → submit (online, or queued: 待受理)
    payment   → a fee the kiosk takes (`flows.payment`), online: the application is committed
                and held first, then goes naming the paid order, or unpaid
    receipt   → printed and on screen, with the fee paid or how to pay it → evaluation →
                "take your card"

From the identity to the review the person's card stays on the reader: taking it away ends the
visit and wipes what was entered. Once submitted, the application is safe in the outbox and
nothing the person does can lose it; a printer out of paper is told, the number stays on screen.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

import cv2

from central.contract import (
    ApplicationAccepted,
    ApplicationSubmission,
    Consent,
    FormField,
    Material,
    ScannedMaterial,
    Service,
)
from common.citizen_services import Submitted
from common.i18n import Text, tr
from devices.camera.document import encode_jpeg
from devices.camera.document_camera import ScanFailed, ScannedPage
from devices.printer.receipt import QrCode, Receipt, Row
from flows.captures import next_capture
from flows.context import FlowContext
from flows.evaluation import ask_evaluation
from flows.form import Value, field_views, masked, submitted_form, validate
from flows.identity import PERSON, CardTaken, Person, verify_identity, while_card_stays
from flows.messages import STAFF_DESK, TO_HOME, remind_to_take_card
from flows.payment import (
    PaymentOutcome,
    fee_option_field,
    fee_payable_here,
    hold_application,
    notice_code,
    pay_fee,
    payment_line,
    settle_application,
)
from flows.printing import fault_words
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

# what home says after the visit ended early
CARD_TAKEN = tr("证件已取走，本次办理已结束，您填写的信息已清除。")
TAKE_YOUR_CARD = tr("请取走您的证件。")
PENDING = "待受理 · 网络恢复后自动提交"
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
    # the last page captured: still lying there, it is not the next page (flows.captures)
    last_page: ScannedPage | None = field(default=None, repr=False)


# a stage of the application: None when done, or how the person left it (返回, 首页)
Stage = Callable[[FlowContext, _Draft, Progress], Awaitable[Nav | None]]


async def declare(ctx: FlowContext, service: Service) -> Text | None:
    """Runs the whole application; returns what home should remind the person of."""
    if not await _may_start(ctx, service):
        return None
    paying = _pays(ctx, service)
    person = await verify_identity(
        ctx, service, Progress(1, _total(_stages(service, elder=ctx.elder_mode), paying)))
    if person is None:
        return TAKE_YOUR_CARD  # a card may still lie on the reader
    try:
        try:
            draft = await while_card_stays(ctx, person, _prepare(ctx, service, person, paying))
        except CardTaken:
            return CARD_TAKEN
        if draft is None:
            return TAKE_YOUR_CARD if person.from_card else None
        outcome: PaymentOutcome | None = None
        if _pays(ctx, service) and (verification_id := person.verification_id) is not None:
            # committed first, held; it goes once the payment is settled
            local_number = await hold_application(ctx, _submission(ctx, draft))
            ctx.count("services")
            total = _total(_stages(service, elder=ctx.elder_mode, draft=draft), paying=True)
            outcome = await pay_fee(ctx, service, local_number=local_number,
                                    verification_id=verification_id,
                                    fee_option=_fee_option(draft),
                                    progress=Progress(total, total))
            submitted = await settle_application(ctx, local_number, outcome)
        else:
            submitted = await _submit(ctx, draft)
        receipt = await _receipt(ctx, draft, submitted, outcome)
        if await ctx.ui.ask(receipt) != Nav.HOME:
            accepted = submitted.accepted
            await ask_evaluation(ctx, service,
                                 acceptance_number=accepted.acceptance_number if accepted else None,
                                 local_number=None if accepted else submitted.local_number)
        await remind_to_take_card(ctx, slip=receipt.printed)
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


def _total(stages: list[Stage], paying: bool) -> int:
    """Identity, the stages that will be shown and the fee: "第 2 步，共 7 步" on each screen."""
    return 1 + len(stages) + (1 if paying else 0)


def _pays(ctx: FlowContext, service: Service) -> bool:
    """The fee is taken here, now: the kiosk can take it and the platform can be reached."""
    return fee_payable_here(service) and ctx.catalog.status.online


def _fee_option(draft: _Draft) -> str | None:
    key = fee_option_field(draft.service)
    value = draft.values.get(key) if key is not None else None
    return value if isinstance(value, str) and value else None


def _stages(service: Service, *, elder: bool, draft: _Draft | None = None) -> list[Stage]:
    """The stages this person will be shown, in order: 情形, consent, form, materials,
    signature, review. A form with nothing to fill in is not shown in 长辈模式 (its values are
    on the review); the materials not once consent to scanning them was refused (refusing
    what is needed ends at the consent)."""
    situations = draft.situations if draft is not None else None
    locked = frozenset(draft.locked) if draft is not None else frozenset()
    consent = draft.consent if draft is not None else None
    shown = (
        bool(situations_of(service)),
        True,
        bool(_asked_fields(service, locked, elder=elder)),
        bool(_materials_to_scan(service, situations, elder=elder))
        and (consent is None or consent.materials),
        True,
        True,
    )
    return [stage for stage, show in zip(_order(), shown, strict=True) if show]


def _order() -> list[Stage]:
    return [_ask_situations, _ask_consent, _fill_form, _scan_materials, _sign, _review]


# -- before submitting: the card stays on the reader ---------------------------------------------

async def _prepare(ctx: FlowContext, service: Service, person: Person,
                   paying: bool) -> _Draft | None:
    """The stages in order; 返回 goes one stage back, 首页 gives up (None).

    Which stages come is asked again after each one: an answer (consent refused for the
    pages) or 长辈模式 switched on or off may leave one out, and the step count says so."""
    draft = _Draft(service, person)
    ctx.session.keep(DRAFT, draft)  # personal data lives in the session, wiped with it
    order = _order()
    at = 0  # the position in `order` of the stage to show next
    while True:
        stages = _stages(service, elder=ctx.elder_mode, draft=draft)
        coming = [stage for stage in stages if order.index(stage) >= at]
        if not coming:
            if _fill_form not in stages:  # not shown: what is known fills the form
                draft.values = {**_first_values(draft), **draft.values}
            return draft
        stage = coming[0]
        at = order.index(stage)
        number = 2 + sum(1 for s in stages if order.index(s) < at)
        got = await stage(ctx, draft, Progress(number, _total(stages, paying)))
        if got is Nav.HOME:
            return None
        if got is Nav.BACK:
            earlier = [s for s in _stages(service, elder=ctx.elder_mode, draft=draft)
                       if order.index(s) < at]
            if not earlier:
                return None  # back from the first stage: the person changed their mind
            at = order.index(earlier[-1])
        else:
            at += 1


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
    to_scan = _materials_to_scan(service, draft.situations, elder=ctx.elder_mode)
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
    refused = _refused_but_needed(service, draft, asked - granted, elder=ctx.elder_mode)
    if refused is not None:
        await ctx.ui.ask(MessageStep(tr("无法在本机继续办理"), (refused, STAFF_DESK), (TO_HOME,),
                                     tone="warning", progress=progress))
        return Nav.HOME
    draft.consent = Consent(shared_data="shared_data" in granted, face="face" in granted,
                            materials="materials" in granted, given_at=ctx.now())
    return None


def _refused_but_needed(service: Service, draft: _Draft, refused: set[str], *,
                        elder: bool) -> Text | None:
    """GB/T 35273: each is asked separately; refusing one the service cannot do without ends
    here, with the counter as the way on."""
    if "face" in refused and service.auth.identity_level >= 4:
        return tr("本事项需要保存现场人脸照片以核实是您本人申请。您可以到人工窗口办理。")
    if "materials" in refused and any(
            m.required and not m.tolerance_missing
            for m, _label in _materials_to_scan(service, draft.situations, elder=elder)):
        return tr("本事项需要提交您拍摄的材料。您可以带上原件到人工窗口办理。")
    if "shared_data" in refused and any(m.shared and m.required for m in service.materials):
        return tr("不共享信息时，需要您提交纸质证明材料。请到人工窗口办理。")
    return None


async def _fill_form(ctx: FlowContext, draft: _Draft, progress: Progress) -> Nav | None:
    service = draft.service
    if not service.form_fields:
        return None
    values: dict[str, Value] = {**_first_values(draft), **draft.values}
    locked = frozenset(draft.locked)
    editable = {f.key for f in service.form_fields if f.editable and f.key not in locked}
    errors: dict[str, Text] = {}
    while True:
        asked = _asked_fields(service, locked, elder=ctx.elder_mode, errors=errors)
        if not asked:  # 长辈模式, nothing to fill in: the values are on the review
            errors = validate(service, values, locked, ctx.now().date())
            if not errors:
                draft.values = values
                return None
            continue  # a value that does not check out: its field is asked after all
        shown = service.model_copy(update={"form_fields": asked})
        got = await ctx.ui.ask(FormStep(service.name, field_views(shown, values, locked, errors),
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


def _first_values(draft: _Draft) -> dict[str, Value]:
    """What the form starts with: the card's values, and the choices that have one option."""
    keys = {f.key for f in draft.service.form_fields}
    prefill = {k: v for k, v in draft.person.prefill().items() if k in keys}
    return {**_only_choices(draft.service), **prefill}


def _only_choices(service: Service) -> dict[str, Value]:
    """A choice with a single option is already made."""
    return {f.key: f.options[0] for f in service.form_fields
            if f.editable and f.type in ("radio", "select") and f.options and len(f.options) == 1}


def _asked_fields(service: Service, locked: frozenset[str], *, elder: bool,
                  errors: Mapping[str, Text] | None = None) -> list[FormField]:
    """The form's fields as the screen shows them: all of them; in 长辈模式 only those the
    person must fill in (editable, not decided by a 情形, not a choice of one) and any with an
    error to fix. An optional field is left out only on a form with no real choice on it: the
    catalog cannot say that 邮寄地址（选择邮寄时）is needed once 取件方式 is 邮寄到家, so beside
    a choice it is asked."""
    fields = service.form_fields
    if not elder:
        return list(fields)
    single = _only_choices(service)
    choosing = any(f.editable and f.type in ("radio", "select") and f.key not in single
                   for f in fields)
    return [f for f in fields
            if (f.editable and (f.required or choosing) and f.key not in locked
                and f.key not in single)
            or f.key in (errors or {})]


def _materials_to_scan(service: Service, situations: dict[str, str] | None = None, *,
                       elder: bool = False) -> list[tuple[Material, str]]:
    """(material, what the screen calls it): what the person brings, not what is shared; a
    choice material by the answer given (SS-015: 合法稳定就业证明). 长辈模式 does not ask for
    a material that is not required (授权委托书 when someone else applies for them)."""
    answers = situations or {}
    chosen = {m: o.answer for s in situations_of(service) for o in s.options
              for m in o.materials if answers.get(s.key) == o.answer}
    return [(m, chosen.get(m.name, m.name)) for m in service.materials
            if not m.shared and (m.required or not elder)]


async def _scan_materials(ctx: FlowContext, draft: _Draft, progress: Progress) -> Nav | None:
    if draft.consent is None or not draft.consent.materials:
        return None  # refused, and nothing needed (checked at consent)
    to_scan = _materials_to_scan(draft.service, draft.situations, elder=ctx.elder_mode)
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
        waits = [next_capture(camera, "page", last=draft.last_page)] if camera is not None \
            else []
        got = await ask_while(ctx.ui, step, *waits)
        problem = None
        if isinstance(got, ScannedPage):
            pages.append(await asyncio.to_thread(_page, got))
            draft.last_page = got
            draft.missing.discard(material.name)
        elif isinstance(got, ScanFailed):
            problem = tr(got.message)
        elif isinstance(got, Nav):
            return got
        elif getattr(got, "key", None) == SCAN_RETAKE:
            if pages:
                pages.pop()
            draft.last_page = None  # the person may retake the page where it lies
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
                      for m, label in _materials_to_scan(service, draft.situations,
                                                         elder=ctx.elder_mode))
    offline = draft.person.verification is None or not ctx.catalog.status.online
    step = ReviewStep(service.name, tuple(rows), materials,
                      _fee(service, here=not offline and _pays(ctx, service),
                           offline=offline), offline, progress)
    while True:
        got = await ctx.ui.ask(step)
        if isinstance(got, Nav):
            return got
        if getattr(got, "key", None) == SUBMIT:
            return None


def _fee(service: Service, *, here: bool, offline: bool) -> Text | None:
    """The fee, and where it is paid: here after submitting, or at the counter (and why)."""
    fee = service.fee
    if fee.amount_cny <= 0 and not fee.variable:
        return None
    amount = (tr("按所选标准收费") if fee.variable
              else tr("{amount} 元", amount=f"{fee.amount_cny:g}"))
    if here:
        return tr("{amount}：提交后可在本机缴纳（微信、支付宝），也可以稍后缴纳", amount=amount)
    if offline and fee_payable_here(service):
        return tr("{amount}：网络中断，本机暂不能缴费，提交后请到收费窗口缴纳", amount=amount)
    return tr("{amount}：提交后请到收费窗口缴纳", amount=amount)


# -- after submitting: safe in the outbox ---------------------------------------------------------

async def _submit(ctx: FlowContext, draft: _Draft) -> Submitted:
    submitted = await wait_uninterrupted(ctx.ui, BusyStep(tr("正在提交申请，请稍候…")),
                                         ctx.services.submit_application(_submission(ctx, draft)))
    ctx.count("services")
    return submitted


def _submission(ctx: FlowContext, draft: _Draft) -> ApplicationSubmission:
    person, consent = draft.person, draft.consent
    assert consent is not None
    verified = person.verification_id is not None
    return ApplicationSubmission(
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


async def _receipt(ctx: FlowContext, draft: _Draft, submitted: Submitted,
                   outcome: PaymentOutcome | None) -> ReceiptStep:
    """Prints the receipt and returns what the screen shows of it."""
    service, accepted = draft.service, submitted.accepted
    online = ctx.catalog.status.online
    payment = payment_line(service, outcome, online=online)
    printed_payment = payment_line(service, outcome, online=online, code_apart=True)
    at = (accepted.accepted_at if accepted else ctx.now()).strftime("%Y-%m-%d %H:%M")
    number = accepted.acceptance_number if accepted else submitted.local_number
    next_steps = accepted.next_steps if accepted else tr(
        "网络恢复后本机自动提交，受理后可凭本凭条查询办理进度。")
    receipt = _printed_receipt(service, draft.person.masked_name, accepted, number, at,
                               next_steps if isinstance(next_steps, str) else next_steps.render(),
                               printed_payment.render() if printed_payment else None,
                               notice_code(outcome))
    printed, problem = False, tr("本机没有凭条打印机。")
    if (printer := ctx.devices.receipt_printer) is not None:
        result = await wait_uninterrupted(ctx.ui, BusyStep(tr("正在打印凭条…")),
                                      printer.print_receipt(receipt))
        printed = result.printed
        # what happened only: the screen says the one thing to do (photograph the number)
        problem = None if printed else tr("{what}，凭条没有打印好。",
                                          what=fault_words(result.code))
        if printed:
            ctx.count("prints")
    if not printed and accepted is None:  # no slip to look the progress up with
        next_steps = tr("网络恢复后本机自动提交，受理后可凭这个编号查询办理进度。")
    return ReceiptStep(service.name, draft.person.masked_name, number, accepted is None, at,
                       next_steps, accepted.receipt_code if accepted else None, printed, problem,
                       payment)


def _printed_receipt(service: Service, masked_name: str, accepted: ApplicationAccepted | None,
                     number: str, at: str, next_steps: str, payment: str | None,
                     notice: str | None) -> Receipt:
    output = next((o.name for o in service.outputs if o.type == "凭条80mm"), "受理回执")
    rows = (
        Row("办理事项", service.name),
        Row("申请人", masked_name),
        Row("受理编号" if accepted else "本机编号", number),
        Row("状态", accepted.status if accepted else PENDING),
        Row("时间", at),
        *((Row("费用", payment),) if payment else ()),
        *((Row("缴款码", notice),) if notice else ()),
    )
    qr = QrCode(accepted.receipt_code, caption="扫码查询办理进度") if accepted else None
    return Receipt(title=output, lines=(service.department,), rows=rows, qr=qr,
                   footer=(next_steps, "请妥善保管本凭条。"))
