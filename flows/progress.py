"""进度查询 (GB/T 40756 §9.8.5.8, §9.4.6.5): where an application stands.

    scan the receipt's QR code     → the platform checks its signature, then shows that one
    type the acceptance number     → that one: its 14 digits only (the "SL" before them is
                                     implied, no Latin letter to find); a wrong count is told
                                     before the platform is asked, a number it does not know
                                     is read back to be checked against the slip
    identity (card + face)         → every application of the verified holder

The timeline uses the platform's status words (在办, 补齐补正, 挂起, 办结, 不予受理, 退件 …);
a result that is a document (a certificate) prints on A4. Progress needs the platform: offline,
the person is told so rather than shown something stale.
"""

from __future__ import annotations

from collections.abc import Awaitable
from enum import Enum
from typing import Final, TypeVar

from central.contract import (
    ACCEPTANCE_NUMBER_DIGITS,
    ACCEPTANCE_NUMBER_PREFIX,
    ApplicationProgress,
    Service,
    acceptance_number,
    parse_receipt_code,
)
from common.citizen_services import ServiceUnavailable
from common.i18n import Text, tr
from devices.codes.payload import Code
from devices.printer.a4 import PlatformPdf
from flows.context import FlowContext
from flows.identity import PERSON, verify_identity
from flows.steps import (
    ApplicationView,
    BusyStep,
    Choice,
    Choose,
    Entered,
    KeypadStep,
    MessageStep,
    Nav,
    ProgressStep,
    Reply,
    TimelineEntry,
    Tone,
)
from flows.waiting import ask_while, wait_uninterrupted

PROGRESS_SERVICE = "SS-090"  # 办件进度查询: its identity rule applies to the lookup by card
BY_NUMBER, BY_CARD = "number", "card"
NUMBER_HINT = tr("请输入小票上“受理编号”的数字，共 {digits} 位，前面的字母不用输入。",
                 digits=ACCEPTANCE_NUMBER_DIGITS)
TAKE_YOUR_CARD = tr("请取走您的证件。")


async def look_up_progress(ctx: FlowContext) -> Text | None:
    """Runs until the person goes home; returns what home should remind them of."""
    notice: Text | None = None
    while True:
        got = await _ask_how(ctx)
        if isinstance(got, Code):
            applications = await _by_receipt_code(ctx, got)
        elif got == Choose(BY_NUMBER):
            applications = await _by_number(ctx)
        elif got == Choose(BY_CARD):
            notice = TAKE_YOUR_CARD
            applications = await _by_card(ctx)
        else:
            return notice
        if applications is not None and await _show(ctx, applications) is Nav.HOME:
            return notice


async def _ask_how(ctx: FlowContext) -> Code | Nav | Choose:
    choices = [Choice(BY_NUMBER, tr("输入受理编号"), primary=True)]
    if _progress_service(ctx) is not None and ctx.devices.id_reader is not None:
        choices.append(Choice(BY_CARD, tr("刷身份证查询本人办件")))
    lines: list[Text] = [tr("请将回执上的二维码对准扫码窗口，或选择下面的方式。")]
    if ctx.devices.code_scanner is None:
        lines = [tr("请选择查询方式。")]
    step = MessageStep(tr("办件进度查询"), tuple(lines), tuple(choices))
    while True:
        waits = [ctx.devices.code_scanner.events.next()] if ctx.devices.code_scanner else []
        got = await ask_while(ctx.ui, step, *waits)
        if isinstance(got, Code | Nav | Choose):
            return got


def _progress_service(ctx: FlowContext) -> Service | None:
    catalog = ctx.catalog.catalog
    return catalog.service(PROGRESS_SERVICE) if catalog else None


async def _by_receipt_code(ctx: FlowContext, code: Code) -> list[ApplicationProgress] | None:
    if code.truncated or parse_receipt_code(code.text) is None:
        await _tell(ctx, tr("这不是办件回执上的二维码"),
                    tr("请扫描受理回执（凭条）上的二维码，或输入受理编号。"))
        return None
    found = await _ask_platform(ctx, ctx.services.progress_by_receipt_code(code.text))
    if found is _FAILED:
        return None
    if found is None:
        await _tell(ctx, tr("回执核验未通过"),
                    tr("这张回执的二维码未能通过平台核验，请到服务台请工作人员核实。"))
        return None
    return [found]


async def _by_number(ctx: FlowContext) -> list[ApplicationProgress] | None:
    value, error = "", None
    while True:
        got = await ctx.ui.ask(KeypadStep(tr("输入受理编号"), NUMBER_HINT, value, error,
                                          ACCEPTANCE_NUMBER_DIGITS))
        if isinstance(got, Nav):
            return None
        if not isinstance(got, Entered):
            continue
        value = typed_digits(got.text)
        error = digits_problem(value)
        if error is not None:
            continue
        found = await _ask_platform(ctx, ctx.services.progress(acceptance_number(value)))
        if found is _FAILED:
            return None
        if found is None:
            error = tr("没有找到编号为 {digits} 的办件，请对照小票核对每一位数字。", digits=value)
            continue
        return [found]


