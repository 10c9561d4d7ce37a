"""A CUPS of the tests' own (see cups_server.py), started once for the A4 tests and stopped at
the end of the run, even when a test fails."""

from __future__ import annotations

import os
import subprocess

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from tests.devices.printer.cups_server import CupsServer, CupsUnavailable, start_cups


@pytest.fixture(scope="session")
def cups():
    try:
        server = start_cups()
    except CupsUnavailable as exc:
        pytest.skip(f"no CUPS of our own: {exc}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def offline_queue(cups: CupsServer):
    """A second queue whose printer is switched off: a socket printer nobody answers for."""
    name = "SwitchedOff"
    subprocess.run(["lpadmin", "-h", f"127.0.0.1:{cups.port}", "-p", name, "-E", "-v",
                    "socket://127.0.0.1:9", "-m", "raw"], check=True, capture_output=True,
                   timeout=20)
    yield f"ipp://127.0.0.1:{cups.port}/printers/{name}"
    subprocess.run(["lpadmin", "-h", f"127.0.0.1:{cups.port}", "-x", name], capture_output=True,
                   timeout=20)


@pytest.fixture
def appsocket_queue(cups: CupsServer):
    """Makes queues to fake AppSocket printers (appsocket_printer.py) through the test backend
    `kiosk-socket`: `make(policy=..., op_policy=...)` → (queue URI, printer, queue name)."""
    from tests.devices.printer.appsocket_printer import AppSocketPrinter

    made: list[tuple[str, AppSocketPrinter]] = []

    def make(error_policy: str = "abort-job", op_policy: str = "default"):
        directory = cups.root / f"appsocket-{len(list(cups.root.glob('appsocket-*')))}"
        directory.mkdir()
        directory.chmod(0o755)
        printer = AppSocketPrinter(directory)
        name = f"Socket{directory.name.split('-')[1]}"
        subprocess.run(["lpadmin", "-h", f"127.0.0.1:{cups.port}", "-p", name, "-E", "-v",
                        f"kiosk-socket://127.0.0.1:{printer.port}{directory}", "-m", "raw",
                        "-o", f"printer-error-policy={error_policy}",
                        "-o", f"printer-op-policy={op_policy}"],
                       check=True, capture_output=True, timeout=20)
        made.append((name, printer))
        return f"ipp://127.0.0.1:{cups.port}/printers/{name}", printer, name

    yield make
    for name, printer in made:
        printer.close()
        subprocess.run(["lpadmin", "-h", f"127.0.0.1:{cups.port}", "-x", name],
                       capture_output=True, timeout=20)
