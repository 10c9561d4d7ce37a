"""Certificate printing (材料打印 / 证明开具, GB/T 40756 §9.8.5.7): SS-001 社保参保证明, SS-008,
SS-010 公积金缴存证明, SS-023 纳税记录 and the like.

    person      = identity at the level the service asks
    options     = the service's form (period, insurance types …)
    certificate = issued by the platform: the whole PDF with its verification code
    preview     = its pages on screen; 打印 or back
    printed     = on A4, then a slip with the verification code → "take your card"

Nothing is printed half: the A4 printer gets the certificate only once the whole PDF has
arrived, and the slip only once the A4 printer has printed it. A certificate that cannot be
issued (no records, the network down) says why and what to do instead.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from central.contract import CertificateRequest, FormField, Service
from common.citizen_services import IssuedCertificate, ServiceUnavailable
from common.i18n import Text, tr
from devices.printer.a4 import PlatformPdf
from devices.printer.receipt import QrCode, Receipt, Row
from flows.context import FlowContext
from flows.form import Value, field_views, submitted_form, validate
from flows.identity import CardTaken, Person, verify_identity, while_card_stays
from flows.messages import STAFF_DESK, TO_HOME, call_staff, remind_to_take_card
from flows.printing import print_a4
from flows.steps import (
    BusyStep,
    Choice,
    Choose,
    FormFilled,
    FormStep,
    MessageStep,
    Nav,
    Progress,
    Step,
)
from flows.waiting import ask_while, wait_uninterrupted

STEPS = 5  # identity, options, issue, preview, print (4 when the options are not asked)
PRINT = "print"
CHANGE = "change"
STAFF = "staff"
# a certificate goes back at most this many years (SS-002's 查询年度 has no fixed options)
YEARS_OFFERED = 5

CARD_TAKEN = tr("您已取走证件，本次办理已结束。")


@dataclass(frozen=True)
class CertificatePreviewStep(Step):
    """The certificate as it will be printed; the screen renders the PDF's pages itself."""

    service_name: str
    title: str
    masked_name: str
    code: str
    pdf: bytes = field(repr=False)
    progress: Progress | None = None


async def print_certificate(ctx: FlowContext, service: Service) -> Text | None:
    """The whole service; returns what home should remind the person of (None: nothing)."""
    if not ctx.catalog.status.online:
        await _needs_network(ctx, service)
        return None
    service = _with_choices(service, ctx)
    asks = _asks_options(ctx, service, first_options(service, {}, ctx.now().date()))
    person = await verify_identity(ctx, service, _progress("identity", asks))
    if person is None:
        return None
    try:
        # the card stays until the person chose to print; once the printer has started, taking
        # the card (as people do at once) does not stop the certificate or its slip
        chosen = await while_card_stays(ctx, person, _until_chosen(ctx, service, person))
        if chosen is not None:
            certificate, asked = chosen
            await _print(ctx, service, person, certificate, asked)
    except CardTaken:
        return CARD_TAKEN
    finally:
        ctx.session.forget("person")
    return None


async def _until_chosen(ctx: FlowContext, service: Service,
                        person: Person) -> tuple[IssuedCertificate, bool] | None:
    """The certificate the person chose to print after seeing it, and whether the options
    were asked; None when they left."""
    if person.verification_id is None:  # verified offline: a certificate cannot be issued
        await _needs_network(ctx, service)
        return None
    values = first_options(service, person.prefill(), ctx.now().date())
    # 长辈模式: options that all have a sensible default are not asked the first time; the
    # preview shows what they gave, and 返回 there asks them
    asks = _asks_options(ctx, service, values)
    while True:
        if asks:
            filled = await _ask_options(ctx, service, values)
            if filled is None:
                return None
            values = filled
        certificate = await _issue(ctx, service, person, values, asks)
        if certificate is CHANGE:
            asks = True  # back to the options (only offered where there are some)
            continue
        if certificate is None:
            return None
        assert isinstance(certificate, IssuedCertificate)
        ctx.count("services")
        answer = await ctx.ui.ask(CertificatePreviewStep(
            service.name, certificate.title, person.masked_name, certificate.code,
            certificate.pdf, _progress("preview", asks)))
        if answer == Choose(PRINT):
            return certificate, asks
        if answer is Nav.HOME:
            return None
        # 返回 from the preview: change the options (where there are any) and issue again
        asks = _has_options(service)


