"""发送到手机 over the platform client: the message recorded by the platform once per key, its
refusals as `MessageRefused`, the platform away as `ServiceUnavailable`, and the number in
no log line of the kiosk."""

from __future__ import annotations

import asyncio
import logging
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from central import sms
from central.contract.queue import TicketRequest
from central.db import SmsOutboxRecord
from central.server import EmbeddedPlatform
from common.phone_messages import MessageRefused, ServiceUnavailable
from kiosk.phone_messages import PlatformPhoneMessages
from kiosk.platform_client import PlatformClient, TerminalCredentials
from tests.kiosk.citizen_platform import TERMINAL, start_platform

CREDENTIALS = TerminalCredentials(TERMINAL.id, TERMINAL.key)
PHONE = "13812345678"


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[EmbeddedPlatform]:
    server = start_platform(tmp_path)
    yield server
    server.stop()


def client(base_url: str) -> PlatformClient:
    return PlatformClient(base_url, timeout_s=30.0, retries=0, credentials=CREDENTIALS)


def ticket_token(platform: EmbeddedPlatform) -> str:
    return client(platform.base_url).take_ticket(TicketRequest(group_id="A"),
                                                 uuid.uuid4().hex).token


def outbox_size(platform: EmbeddedPlatform) -> int:
    with platform.app.state.sessions() as session:
        return session.scalar(select(func.count()).select_from(SmsOutboxRecord)) or 0


def test_a_message_is_recorded_once_per_key(platform, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    phone = PlatformPhoneMessages(client(platform.base_url))
    token, key = ticket_token(platform), uuid.uuid4().hex
    first = asyncio.run(phone.send("queue_ticket", token, PHONE, key))
    again = asyncio.run(phone.send("queue_ticket", token, PHONE, key))
    assert first == again and first.masked_phone == "138****5678"
    assert outbox_size(platform) == 1
    assert PHONE not in caplog.text


def test_the_daily_limit_is_a_refusal(platform, monkeypatch) -> None:
    monkeypatch.setattr(sms, "PER_PHONE_PER_DAY", 1)
    phone = PlatformPhoneMessages(client(platform.base_url))
    token = ticket_token(platform)
    asyncio.run(phone.send("queue_ticket", token, PHONE, uuid.uuid4().hex))
    with pytest.raises(MessageRefused) as refused:
        asyncio.run(phone.send("queue_ticket", token, PHONE, uuid.uuid4().hex))
    assert refused.value.code == "SMS_LIMIT"


def test_an_unknown_ticket_is_a_refusal(platform) -> None:
    phone = PlatformPhoneMessages(client(platform.base_url))
    with pytest.raises(MessageRefused) as refused:
        asyncio.run(phone.send("queue_ticket", "n" * 32, PHONE, uuid.uuid4().hex))
    assert refused.value.code == "SMS_REFUSED"


def test_the_platform_away_is_service_unavailable_and_logs_no_number(caplog) -> None:
    caplog.set_level(logging.DEBUG)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    phone = PlatformPhoneMessages(client(f"http://127.0.0.1:{port}/api/v1"))
    with pytest.raises(ServiceUnavailable) as caught:
        asyncio.run(phone.send("queue_ticket", "t" * 32, PHONE, uuid.uuid4().hex))
    assert not isinstance(caught.value, MessageRefused)
    assert PHONE not in caplog.text
