"""A reader watched as the kiosk would watch it (the SAM on a pty: tests/devices/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from devices.idcard.reader import Ga467Reader
from tests.devices.card_watcher import Watcher


@pytest.fixture
def watch() -> Iterator[Callable[..., Watcher]]:
    """`watcher = watch(port)`: a started `Ga467Reader` on `port` (`watcher.reader`), stopped
    at the end of the test."""
    started: list[Watcher] = []

    def start(port: str, **options) -> Watcher:
        watcher = Watcher(Ga467Reader(port, **options), reported_only=True)
        watcher.reader.start()
        started.append(watcher)
        return watcher

    yield start
    for watcher in started:
        watcher.reader.stop()
        watcher.close()
