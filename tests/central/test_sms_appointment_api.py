"""短信 of an appointment's confirmation (kind "appointment"): the platform writes what, when,
where and the confirmation's link, nothing else of the person, and texts only a booked
appointment of the terminal's own hall (another hall's, a cancelled one or an unknown token:
404, as for tickets)."""

from __future__ import annotations

from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from central.contract.appointments import Appointment
from central.db import AppointmentRecord
from tests.central.helpers import Clock
from tests.central.test_appointments_api import APPOINTMENTS, CHINA, booking, verified
from tests.central.test_sms_api import outbox, send, ticket_token


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 12, 7, 8, 0, tzinfo=CHINA))  # a Monday, 08:00 in the hall


def booked(client: TestClient) -> Appointment:
    made = booking(client, verified(client)).appointment  # SS-025, Monday 10:00-11:00
    assert made is not None
    return made


def test_an_appointment_texted_says_what_when_where_and_its_link_and_nothing_else(
        clocked_client: TestClient) -> None:
    made = booked(clocked_client)
    answer = send(clocked_client, made.token, kind="appointment")
    assert answer.status_code == 201, answer.text
    [record] = outbox(clocked_client)
    assert record.text == (
        f"【政务服务】您已预约{made.service_name}，2026年12月7日 10:00-11:00，"
        f"地点：{made.window_area}。请提前到大厅自助终端签到，预约凭证：{made.confirmation_url}")
    assert made.window_area and made.token in made.confirmation_url
    assert "张" not in record.text and made.holder_masked not in record.text
    assert (record.kind, record.reference) == ("appointment", made.token)


def test_an_appointment_of_another_hall_is_not_texted(clocked_client: TestClient) -> None:
    made = booked(clocked_client)
    with clocked_client.app.state.sessions() as session:
        session.execute(update(AppointmentRecord).values(hall="另一个政务服务大厅"))
        session.commit()
    answer = send(clocked_client, made.token, kind="appointment")
    assert (answer.status_code, answer.json()["code"]) == (404, "SMS_REFERENCE_UNKNOWN")
    assert outbox(clocked_client) == []


def test_a_cancelled_appointment_is_not_texted(clocked_client: TestClient) -> None:
    made = booked(clocked_client)
    cancelled = clocked_client.post(f"{APPOINTMENTS}/{made.token}/cancel",
                                    headers=verified(clocked_client))
    assert cancelled.json()["outcome"] == "cancelled"
    answer = send(clocked_client, made.token, kind="appointment")
    assert (answer.status_code, answer.json()["code"]) == (404, "SMS_REFERENCE_UNKNOWN")
    assert outbox(clocked_client) == []


def test_an_unknown_appointment_or_a_ticket_named_as_one_is_not_texted(
        clocked_client: TestClient) -> None:
    for reference in ("no-such-appointment-token-000", ticket_token(clocked_client)):
        answer = send(clocked_client, reference, kind="appointment")
        assert (answer.status_code, answer.json()["code"]) == (404, "SMS_REFERENCE_UNKNOWN")
    made = booked(clocked_client)  # and an appointment's token is not a ticket's
    assert send(clocked_client, made.token).status_code == 404
    assert outbox(clocked_client) == []