def typed_digits(text: str) -> str:
    """The digits of an acceptance number as typed; its prefix, spaces dropped if present."""
    text = "".join(text.split()).upper()
    return text.removeprefix(ACCEPTANCE_NUMBER_PREFIX)


def digits_problem(digits: str) -> Text | None:
    """What is wrong with the digits typed (None: the right count, worth asking about)."""
    if not digits:
        return tr("请输入受理编号的数字，共 {digits} 位。", digits=ACCEPTANCE_NUMBER_DIGITS)
    if not digits.isdigit():
        return tr("受理编号只有数字，请只输入数字。")
    if len(digits) < ACCEPTANCE_NUMBER_DIGITS:
        return tr("受理编号共 {digits} 位数字，您输入了 {typed} 位，还少 {missing} 位。",
                  digits=ACCEPTANCE_NUMBER_DIGITS, typed=len(digits),
                  missing=ACCEPTANCE_NUMBER_DIGITS - len(digits))
    if len(digits) > ACCEPTANCE_NUMBER_DIGITS:
        return tr("受理编号共 {digits} 位数字，您输入了 {typed} 位，多了 {extra} 位。",
                  digits=ACCEPTANCE_NUMBER_DIGITS, typed=len(digits),
                  extra=len(digits) - ACCEPTANCE_NUMBER_DIGITS)
    return None


async def _by_card(ctx: FlowContext) -> list[ApplicationProgress] | None:
    service = _progress_service(ctx)
    assert service is not None
    person = await verify_identity(ctx, service)
    try:
        if person is None:
            return None
        if person.verification_id is None:  # cannot happen online; offline is refused above
            await _tell(ctx, tr("暂时无法查询"), tr("需要联网核验身份后才能查询本人办件。"))
            return None
        found = await _ask_platform(ctx, ctx.services.applications_of(person.verification_id))
        return None if found is _FAILED else found
    finally:
        ctx.session.forget(PERSON)


class _Failed(Enum):
    FAILED = "failed"


_FAILED: Final = _Failed.FAILED  # the platform's answer could not be had (None is an answer)
T = TypeVar("T")


async def _ask_platform(ctx: FlowContext, question: Awaitable[T]) -> T | _Failed:
    """The platform's answer, or `_FAILED` once the person was told it could not be asked."""
    try:
        got = await ask_while(ctx.ui, BusyStep(tr("正在查询，请稍候…")), question)
    except ServiceUnavailable as error:
        await _tell(ctx, tr("暂时无法查询"), tr(error.user_message))
        return _FAILED
    if isinstance(got, Nav):
        return _FAILED
    assert not isinstance(got, Reply)  # a BusyStep is answered only by the bottom bar
    return got


async def _show(ctx: FlowContext, applications: list[ApplicationProgress]) -> Nav:
    ctx.count("services")
    views = tuple(_view(a) for a in applications)
    problem = None if views else tr("没有查到您的办件。")
    while True:
        got = await ctx.ui.ask(ProgressStep(views, problem))
        if isinstance(got, Nav):
            return got
        if isinstance(got, Choose):
            await _print_document(ctx, applications, got.key)


def _view(application: ApplicationProgress) -> ApplicationView:
    return ApplicationView(
        number=application.acceptance_number,
        service_name=application.service_name,
        masked_name=application.applicant_masked,
        status=application.status,
        timeline=tuple(TimelineEntry(e.status, e.at.strftime("%Y-%m-%d %H:%M"), e.note)
                       for e in application.timeline),
        documents=tuple(Choice(_document_key(application.acceptance_number, d.id), d.name)
                        for d in application.documents),
    )


def _document_key(number: str, document_id: str) -> str:
    return f"{number}/{document_id}"


async def _print_document(ctx: FlowContext, applications: list[ApplicationProgress],
                          key: str) -> None:
    document = next((d for a in applications for d in a.documents
                     if _document_key(a.acceptance_number, d.id) == key), None)
    printer = ctx.devices.a4_printer
    if document is None:
        return
    if printer is None:
        await _tell(ctx, tr("无法打印"), tr("本机没有 A4 打印机，请到服务台打印。"))
        return
    pdf = await _ask_platform(ctx, ctx.services.document(document.path))
    if pdf is _FAILED:
        return
    result = await wait_uninterrupted(ctx.ui, BusyStep(tr("正在打印…")),
                                      printer.print_document(PlatformPdf(pdf)))
    if result.printed:
        ctx.count("prints")
        await _tell(ctx, tr("打印完成"), tr(result.message), tone="success")
    else:
        await _tell(ctx, tr("未能打印"), tr(result.message), tone="error")


async def _tell(ctx: FlowContext, title: Text, line: Text, *,
                tone: Tone = "warning") -> None:
    await ctx.ui.ask(MessageStep(title, (line,), (Choice("back", tr("返回"), primary=True),),
                                 tone=tone))
