"""The hall map over the platform client: fetched, its plan checked and scaled down, a copy kept
on disk; the copy served when the platform is away (and said to be one); a damaged copy is
no copy."""

from __future__ import annotations

import asyncio
import io
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from central import hall_map
from central.server import EmbeddedPlatform
from kiosk.hall_map_source import SHOWN_SIDE, PlatformHallMap
from kiosk.platform_client import PlatformClient, TerminalCredentials
from tests.kiosk.citizen_platform import TERMINAL, start_platform

CREDENTIALS = TerminalCredentials(TERMINAL.id, TERMINAL.key)


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[EmbeddedPlatform]:
    server = start_platform(tmp_path)
    yield server
    server.stop()


def source(base_url: str, folder: Path) -> PlatformHallMap:
    return PlatformHallMap(PlatformClient(base_url, timeout_s=30.0, retries=0,
                                          credentials=CREDENTIALS), folder)


def nobody_listening() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}/api/v1"


def test_the_map_is_fetched_and_a_copy_serves_while_the_platform_is_away(platform,
                                                                         tmp_path) -> None:
    folder = tmp_path / "hall_map"
    fresh = asyncio.run(source(platform.base_url, folder).current())
    assert fresh is not None and not fresh.from_copy
    assert [a.queue_groups for a in fresh.map.areas][:3] == [["A"], ["B"], ["C"]]
    assert Image.open(io.BytesIO(fresh.png)).size == (fresh.map.width, fresh.map.height)

    away = asyncio.run(source(nobody_listening(), folder).current())
    assert away is not None and away.from_copy
    assert (away.map, away.png, away.fetched_at) == (fresh.map, fresh.png, fresh.fetched_at)


def test_a_large_plan_is_scaled_down_before_the_screen_gets_it(platform, tmp_path) -> None:
    out = io.BytesIO()
    Image.new("RGB", (4000, 2000), (240, 240, 240)).save(out, format="PNG")
    with platform.app.state.sessions() as session:
        hall_map.save_plan(session, TERMINAL.hall, hall_map.clean_plan(out.getvalue()),
                           "admin", datetime(2026, 12, 7, tzinfo=UTC))
        session.commit()
    view = asyncio.run(source(platform.base_url, tmp_path / "m").current())
    assert view is not None and view.map.width == 4000
    assert Image.open(io.BytesIO(view.png)).size == (SHOWN_SIDE, SHOWN_SIDE // 2)


def test_no_platform_and_no_copy_is_no_map(tmp_path) -> None:
    assert asyncio.run(source(nobody_listening(), tmp_path / "m").current()) is None


def test_a_damaged_copy_is_no_copy(platform, tmp_path) -> None:
    folder = tmp_path / "hall_map"
    assert asyncio.run(source(platform.base_url, folder).current()) is not None
    (folder / "hall_map.png").write_bytes(b"\x89PNG\r\n\x1a\n half written")
    assert asyncio.run(source(nobody_listening(), folder).current()) is None
