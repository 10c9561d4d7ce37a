"""Composition root of the kiosk core: builds what a terminal runs from its settings.

No widgets here: the Qt shell (`ui.app`) and the command line (`main.py selftest`) both start
from a `Terminal`. The embedded platform, when configured, is started by `main.py`, because
the kiosk side knows the platform only through its URL and the API contract.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from devices.registry import Devices, build_devices
from kiosk.catalog_source import CatalogSource
from kiosk.platform_client import PlatformClient
from kiosk.settings import Settings
from offline_cache.catalog_snapshot import CatalogSnapshots


@dataclass
class Terminal:
    settings: Settings
    devices: Devices
    catalog: CatalogSource

    @property
    def data_dir(self) -> Path:
        return self.settings.data_dir


def build_terminal(settings: Settings, platform_url: str) -> Terminal:
    data_dir = settings.data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    client = PlatformClient(
        platform_url, timeout_s=settings.platform.timeout_s, retries=settings.platform.retries
    )
    snapshots = CatalogSnapshots(data_dir / "offline_cache.sqlite3")
    return Terminal(
        settings=settings,
        devices=build_devices(settings.devices),
        catalog=CatalogSource(client, snapshots),
    )
