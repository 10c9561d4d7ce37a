"""A real pcscd with a vpcd reader for the package, emulated cards in its slot, and readers
watched as the kiosk watches them. See `testbed.py` for how pcscd is kept off the machine."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from devices.cards import CardReader
from devices.sscard.vpcd import VpcdCard
from tests.devices.card_watcher import Watcher
from tests.devices.sscard.testbed import (
    VPCD_PORT,
    Pcscd,
    PrivateNetwork,
    pcscd_processes_of,
    wait_for_slot,
    why_not_runnable,
)


@pytest.fixture(scope="session")
def pcscd_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pcscd]:
    """The session's pcscd; tests that stop it or drop its reader get it back by `pcscd`.
    One for the session, not the package: the client library reads its socket path once per
    process, and a worker of pytest-xdist may come back to this package after others."""
    reason = why_not_runnable()
    if reason is not None:
        pytest.skip(reason)
    workdir = Path(tmp_path_factory.mktemp("pcscd"))
    network = PrivateNetwork()
    service = Pcscd(workdir, network)
    # the client library reads this once per process, so one path serves every restart
    previous = os.environ.get("PCSCLITE_CSOCK_NAME")
    os.environ["PCSCLITE_CSOCK_NAME"] = str(service.socket_path)
    try:
        service.start()
        yield service
    finally:
        service.stop()
        network.close()
        if previous is None:
            os.environ.pop("PCSCLITE_CSOCK_NAME", None)
        else:
            os.environ["PCSCLITE_CSOCK_NAME"] = previous
        assert pcscd_processes_of(workdir) == [], "a pcscd outlived the tests"


@pytest.fixture
def pcscd(pcscd_service: Pcscd) -> Pcscd:
    """pcscd running with the vpcd reader, whatever the last test left."""
    if not (pcscd_service.running and pcscd_service.with_reader):
        pcscd_service.start()
    return pcscd_service


@pytest.fixture
def slot(pcscd: Pcscd) -> Iterator[VpcdCard]:
    """vpcd's first slot, seen from the card side: `slot.insert(EmulatedSsCard(...))`."""
    wait_for_slot(present=False)  # pcscd has seen the last test's card go
    card_slot = VpcdCard(VPCD_PORT, connect=pcscd.network.connect)
    yield card_slot
    card_slot.remove()


@pytest.fixture
def watch() -> Iterator[Callable[[CardReader], Watcher]]:
    """`watcher = watch(reader)`: `reader` started and watched, stopped at the end of the test."""
    watchers: list[Watcher] = []

    def start(reader: CardReader) -> Watcher:
        watcher = Watcher(reader)
        reader.start()
        watchers.append(watcher)
        return watcher

    yield start
    for watcher in watchers:
        watcher.reader.stop()
        watcher.close()
