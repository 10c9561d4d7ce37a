"""取号 over the platform client: the same ticket for a repeated key, a ticket's status, and
the queue away as the port's one error."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from central.server import EmbeddedPlatform
from common.queue_service import ServiceUnavailable
from kiosk.platform_client import PlatformClient, TerminalCredentials
from kiosk.queue_service import PlatformQueueService
from tests.kiosk.citizen_platform import TERMINAL, start_platform

CREDENTIALS = TerminalCredentials(TERMINAL.id, TERMINAL.key)


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[EmbeddedPlatform]:
    server = start_platform(tmp_path)
    yield server
    server.stop()


def queue_at(base_url: str) -> PlatformQueueService:
    return PlatformQueueService(PlatformClient(base_url, timeout_s=30.0, retries=1,
                                               backoff_s=0.01, credentials=CREDENTIALS))


def test_tickets_over_the_client(platform) -> None:
    queue = queue_at(platform.base_url)

    async def scenario():
        groups = await queue.groups()
        first = await queue.take_ticket("B", None, "k" * 32)
        again = await queue.take_ticket("B", None, "k" * 32)
        elder = await queue.take_ticket("B", "age_70", "e" * 32)
        return groups, first, again, elder, await queue.ticket(first.token)

    groups, first, again, elder, now = asyncio.run(scenario())
    assert [g.group_id for g in groups] == ["A", "B", "C"]
    assert (first.number, again.number, elder.number) == ("B001", "B001", "BP001")
    assert elder.people_ahead == 0 and now is not None and now.people_ahead == 1
    assert first.follow_url.startswith("http://127.0.0.1:")


def test_an_unknown_ticket_is_none(platform) -> None:
    assert asyncio.run(queue_at(platform.base_url).ticket("u" * 32)) is None


def test_the_queue_away_is_service_unavailable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ServiceUnavailable) as caught:
        asyncio.run(queue_at(f"http://127.0.0.1:{port}/api/v1").groups())
    assert caught.value.transient
