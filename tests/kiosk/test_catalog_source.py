"""Which catalog the kiosk serves, online and offline, against the real platform on loopback."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from central.app import KnownTerminal
from central.server import EmbeddedPlatform
from kiosk.catalog_source import CatalogSource, CatalogStatus, offline_banner_time
from kiosk.platform_client import PlatformClient, PlatformErrorKind, TerminalCredentials
from offline_cache.catalog_snapshot import CatalogSnapshots

MORNING = datetime(2026, 11, 3, 1, 30, tzinfo=UTC)
NOON = datetime(2026, 11, 3, 4, 0, tzinfo=UTC)

TERMINAL = KnownTerminal("KIOSK-TEST", "测试大厅", "kiosk-test-key-0123456789")
CREDENTIALS = TerminalCredentials(TERMINAL.id, TERMINAL.key)


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[EmbeddedPlatform]:
    server = EmbeddedPlatform(f"sqlite:///{tmp_path}/central.db", faults=True,
                              terminals=[TERMINAL], slow_seconds=1.0)
    server.start()
    yield server
    server.stop()


def _source(base_url: str, db: Path, clock: Callable[[], datetime]) -> CatalogSource:
    client = PlatformClient(base_url, timeout_s=2.0, retries=1, backoff_s=0.01,
                            credentials=CREDENTIALS)
    return CatalogSource(client, CatalogSnapshots(db), clock=clock)


async def _until(condition: Callable[[], bool], within_s: float = 30.0) -> None:
    """A deadline only bounds a failure: generous, so a busy machine is slower, not red."""
    deadline = time.monotonic() + within_s
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


def test_starting_online_serves_the_platform_catalog_and_keeps_a_snapshot(
    platform: EmbeddedPlatform, tmp_path: Path
) -> None:
    source = _source(platform.base_url, tmp_path / "cache.db", lambda: MORNING)
    asyncio.run(source.start())

    assert source.catalog is not None and len(source.catalog.services) == 40
    assert source.status == CatalogStatus(online=True, updated_at=MORNING, error=None)
    stored = CatalogSnapshots(tmp_path / "cache.db").latest()
    assert stored is not None
    assert stored.snapshot == source.catalog and stored.fetched_at == MORNING


def test_offline_start_serves_the_snapshot_and_the_platform_coming_back_is_noticed(
    platform: EmbeddedPlatform, tmp_path: Path
) -> None:
    db = tmp_path / "cache.db"
    asyncio.run(_source(platform.base_url, db, lambda: MORNING).start())
    platform.stop()

    # the kiosk restarts while the platform is away
    source = _source(platform.base_url, db, lambda: NOON)
    notified: list[CatalogStatus] = []
    source.subscribe(lambda: notified.append(source.status))

    async def scenario() -> None:
        await source.start()
        assert source.catalog is not None and source.catalog.service("SS-001") is not None
        assert not source.status.online
        assert source.status.updated_at == MORNING  # the banner shows when it was fetched
        assert source.status.error is not None
        assert source.status.error.kind is PlatformErrorKind.UNREACHABLE
        assert offline_banner_time(source.status, now=MORNING) == (f"{MORNING.astimezone():%H:%M}")
        assert len(notified) == 1

        failed_refreshes = 0
        refresh = source.refresh

        async def counted_refresh() -> None:
            nonlocal failed_refreshes
            await refresh()
            failed_refreshes += not source.status.online

        source.refresh = counted_refresh  # the loop's refreshes, counted
        loop = asyncio.create_task(source.run_refresh_loop(interval_s=60, retry_s=0.05))
        await _until(lambda: failed_refreshes >= 3)
        assert len(notified) == 1  # three failed retries: no news, no notification
        await asyncio.to_thread(platform.start)  # same port, same database
        await _until(lambda: source.status.online)
        loop.cancel()
        with pytest.raises(asyncio.CancelledError):
            await loop

    asyncio.run(scenario())
    assert notified[-1] == CatalogStatus(online=True, updated_at=NOON, error=None)
    assert len(notified) == 2
    # the unchanged catalog was confirmed (a 304), so the snapshot now dates from noon
    assert CatalogSnapshots(db).latest().fetched_at == NOON


def test_no_snapshot_and_no_platform_means_no_catalog_and_a_reason(tmp_path: Path) -> None:
    source = _source("http://127.0.0.1:9/api/v1", tmp_path / "cache.db", lambda: NOON)
    asyncio.run(source.start())
    assert source.catalog is None
    assert not source.status.online and source.status.updated_at is None
    error = source.status.error
    assert error is not None and error.kind is PlatformErrorKind.UNREACHABLE
    assert error.user_message == "暂时连不上政务服务平台，请稍后再试或联系工作人员。"
    assert offline_banner_time(source.status) == ""


def test_unchanged_polls_cost_a_304_and_tell_no_one(
    platform: EmbeddedPlatform, tmp_path: Path
) -> None:
    times = iter([MORNING, MORNING + timedelta(minutes=5), MORNING + timedelta(minutes=10)])
    source = _source(platform.base_url, tmp_path / "cache.db", lambda: next(times))
    notified: list[CatalogStatus] = []

    async def scenario() -> None:
        await source.start()
        source.subscribe(lambda: notified.append(source.status))
        first = source.catalog
        await source.refresh()
        await source.refresh()
        assert source.catalog is first  # the same object: nothing was downloaded again

    asyncio.run(scenario())
    assert notified == []
    assert source.status.online and source.status.updated_at == MORNING + timedelta(minutes=10)


def test_a_failing_platform_keeps_the_catalog_and_says_why(
    platform: EmbeddedPlatform, tmp_path: Path
) -> None:
    source = _source(platform.base_url, tmp_path / "cache.db", lambda: MORNING)
    notified: list[CatalogStatus] = []

    async def scenario() -> None:
        await source.start()
        source.subscribe(lambda: notified.append(source.status))
        platform.set_fault("http500")
        await source.refresh()
        await source.refresh()  # the same fault again is no news

    asyncio.run(scenario())
    assert source.catalog is not None and len(source.catalog.services) == 40
    assert len(notified) == 1
    status = notified[0]
    assert not status.online and status.updated_at == MORNING
    assert status.error is not None and status.error.health_code == "PLATFORM_ERROR"


def test_a_slow_platform_never_stalls_the_event_loop(
    platform: EmbeddedPlatform, tmp_path: Path
) -> None:
    platform.set_fault("slow", slow_seconds=0.8)
    source = _source(platform.base_url, tmp_path / "cache.db", lambda: MORNING)
    gaps: list[float] = []

    async def heartbeat(stop: asyncio.Event) -> None:
        last = time.monotonic()
        while not stop.is_set():
            await asyncio.sleep(0.01)
            now = time.monotonic()
            gaps.append(now - last)
            last = now

    async def scenario() -> None:
        stop = asyncio.Event()
        beat = asyncio.create_task(heartbeat(stop))
        await source.start()
        stop.set()
        await beat

    asyncio.run(scenario())
    assert source.status.online  # it did wait for the answer, in a worker
    assert max(gaps) < 0.4  # while the loop went on ticking (a stall would show ~0.8 s)


def test_a_subscriber_can_unsubscribe(platform: EmbeddedPlatform, tmp_path: Path) -> None:
    source = _source(platform.base_url, tmp_path / "cache.db", lambda: MORNING)
    calls: list[int] = []
    unsubscribe = source.subscribe(lambda: calls.append(1))
    unsubscribe()
    unsubscribe()  # harmless twice
    asyncio.run(source.start())
    assert calls == []


def test_the_banner_names_the_day_when_the_data_is_not_from_today() -> None:
    fetched = datetime(2026, 5, 3, 6, 30, tzinfo=UTC)
    local = fetched.astimezone()
    status = CatalogStatus(online=False, updated_at=fetched)
    assert offline_banner_time(status, now=fetched + timedelta(minutes=1)) == f"{local:%H:%M}"
    assert offline_banner_time(status, now=fetched + timedelta(days=2)) == (
        f"{local.month}月{local.day}日 {local:%H:%M}"
    )
