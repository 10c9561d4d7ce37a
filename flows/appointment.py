"""预约: book a slot for a service whose kiosk mode is 预约, look up and cancel one's own, or
check in (签到, `flows.appointment_checkin`), from the service's guide.

    what to do             → 预约新时段, 我的预约 (查询、取消), 到场签到
    the slots              → asked of the platform first: nothing bookable, nothing to verify
    identity               → card + face (`flows.identity`): the platform books for the holder
                             of that verification, never for a number typed in
    date, then slot        → large tiles; a full slot is not offered
    confirm                → the service, day, time, window area, holder masked (张*三,
                             110***********123X)
    booked                 → the confirmation on screen and on a slip, both with the QR code
                             that checks in on the day; 发送到手机 texts it (`flows.send_to_phone`:
                             the platform writes the service, day, slot, window area and link)

The five booking screens (identity, day, slot, confirm, booked) say "第 n 步，共 5 步".

A booking whose answer was lost is asked again with the same Idempotency-Key (the person
presses 重试), so it is never made twice. Without the platform nothing is booked: the person
is told plainly.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Final, TypeVar

from central.contract import Service
from central.contract.appointments import (
    Appointment,
    AppointmentDay,
    AppointmentSlot,
    AppointmentSlots,
    Booking,
    BookingRefusal,
    BookingRequest,
)
from common.appointment_service import AppointmentService
from common.citizen_services import ServiceUnavailable
from common.i18n import Text, tr
from devices.printer.receipt import QrCode, Receipt, Row
from flows.appointment_checkin import check_in
from flows.appointment_time import day_words, when_words
from flows.context import FlowContext
from flows.identity import PERSON, Person, verify_identity
from flows.printing import fault_words
from flows.queue_ticket import QueueChoiceStep
from flows.send_to_phone import SEND_TO_PHONE, PhoneMessage, offers_phone, send_to_phone
from flows.steps import BusyStep, Choice, Choose, MessageStep, Nav, Progress, Reply, Step, Tone
from flows.waiting import ask_while, wait_uninterrupted
from kiosk.pii import mask_id_number

BOOK, MINE, CHECK_IN = "book", "mine", "check-in"
CONFIRM, RETRY, HOME, BACK = "confirm", "retry", "home", "back"
CANCEL_PREFIX = "cancel:"  # Choose(CANCEL_PREFIX + token) on the list of my appointments
TAKE_YOUR_CARD = tr("请取走您的证件。")
APPOINTMENTS_DOWN = tr("预约系统暂时无法连接，请稍后再试或到服务台办理。")
REFUSALS: Final[dict[BookingRefusal, Text]] = {
    "SLOT_FULL": tr("这个时段刚刚约满了，请另选一个时段。"),
    "SLOT_UNKNOWN": tr("这个时段已不能预约，请另选一个时段。"),
    "SLOT_PASSED": tr("这个时段已经开始，请另选一个时段。"),
    "ALREADY_BOOKED": tr(
        "您已有该事项的预约，未到时间前不能重复预约。可在“我的预约”中查看或取消。"),
    "NOT_BOOKABLE": tr("本大厅暂不提供该事项的预约，请到服务台咨询。"),
}
STATE_WORDS: Final = {"booked": tr("已预约"), "cancelled": tr("已取消"),
                      "checked_in": tr("已签到")}
CHECK_IN_HINT = "请在预约时段开始前 30 分钟内到大厅自助终端扫码或刷身份证签到。"
# the booking's screens, each always shown once a slot is bookable ("第 n 步，共 5 步")
BOOKING_STAGES: Final = ("identity", "day", "slot", "confirm", "booked")
T = TypeVar("T")


@dataclass(frozen=True)
class AppointmentBookedStep(Step):
    """The confirmation: what, when, where, who (masked), and the QR code to check in with."""

    service_name: str
    when: Text  # 2026年12月8日 星期二 09:00-10:00
    window_area: str
    holder_masked: str
    id_masked: str
    confirmation_url: str  # its QR code
    printed: bool
    print_problem: Text | None = None
    send_to_phone: bool = False  # 发送到手机 offered (flows.send_to_phone)
    progress: Progress | None = None


@dataclass(frozen=True)
class AppointmentView:
    key: str  # CANCEL_PREFIX + token
    service_name: str
    when: Text
    window_area: str
    state: Text
    cancellable: bool


@dataclass(frozen=True)
class AppointmentListStep(Step):
    """我的预约: the holder's appointments from today on, each cancellable until it starts."""

    holder_masked: str
    appointments: tuple[AppointmentView, ...]


class _Failed(Enum):
    FAILED = "failed"


_FAILED: Final = _Failed.FAILED  # the platform could not be asked (None is an answer)


