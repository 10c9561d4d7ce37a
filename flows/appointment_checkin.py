"""签到: a person with an appointment arrives and gets a priority queue ticket for it.

    scan the confirmation's QR code   → its token (checked against the contract's pattern
                                        before anything is sent)
    or place the ID card              → today's appointment in this hall, by the number
                                        (sent signed, hashed by the platform, kept nowhere)
    checked in                        → the ticket shown large and printed, as 取号's
                                        (`flows.queue_ticket`), marked 预约签到
    not now                           → why, plainly: too early (with the time), over,
                                        cancelled, another day, another hall, none found

From a 预约 service's guide (`flows.appointment`) and from SS-093 取号与预约签到's, where a
person without an appointment can take a number instead.
"""

from __future__ import annotations

import re

from pydantic import ValidationError

from central.contract import Service
from central.contract.appointments import (
    APPOINTMENT_TOKEN,
    CONFIRMATION_PATH,
    CheckIn,
    CheckInOutcome,
    CheckInRequest,
)
from common.citizen_services import ServiceUnavailable
from common.i18n import Text, tr
from devices.cards import CardPresent, CardReader, CardReadFailed, CardRemoved, IdCardData
from devices.codes.payload import Code
from flows.appointment_time import when_words
from flows.context import FlowContext
from flows.queue_ticket import hand_over_ticket, take_queue_ticket
from flows.steps import BusyStep, Choice, Choose, MessageStep, Nav, Reply
from flows.waiting import ask_while, wait_uninterrupted

CHECK_IN_SERVICE = "SS-093"  # 取号与预约签到: its guide starts this flow
TAKE_NUMBER, BACK = "take-number", "back"
TAKE_YOUR_CARD = tr("请取走您的证件。")
CHECK_IN_DOWN = tr("预约系统暂时无法连接，请到服务台签到或取号。")
NOT_A_CONFIRMATION = tr("这不是预约凭条上的二维码，请扫描预约凭条或手机上的预约二维码。")
_TOKEN_IN_CODE = re.compile(re.escape(CONFIRMATION_PATH) + APPOINTMENT_TOKEN.strip("^$") + "$")


async def check_in(ctx: FlowContext) -> Text | None:
    """Runs until the person has their ticket or leaves; returns what home reminds them of."""
    port = ctx.appointments
    if port is None:
        await _tell(ctx, tr("暂时无法签到"), CHECK_IN_DOWN)
        return None
    notice: Text | None = None
    problem: Text | None = None
    while True:
        got = await _arrival(ctx, problem)
        problem = None
        if isinstance(got, Nav):
            return notice
        if got == Choose(TAKE_NUMBER) and ctx.queue is not None:
            return await take_queue_ticket(ctx) or notice
        if isinstance(got, CardPresent):
            notice = TAKE_YOUR_CARD
        request = _request(got)
        if isinstance(request, Text):
            problem = request
            continue
        if request is None:
            continue
        try:
            answer = await wait_uninterrupted(ctx.ui, BusyStep(tr("正在签到…")),
                                              port.check_in(request))
        except ServiceUnavailable as error:
            await _tell(ctx, tr("暂时无法签到"), tr(error.user_message))
            return notice
        if answer.outcome == "checked_in" and answer.ticket is not None:
            await hand_over_ticket(ctx, answer.ticket)
            return notice
        await _refused(ctx, answer)


async def check_in_from_guide(ctx: FlowContext, _service: Service) -> Text | None:
    """SS-093's start button (a guide's flow takes the service)."""
    return await check_in(ctx)


async def _arrival(ctx: FlowContext, problem: Text | None) -> Reply | Nav | Code | CardPresent \
        | CardReadFailed:
    lines: list[Text | str] = [tr("请将预约凭条上的二维码对准扫码窗口，或将身份证放在读卡区。")]
    if problem is not None:
        lines.append(problem)
    choices = [Choice(BACK, tr("返回"))]
    if ctx.queue is not None:
        choices.append(Choice(TAKE_NUMBER, tr("没有预约，直接取号")))
    step = MessageStep(tr("预约签到"), tuple(lines), tuple(choices),
                       tone="warning" if problem else "info")
    waits = []
    if ctx.devices.code_scanner is not None:
        waits.append(ctx.devices.code_scanner.events.next())
    if ctx.devices.id_reader is not None:
        waits.append(_next_card(ctx.devices.id_reader))
    got = await ask_while(ctx.ui, step, *waits)
    if got == Choose(BACK):
        return Nav.BACK
    return got


def _request(got: object) -> CheckInRequest | Text | None:
    """What to ask the platform for what arrived; a Text says why it cannot be asked."""
    if isinstance(got, Code):
        token = confirmation_token(got)
        return NOT_A_CONFIRMATION if token is None else CheckInRequest(token=token)
    if isinstance(got, CardReadFailed):
        return tr(got.message)
    if isinstance(got, CardPresent):
        if not isinstance(got.card, IdCardData):
            return tr("请使用居民身份证。")
        try:
            return CheckInRequest(id_number=got.card.id_number)
        except ValidationError:
            return tr("请使用居民身份证。")
    return None


def confirmation_token(code: Code) -> str | None:
    """The token of a confirmation's QR code (…/appointment/{token}); None for any other."""
    if code.truncated:
        return None
    found = _TOKEN_IN_CODE.search(code.text.strip())
    return found.group(0).removeprefix(CONFIRMATION_PATH) if found else None


async def _next_card(reader: CardReader) -> CardPresent | CardReadFailed:
    while True:
        event = await reader.events.next()
        if not isinstance(event, CardRemoved):
            return event


async def _refused(ctx: FlowContext, answer: CheckIn) -> None:
    made = answer.appointment
    when = when_words(made.day, made.start, made.end) if made else ""
    title, line = refusal_words(answer.outcome, when)
    await _tell(ctx, title, line)


def refusal_words(outcome: CheckInOutcome, when: Text | str) -> tuple[Text, Text]:
    """Why a check-in was not made: the title and the line (`when`: the appointment's time)."""
    if outcome == "too_early":
        return tr("还没到签到时间"), tr("您预约的是 {when}，请在开始前 30 分钟内签到。", when=when)
    if outcome == "too_late":
        return tr("预约时段已过"), tr("您预约的 {when} 已经结束，请重新预约或到服务台咨询。",
                                      when=when)
    if outcome == "cancelled":
        return tr("该预约已取消"), tr("如需办理，请重新预约或直接取号。")
    if outcome == "not_today":
        return tr("不是今天的预约"), tr("您预约的是 {when}，请在当天签到。", when=when)
    if outcome == "other_hall":
        return tr("不是本大厅的预约"), tr("请到您预约的大厅签到，或到服务台咨询。")
    return tr("没有查到预约"), tr("没有查到您今天在本大厅的预约。如需办理，可以直接取号。")


async def _tell(ctx: FlowContext, title: Text, line: Text) -> None:
    await ctx.ui.ask(MessageStep(title, (line,), (Choice(BACK, tr("返回"), primary=True),),
                                 tone="warning"))

