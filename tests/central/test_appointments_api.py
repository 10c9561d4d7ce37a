"""预约 on the reference platform: slots from configuration, booking by the verified holder
(once per key, never over capacity), listing and cancelling their own only, 签到 by the
confirmation's token or the ID card within its window for a priority ticket, each refusal
plain, hostile requests refused, the confirmation page for the phone."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from central import appointments
from central.contract import HEADER_IDEMPOTENCY_KEY, HEADER_VERIFICATION, Holder
from central.contract.appointments import (
    Appointments,
    AppointmentSlots,
    Booking,
    BookingRequest,
    Cancellation,
    CheckIn,
    CheckInRequest,
)
from central.identity.reference import LI_XIUYING, ZHANG_SAN
from tests.central.citizen import JSON, good_face, id_card, new_key, verify
from tests.central.helpers import Clock

CHINA = timezone(timedelta(hours=8))
MONDAY = date(2026, 12, 7)
SLOTS = "/api/v1/appointments/slots"
APPOINTMENTS = "/api/v1/appointments"
CHECK_IN = "/api/v1/appointments/check-in"


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 12, 7, 8, 0, tzinfo=CHINA))  # a Monday, 08:00 in the hall


def at(clock: Clock, day: date, hh_mm: str) -> None:
    clock.now = datetime.combine(day, datetime.strptime(hh_mm, "%H:%M").time(), CHINA)


def verified(client, holder: Holder = ZHANG_SAN) -> dict[str, str]:
    verification = verify(client, id_card(holder), good_face())
    assert verification.verification_id is not None
    return {HEADER_VERIFICATION: verification.verification_id}


def book(client, who: dict[str, str], *, service: str = "SS-025", day: date = MONDAY,
         start: str = "10:00", key: str | None = None, name: str = "张三"):
    body = {"service_id": service, "day": day.isoformat(), "start": start, "holder_name": name}
    return client.post(APPOINTMENTS, json=body,
                       headers={**JSON, **who, HEADER_IDEMPOTENCY_KEY: key or new_key()})


def booking(client, who: dict[str, str], **fields) -> Booking:
    answer = book(client, who, **fields)
    assert answer.status_code in (200, 201), answer.text
    return Booking.model_validate_json(answer.content)


def check_in(client, **body) -> CheckIn:
    answer = client.post(CHECK_IN, json=body, headers=JSON)
    assert answer.status_code == 200, answer.text
    return CheckIn.model_validate_json(answer.content)


def slots(client, service: str = "SS-025") -> AppointmentSlots:
    answer = client.get(f"{SLOTS}/{service}")
    assert answer.status_code == 200, answer.text
    return AppointmentSlots.model_validate_json(answer.content)


def test_slots_are_the_hall_s_working_days_with_their_free_places(clocked_client) -> None:
    shown = slots(clocked_client)
    assert shown.service_name == "婚姻登记预约"
    assert shown.window_area == "二楼 C 区 9-12 号窗口"
    days = [d.day for d in shown.days]
    assert days == [MONDAY + timedelta(days=n) for n in range(5)]  # Monday to Friday
    assert [s.start for s in shown.days[0].slots] == [
        "09:00", "10:00", "11:00", "14:00", "15:00", "16:00"]
    assert {s.free for d in shown.days for s in d.slots} == {2}


def test_a_slot_that_has_started_is_not_offered(clocked_client, clock) -> None:
    at(clock, MONDAY, "10:30")
    assert [s.start for s in slots(clocked_client).days[0].slots] == [
        "11:00", "14:00", "15:00", "16:00"]


def test_a_service_without_appointments_has_no_slots(clocked_client) -> None:
    answer = clocked_client.get(f"{SLOTS}/SS-001")
    assert answer.status_code == 404
    assert answer.json()["code"] == "APPOINTMENT_NOT_BOOKABLE"


def test_booking_keeps_the_name_masked_and_takes_a_place(clocked_client) -> None:
    made = booking(clocked_client, verified(clocked_client)).appointment
    assert made is not None
    assert (made.holder_masked, made.start, made.end, made.state) == (
        "张*", "10:00", "11:00", "booked")
    assert made.confirmation_url.endswith(f"/appointment/{made.token}")
    ten = next(s for s in slots(clocked_client).days[0].slots if s.start == "10:00")
    assert ten.free == 1
    with clocked_client.app.state.sessions() as session:
        record = appointments.find(session, made.token)
        assert record is not None
        stored = " ".join(str(v) for v in vars(record).values())
    assert ZHANG_SAN.id_number not in stored and "张三" not in stored


def test_a_repeated_key_is_the_same_booking_and_a_changed_body_is_refused(
        clocked_client) -> None:
    who, key = verified(clocked_client), new_key()
    first = book(clocked_client, who, key=key)
    again = book(clocked_client, who, key=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["appointment"]["token"] == again.json()["appointment"]["token"]
    other = book(clocked_client, who, key=key, start="11:00")
    assert other.status_code == 409


def test_a_full_slot_is_refused_and_one_pending_booking_per_service(clocked_client) -> None:
    assert booking(clocked_client, verified(clocked_client)).appointment is not None
    assert booking(clocked_client, verified(clocked_client, LI_XIUYING),
                   name="李秀英").appointment is not None
    third = booking(clocked_client, verified(clocked_client, Holder(
        name="王五", id_number="110101198001010010")), name="王五")
    assert third.refusal == "SLOT_FULL"
    twice = booking(clocked_client, verified(clocked_client), start="14:00")
    assert twice.refusal == "ALREADY_BOOKED"


@pytest.mark.parametrize(("day", "start", "refusal"), [
    (MONDAY, "12:30", "SLOT_UNKNOWN"),  # not a slot
    (date(2026, 12, 12), "10:00", "SLOT_UNKNOWN"),  # a Saturday
    (MONDAY + timedelta(days=30), "10:00", "SLOT_UNKNOWN"),  # too far ahead
    (MONDAY - timedelta(days=1), "10:00", "SLOT_UNKNOWN"),  # yesterday
])
def test_what_is_not_a_slot_is_refused(clocked_client, day, start, refusal) -> None:
    assert booking(clocked_client, verified(clocked_client), day=day,
                   start=start).refusal == refusal


def test_booking_needs_a_verification_of_this_terminal(clocked_client) -> None:
    answer = book(clocked_client, {HEADER_VERIFICATION: "not-a-verification"})
    assert answer.status_code == 403
    assert answer.json()["code"] == "VERIFICATION_REQUIRED"


@pytest.mark.parametrize("body", [
    {"service_id": "SS-025", "day": "2026-12-07", "start": "25:00", "holder_name": "张三"},
    {"service_id": "../x", "day": "2026-12-07", "start": "10:00", "holder_name": "张三"},
    {"service_id": "SS-025", "day": "2026-12-07", "start": "10:00", "holder_name": "张" * 41},
    {"service_id": "SS-025", "day": "2026-12-07", "start": "10:00"},
])
def test_hostile_bookings_are_refused_before_anything_is_stored(clocked_client, body) -> None:
    answer = clocked_client.post(APPOINTMENTS, json=body, headers={
        **JSON, **verified(clocked_client), HEADER_IDEMPOTENCY_KEY: new_key()})
    assert answer.status_code == 422
    assert {s.free for d in slots(clocked_client).days for s in d.slots} == {2}


def test_the_holder_lists_and_cancels_their_own_only(clocked_client) -> None:
    mine = booking(clocked_client, verified(clocked_client)).appointment
    theirs = booking(clocked_client, verified(clocked_client, LI_XIUYING), name="李秀英",
                     start="14:00").appointment
    assert mine is not None and theirs is not None
    who = verified(clocked_client)
    listed = Appointments.model_validate_json(
        clocked_client.get(APPOINTMENTS, headers=who).content).appointments
    assert [a.token for a in listed] == [mine.token]
    not_mine = clocked_client.post(f"{APPOINTMENTS}/{theirs.token}/cancel", headers=who)
    assert not_mine.status_code == 404
    answer = clocked_client.post(f"{APPOINTMENTS}/{mine.token}/cancel", headers=who)
    cancelled = Cancellation.model_validate_json(answer.content)
    assert (cancelled.outcome, cancelled.appointment.state) == ("cancelled", "cancelled")
    ten = next(s for s in slots(clocked_client).days[0].slots if s.start == "10:00")
    assert ten.free == 2  # the place is free again
    assert booking(clocked_client, who, start="11:00").appointment is not None


def test_an_appointment_that_has_started_cannot_be_cancelled(clocked_client, clock) -> None:
    made = booking(clocked_client, verified(clocked_client)).appointment
    assert made is not None
    at(clock, MONDAY, "10:05")
    answer = clocked_client.post(f"{APPOINTMENTS}/{made.token}/cancel",
                                 headers=verified(clocked_client))
    assert Cancellation.model_validate_json(answer.content).outcome == "started"


@pytest.mark.parametrize(("now", "outcome"), [
    ("09:29", "too_early"), ("09:30", "checked_in"), ("10:59", "checked_in"),
    ("11:00", "too_late")])
def test_check_in_by_the_qr_code_within_its_window(clocked_client, clock, now,
                                                   outcome) -> None:
    made = booking(clocked_client, verified(clocked_client)).appointment
    assert made is not None
    at(clock, MONDAY, now)
    answer = check_in(clocked_client, token=made.token)
    assert answer.outcome == outcome
    if outcome == "checked_in":
        assert answer.ticket is not None
        assert (answer.ticket.number, answer.ticket.priority) == ("CP001", "appointment")
        assert answer.ticket.window_area == "二楼 C 区 9-12 号窗口"


def test_check_in_by_the_id_card_and_again_gives_the_same_ticket(clocked_client,
                                                                   clock) -> None:
    booking(clocked_client, verified(clocked_client))
    at(clock, MONDAY, "09:45")
    first = check_in(clocked_client, id_number=ZHANG_SAN.id_number)
    again = check_in(clocked_client, id_number=ZHANG_SAN.id_number)
    assert first.outcome == again.outcome == "checked_in"
    assert first.ticket is not None and again.ticket is not None
    assert first.ticket.token == again.ticket.token
    assert first.appointment is not None and first.appointment.state == "checked_in"


def test_check_in_refusals_say_why(clocked_client, clock) -> None:
    who = verified(clocked_client)
    cancelled = booking(clocked_client, who).appointment
    assert cancelled is not None
    clocked_client.post(f"{APPOINTMENTS}/{cancelled.token}/cancel", headers=who)
    tomorrow = booking(clocked_client, verified(clocked_client), service="SS-013",
                       day=MONDAY + timedelta(days=1)).appointment
    assert tomorrow is not None
    at(clock, MONDAY, "09:45")
    assert check_in(clocked_client, token=cancelled.token).outcome == "cancelled"
    assert check_in(clocked_client, id_number=ZHANG_SAN.id_number).outcome == "cancelled"
    assert check_in(clocked_client, token=tomorrow.token).outcome == "not_today"
    assert check_in(clocked_client, id_number=LI_XIUYING.id_number).outcome == "no_appointment"
    assert check_in(clocked_client, token="A" * 32).outcome == "no_appointment"


@pytest.mark.parametrize("body", [
    {}, {"token": "A" * 32, "id_number": ZHANG_SAN.id_number}, {"token": "<script>"},
    {"id_number": "11010119900307001"}, {"token": "A" * 65}])
def test_hostile_check_ins_are_refused(clocked_client, body) -> None:
    assert clocked_client.post(CHECK_IN, json=body, headers=JSON).status_code == 422


def test_the_confirmation_page_shows_the_appointment_masked(clocked_client) -> None:
    made = booking(clocked_client, verified(clocked_client)).appointment
    assert made is not None
    page = clocked_client.get(f"/appointment/{made.token}", auth=None)
    assert page.status_code == 200
    assert "婚姻登记预约" in page.text and "10:00-11:00" in page.text and "张*" in page.text
    assert "张三" not in page.text
    assert clocked_client.get("/appointment/unknown-token", auth=None).status_code == 404


def test_personal_data_stays_out_of_the_requests_reprs() -> None:
    booking = BookingRequest(service_id="SS-025", day=MONDAY, start="10:00", holder_name="张三")
    by_card = CheckInRequest(id_number=ZHANG_SAN.id_number)
    assert "张三" not in repr(booking) and ZHANG_SAN.id_number not in repr(by_card)
