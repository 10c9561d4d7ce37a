"""预约 and 签到 as a person goes through them: book after identity (date, slot, confirm with
the holder masked, the slip with its QR code), my appointments and cancelling, and checking
in by the confirmation's QR code or the ID card for a priority ticket; with the platform up,
slow (timing out), down and answering nonsense, nothing is half done and a lost answer never
makes two bookings; the booking screens count their five steps, and the confirmation goes to
the phone (发送到手机) where the kiosk can send one."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

import pytest

from central.contract.appointments import (
    Appointment,
    AppointmentDay,
    AppointmentSlot,
    AppointmentSlots,
    Booking,
    BookingRefusal,
    BookingRequest,
    Cancellation,
    CheckIn,
    CheckInOutcome,
    CheckInRequest,
)
from central.contract.queue import Ticket
from flows.appointment import (
    BOOK,
    CANCEL_PREFIX,
    CHECK_IN,
    CONFIRM,
    MINE,
    RETRY,
    AppointmentBookedStep,
    AppointmentListStep,
    make_appointment,
)
from flows.appointment_checkin import TAKE_NUMBER, check_in
from flows.citizen import SERVICE_OWN_FLOWS, serve_citizen
from flows.queue_ticket import CHECK_IN as QUEUE_CHECK_IN
from flows.queue_ticket import OpenQueue, QueueChoiceStep, QueueTicketStep
from flows.send_to_phone import AGREE, SEND, SEND_TO_PHONE, SmsConfirmStep, SmsConsentStep
from flows.send_to_phone import RETRY as PHONE_RETRY
from flows.steps import Choose, Entered, IdentityStep, MessageStep, Nav, Progress
from kiosk.platform_client import PlatformError, PlatformErrorKind
from tests.flows.kiosk_harness import CARDS, Kiosk, unreachable
from tests.flows.scripted_ui import ScriptedUi, ScriptEnded, Wait
from tests.flows.test_queue_ticket import FakeQueue
from tests.flows.test_send_to_phone import FakePhone

MONDAY, TUESDAY = date(2026, 11, 23), date(2026, 11, 24)  # the harness's NOW: Monday 10:00
TOKEN = "c" * 32
URL = "https://platform.example/appointment/" + TOKEN
AREA = "二楼 C 区 9-12 号窗口"


def slot(start: str, end: str, free: int) -> AppointmentSlot:
    return AppointmentSlot(start=start, end=end, capacity=2, free=free)


SLOTS = AppointmentSlots(service_id="SS-025", service_name="婚姻登记预约", window_area=AREA, days=[
    AppointmentDay(day=MONDAY, slots=[slot("14:00", "15:00", 0), slot("15:00", "16:00", 1)]),
    AppointmentDay(day=TUESDAY, slots=[slot("09:00", "10:00", 2), slot("10:00", "11:00", 0)])])


def appointment(state: str = "booked", day: date = TUESDAY, start: str = "09:00",
                end: str = "10:00", token: str = TOKEN) -> Appointment:
    return Appointment(token=token, service_id="SS-025", service_name="婚姻登记预约", day=day,
                       start=start, end=end, window_area=AREA, holder_masked="张*",
                       state=state,
                       booked_at=datetime(2026, 11, 23, 2, tzinfo=UTC),
                       confirmation_url="https://platform.example/appointment/" + token)


TICKET = Ticket(number="CP001", group_id="C", group_name="综合受理", window_area=AREA,
                priority="appointment", people_ahead=0, wait_minutes=0,
                taken_at=datetime(2026, 11, 23, 2, tzinfo=UTC), token="t" * 32,
                follow_url="https://platform.example/queue/ticket/" + "t" * 32)


@dataclass
class FakeAppointments:
    """The platform's appointments as the contract answers; `fail` makes the next calls of a
    name raise (down, slow, nonsense), `lose_answer` books but loses the answer once."""

    fail: dict[str, list[PlatformError]] = field(default_factory=dict)
    refusal: BookingRefusal | None = None
    lose_answer: bool = False
    outcome: CheckInOutcome = "checked_in"
    bookings: dict[str, BookingRequest] = field(default_factory=dict)  # by key
    cancelled: list[str] = field(default_factory=list)
    check_ins: list[CheckInRequest] = field(default_factory=list)
    slots_asked: int = 0

    def _failing(self, name: str) -> None:
        if self.fail.get(name):
            raise self.fail[name].pop(0)

    async def slots(self, service_id: str) -> AppointmentSlots | None:
        self.slots_asked += 1
        self._failing("slots")
        return SLOTS if service_id == "SS-025" else None

    async def book(self, request: BookingRequest, verification_id: str,
                   idempotency_key: str) -> Booking:
        self._failing("book")
        if self.refusal is not None:
            refusal, self.refusal = self.refusal, None
            return Booking(refusal=refusal)
        self.bookings[idempotency_key] = request
        if self.lose_answer:
            self.lose_answer = False
            raise PlatformError(PlatformErrorKind.TIMEOUT, "answer lost")
        return Booking(appointment=appointment(day=request.day, start=request.start))

    async def mine(self, verification_id: str) -> list[Appointment]:
        self._failing("mine")
        state = "cancelled" if self.cancelled else "booked"
        return [appointment(state=state), appointment("checked_in", MONDAY, "09:00", "10:00",
                                                      "d" * 32)]

    async def cancel(self, token: str, verification_id: str) -> Cancellation | None:
        self._failing("cancel")
        self.cancelled.append(token)
        return Cancellation(outcome="cancelled", appointment=appointment("cancelled"))

    async def check_in(self, request: CheckInRequest) -> CheckIn:
        self._failing("check_in")
        self.check_ins.append(request)
        if self.outcome == "checked_in":
            return CheckIn(outcome="checked_in", ticket=TICKET,
                           appointment=appointment("checked_in", MONDAY, "10:00", "11:00"))
        return CheckIn(outcome=self.outcome, appointment=appointment(day=MONDAY, start="14:00",
                                                                     end="15:00"))


def nonsense() -> PlatformError:
    return PlatformError(PlatformErrorKind.MALFORMED, "not JSON")


def slow() -> PlatformError:
    return PlatformError(PlatformErrorKind.TIMEOUT, "no answer in time")


@pytest.fixture
def kiosk(seed_catalog) -> Kiosk:
    return Kiosk(ScriptedUi([]), seed_catalog)


def render(text) -> str:
    return text if isinstance(text, str) else text.render()


def book(kiosk: Kiosk, port: FakeAppointments | None, queue: FakeQueue | None = None):
    service = kiosk.service("SS-025")
    return kiosk.run(lambda ctx: make_appointment(replace(ctx, appointments=port, queue=queue),
                                                  service))


def card_and_face(kiosk: Kiosk) -> list:
    """The identity steps: the card placed on the reader, the face camera answers itself."""
    return [Wait(lambda step: kiosk.id_reader.insert(CARDS["resident"])), Wait()]


def test_a_booking_after_identity_with_the_slip_and_its_qr_code(kiosk) -> None:
    port = FakeAppointments()
    kiosk.ui.script = [Choose(BOOK), *card_and_face(kiosk), Choose(TUESDAY.isoformat()),
                       Choose("09:00"), Choose(CONFIRM), Choose("done")]
    assert render(book(kiosk, port)) == "请取走您的证件。"
    (request,) = port.bookings.values()
    assert (request.day, request.start, request.holder_name) == (TUESDAY, "09:00", "张三")
    days, slots = kiosk.ui.of_type(QueueChoiceStep)[1:]
    assert [render(t.label) for t in days.tiles] == ["11月23日 星期一\n可约 1 人",
                                                     "11月24日 星期二\n可约 2 人"]
    assert [render(t.label) for t in slots.tiles] == ["09:00-10:00\n余 2 个名额"]  # full: absent
    assert "已约满的时段不再显示。" in [render(line) for line in slots.lines]
    confirm = next(s for s in kiosk.ui.of_type(MessageStep) if render(s.title) == "请确认预约信息")
    shown = " ".join(render(line) for line in confirm.lines)
    assert "预约人：张*" in shown and "证件号码：110***********0011" in shown
    assert "张三" not in shown and "110101199003070011" not in shown
    (booked,) = kiosk.ui.of_type(AppointmentBookedStep)
    assert booked.printed and booked.confirmation_url == URL
    assert render(booked.when) == "2026年11月24日 星期二 09:00-10:00"
    slip = kiosk.receipt_printer.last_text()
    for words in ("预约凭证", "婚姻登记预约", "09:00-10:00", AREA, "张*", "110***********0011"):
        assert words in slip
    assert "110101199003070011" not in slip
    assert kiosk.receipt_printer.receipts[-1].qr.payload == URL
    assert kiosk.session.get("person") is None, "forgotten after booking"
    assert kiosk.counts == ["prints", "services"]


def test_a_lost_answer_is_asked_again_with_the_same_key(kiosk) -> None:
    port = FakeAppointments(lose_answer=True)
    kiosk.ui.script = [Choose(BOOK), *card_and_face(kiosk), Choose(TUESDAY.isoformat()),
                       Choose("09:00"), Choose(CONFIRM), Choose(RETRY), Choose("done")]
    book(kiosk, port)
    assert len(port.bookings) == 1, "one key: the platform made one booking"
    told = next(s for s in kiosk.ui.of_type(MessageStep)
                if render(s.title) == "预约结果未能确认")
    assert "重试不会重复预约。" in [render(line) for line in told.lines]
    assert len(kiosk.ui.of_type(AppointmentBookedStep)) == 1


def test_a_lost_answer_left_is_not_told_as_booked(kiosk) -> None:
    port = FakeAppointments(fail={"book": [unreachable()]})
    kiosk.ui.script = [Choose(BOOK), *card_and_face(kiosk), Choose(TUESDAY.isoformat()),
                       Choose("09:00"), Choose(CONFIRM), Choose("home")]
    book(kiosk, port)
    assert not kiosk.ui.of_type(AppointmentBookedStep) and not kiosk.receipt_printer.receipts


def test_a_slot_taken_meanwhile_offers_the_fresh_slots(kiosk) -> None:
    port = FakeAppointments(refusal="SLOT_FULL")
    kiosk.ui.script = [Choose(BOOK), *card_and_face(kiosk), Choose(TUESDAY.isoformat()),
                       Choose("09:00"), Choose(CONFIRM), Choose("back"),
                       Choose(MONDAY.isoformat()), Choose("15:00"), Choose(CONFIRM),
                       Choose("done")]
    book(kiosk, port)
    assert "刚刚约满" in " ".join(render(s.lines[0]) for s in kiosk.ui.of_type(MessageStep))
    assert [r.start for r in port.bookings.values()] == ["15:00"]
    assert port.slots_asked == 2


@pytest.mark.parametrize("failure", [unreachable, slow, nonsense])
def test_the_platform_down_slow_or_talking_nonsense_books_nothing(kiosk, failure) -> None:
    port = FakeAppointments(fail={"slots": [failure()]})
    kiosk.ui.script = [Choose(BOOK), Choose("back")]
    assert book(kiosk, port) is None
    told = kiosk.ui.of_type(MessageStep)[-1]
    assert render(told.title) == "暂时无法连接预约系统"
    assert "政务服务平台" in render(told.lines[0]) or "网络" in render(told.lines[0])
    assert not kiosk.ui.of_type(IdentityStep), "nothing to verify for"
    assert not port.bookings


def test_no_appointments_configured_says_so(kiosk) -> None:
    kiosk.ui.script = [Choose("back")]
    book(kiosk, None)
    assert render(kiosk.ui.of_type(MessageStep)[0].title) == "暂时无法预约"


def test_nonsense_choices_ask_again(kiosk) -> None:
    port = FakeAppointments()
    kiosk.ui.script = [Choose("nope"), Choose(BOOK), *card_and_face(kiosk), Choose("1999-01-01"),
                       Choose(TUESDAY.isoformat()), Choose("10:00"), Choose("09:00"),
                       Nav.BACK, Choose("09:00"), Choose(CONFIRM), Choose("done")]
    book(kiosk, port)
    assert [r.start for r in port.bookings.values()] == ["09:00"]


def test_my_appointments_listed_and_one_cancelled(kiosk) -> None:
    port = FakeAppointments()
    kiosk.ui.script = [Choose(MINE), *card_and_face(kiosk),
                       Choose(CANCEL_PREFIX + TOKEN), Choose(CONFIRM), Choose("back"), Nav.HOME]
    book(kiosk, port)
    assert port.cancelled == [TOKEN]
    first, second = kiosk.ui.of_type(AppointmentListStep)
    assert first.holder_masked == "张*"
    assert [(v.cancellable, render(v.state)) for v in first.appointments] == [
        (True, "已预约"), (False, "已签到")]
    assert render(second.appointments[0].state) == "已取消"
    assert any(render(s.title) == "预约已取消" for s in kiosk.ui.of_type(MessageStep))


def test_cancelling_can_be_called_off(kiosk) -> None:
    port = FakeAppointments()
    kiosk.ui.script = [Choose(MINE), *card_and_face(kiosk), Choose(CANCEL_PREFIX + TOKEN),
                       Choose("back"), Nav.HOME]
    book(kiosk, port)
    assert port.cancelled == []


def test_cancelling_with_the_platform_away_says_so(kiosk) -> None:
    port = FakeAppointments(fail={"cancel": [unreachable()]})
    kiosk.ui.script = [Choose(MINE), *card_and_face(kiosk), Choose(CANCEL_PREFIX + TOKEN),
                       Choose(CONFIRM), Choose("back")]
    book(kiosk, port)
    assert render(kiosk.ui.of_type(MessageStep)[-1].title) == "暂时无法连接预约系统"
    assert port.cancelled == []


def run_check_in(kiosk: Kiosk, port: FakeAppointments | None, queue: FakeQueue | None = None):
    return kiosk.run(lambda ctx: check_in(replace(ctx, appointments=port, queue=queue)))


def test_check_in_by_the_confirmation_qr_code_prints_a_priority_ticket(kiosk) -> None:
    port = FakeAppointments()
    kiosk.ui.script = [Wait(lambda step: kiosk.code_scanner.scan(URL)), Choose("done")]
    assert run_check_in(kiosk, port) is None
    assert port.check_ins == [CheckInRequest(token=TOKEN)]
    (ticket,) = kiosk.ui.of_type(QueueTicketStep)
    assert ticket.number == "CP001" and render(ticket.priority) == "预约签到"
    assert "优先号：预约签到" in kiosk.receipt_printer.last_text()


def test_check_in_by_the_id_card(kiosk) -> None:
    port = FakeAppointments()
    kiosk.ui.script = [Wait(lambda step: kiosk.id_reader.insert(CARDS["resident"])),
                       Choose("done")]
    assert render(run_check_in(kiosk, port)) == "请取走您的证件。"
    assert port.check_ins == [CheckInRequest(id_number="110101199003070011")]
    assert kiosk.ui.of_type(QueueTicketStep)[0].number == "CP001"


def test_a_code_that_is_not_a_confirmation_is_not_sent(kiosk) -> None:
    port = FakeAppointments()
    kiosk.ui.script = [Wait(lambda step: kiosk.code_scanner.scan(
        "https://platform.example/appointment/short")), Nav.HOME]
    run_check_in(kiosk, port)
    assert port.check_ins == []
    second = kiosk.ui.of_type(MessageStep)[-1]
    assert "不是预约凭条上的二维码" in render(second.lines[-1])


@pytest.mark.parametrize(("outcome", "title", "words"), [
    ("too_early", "还没到签到时间", "2026年11月23日 星期一 14:00-15:00，请在开始前 30 分钟内签到"),
    ("too_late", "预约时段已过", "已经结束"),
    ("cancelled", "该预约已取消", "重新预约"),
    ("not_today", "不是今天的预约", "请在当天签到"),
    ("other_hall", "不是本大厅的预约", "请到您预约的大厅签到"),
    ("no_appointment", "没有查到预约", "可以直接取号"),
])
def test_each_refusal_is_told_plainly(kiosk, outcome, title, words) -> None:
    port = FakeAppointments(outcome=outcome)
    kiosk.ui.script = [Wait(lambda step: kiosk.code_scanner.scan(URL)), Choose("back"), Nav.HOME]
    run_check_in(kiosk, port)
    told = kiosk.ui.of_type(MessageStep)[1]
    assert render(told.title) == title and words in render(told.lines[0])
    assert not kiosk.ui.of_type(QueueTicketStep) and not kiosk.receipt_printer.receipts


@pytest.mark.parametrize("failure", [unreachable, slow, nonsense])
def test_check_in_with_the_platform_away_issues_nothing(kiosk, failure) -> None:
    port = FakeAppointments(fail={"check_in": [failure()]})
    kiosk.ui.script = [Wait(lambda step: kiosk.code_scanner.scan(URL)), Choose("back")]
    run_check_in(kiosk, port)
    assert render(kiosk.ui.of_type(MessageStep)[-1].title) == "暂时无法签到"
    assert not kiosk.ui.of_type(QueueTicketStep) and not kiosk.receipt_printer.receipts


def test_without_an_appointment_a_number_is_taken_instead(kiosk) -> None:
    queue = FakeQueue()
    kiosk.ui.script = [Choose(TAKE_NUMBER), Choose("A"), Choose("regular"), Choose("done")]
    run_check_in(kiosk, FakeAppointments(), queue)
    assert queue.taken == [("A", None)]


def test_check_in_from_the_appointment_services_guide(kiosk) -> None:
    port = FakeAppointments()
    kiosk.ui.script = [Choose(CHECK_IN), Wait(lambda step: kiosk.code_scanner.scan(URL)),
                       Choose("done")]
    book(kiosk, port)
    assert kiosk.ui.of_type(QueueTicketStep)[0].number == "CP001"


def test_ss093_s_guide_starts_check_in(kiosk) -> None:
    flow, label = SERVICE_OWN_FLOWS["SS-093"]
    port = FakeAppointments()
    kiosk.ui.script = [Wait(lambda step: kiosk.code_scanner.scan(URL)), Choose("done")]
    kiosk.run(lambda ctx: flow(replace(ctx, appointments=port), kiosk.service("SS-093")))
    assert render(label) == "预约签到 / 取号"
    assert port.check_ins == [CheckInRequest(token=TOKEN)]


def test_check_in_from_the_queue_s_first_screen(kiosk) -> None:
    port, queue = FakeAppointments(), FakeQueue()
    kiosk.ui.script = [OpenQueue(), Choose(QUEUE_CHECK_IN),
                       Wait(lambda step: kiosk.code_scanner.scan(URL)), Choose("done")]
    with pytest.raises(ScriptEnded):  # back home, where the script ends
        kiosk.run(lambda ctx: serve_citizen(replace(ctx, queue=queue, appointments=port)))
    groups = kiosk.ui.of_type(QueueChoiceStep)[0]
    assert render(groups.tiles[-1].label) == "预约签到\n已预约的请点这里"
    assert port.check_ins == [CheckInRequest(token=TOKEN)] and queue.taken == []
    assert kiosk.ui.of_type(QueueTicketStep)[0].number == "CP001"


def test_the_queue_offers_no_check_in_without_appointments(kiosk) -> None:
    queue = FakeQueue()
    kiosk.ui.script = [OpenQueue(), Nav.HOME]
    with pytest.raises(ScriptEnded):
        kiosk.run(lambda ctx: serve_citizen(replace(ctx, queue=queue)))
    groups = kiosk.ui.of_type(QueueChoiceStep)[0]
    assert [t.key for t in groups.tiles] == ["A", "B"]


def test_the_booking_screens_say_which_of_five_steps_the_person_is_on(kiosk: Kiosk) -> None:
    kiosk.ui.script = [Choose(BOOK), *card_and_face(kiosk), Choose(TUESDAY.isoformat()),
                       Choose("09:00"), Choose(CONFIRM), Choose("done")]
    book(kiosk, FakeAppointments())
    what, days, slots = kiosk.ui.of_type(QueueChoiceStep)
    assert what.progress is None, "the choice of what to do comes before the booking"
    (identity,) = kiosk.ui.of_type(IdentityStep)
    confirm = next(s for s in kiosk.ui.of_type(MessageStep) if render(s.title) == "请确认预约信息")
    (booked,) = kiosk.ui.of_type(AppointmentBookedStep)
    assert [s.progress for s in (identity, days, slots, confirm, booked)] == [
        Progress(n, 5) for n in range(1, 6)]
    counted = [getattr(s, "progress", None) for s in kiosk.ui.shown]
    assert {p.total for p in counted if isinstance(p, Progress)} == {5}, "one total throughout"


def test_the_confirmation_sent_to_the_phone_from_the_booked_screen(kiosk: Kiosk) -> None:
    phone = FakePhone(failures=[PlatformError(PlatformErrorKind.TIMEOUT, "answer lost")])
    kiosk.ui.script = [Choose(BOOK), *card_and_face(kiosk), Choose(TUESDAY.isoformat()),
                       Choose("09:00"), Choose(CONFIRM), Choose(SEND_TO_PHONE), Choose(AGREE),
                       Entered("13812345678"), Choose(SEND), Choose(PHONE_RETRY),
                       Choose("done"), Choose("done")]
    service = kiosk.service("SS-025")
    kiosk.run(lambda ctx: make_appointment(
        replace(ctx, appointments=FakeAppointments(), phone=phone), service))
    first, again = kiosk.ui.of_type(AppointmentBookedStep)
    assert first.send_to_phone and again == first, "the confirmation again after sending"
    assert phone.calls[0] == phone.calls[1], "重试 is the same message (the same key)"
    (kind, reference, number, _key) = phone.calls[0]
    assert (kind, reference, number) == ("appointment", TOKEN, "13812345678")
    (consent,) = kiosk.ui.of_type(SmsConsentStep)
    assert "婚姻登记预约" in render(consent.what)
    assert [c.masked_phone for c in kiosk.ui.of_type(SmsConfirmStep)] == ["138****5678"]
    assert render(kiosk.ui.of_type(MessageStep)[-1].title) == "短信已发送"


def test_no_sms_is_offered_on_a_kiosk_that_cannot_send_one(kiosk: Kiosk) -> None:
    kiosk.ui.script = [Choose(BOOK), *card_and_face(kiosk), Choose(TUESDAY.isoformat()),
                       Choose("09:00"), Choose(CONFIRM), Choose("done")]
    book(kiosk, FakeAppointments())  # the harness's kiosk has no phone port
    (booked,) = kiosk.ui.of_type(AppointmentBookedStep)
    assert not booked.send_to_phone
