"""The reference platform's appointments (预约): slots per hall, per service, per day, booked
by a verified person, cancelled by them before the start, and checked in (签到) on the day for
a priority queue ticket (`central.queue`, priority "appointment").

    slots        the hall's working days, a few morning and afternoon slots, each with a
                 capacity; from today (slots not yet started) a week ahead
    book         by the holder of a verification (its keyed hash, never the ID number), once
                 per service while one is pending; an Idempotency-Key makes a repeat the same
                 booking; seats 1..capacity are a unique index, so a slot is never overbooked
                 even when two terminals take its last place at once
    cancel       only by its holder, only before its start; the seat is freed
    check in     by the confirmation's token (its QR code) or by the ID card (today's booking
                 in this hall), from `CHECK_IN_BEFORE` before the start until the slot ends:
                 a priority ticket of the service's queue group; asked again, the same ticket

What a hall books is configuration (`HALL_APPOINTMENTS`, the demo's for every hall without its
own), as the queue groups are. Times are the hall's (China time, no daylight saving).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import cast

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from central import queue
from central.applications import KeyReused
from central.contract.appointments import (
    CONFIRMATION_PATH,
    Appointment,
    AppointmentDay,
    AppointmentSlot,
    AppointmentSlots,
    AppointmentState,
    Booking,
    BookingRefusal,
    BookingRequest,
    Cancellation,
    CancelOutcome,
    CheckIn,
    CheckInOutcome,
)
from central.contract.masking import mask_name
from central.contract.queue import TicketRequest
from central.db import AppointmentRecord, ServiceRecord
from central.queue import CHINA, hall_day

CHECK_IN_BEFORE = timedelta(minutes=30)
ACTIVE = ("booked", "checked_in")  # states that hold a seat


@dataclass(frozen=True)
class BookableService:
    service_id: str
    group_id: str  # the queue group (central.queue) its check-in ticket is for
    capacity: int  # people per slot


@dataclass(frozen=True)
class HallAppointments:
    services: tuple[BookableService, ...]
    slots: tuple[tuple[str, str], ...] = (
        ("09:00", "10:00"), ("10:00", "11:00"), ("11:00", "12:00"),
        ("14:00", "15:00"), ("15:00", "16:00"), ("16:00", "17:00"))
    working_days: frozenset[int] = field(default=frozenset(range(5)))  # Monday 0 … Friday 4
    days_ahead: int = 7  # today and the next days, calendar days

    def service(self, service_id: str) -> BookableService | None:
        return next((s for s in self.services if s.service_id == service_id), None)


# the demo hall's: the catalog's services whose kiosk mode is 预约
DEMO_APPOINTMENTS = HallAppointments(services=(
    BookableService("SS-013", "B", 4),  # 身份证换领补领: 户籍证照
    BookableService("SS-019", "B", 3),  # 普通护照申领
    BookableService("SS-025", "C", 2),  # 婚姻登记
    BookableService("SS-034", "C", 6),  # 医院预约挂号
))
HALL_APPOINTMENTS: Mapping[str, HallAppointments] = {}


class NotBookable(Exception):
    """The service takes no appointments in this hall (HTTP 404)."""


@dataclass(frozen=True)
class Booked:
    booking: Booking
    created: bool  # False: a repeat of an earlier Idempotency-Key, or a refusal


def appointments_of(hall: str) -> HallAppointments:
    return HALL_APPOINTMENTS.get(hall, DEMO_APPOINTMENTS)


def slots(session: Session, hall: str, service_id: str, now: datetime) -> AppointmentSlots:
    config = appointments_of(hall)
    service = config.service(service_id)
    name = _service_name(session, service_id)
    if service is None or name is None:
        raise NotBookable(service_id)
    days = []
    for day in _bookable_days(config, now):
        taken = _taken(session, hall, service_id, day)
        free_slots = [AppointmentSlot(start=start, end=end, capacity=service.capacity,
                                      free=max(0, service.capacity - taken.get(start, 0)))
                      for start, end in config.slots if _at(day, start) > now]
        if free_slots:
            days.append(AppointmentDay(day=day, slots=free_slots))
    return AppointmentSlots(service_id=service_id, service_name=name,
                            window_area=_window_area(hall, service), days=days)


def book(session: Session, *, hall: str, terminal_id: str, idempotency_key: str,
         request: BookingRequest, holder_key: str, now: datetime, public_url: str) -> Booked:
    """A new appointment (the caller commits), the one an earlier request with the key made,
    or why none was made."""
    config = appointments_of(hall)
    for _attempt in range(3):
        earlier = session.scalars(select(AppointmentRecord).where(
            AppointmentRecord.terminal_id == terminal_id,
            AppointmentRecord.idempotency_key == idempotency_key)).first()
        if earlier is not None:
            if ((earlier.service_id, earlier.day, earlier.start, earlier.holder_key)
                    != (request.service_id, request.day, request.start, holder_key)):
                raise KeyReused("this Idempotency-Key came before with a different body")
            return Booked(Booking(appointment=appointment_of(session, earlier, public_url)),
                          created=False)
        refusal = _refusal(session, config, hall, request, holder_key, now)
        if refusal is not None:
            return Booked(Booking(refusal=refusal), created=False)
        service = config.service(request.service_id)
        assert service is not None  # _refusal says NOT_BOOKABLE otherwise
        seat = _free_seat(session, hall, request, service.capacity)
        if seat is None:
            return Booked(Booking(refusal="SLOT_FULL"), created=False)
        end = dict(config.slots)[request.start]
        record = AppointmentRecord(
            token=secrets.token_urlsafe(24), hall=hall, service_id=request.service_id,
            day=request.day, start=request.start, end=end, seat=seat, holder_key=holder_key,
            holder_masked=mask_name(request.holder_name), state="booked",
            terminal_id=terminal_id, idempotency_key=idempotency_key, booked_at=now,
            changed_at=now)
        try:
            with session.begin_nested():
                session.add(record)
            return Booked(Booking(appointment=appointment_of(session, record, public_url)),
                          created=True)
        except IntegrityError:
            continue  # a twin took the seat (or the key) first: look again
    return Booked(Booking(refusal="SLOT_FULL"), created=False)


def _refusal(session: Session, config: HallAppointments, hall: str, request: BookingRequest,
             holder_key: str, now: datetime) -> BookingRefusal | None:
    if config.service(request.service_id) is None or _service_name(
            session, request.service_id) is None:
        return "NOT_BOOKABLE"
    if (request.start not in dict(config.slots) or request.day not in _bookable_days(config, now)):
        return "SLOT_UNKNOWN"
    if _at(request.day, request.start) <= now:
        return "SLOT_PASSED"
    pending = [r for r in of_holder(session, holder_key)
               if r.service_id == request.service_id and r.state == "booked"
               and _at(r.day, r.end) > now]
    return "ALREADY_BOOKED" if pending else None


def _free_seat(session: Session, hall: str, request: BookingRequest, capacity: int) -> int | None:
    used = set(session.scalars(select(AppointmentRecord.seat).where(
        AppointmentRecord.hall == hall, AppointmentRecord.service_id == request.service_id,
        AppointmentRecord.day == request.day, AppointmentRecord.start == request.start,
        AppointmentRecord.seat.is_not(None))))
    return next((seat for seat in range(1, capacity + 1) if seat not in used), None)


def of_holder(session: Session, holder_key: str) -> list[AppointmentRecord]:
    return list(session.scalars(select(AppointmentRecord).where(
        AppointmentRecord.holder_key == holder_key).order_by(
        AppointmentRecord.day, AppointmentRecord.start, AppointmentRecord.id)))


def upcoming(session: Session, holder_key: str, now: datetime) -> list[AppointmentRecord]:
    """The holder's appointments from today on (cancelled ones too: the person may ask)."""
    today = hall_day(now)
    return [r for r in of_holder(session, holder_key) if r.day >= today]


