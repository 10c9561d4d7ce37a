"""The port through which flows book, look up, cancel and check in appointments (预约, 签到),
with the platform's models (`central.contract.appointments`).

Implemented by `kiosk.appointment_service.PlatformAppointmentService` over the platform's
appointments; a hall's own booking system would be another implementation. Every method raises
`ServiceUnavailable` when the platform cannot be asked, never an HTTP client's exception; what
is expected to go wrong (a slot just taken, too early to check in) is in the answer.
"""

from __future__ import annotations

from typing import Protocol

from central.contract.appointments import (
    Appointment,
    AppointmentSlots,
    Booking,
    BookingRequest,
    Cancellation,
    CheckIn,
    CheckInRequest,
)
from common.citizen_services import ServiceUnavailable

__all__ = ["AppointmentService", "ServiceUnavailable"]


class AppointmentService(Protocol):
    async def slots(self, service_id: str) -> AppointmentSlots | None:
        """The days and slots one can book; None when the service takes no appointments in
        this hall."""
        ...

    async def book(self, request: BookingRequest, verification_id: str,
                   idempotency_key: str) -> Booking:
        """Books for the holder of the verification. Asking again with the same key gets the
        same appointment (an answer lost on the way is never a second booking)."""
        ...

    async def mine(self, verification_id: str) -> list[Appointment]:
        """The verified holder's appointments from today on."""
        ...

    async def cancel(self, token: str, verification_id: str) -> Cancellation | None:
        """Cancels the holder's appointment; None when the platform knows no such one of
        theirs."""
        ...

    async def check_in(self, request: CheckInRequest) -> CheckIn:
        """签到 by the confirmation's token or the ID number of the card placed."""
        ...
