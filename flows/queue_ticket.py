"""取号: a queue ticket for a window of the hall, from home.

    choose a group (large tiles)    → 社保医保, 户籍证照 … with their window areas
    priority, if any                → 70 岁以上: from the ID card's birth date (the person
                                      verified earlier in the session, or the card placed
                                      now); 孕期 or 残疾人: declared, 需窗口核验
    take the ticket                 → the platform's queue numbers it (A001, AP001 …)
    the number, large               → with the window area and the people ahead, said aloud
                                      by the screen, and printed on a slip with a QR code to
                                      follow it; a slip that did not print leaves the screen
                                      as what the person takes away

Without identity a ticket is still given (a declared priority too). When the platform's own
(demo) queue cannot be asked, the kiosk numbers the ticket itself from the block of numbers the
platform leased to it (`kiosk.offline_queue`: A501 …, never a number the platform or another
kiosk gives), and reconciles it when the platform is back; the screen and the slip say plainly
that it was taken while the queue system was offline, the people ahead are an estimate and the
window's calls decide (以窗口叫号为准), and the QR code works once the ticket has arrived (before,
its page says it has not yet). When no number can be given here (a hall's own queue system,
which only it numbers, or no lease for today) the person is told to take a number at the
service desk.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final, TypeVar

from central.contract.queue import PriorityReason, QueueGroup, Ticket
from common.citizen_services import ServiceUnavailable
from common.i18n import Text, tr
from devices.cards import CardPresent, CardReader, CardReadFailed, CardRemoved, IdCardData
from devices.printer.receipt import QrCode, Receipt, Row
from flows.context import FlowContext
from flows.directions import WHERE, show_group_area
from flows.identity import PERSON, Person
from flows.printing import fault_words
from flows.send_to_phone import SEND_TO_PHONE, PhoneMessage, offers_phone, send_to_phone
from flows.steps import (
    BusyStep,
    Choice,
    Choose,
    IdentityStep,
    MessageStep,
    Nav,
    Progress,
    Reply,
    Step,
)
from flows.waiting import ask_while, wait_uninterrupted

T = TypeVar("T")
PRIORITY_AGE = 70
# where a service name goes (the card screen's title): shown as the catalog's names are
QUEUE_NAME = "取号"
QUEUE_DOWN = tr("排队系统暂时无法连接，请到服务台取号。")
TAKE_YOUR_CARD = tr("请取走您的证件。")
CHECK_IN = "check-in"  # the 预约签到 tile beside the groups
# a flow started from here (预约签到): returns what home reminds the person of
HomeFlow = Callable[[FlowContext], Awaitable[Text | None]]
# keys of the priority tiles
REGULAR, AGE, PREGNANT, DISABILITY = "regular", "age_70", "pregnant", "disability"
DECLARED: Final[dict[str, PriorityReason]] = {PREGNANT: "pregnant", DISABILITY: "disability"}
# shown beside 优先 on the ticket screen
PRIORITY_WORDS: Final[dict[PriorityReason, Text]] = {
    "age_70": tr("70 岁以上"),
    "pregnant": tr("孕期（需窗口核验）"),
    "disability": tr("残疾人（需窗口核验）"),
    "appointment": tr("预约签到"),
}
# what the slip prints (a slip is not translated: the hall's own language, as the receipts)
PRINTED_PRIORITY: Final[dict[PriorityReason, str]] = {
    "age_70": "优先号：70 岁以上",
    "pregnant": "优先号：孕期，需窗口核验",
    "disability": "优先号：残疾人，需窗口核验",
    "appointment": "优先号：预约签到",
}


@dataclass(frozen=True)
class OpenQueue(Reply):
    """取号 from home."""


@dataclass(frozen=True)
class QueueChoiceStep(Step):
    """A question answered by one of a few large tiles (`Choose(key)`)."""

    title: Text
    lines: tuple[Text | str, ...]
    tiles: tuple[Choice, ...]
    progress: Progress | None = None  # a step of a longer flow (预约's day and slot)


@dataclass(frozen=True)
class QueueTicketStep(Step):
    """The ticket: the number large, where to wait, how many are ahead; said aloud."""

    number: str
    group_name: str
    window_area: str
    people_ahead: int
    wait_minutes: int
    at: str
    follow_url: str  # its QR code: the ticket's status on the person's phone
    priority: Text | None  # why it is a priority ticket; None: a regular one
    printed: bool
    print_problem: Text | None = None
    send_to_phone: bool = False  # 发送到手机 offered (flows.send_to_phone)
    where: bool = False  # 查看位置: the window area on the hall map (flows.directions)
    offline: bool = False  # numbered at this kiosk while the queue system was away


async def take_queue_ticket(ctx: FlowContext, check_in: HomeFlow | None = None) -> Text | None:
    """Runs until the person has a ticket or goes home; returns what home reminds them of.
    `check_in` (签到, `flows.appointment_checkin`): offered first, beside the groups."""
    queue = ctx.queue
    if queue is None:
        await _queue_down(ctx)
        return None
    groups = await _asked(ctx, tr("正在连接排队系统…"), queue.groups())
    if groups is None:
        return None
    notice: Text | None = None
    while True:
        offer = check_in if ctx.appointments is not None else None
        group = await _choose_group(ctx, groups, checks_in=offer is not None)
        if group is None:
            return notice
        if isinstance(group, Choose):  # 预约签到 instead of a number of the groups
            assert offer is not None
            return await offer(ctx) or notice
        priority = await _priority(ctx)
        if isinstance(priority, _CardRead):
            notice, priority = TAKE_YOUR_CARD, priority.reason
        if priority is Nav.HOME:
            return notice
        if priority is Nav.BACK:
            continue
        ticket = await _asked(ctx, tr("正在取号…"), queue.take_ticket(
            group.group_id, priority, uuid.uuid4().hex))
        if ticket is not None:
            await _hand_over(ctx, ticket)
        return notice


async def _asked(ctx: FlowContext, busy: Text, question: Awaitable[T]) -> T | None:
    """The queue's answer, or None once the person was told it could not be asked."""
    try:
        got = await wait_uninterrupted(ctx.ui, BusyStep(busy), question)
    except ServiceUnavailable:
        await _queue_down(ctx)
        return None
    return got