def find(session: Session, token: str) -> AppointmentRecord | None:
    return session.scalars(select(AppointmentRecord).where(
        AppointmentRecord.token == token)).first()


def cancel(session: Session, record: AppointmentRecord, now: datetime,
           public_url: str) -> Cancellation:
    """Cancels it if it may be (the caller has checked the holder, and commits)."""
    outcome: CancelOutcome = "cancelled"
    if record.state == "cancelled":
        outcome = "already_cancelled"
    elif record.state == "checked_in":
        outcome = "checked_in"
    elif _at(record.day, record.start) <= now:
        outcome = "started"
    else:
        record.state, record.seat, record.changed_at = "cancelled", None, now
    return Cancellation(outcome=outcome, appointment=appointment_of(session, record, public_url))


def check_in(session: Session, *, hall: str, terminal_id: str, now: datetime,
             public_url: str, token: str | None = None,
             holder_key: str | None = None) -> CheckIn:
    """签到 by the confirmation's token or the holder's keyed hash (the caller commits)."""
    if token is not None:
        record = find(session, token)
        if record is None:
            return CheckIn(outcome="no_appointment")
    else:
        assert holder_key is not None
        record, outcome = _todays(session, hall, holder_key, now)
        if record is None:
            return CheckIn(outcome=outcome)
    outcome = _check_in_outcome(record, hall, now)
    if outcome != "checked_in":
        return CheckIn(outcome=outcome, appointment=appointment_of(session, record, public_url))
    ticket = _ticket(session, record, terminal_id, now, public_url)
    return CheckIn(outcome="checked_in", ticket=ticket,
                   appointment=appointment_of(session, record, public_url))


