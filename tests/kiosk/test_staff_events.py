"""Staff events on their way to the platform: queued (on disk too) while it cannot be reached,
sent when it can, recorded once however often a batch is sent, bounded by the contract."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import select

from central.contract.staff import StaffEvent, StaffEvents
from central.db import TerminalEvent
from kiosk.platform_client import PlatformClient, TerminalCredentials
from kiosk.staff_events import StaffEventLog
from tests.kiosk.citizen_platform import TERMINAL, start_platform


def client_for(url: str) -> PlatformClient:
    return PlatformClient(url, timeout_s=2.0, retries=0,
                          credentials=TerminalCredentials(TERMINAL.id, TERMINAL.key))


def recorded(platform) -> list[tuple[str, str]]:
    with platform.app.state.sessions() as session:
        rows = session.scalars(select(TerminalEvent).where(
            TerminalEvent.terminal_id == TERMINAL.id,
            TerminalEvent.kind.like("staff%")).order_by(TerminalEvent.id))
        return [(row.kind, row.detail) for row in rows]


def test_queued_while_unreachable_kept_across_a_restart_and_sent_later(tmp_path: Path) -> None:
    platform = start_platform(tmp_path)
    url = platform.base_url
    platform.stop()
    try:
        log = StaffEventLog(client_for(url), tmp_path)

        async def unreachable() -> bool:
            log.record("staff_pin_wrong", failures=1)
            log.record("staff_pin_locked", failures=3, locked_s=300)
            return await log.send_once()

        assert asyncio.run(unreachable()) is False
        assert log.pending == 2
        again = StaffEventLog(client_for(url), tmp_path)  # the kiosk restarted
        assert again.pending == 2
        platform.start()
        assert asyncio.run(again.send_once()) is True
        assert again.pending == 0
        assert recorded(platform) == [
            ("staff_pin_wrong", "维护密码输错（连续第 1 次）"),
            ("staff_pin_locked", "连续 3 次输错维护密码，密码键盘锁定 300 秒")]
        assert StaffEventLog(client_for(url), tmp_path).pending == 0  # the file says so too
    finally:
        platform.stop()


def test_a_batch_sent_twice_is_recorded_once(tmp_path: Path) -> None:
    platform = start_platform(tmp_path)
    try:
        event = StaffEvent(id="ab" * 16, kind="staff_exit", occurred_at=datetime.now(UTC))
        with client_for(platform.base_url) as client:
            assert client.send_staff_events(StaffEvents(events=[event]), event.id) == 1
            assert client.send_staff_events(StaffEvents(events=[event]), event.id) == 0
        assert recorded(platform) == [("staff_exit", "维护密码正确，工作人员进入维护菜单")]
    finally:
        platform.stop()


def test_the_loop_sends_what_is_recorded(tmp_path: Path) -> None:
    platform = start_platform(tmp_path)
    try:
        log = StaffEventLog(client_for(platform.base_url), tmp_path)

        async def scenario() -> None:
            loop_task = asyncio.ensure_future(log.run())
            await asyncio.sleep(0)
            log.record("staff_exit")
            for _ in range(1500):  # a failure ends in 30 s, not at the suite's limit
                if log.delivered:
                    break
                await asyncio.sleep(0.02)
            loop_task.cancel()
            await asyncio.gather(loop_task, return_exceptions=True)

        asyncio.run(scenario())
        assert [kind for kind, _detail in recorded(platform)] == ["staff_exit"]
    finally:
        platform.stop()


@pytest.mark.parametrize("change", [{"id": "not-an-id"}, {"kind": "staff_pin_shown"},
                                    {"failures": -1}, {"locked_s": 10**9}])
def test_the_contract_bounds_each_event(change: dict) -> None:
    fields = {"id": "0" * 32, "kind": "staff_pin_wrong",
              "occurred_at": datetime.now(UTC) - timedelta(minutes=1), **change}
    with pytest.raises(ValidationError):
        StaffEvent.model_validate(fields)


def test_no_more_than_fifty_events_in_a_request() -> None:
    event = StaffEvent(id="0" * 32, kind="staff_exit", occurred_at=datetime.now(UTC))
    with pytest.raises(ValidationError):
        StaffEvents(events=[event] * 51)
    with pytest.raises(ValidationError):
        StaffEvents(events=[])