async def make_appointment(ctx: FlowContext, service: Service) -> Text | None:
    """From a 预约 service's guide; returns what home should remind the person of."""
    service_port = ctx.appointments
    if service_port is None:
        await _tell(ctx, tr("暂时无法预约"), APPOINTMENTS_DOWN)
        return None
    what = await _ask_what(ctx, service)
    if what == BOOK:
        return await _book(ctx, service_port, service)
    if what == MINE:
        return await _mine(ctx, service_port, service)
    if what == CHECK_IN:
        return await check_in(ctx)
    return None


async def _ask_what(ctx: FlowContext, service: Service) -> str | None:
    tiles = (Choice(BOOK, tr("预约新时段"), primary=True),
             Choice(MINE, tr("我的预约\n查询、取消")),
             Choice(CHECK_IN, tr("到场签到\n扫预约码或刷身份证")))
    step = QueueChoiceStep(tr("预约"), (service.name, tr("请选择您要办理的预约业务。")), tiles)
    while True:
        got = await ctx.ui.ask(step)
        if isinstance(got, Nav):
            return None
        if isinstance(got, Choose) and got.key in (BOOK, MINE, CHECK_IN):
            return got.key


# -- booking ---------------------------------------------------------------------------------

async def _book(ctx: FlowContext, port: AppointmentService, service: Service) -> Text | None:
    slots = await _asked(ctx, tr("正在查询可预约时间…"), port.slots(service.id))
    if slots is _FAILED:
        return None
    if slots is None or not _bookable(slots):
        none_free = tr("近期的预约时段已约满或暂未开放，请稍后再来查看。")
        await _tell(ctx, tr("暂无可预约时段"),
                    none_free if slots is not None else REFUSALS["NOT_BOOKABLE"])
        return None
    person = await verify_identity(ctx, service, booking_progress("identity"))
    try:
        if person is None:
            return TAKE_YOUR_CARD if ctx.devices.id_reader is not None else None
        if person.verification_id is None:
            await _tell(ctx, tr("暂时无法预约"), tr("需要联网核验身份后才能预约。"))
            return TAKE_YOUR_CARD
        await _choose_and_book(ctx, port, slots, person)
        return TAKE_YOUR_CARD
    finally:
        ctx.session.forget(PERSON)


async def _choose_and_book(ctx: FlowContext, port: AppointmentService, slots: AppointmentSlots,
                           person: Person) -> None:
    assert person.verification_id is not None
    while True:
        day = await _choose_day(ctx, slots)
        if day is None:
            return
        slot = await _slot_confirmed(ctx, slots, day, person)
        if slot is Nav.HOME:
            return
        if slot is Nav.BACK:
            continue
        request = BookingRequest(service_id=slots.service_id, day=day.day, start=slot.start,
                                 holder_name=person.name)
        booking = await _booking(ctx, port, request, person.verification_id)
        if booking is None:
            return
        if booking.appointment is not None:
            await _hand_over(ctx, booking.appointment, person)
            return
        assert booking.refusal is not None
        await _tell(ctx, tr("未能预约"), REFUSALS[booking.refusal])
        if booking.refusal not in ("SLOT_FULL", "SLOT_UNKNOWN", "SLOT_PASSED"):
            return
        fresh = await _asked(ctx, tr("正在查询可预约时间…"), port.slots(slots.service_id))
        if fresh is _FAILED or fresh is None or not _bookable(fresh):
            return
        slots = fresh


async def _slot_confirmed(ctx: FlowContext, slots: AppointmentSlots, day: AppointmentDay,
                          person: Person) -> AppointmentSlot | Nav:
    """A slot of the day the person confirmed; BACK from the confirmation chooses again."""
    while True:
        slot = await _choose_slot(ctx, slots, day)
        if isinstance(slot, Nav):
            return slot
        confirmed = await _confirm(ctx, slots, day.day, slot, person)
        if confirmed is None:
            return slot
        if confirmed is Nav.HOME:
            return Nav.HOME


def booking_progress(stage: str) -> Progress:
    """Where the person is in booking: "第 n 步，共 5 步"."""
    return Progress(BOOKING_STAGES.index(stage) + 1, len(BOOKING_STAGES))


def _bookable(slots: AppointmentSlots) -> bool:
    return any(s.free > 0 for d in slots.days for s in d.slots)


async def _choose_day(ctx: FlowContext, slots: AppointmentSlots) -> AppointmentDay | None:
    days = [d for d in slots.days if any(s.free > 0 for s in d.slots)]
    tiles = tuple(Choice(d.day.isoformat(), tr("{day}\n可约 {free} 人", day=day_words(d.day),
                                                free=sum(s.free for s in d.slots)))
                  for d in days)
    step = QueueChoiceStep(tr("请选择预约日期"), (tr("{service} · {area}",
                                                      service=slots.service_name,
                                                      area=slots.window_area),), tiles,
                           booking_progress("day"))
    while True:
        got = await ctx.ui.ask(step)
        if isinstance(got, Nav):
            return None
        if isinstance(got, Choose):
            chosen = next((d for d in days if d.day.isoformat() == got.key), None)
            if chosen is not None:
                return chosen


