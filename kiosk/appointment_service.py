"""The appointments port (`common.appointment_service`) over the platform's appointment
routes, each call in a worker thread. A scanned code or a card's number is checked against
the contract's patterns before anything is sent."""

from __future__ import annotations

import asyncio

from central.contract.appointments import (
    Appointment,
    AppointmentSlots,
    Booking,
    BookingRequest,
    Cancellation,
    CheckIn,
    CheckInRequest,
)
from kiosk.platform_client import PlatformClient


class PlatformAppointmentService:
    def __init__(self, client: PlatformClient) -> None:
        self._client = client

    async def slots(self, service_id: str) -> AppointmentSlots | None:
        return await asyncio.to_thread(self._client.appointment_slots, service_id)

    async def book(self, request: BookingRequest, verification_id: str,
                   idempotency_key: str) -> Booking:
        return await asyncio.to_thread(self._client.book_appointment, request, verification_id,
                                       idempotency_key)

    async def mine(self, verification_id: str) -> list[Appointment]:
        return await asyncio.to_thread(self._client.my_appointments, verification_id)

    async def cancel(self, token: str, verification_id: str) -> Cancellation | None:
        return await asyncio.to_thread(self._client.cancel_appointment, token, verification_id)

    async def check_in(self, request: CheckInRequest) -> CheckIn:
        return await asyncio.to_thread(self._client.check_in_appointment, request)