def _progress(stage: str, asks_options: bool) -> Progress:
    """"第 n 步，共 m 步" counting the screens that will be shown: the options only when
    they are asked."""
    stages = [s for s in ("identity", "options", "issue", "preview", "print")
              if s != "options" or asks_options]
    return Progress(stages.index(stage) + 1, len(stages))


def _has_options(service: Service) -> bool:
    return any(f.editable for f in service.form_fields)


def _asks_options(ctx: FlowContext, service: Service, values: dict[str, Value]) -> bool:
    """The options are asked: the service has some, and in 长辈模式 only when their defaults
    would not do (a field with no sensible default)."""
    if not _has_options(service):
        return False
    return not ctx.elder_mode or bool(validate(service, values, frozenset(), ctx.now().date()))


# -- options -------------------------------------------------------------------------------------

def _with_choices(service: Service, ctx: FlowContext) -> Service:
    """A select whose options the platform supplies at run time (查询年度) gets the last years."""
    this_year = ctx.now().year
    years = [str(this_year - n) for n in range(YEARS_OFFERED)]
    fields = [f.model_copy(update={"options": years})
              if f.type == "select" and f.options is None and f.key == "year" else f
              for f in service.form_fields]
    return service.model_copy(update={"form_fields": fields})


def first_options(service: Service, prefill: dict[str, str], today: date) -> dict[str, Value]:
    """What the form starts with: the card's values, the last 12 full months, every type."""
    values: dict[str, Value] = {k: v for k, v in prefill.items()
                                if any(f.key == k for f in service.form_fields)}
    for form_field in service.form_fields:
        if form_field.editable and form_field.key not in values:
            default = _default(form_field, today)
            if default:
                values[form_field.key] = default
    return values