def _todays(session: Session, hall: str, holder_key: str,
            now: datetime) -> tuple[AppointmentRecord | None, CheckInOutcome]:
    """The holder's appointment of today in this hall that 签到 concerns: the one checked in
    already, else the one in its window, else the next, else the last; or why there is none."""
    today = [r for r in of_holder(session, holder_key) if r.day == hall_day(now)]
    here = [r for r in today if r.hall == hall]
    active = [r for r in here if r.state in ACTIVE]
    ranked = sorted(active, key=lambda r: (
        r.state != "checked_in", _check_in_outcome(r, hall, now) != "checked_in",
        _at(r.day, r.end) <= now, r.start))
    if ranked:
        return ranked[0], "checked_in"
    if here:
        return None, "cancelled"
    return None, "other_hall" if today else "no_appointment"


def _check_in_outcome(record: AppointmentRecord, hall: str, now: datetime) -> CheckInOutcome:
    if record.hall != hall:
        return "other_hall"
    if record.state == "cancelled":
        return "cancelled"
    if record.state == "checked_in":
        return "checked_in"
    today = hall_day(now)
    if record.day != today:
        return "too_late" if record.day < today else "not_today"
    if now < _at(record.day, record.start) - CHECK_IN_BEFORE:
        return "too_early"
    if now >= _at(record.day, record.end):
        return "too_late"
    return "checked_in"


def _ticket(session: Session, record: AppointmentRecord, terminal_id: str, now: datetime,
            public_url: str) -> queue.Ticket:
    if record.ticket_token is not None:
        earlier = queue.find(session, record.ticket_token)
        if earlier is not None:
            return queue.ticket_of(session, earlier, public_url)
    service = appointments_of(record.hall).service(record.service_id)
    group_id = service.group_id if service else queue.groups_of(record.hall)[0].group_id
    taken = queue.take_ticket(
        session, hall=record.hall, terminal_id=terminal_id,
        idempotency_key=f"appointment-{record.token}"[:64],
        request=TicketRequest(group_id=group_id, priority="appointment"), now=now,
        public_url=public_url)
    record.state, record.ticket_token, record.changed_at = "checked_in", taken.ticket.token, now
    return taken.ticket


def appointment_of(session: Session, record: AppointmentRecord, public_url: str) -> Appointment:
    service = appointments_of(record.hall).service(record.service_id)
    return Appointment(
        token=record.token, service_id=record.service_id,
        service_name=_service_name(session, record.service_id) or record.service_id,
        day=record.day, start=record.start, end=record.end,
        window_area=_window_area(record.hall, service) if service else "",
        holder_masked=record.holder_masked, state=cast(AppointmentState, record.state),
        booked_at=record.booked_at,
        confirmation_url=f"{public_url}{CONFIRMATION_PATH}{record.token}")


def _bookable_days(config: HallAppointments, now: datetime) -> list[date]:
    today = hall_day(now)
    return [day for day in (today + timedelta(days=n) for n in range(config.days_ahead))
            if day.weekday() in config.working_days]


def _taken(session: Session, hall: str, service_id: str, day: date) -> dict[str, int]:
    starts = session.scalars(select(AppointmentRecord.start).where(
        AppointmentRecord.hall == hall, AppointmentRecord.service_id == service_id,
        AppointmentRecord.day == day, AppointmentRecord.seat.is_not(None)))
    counted: dict[str, int] = {}
    for start in starts:
        counted[start] = counted.get(start, 0) + 1
    return counted


def _at(day: date, hh_mm: str) -> datetime:
    return datetime.combine(day, time.fromisoformat(hh_mm), CHINA)


def _service_name(session: Session, service_id: str) -> str | None:
    record = session.get(ServiceRecord, service_id)
    return record.name if record is not None else None


def _window_area(hall: str, service: BookableService) -> str:
    group = next((g for g in queue.groups_of(hall) if g.group_id == service.group_id), None)
    return group.window_area if group else ""