async def _choose_slot(ctx: FlowContext, slots: AppointmentSlots,
                       day: AppointmentDay) -> AppointmentSlot | Nav:
    free = [s for s in day.slots if s.free > 0]
    tiles = tuple(Choice(s.start, tr("{start}-{end}\n余 {free} 个名额", start=s.start, end=s.end,
                                     free=s.free)) for s in free)
    lines: list[Text | str] = [day_words(day.day)]
    if len(free) < len(day.slots):
        lines.append(tr("已约满的时段不再显示。"))
    step = QueueChoiceStep(tr("请选择预约时段"), tuple(lines), tiles, booking_progress("slot"))
    while True:
        got = await ctx.ui.ask(step)
        if isinstance(got, Nav):
            return got
        if isinstance(got, Choose):
            chosen = next((s for s in free if s.start == got.key), None)
            if chosen is not None:
                return chosen


async def _confirm(ctx: FlowContext, slots: AppointmentSlots, day: date, slot: AppointmentSlot,
                   person: Person) -> Nav | None:
    lines = (tr("事项：{name}", name=slots.service_name),
             tr("时间：{when}", when=when_words(day, slot.start, slot.end)),
             tr("地点：{area}", area=slots.window_area),
             tr("预约人：{name}", name=person.masked_name),
             tr("证件号码：{number}", number=mask_id_number(person.id_number)))
    step = MessageStep(tr("请确认预约信息"), lines,
                       (Choice(BACK, tr("重新选择")),
                        Choice(CONFIRM, tr("确认预约"), primary=True)),
                       progress=booking_progress("confirm"))
    while True:
        got = await ctx.ui.ask(step)
        if got == Choose(CONFIRM):
            return None
        if got == Choose(BACK):
            return Nav.BACK
        if isinstance(got, Nav):
            return got


async def _booking(ctx: FlowContext, port: AppointmentService, request: BookingRequest,
                   verification_id: str) -> Booking | None:
    """The platform's answer; when it could not be had the person may try again, with the
    same key, so a booking made but not heard of is found, not made twice."""
    key = uuid.uuid4().hex
    while True:
        try:
            return await wait_uninterrupted(
                ctx.ui, BusyStep(tr("正在预约…"), booking_progress("confirm")),
                port.book(request, verification_id, key))
        except ServiceUnavailable as error:
            step = MessageStep(tr("预约结果未能确认"), (
                tr(error.user_message), tr("重试不会重复预约。")),
                (Choice(HOME, tr("返回首页")), Choice(RETRY, tr("重试"), primary=True)),
                tone="warning")
            if await ctx.ui.ask(step) != Choose(RETRY):
                return None


async def _hand_over(ctx: FlowContext, appointment: Appointment, person: Person) -> None:
    """Prints the confirmation slip, then shows it until the person is done; 发送到手机
    comes back to it."""
    id_masked = mask_id_number(person.id_number)
    printed, problem = False, tr("本机没有凭条打印机。")
    if (printer := ctx.devices.receipt_printer) is not None:
        result = await wait_uninterrupted(
            ctx.ui, BusyStep(tr("正在打印预约凭条…"), booking_progress("booked")),
            printer.print_receipt(slip(appointment, id_masked)))
        printed = result.printed
        problem = None if printed else tr("{what}，预约凭条没有打印好。",
                                          what=fault_words(result.code))
        if printed:
            ctx.count("prints")
    ctx.count("services")
    step = AppointmentBookedStep(
        service_name=appointment.service_name,
        when=when_words(appointment.day, appointment.start, appointment.end),
        window_area=appointment.window_area, holder_masked=appointment.holder_masked,
        id_masked=id_masked, confirmation_url=appointment.confirmation_url, printed=printed,
        print_problem=problem, send_to_phone=offers_phone(ctx),
        progress=booking_progress("booked"))
    while await ctx.ui.ask(step) == Choose(SEND_TO_PHONE):
        await send_to_phone(ctx, appointment_message(appointment))


def appointment_message(appointment: Appointment) -> PhoneMessage:
    """The confirmation by SMS: the platform writes the service, day, slot, window area and
    the confirmation's link (nothing else of the person)."""
    return PhoneMessage("appointment", appointment.token,
                        tr("{service}的预约日期、时段、办理地点和预约凭证链接",
                           service=appointment.service_name))