async def _queue_down(ctx: FlowContext) -> None:
    await ctx.ui.ask(MessageStep(tr("暂时无法取号"), (QUEUE_DOWN,),
                                 (Choice("home", tr("返回首页"), primary=True),),
                                 tone="warning"))


async def _choose_group(ctx: FlowContext, groups: list[QueueGroup], *,
                        checks_in: bool = False) -> QueueGroup | Choose | None:
    tiles = tuple(Choice(g.group_id, tr("{name}\n{area} · 等候 {waiting} 人", name=g.name,
                                        area=g.window_area, waiting=g.waiting))
                  for g in groups)
    if checks_in:  # a person with an appointment checks in for a priority number
        tiles += (Choice(CHECK_IN, tr("预约签到\n已预约的请点这里")),)
    step = QueueChoiceStep(tr("取号"), (tr("请选择您要办理的业务。"),), tiles)
    while True:
        got = await ctx.ui.ask(step)
        if isinstance(got, Nav):
            return None
        if checks_in and isinstance(got, Choose) and got.key == CHECK_IN:
            return got
        if isinstance(got, Choose):
            chosen = next((g for g in groups if g.group_id == got.key), None)
            if chosen is not None:
                return chosen


@dataclass(frozen=True)
class _CardRead:
    """A card was placed for the age (the person is reminded to take it)."""

    reason: PriorityReason | Nav | None


async def _priority(ctx: FlowContext) -> PriorityReason | Nav | _CardRead | None:
    """The ticket's priority (None: regular), or how the person left the question."""
    person = ctx.session.get(PERSON)
    if isinstance(person, Person) and _age(person.evidence.birth_date, ctx.now()) >= PRIORITY_AGE:
        return "age_70"  # the verified card says so: nothing to ask
    tiles = [Choice(REGULAR, tr("不需要，普通取号"))]
    if ctx.devices.id_reader is not None and not isinstance(person, Person):
        tiles.append(Choice(AGE, tr("70 岁以上\n请刷身份证")))
    tiles += [Choice(PREGNANT, tr("孕期\n需窗口核验")),
              Choice(DISABILITY, tr("残疾人\n需窗口核验"))]
    step = QueueChoiceStep(tr("是否需要优先办理？"),
                           (tr("70 岁以上老人、孕妇、残疾人可优先办理。"),
                            tr("孕妇、残疾人请在窗口出示相关证件。")), tuple(tiles))
    while True:
        got = await ctx.ui.ask(step)
        if isinstance(got, Nav):
            return got
        if not isinstance(got, Choose):
            continue
        if got.key == REGULAR:
            return None
        if got.key in DECLARED:
            return DECLARED[got.key]
        if got.key == AGE and ctx.devices.id_reader is not None:
            return _CardRead(await _age_from_card(ctx, ctx.devices.id_reader))


async def _age_from_card(ctx: FlowContext, reader: CardReader) -> PriorityReason | Nav | None:
    """age_70 when the card placed says 70 or more, None (a regular ticket) when it says less
    and the person takes one, Nav when they leave. Only the birth date is used, and kept
    nowhere."""
    problem: Text | None = None
    while True:
        got = await ask_while(ctx.ui, IdentityStep(QUEUE_NAME, ("id_card",), problem),
                              _next_card(reader))
        if isinstance(got, Nav):
            return got
        if isinstance(got, CardReadFailed):
            problem = tr(got.message)
        elif isinstance(got, CardPresent) and isinstance(got.card, IdCardData):
            if _age(got.card.birth_date, ctx.now()) >= PRIORITY_AGE:
                return "age_70"
            return await _under_age(ctx)
        elif isinstance(got, CardPresent):
            problem = tr("请使用居民身份证。")


