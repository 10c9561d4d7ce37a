"""Composition root of the kiosk core: builds what a terminal runs from its settings.

No widgets here: the Qt shell (`ui.app`) and the command line (`main.py selftest`) both start
from a `Terminal`. The embedded platform, when configured, is started by `main.py`, because
the kiosk side knows the platform only through its URL and the API contract.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from devices.registry import Devices, build_devices
from kiosk.catalog_source import CatalogSource
from kiosk.platform_client import PlatformClient, TerminalCredentials
from kiosk.settings import Settings
from kiosk.telemetry import Telemetry
from offline_cache.catalog_snapshot import CatalogSnapshots


@dataclass
class Terminal:
    settings: Settings
    devices: Devices
    catalog: CatalogSource
    telemetry: Telemetry | None = None  # None: no heartbeats (UI tests without a platform)

    @property
    def data_dir(self) -> Path:
        return self.settings.data_dir


def build_terminal(settings: Settings, platform_url: str,
                   outbox_backlog: Callable[[], int] = lambda: 0) -> Terminal:
    data_dir = settings.data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    platform = settings.platform
    credentials = TerminalCredentials(settings.terminal.id, settings.terminal.key)
    client = PlatformClient(platform_url, timeout_s=platform.timeout_s, retries=platform.retries,
                            credentials=credentials)
    snapshots = CatalogSnapshots(data_dir / "offline_cache.sqlite3")
    devices = build_devices(settings.devices)
    catalog = CatalogSource(client, snapshots)
    # a client of its own: a slow catalog download must not hold up the heartbeats
    heartbeat_client = PlatformClient(platform_url, timeout_s=platform.timeout_s, retries=0,
                                      credentials=credentials)
    telemetry = Telemetry(
        heartbeat_client,
        platform.heartbeat_interval_s,
        devices.health_report,
        network_online=lambda: catalog.status.online,
        catalog_version=lambda: catalog.catalog.version if catalog.catalog else None,
        outbox_backlog=outbox_backlog,  # the outbox (issue 6) supplies its count here
    )
    devices.on_health_change(lambda _family, _health: telemetry.poke())
    return Terminal(settings=settings, devices=devices, catalog=catalog, telemetry=telemetry)
