"""The heartbeat sender against the real platform on loopback: what it reports, counts that are
never lost or sent twice, and the commands it carries out once each."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from central.app import KnownTerminal
from central.console.users import Viewer
from central.console.views import CommandRequest, issue_command
from central.db import CommandRecord, HourlyActivity, TerminalRecord
from central.server import EmbeddedPlatform
from devices.health import Health, HealthState
from kiosk.platform_client import PlatformClient, TerminalCredentials
from kiosk.telemetry import CommandHandlers, Telemetry

TERMINAL = KnownTerminal("KIOSK-TEST", "测试大厅", "kiosk-test-key-0123456789")
ADMIN = Viewer(1, "admin", "administrator", None)


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[EmbeddedPlatform]:
    server = EmbeddedPlatform(f"sqlite:///{tmp_path}/central.db", terminals=[TERMINAL],
                              sweep_interval_s=0)
    server.start()
    yield server
    server.stop()


class Devices:
    def __init__(self) -> None:
        self.health = {"receipt_printer": Health(HealthState.OK), "idcard": Health(HealthState.OK)}

    def report(self) -> dict[str, Health]:
        return dict(self.health)


def telemetry(platform: EmbeddedPlatform, devices: Devices, **options) -> Telemetry:
    client = PlatformClient(platform.base_url, timeout_s=2.0, retries=0,
                            credentials=TerminalCredentials(TERMINAL.id, TERMINAL.key))
    return Telemetry(client, options.pop("interval_s", 30.0), devices.report,
                     version="9.9.9", **options)


async def until(condition: Callable[[], object], within_s: float = 30.0) -> None:
    deadline = time.monotonic() + within_s
    while not condition():
        assert time.monotonic() < deadline, f"not within {within_s} s"
        await asyncio.sleep(0.01)


def terminal_row(platform: EmbeddedPlatform) -> TerminalRecord:
    with platform.app.state.sessions() as session:
        return session.get(TerminalRecord, TERMINAL.id)


def command(platform: EmbeddedPlatform, kind: str, text: str | None = None) -> None:
    with platform.app.state.sessions() as session:
        record = session.get(TerminalRecord, TERMINAL.id)
        issue_command(session, ADMIN, record, CommandRequest(kind=kind, text=text),
                      datetime.now(UTC))
        session.commit()


def test_a_heartbeat_reports_devices_version_backlog_and_network(platform) -> None:
    devices = Devices()
    devices.health["receipt_printer"] = Health(HealthState.ERROR, "PAPER_OUT")
    beats = telemetry(platform, devices, outbox_backlog=lambda: 7,
                      network_online=lambda: False, catalog_version=lambda: "abc")
    answer = asyncio.run(beats.send_once())
    assert answer is not None and answer.maintenance is False
    row = terminal_row(platform)
    assert row.app_version == "9.9.9" and row.outbox_backlog == 7 and row.network == "offline"
    assert row.catalog_version == "abc" and row.service_state == "serving"
    assert row.devices["receipt_printer"] == {"state": "error", "code": "PAPER_OUT",
                                              "detail": ""}


def test_counts_go_once_and_survive_a_lost_heartbeat(platform) -> None:
    beats = telemetry(platform, Devices())
    beats.count("sessions")
    beats.count("services", 2)
    asyncio.run(beats.send_once())
    asyncio.run(beats.send_once())  # nothing new: nothing counted twice
    platform.stop()
    beats.count("prints")
    assert asyncio.run(beats.send_once()) is None
    platform.start()
    beats.count("ratings")
    asyncio.run(beats.send_once())
    with platform.app.state.sessions() as session:
        rows = session.scalars(select(HourlyActivity)).all()
    totals = [sum(getattr(r, k) for r in rows) for k in ("sessions", "services", "prints",
                                                          "ratings")]
    assert totals == [1, 2, 1, 1]
    with pytest.raises(ValueError, match="unknown counter"):
        beats.count("faces")


def test_commands_are_applied_once_and_acknowledged(platform) -> None:
    applied: list[object] = []
    refreshed = asyncio.Event()

    async def refresh() -> None:
        refreshed.set()

    beats = telemetry(platform, Devices())
    beats.handlers = CommandHandlers(
        set_maintenance=lambda on: applied.append(("maintenance", on)),
        show_notice=lambda text: applied.append(("notice", text)),
        refresh_catalog=refresh)
    command(platform, "maintenance_on")
    command(platform, "notice", "系统升级")
    command(platform, "refresh_catalog")

    async def scenario() -> None:
        await beats.send_once()
        await asyncio.wait_for(refreshed.wait(), 30)
        await beats.send_once()  # acknowledges
        await beats.send_once()

    asyncio.run(scenario())
    assert applied == [("maintenance", True), ("notice", "系统升级")]
    with platform.app.state.sessions() as session:
        assert all(c.done_at for c in session.scalars(select(CommandRecord)))


def test_a_restart_is_acknowledged_before_it_happens(platform) -> None:
    restarts: list[bool] = []
    beats = telemetry(platform, Devices())

    def restart() -> None:
        with platform.app.state.sessions() as session:
            restarts.append(all(c.done_at for c in session.scalars(select(CommandRecord))))

    beats.handlers = CommandHandlers(restart=restart)
    command(platform, "restart")
    asyncio.run(beats.send_once())
    asyncio.run(beats.send_once())
    assert restarts == [True]


def test_a_health_change_is_reported_without_waiting_for_the_interval(platform) -> None:
    devices = Devices()
    beats = telemetry(platform, devices, interval_s=60.0)

    async def scenario() -> None:
        loop = asyncio.ensure_future(beats.run())
        try:
            await until(lambda: beats.last_answer is not None)  # the first heartbeat is out
            devices.health["receipt_printer"] = Health(HealthState.ERROR, "PAPER_OUT")
            beats.poke()
            # a third of the interval: generous for a busy machine, and far from waiting for
            # the next heartbeat
            await until(lambda: terminal_row(platform).devices["receipt_printer"]["code"]
                        == "PAPER_OUT", within_s=20)
        finally:
            loop.cancel()
            await asyncio.gather(loop, return_exceptions=True)

    asyncio.run(scenario())


def test_a_wrong_key_is_reported_as_an_auth_problem(platform, caplog) -> None:
    client = PlatformClient(platform.base_url, timeout_s=2.0, retries=0,
                            credentials=TerminalCredentials(TERMINAL.id, "wrong-key-0123456789"))
    beats = Telemetry(client, 30.0, Devices().report)
    assert asyncio.run(beats.send_once()) is None
    assert "PLATFORM_AUTH_REFUSED" in caplog.text


def test_stopping_the_kiosk_stops_the_heartbeats_even_as_a_device_changes(platform) -> None:
    # the kiosk stops its devices (their health changes: a poke) and then cancels this loop;
    # whatever the interleaving, the cancellation must end it
    beats = telemetry(platform, Devices(), interval_s=60.0)

    async def stop_while_poked(turns_between: int) -> bool:
        beats.last_answer = None
        loop = asyncio.ensure_future(beats.run())
        await until(lambda: beats.last_answer is not None)  # the first heartbeat is out
        await asyncio.sleep(0.05)  # most likely waiting for a poke now; any moment must do
        beats.poke()
        for _ in range(turns_between):
            await asyncio.sleep(0)
        loop.cancel()
        done, _ = await asyncio.wait({loop}, timeout=30.0)  # bounds a hang, nothing more
        return loop in done

    for turns in range(4):
        assert asyncio.run(stop_while_poked(turns)), f"still running ({turns} turns)"