async def _under_age(ctx: FlowContext) -> Nav | None:
    got = await ctx.ui.ask(MessageStep(
        tr("未满 70 周岁"), (tr("按身份证上的出生日期，您未满 70 周岁，可以取普通号。"),),
        (Choice("back", tr("返回")), Choice(REGULAR, tr("取普通号"), primary=True))))
    return None if got == Choose(REGULAR) else Nav.BACK


async def _next_card(reader: CardReader) -> CardPresent | CardReadFailed:
    while True:
        event = await reader.events.next()
        if not isinstance(event, CardRemoved):
            return event


def _age(birth: date | None, now: datetime) -> int:
    """Whole years on `now`'s day; 0 when the birth date is not known."""
    if birth is None:
        return 0
    today = now.date()
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


async def hand_over_ticket(ctx: FlowContext, ticket: Ticket) -> None:
    """A ticket taken elsewhere (签到's, `flows.appointment_checkin`) printed and shown."""
    await _hand_over(ctx, ticket)


async def _hand_over(ctx: FlowContext, ticket: Ticket) -> None:
    """Prints the slip, then shows the ticket until the person is done with it."""
    at = ctx.now().strftime("%Y-%m-%d %H:%M")
    printed, problem = False, tr("本机没有凭条打印机。")
    if (printer := ctx.devices.receipt_printer) is not None:
        result = await wait_uninterrupted(ctx.ui, BusyStep(tr("正在打印排队小票…")),
                                          printer.print_receipt(slip(ticket, at)))
        printed = result.printed
        problem = None if printed else tr("{what}，排队小票没有打印好。",
                                          what=fault_words(result.code))
        if printed:
            ctx.count("prints")
    ctx.count("services")
    step = QueueTicketStep(
        number=ticket.number, group_name=ticket.group_name, window_area=ticket.window_area,
        people_ahead=ticket.people_ahead, wait_minutes=ticket.wait_minutes, at=at,
        follow_url=ticket.follow_url,
        priority=PRIORITY_WORDS[ticket.priority] if ticket.priority else None,
        printed=printed, print_problem=problem,
        # an offline ticket: the platform that would send the message is away
        send_to_phone=offers_phone(ctx) and not ticket.issued_offline,
        offline=ticket.issued_offline, where=ctx.hall_map is not None)
    # 完成, 返回 or 首页: the person has their number; 发送到手机 and 查看位置 come back to it
    while (got := await ctx.ui.ask(step)) in (Choose(SEND_TO_PHONE), Choose(WHERE)):
        if got == Choose(WHERE):
            await show_group_area(ctx, ticket.group_id, ticket.window_area)
        else:
            await send_to_phone(ctx, ticket_message(ticket))


def ticket_message(ticket: Ticket) -> PhoneMessage:
    """The ticket by SMS: the platform writes the number, the window area and the link."""
    return PhoneMessage("queue_ticket", ticket.token,
                        tr("排队号 {number}、办理窗口和查看排队进度的链接", number=ticket.number))


def slip(ticket: Ticket, at: str) -> Receipt:
    """The printed ticket: the number, where and how long to wait, and the QR to follow it."""
    if ticket.issued_offline:
        return _offline_slip(ticket, at)
    lines = (PRINTED_PRIORITY[ticket.priority],) if ticket.priority else ()
    return Receipt(
        title=f"排队号 {ticket.number}", lines=lines,
        rows=(Row("业务", ticket.group_name), Row("窗口", ticket.window_area),
              Row("前面等候", f"{ticket.people_ahead} 人"),
              Row("预计等候", f"约 {ticket.wait_minutes} 分钟"), Row("取号时间", at)),
        # a queue without a page per ticket (a hall's NovoSGA, say): no code to follow
        qr=QrCode(ticket.follow_url, caption="扫码查看排队进度") if ticket.follow_url else None,
        footer=("请留意叫号，过号请到服务台咨询。",))


# what an offline ticket's slip says (kiosk.offline_queue)
OFFLINE_LINE = "排队系统离线时取号，以窗口叫号为准"


def _offline_slip(ticket: Ticket, at: str) -> Receipt:
    """A ticket numbered here while the queue system was away: said so plainly, the people
    ahead an estimate, no wait estimated, the QR code valid once the ticket has arrived."""
    lines = (OFFLINE_LINE,) + ((PRINTED_PRIORITY[ticket.priority],) if ticket.priority else ())
    return Receipt(
        title=f"排队号 {ticket.number}", lines=lines,
        rows=(Row("业务", ticket.group_name), Row("窗口", ticket.window_area),
              Row("前面等候", f"约 {ticket.people_ahead} 人"), Row("取号时间", at)),
        qr=QrCode(ticket.follow_url, caption="扫码查看排队进度（联网后可查）"),
        footer=("请留意叫号，以窗口叫号为准；过号请到服务台咨询。",))