def slip(appointment: Appointment, id_masked: str) -> Receipt:
    """The printed confirmation (the hall's language, as every slip): its QR code checks in."""
    day = appointment.day
    return Receipt(
        title="预约凭证", lines=(appointment.service_name,),
        rows=(Row("日期", f"{day.year}年{day.month}月{day.day}日"),
              Row("时段", f"{appointment.start}-{appointment.end}"),
              Row("地点", appointment.window_area), Row("预约人", appointment.holder_masked),
              Row("证件号码", id_masked)),
        qr=QrCode(appointment.confirmation_url, caption="签到时请扫描此码"),
        footer=(CHECK_IN_HINT,))


# -- my appointments -------------------------------------------------------------------------

async def _mine(ctx: FlowContext, port: AppointmentService, service: Service) -> Text | None:
    person = await verify_identity(ctx, service)
    try:
        if person is None:
            return TAKE_YOUR_CARD if ctx.devices.id_reader is not None else None
        if person.verification_id is None:
            await _tell(ctx, tr("暂时无法查询"), tr("需要联网核验身份后才能查询本人预约。"))
            return TAKE_YOUR_CARD
        await _list_and_cancel(ctx, port, person, person.verification_id)
        return TAKE_YOUR_CARD
    finally:
        ctx.session.forget(PERSON)


async def _list_and_cancel(ctx: FlowContext, port: AppointmentService, person: Person,
                           verification_id: str) -> None:
    counted = False
    while True:
        mine = await _asked(ctx, tr("正在查询您的预约…"), port.mine(verification_id))
        if mine is _FAILED:
            return
        if not counted:  # one lookup served, however often the list is shown again
            ctx.count("services")
            counted = True
        views = tuple(_view(a, ctx) for a in mine)
        got = await ctx.ui.ask(AppointmentListStep(person.masked_name, views))
        if isinstance(got, Nav):
            return
        if not isinstance(got, Choose) or not got.key.startswith(CANCEL_PREFIX):
            continue
        chosen = next((a for a in mine if CANCEL_PREFIX + a.token == got.key), None)
        if chosen is not None and await _confirm_cancel(ctx, chosen):
            cancelled = await _asked(ctx, tr("正在取消预约…"),
                                     port.cancel(chosen.token, verification_id))
            if cancelled is _FAILED:
                return
            await _cancel_told(ctx, None if cancelled is None else cancelled.outcome)


def _view(appointment: Appointment, ctx: FlowContext) -> AppointmentView:
    cancellable = appointment.state == "booked" and (
        appointment.day > ctx.now().date()
        or (appointment.day == ctx.now().date()
            and appointment.start > ctx.now().strftime("%H:%M")))
    return AppointmentView(
        key=CANCEL_PREFIX + appointment.token, service_name=appointment.service_name,
        when=when_words(appointment.day, appointment.start, appointment.end),
        window_area=appointment.window_area, state=STATE_WORDS[appointment.state],
        cancellable=cancellable)


async def _confirm_cancel(ctx: FlowContext, appointment: Appointment) -> bool:
    got = await ctx.ui.ask(MessageStep(
        tr("确定取消这个预约吗？"),
        (appointment.service_name,
         when_words(appointment.day, appointment.start, appointment.end)),
        (Choice(BACK, tr("不取消")), Choice(CONFIRM, tr("确定取消"), primary=True)),
        tone="warning"))
    return got == Choose(CONFIRM)


async def _cancel_told(ctx: FlowContext, outcome: str | None) -> None:
    if outcome in ("cancelled", "already_cancelled"):
        await _tell(ctx, tr("预约已取消"), tr("该时段已释放，如需办理请重新预约。"), tone="success")
    elif outcome == "started":
        await _tell(ctx, tr("无法取消"), tr("预约时段已经开始，不能再取消。"))
    elif outcome == "checked_in":
        await _tell(ctx, tr("无法取消"), tr("该预约已签到，请到窗口办理或咨询工作人员。"))
    else:
        await _tell(ctx, tr("无法取消"), tr("没有找到这个预约，请刷新后再试。"))


# -- shared ----------------------------------------------------------------------------------

async def _asked(ctx: FlowContext, busy: Text, question: Awaitable[T]) -> T | _Failed:
    """The platform's answer, or `_FAILED` once the person was told it could not be asked."""
    try:
        got = await ask_while(ctx.ui, BusyStep(busy), question)
    except ServiceUnavailable as error:
        await _tell(ctx, tr("暂时无法连接预约系统"), tr(error.user_message))
        return _FAILED
    if isinstance(got, Nav):
        return _FAILED
    assert not isinstance(got, Reply)  # a BusyStep is answered only by the bottom bar
    return got


async def _tell(ctx: FlowContext, title: Text, line: Text, *, tone: Tone = "warning") -> None:
    await ctx.ui.ask(MessageStep(title, (line,), (Choice(BACK, tr("返回"), primary=True),),
                                 tone=tone))