def _default(form_field: FormField, today: date) -> Value:
    if form_field.type == "date_range":  # the last 12 full months
        end = date(today.year, today.month, 1) - timedelta(days=1)
        months = end.year * 12 + end.month - 1 - 11
        return (date(months // 12, months % 12 + 1, 1).isoformat(), end.isoformat())
    if form_field.type == "checkbox" and form_field.options:
        return tuple(form_field.options)
    if form_field.key == "year" and form_field.options:  # last year: a whole one
        return form_field.options[min(1, len(form_field.options) - 1)]
    if form_field.type in ("select", "radio") and form_field.options:
        return form_field.options[0]
    return ""


async def _ask_options(ctx: FlowContext, service: Service,
                       values: dict[str, Value]) -> dict[str, Value] | None:
    """The form until it checks out; None when the person leaves (返回 or 首页)."""
    if not any(f.editable for f in service.form_fields):
        return values  # nothing to choose (SS-008, SS-010): straight on
    errors: dict[str, Text] = {}
    editable = {f.key for f in service.form_fields if f.editable}
    while True:
        got = await ctx.ui.ask(options_step(service, values, errors))
        if isinstance(got, Nav):
            return None
        if not isinstance(got, FormFilled):
            continue
        values = {**values, **{k: v for k, v in got.values.items() if k in editable}}
        errors = validate(service, values, frozenset(), ctx.now().date())
        if not errors:
            return values


def options_step(service: Service, values: dict[str, Value],
                 errors: dict[str, Text] | None = None) -> FormStep:
    return FormStep(service.name, field_views(service, values, frozenset(), errors),
                    Progress(2, STEPS))


# -- issuing ---------------------------------------------------------------------------------------

async def _issue(ctx: FlowContext, service: Service, person: Person,
                 values: dict[str, Value], asked: bool) -> IssuedCertificate | str | None:
    """The certificate; CHANGE to change the options; None when the person stops here."""
    editable = {f.key for f in service.form_fields if f.editable}
    request = CertificateRequest(
        service_id=service.id, verification_id=person.verification_id or "",
        holder=person.holder(),
        options={k: v for k, v in submitted_form(service, values).items() if k in editable})
    key = uuid.uuid4().hex  # one per attempt: the client may resend it safely
    try:
        busy = BusyStep(tr("正在开具证明，请稍候…"), _progress("issue", asked))
        got = await ask_while(ctx.ui, busy, ctx.services.issue_certificate(request, key))
    except ServiceUnavailable as exc:
        return await _not_issued(ctx, service, exc)
    if isinstance(got, Nav):
        return None  # the person left while it was being issued: nothing is printed
    assert isinstance(got, IssuedCertificate)  # a BusyStep is answered only by the bottom bar
    return got


async def _not_issued(ctx: FlowContext, service: Service, exc: ServiceUnavailable) -> str | None:
    answer = await ctx.ui.ask(not_issued_step(service, exc))
    if answer == Choose(CHANGE):
        return CHANGE
    if answer == Choose(STAFF):
        await call_staff(ctx, tr("未能开具“{name}”。", name=service.name))
    return None


def not_issued_step(service: Service, exc: ServiceUnavailable) -> MessageStep:
    """Why there is no certificate, what to do instead, and the way on: change the options
    (when the platform refused them), staff, or home."""
    advice = exc.advice or STAFF_DESK
    choices = [Choice(CHANGE, tr("修改后重新开具"), primary=True)] if exc.refused and any(
        f.editable for f in service.form_fields) else []
    choices += [Choice(STAFF, tr("呼叫工作人员")), TO_HOME]
    return MessageStep(tr("未能开具证明"), (tr(exc.user_message), advice), tuple(choices),
                       tone="warning")


async def _needs_network(ctx: FlowContext, service: Service) -> None:
    await ctx.ui.ask(MessageStep(
        tr("网络中断，暂不能开具证明"),
        (tr("“{name}”需要联网开具，本机网络暂时中断。", name=service.name),
         tr("请稍后再试或到窗口办理。")),
        (TO_HOME,), tone="warning"))


# -- printing ------------------------------------------------------------------------------------

async def _print(ctx: FlowContext, service: Service, person: Person,
                 certificate: IssuedCertificate, asked: bool) -> None:
    # print_a4 tells the person about a fault and resumes after it without printing a page
    # twice; the slip says "printed", so it comes out only for a certificate that did
    if not await print_a4(ctx, PlatformPdf(certificate.pdf), title=tr("正在打印证明，请稍候…"),
                          progress=_progress("print", asked)):
        return
    slip = await _print_slip(ctx, service, person, certificate, _progress("print", asked))
    lines: list[Text | str] = [tr("证明已打印，请在出纸口取走。"),
                               tr("验证码：{code}", code=certificate.code)]
    lines.append(tr("凭条已打印，请取走。") if slip else
                 tr("凭条未能打印，请记下验证码；扫描证明上的二维码也可核验。"))
    await remind_to_take_card(ctx, *lines, slip=slip)  # no slip out: none to take


async def _print_slip(ctx: FlowContext, service: Service, person: Person,
                      certificate: IssuedCertificate, progress: Progress) -> bool:
    printer = ctx.devices.receipt_printer
    if printer is None:
        return False
    slip = Receipt(
        title="证明打印凭条",
        lines=(service.department,),
        rows=(Row("证明名称", certificate.title), Row("持证人", person.masked_name),
              Row("验证码", certificate.code),
              Row("打印时间", ctx.now().strftime("%Y-%m-%d %H:%M"))),
        qr=QrCode(certificate.verify_url, caption="扫码核验证明真伪"),
        footer=("单位或银行可扫码或凭验证码在政务服务平台核验。",))
    result = await wait_uninterrupted(ctx.ui, BusyStep(tr("正在打印凭条…"), progress),
                                      printer.print_receipt(slip))
    if result.printed:
        ctx.count("prints")
    return result.printed
