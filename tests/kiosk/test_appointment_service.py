"""预约 over the platform client against the real platform on loopback: slots, a booking that a
repeated key does not double, the holder's list, cancelling, 签到 of an unknown confirmation,
and the platform away, slow or answering nonsense as the port's one error."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from central.contract import FaceSample, IdentityEvidenceIn, VerificationRequest
from central.contract.appointments import BookingRequest, CheckInRequest
from central.server import EmbeddedPlatform
from common.appointment_service import ServiceUnavailable
from kiosk.appointment_service import PlatformAppointmentService
from kiosk.platform_client import (
    PlatformClient,
    PlatformError,
    PlatformErrorKind,
    TerminalCredentials,
)
from tests.kiosk.citizen_platform import ID_NUMBER, NAME, TERMINAL, jpeg_b64, start_platform

CREDENTIALS = TerminalCredentials(TERMINAL.id, TERMINAL.key)


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[EmbeddedPlatform]:
    server = start_platform(tmp_path)
    yield server
    server.stop()


def client_at(base_url: str) -> PlatformClient:
    return PlatformClient(base_url, timeout_s=30.0, retries=1, backoff_s=0.01,
                          credentials=CREDENTIALS)


def verification_of(client: PlatformClient) -> str:
    answer = client.verify_identity(VerificationRequest(
        evidence=IdentityEvidenceIn(kind="id_card", name=NAME, id_number=ID_NUMBER,
                                    dedicated_reader=True),
        face=FaceSample(jpeg_b64=jpeg_b64(), quality=0.9, liveness_passed=True)))
    assert answer.verification_id is not None
    return answer.verification_id


def test_booking_listing_cancelling_over_the_client(platform) -> None:
    client = client_at(platform.base_url)
    service = PlatformAppointmentService(client)
    token = verification_of(client)

    async def scenario():
        slots = await service.slots("SS-013")
        assert slots is not None and slots.days, "the demo hall books SS-013 every working day"
        day = slots.days[-1]
        request = BookingRequest(service_id="SS-013", day=day.day, start=day.slots[0].start,
                                 holder_name=NAME)
        first = await service.book(request, token, "b" * 32)
        again = await service.book(request, token, "b" * 32)
        mine = await service.mine(token)
        assert first.appointment is not None
        cancelled = await service.cancel(first.appointment.token, token)
        unknown = await service.cancel("x" * 32, token)
        return first, again, mine, cancelled, unknown

    first, again, mine, cancelled, unknown = asyncio.run(scenario())
    assert first.appointment is not None and again.appointment is not None
    assert first.appointment.token == again.appointment.token
    assert [a.token for a in mine] == [first.appointment.token]
    assert first.appointment.holder_masked == "张*"
    assert cancelled is not None and cancelled.outcome == "cancelled"
    assert unknown is None


def test_a_service_that_books_nothing_has_no_slots(platform) -> None:
    service = PlatformAppointmentService(client_at(platform.base_url))
    assert asyncio.run(service.slots("SS-001")) is None


def test_an_unknown_confirmation_checks_in_nothing(platform) -> None:
    service = PlatformAppointmentService(client_at(platform.base_url))
    answer = asyncio.run(service.check_in(CheckInRequest(token="u" * 32)))
    assert (answer.outcome, answer.ticket) == ("no_appointment", None)


def test_the_platform_away_is_service_unavailable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    service = PlatformAppointmentService(client_at(f"http://127.0.0.1:{port}/api/v1"))
    with pytest.raises(ServiceUnavailable) as caught:
        asyncio.run(service.check_in(CheckInRequest(token="u" * 32)))
    assert caught.value.transient


@pytest.mark.parametrize(("fault", "kind"), [
    ("http500", PlatformErrorKind.SERVER_ERROR), ("malformed_json", PlatformErrorKind.MALFORMED),
    ("unexpected_json", PlatformErrorKind.UNEXPECTED)])
def test_a_platform_answering_nonsense_is_service_unavailable(platform, fault, kind) -> None:
    service = PlatformAppointmentService(client_at(platform.base_url))
    platform.set_fault(fault)
    for call in (service.slots("SS-013"), service.check_in(CheckInRequest(token="u" * 32)),
                 service.mine("v" * 32)):
        with pytest.raises(PlatformError) as caught:
            asyncio.run(call)
        assert caught.value.kind is kind


def test_a_slow_platform_is_service_unavailable(platform) -> None:
    service = PlatformAppointmentService(PlatformClient(
        platform.base_url, timeout_s=0.3, retries=0, credentials=CREDENTIALS))
    platform.set_fault("slow", slow_seconds=3.0)
    with pytest.raises(ServiceUnavailable) as caught:
        asyncio.run(service.slots("SS-013"))
    assert caught.value.transient
