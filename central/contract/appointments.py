"""预约 (appointments) between a terminal and the platform (`central.appointments`).

    GET  /api/v1/appointments/slots/{service_id}   the bookable days and slots of the hall
    POST /api/v1/appointments                      book (Idempotency-Key, the verification's
                                                   token in a header): `BookingRequest`
    GET  /api/v1/appointments                      the verified holder's appointments
    POST /api/v1/appointments/{token}/cancel       cancel one of them (the same header)
    POST /api/v1/appointments/check-in             签到 on arrival: `CheckInRequest` → a
                                                   priority queue ticket
    GET  /appointment/{token}                      the confirmation's QR code on a phone

What is expected to go wrong (a slot just taken, too early to check in) is an answer the flow
reads (`refusal`, `outcome`), not an HTTP error. The platform keeps no ID number: the holder
is the keyed hash of the verification, the name only masked.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import AwareDatetime, Field, model_validator

from central.contract import ContractModel
from central.contract.queue import Ticket

SERVICE_ID = r"^[A-Z]{2}-\d{3}$"  # SS-013
SLOT_TIME = r"^([01]\d|2[0-3]):[0-5]\d$"  # 09:00
APPOINTMENT_TOKEN = r"^[A-Za-z0-9_-]{24,64}$"
ID_NUMBER = r"^\d{17}[\dXx]$"
MASKED_NAME = r"^\S{1,40}$"
MAX_DAYS = 14
MAX_SLOTS_PER_DAY = 16
MAX_APPOINTMENTS = 50
# where the confirmation's QR code points; the kiosk reads the token back from it
CONFIRMATION_PATH = "/appointment/"

AppointmentState = Literal["booked", "cancelled", "checked_in"]
# a booking not made, and why (the flow says each plainly)
BookingRefusal = Literal[
    "SLOT_FULL",  # taken while the person chose: another slot
    "SLOT_UNKNOWN",  # not a slot of the service (any more): choose again
    "SLOT_PASSED",  # its start has gone by
    "ALREADY_BOOKED",  # the holder has a booked appointment for this service already
    "NOT_BOOKABLE",  # the service takes no appointments in this hall
]
CancelOutcome = Literal["cancelled", "already_cancelled", "started", "checked_in"]
CheckInOutcome = Literal[
    "checked_in",  # a priority ticket (again the same one, when asked twice)
    "too_early",  # more than the window before its start: come back later
    "too_late",  # its slot has ended: book again or ask the desk
    "cancelled",  # it was cancelled
    "not_today",  # a booking of another day
    "other_hall",  # booked in another hall
    "no_appointment",  # nothing booked today under this identity, or an unknown code
]


class AppointmentSlot(ContractModel):
    start: str = Field(pattern=SLOT_TIME)
    end: str = Field(pattern=SLOT_TIME)
    capacity: int = Field(ge=0, le=1000)
    free: int = Field(ge=0, le=1000)


class AppointmentDay(ContractModel):
    day: date
    slots: list[AppointmentSlot] = Field(max_length=MAX_SLOTS_PER_DAY)


class AppointmentSlots(ContractModel):
    service_id: str = Field(pattern=SERVICE_ID)
    service_name: str = Field(min_length=1, max_length=200)
    window_area: str = Field(max_length=40)  # where the person goes on the day
    days: list[AppointmentDay] = Field(max_length=MAX_DAYS)


class BookingRequest(ContractModel):
    service_id: str = Field(pattern=SERVICE_ID)
    day: date
    start: str = Field(pattern=SLOT_TIME)
    # the name read from the verified card: the platform keeps it only masked
    holder_name: str = Field(min_length=1, max_length=40, repr=False)


class Appointment(ContractModel):
    token: str = Field(pattern=APPOINTMENT_TOKEN)  # the confirmation: its QR code
    service_id: str = Field(pattern=SERVICE_ID)
    service_name: str = Field(max_length=200)
    day: date
    start: str = Field(pattern=SLOT_TIME)
    end: str = Field(pattern=SLOT_TIME)
    window_area: str = Field(max_length=40)
    holder_masked: str = Field(pattern=MASKED_NAME)  # 张*三
    state: AppointmentState
    booked_at: AwareDatetime
    confirmation_url: str = Field(max_length=300)  # {platform}/appointment/{token}


class Booking(ContractModel):
    """POST /appointments: the appointment, or why none was made."""

    appointment: Appointment | None = None
    refusal: BookingRefusal | None = None

    @model_validator(mode="after")
    def _one_of(self) -> Booking:
        if (self.appointment is None) == (self.refusal is None):
            raise ValueError("a booking is an appointment or a refusal")
        return self


class Appointments(ContractModel):
    appointments: list[Appointment] = Field(max_length=MAX_APPOINTMENTS)


class Cancellation(ContractModel):
    outcome: CancelOutcome
    appointment: Appointment


class CheckInRequest(ContractModel):
    """The confirmation's token (its QR code scanned) or the ID number of the card placed;
    exactly one. The number is hashed on arrival and kept nowhere."""

    token: str | None = Field(default=None, pattern=APPOINTMENT_TOKEN)
    id_number: str | None = Field(default=None, pattern=ID_NUMBER, repr=False)

    @model_validator(mode="after")
    def _one_of(self) -> CheckInRequest:
        if (self.token is None) == (self.id_number is None):
            raise ValueError("check in by a token or by an ID number, one of them")
        return self


class CheckIn(ContractModel):
    outcome: CheckInOutcome
    appointment: Appointment | None = None  # the one it concerns, when there is one
    ticket: Ticket | None = None  # with outcome checked_in

    @model_validator(mode="after")
    def _ticket_when_checked_in(self) -> CheckIn:
        if (self.outcome == "checked_in") != (self.ticket is not None):
            raise ValueError("a ticket comes with checked_in, and only with it")
        return self
