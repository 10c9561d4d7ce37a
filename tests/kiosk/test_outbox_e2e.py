"""kill -9 at the worst moments, against the real platform: a kiosk process is killed after
the application was committed and before it was delivered, or after the platform recorded it
and before the kiosk marked it delivered. After a restart over the same data directory the
application reaches the platform, once."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from central.db import ApplicationRecord
from central.server import EmbeddedPlatform
from kiosk.settings import PROJECT_ROOT
from kiosk.terminal import Terminal
from offline_cache.outbox import OutboxState
from tests.kiosk.citizen_platform import (
    applications_at_platform,
    kiosk_terminal,
    run_sync_until,
    start_platform,
)

# a kiosk process: builds its terminal as the kiosk does and submits one application
KIOSK = """
import asyncio, os, signal, sys
from pathlib import Path
from kiosk.citizen_services import PlatformCitizenServices, send_outbox_item
from kiosk.platform_client import PlatformClient, TerminalCredentials
from offline_cache.outbox_sync import OutboxSync
from tests.kiosk.citizen_platform import TERMINAL, residence_permit, settings_for
from kiosk.terminal import build_terminal

data_dir, base_url, moment = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
terminal = build_terminal(settings_for(data_dir), base_url)

def die():
    os.kill(os.getpid(), signal.SIGKILL)

async def main():
    services = terminal.services
    if moment == "after_commit":
        terminal.network.cut()  # nothing can be delivered: only committed
    else:  # "after_send": the platform records it, the kiosk dies before marking it
        client = PlatformClient(base_url, credentials=TerminalCredentials(TERMINAL.id,
                                                                          TERMINAL.key))
        def send_then_die(item):
            outcome = send_outbox_item(client, item)
            print(type(outcome).__name__, flush=True)
            die()
        sync = OutboxSync(terminal.outbox_sync.outbox, send_then_die)
        services = PlatformCitizenServices(client, sync, submit_wait_s=20)
    submitted = await services.submit_application(residence_permit())
    print(submitted.local_number, flush=True)
    die()

asyncio.run(main())
"""


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[EmbeddedPlatform]:
    server = start_platform(tmp_path)
    yield server
    server.stop()


def run_kiosk_until_killed(data_dir: Path, platform: EmbeddedPlatform, moment: str) -> list[str]:
    child = subprocess.run([sys.executable, "-c", KIOSK, str(data_dir), platform.base_url,
                            moment], cwd=PROJECT_ROOT, capture_output=True, text=True,
                           timeout=60, check=False)
    assert child.returncode == -signal.SIGKILL, child.stderr[-2000:]
    return child.stdout.split()


def restart_and_deliver(platform: EmbeddedPlatform, data_dir: Path) -> Terminal:
    """A new kiosk over the same data directory, its outbox loop run as ui.app runs it."""
    terminal = kiosk_terminal(platform, data_dir)
    assert terminal.outbox_sync.backlog() == 1, "the killed kiosk's application is waiting"
    asyncio.run(run_sync_until(terminal, lambda: terminal.outbox_sync.backlog() == 0))
    return terminal


def test_killed_after_the_commit_the_application_is_delivered_after_restart(
        platform, tmp_path) -> None:
    data_dir = tmp_path / "kiosk"
    (local_number,) = run_kiosk_until_killed(data_dir, platform, "after_commit")
    assert applications_at_platform(platform, local_number) == []

    terminal = restart_and_deliver(platform, data_dir)
    accepted = terminal.services.local_status(local_number)
    assert applications_at_platform(platform, local_number) == [accepted.acceptance_number]


def test_killed_between_sending_and_marking_it_is_sent_again_and_not_doubled(
        platform, tmp_path) -> None:
    data_dir = tmp_path / "kiosk"
    (outcome,) = run_kiosk_until_killed(data_dir, platform, "after_send")
    assert outcome == "Delivered", "the platform recorded it before the kill"
    (recorded,) = _all_local_numbers(platform)
    first = applications_at_platform(platform, recorded)
    assert len(first) == 1

    terminal = restart_and_deliver(platform, data_dir)
    # sent again with the same key: the platform answered with its first acceptance
    assert terminal.services.local_status(recorded).acceptance_number == first[0]
    assert applications_at_platform(platform, recorded) == first, "one application, not two"
    assert [item.state for item in terminal.outbox_sync.outbox.items()] == [
        OutboxState.DELIVERED]


def _all_local_numbers(platform: EmbeddedPlatform) -> list[str]:
    with platform.app.state.sessions() as session:
        return list(session.scalars(select(ApplicationRecord.local_number)))
