"""Fixtures shared by the device families' tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from devices.idcard.sam_emulator import SamEmulator


@pytest.fixture
def sam() -> Iterator[SamEmulator]:
    """An ID-card reader's SAM, emulated on a real pty at 115200 baud (`sam.path`)."""
    emulator = SamEmulator(baud=115200)
    emulator.on_pty()
    yield emulator
    emulator.close()
