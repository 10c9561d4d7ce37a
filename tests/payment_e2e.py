"""The harness of the 收费 end-to-end tests (`tests/test_e2e_payment*.py`): the declaration flow
with its scripted person and simulated devices, the kiosk's own citizen services, journal and
outbox (as `kiosk.terminal` builds them), the real platform on loopback with its payments, and
the payment gateway sandbox behind it, spoken to by the real WeChat Pay and Alipay SDKs.

Time is never waited for: the platform's resolver passes every `tick_s` with short intervals,
and a rule about time (the pay deadline, WeChat Pay's 15 s before a reverse, a QR code's
lifetime) is met by `Clocks.advance`, which moves the platform's clock and the gateway's at
once (within the platform's accepted skew of the kiosk's signatures).

A test module takes the fixtures with `from tests.payment_e2e import clocks, gateway, platform`.
"""

from __future__ import annotations

import functools
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

import central.server
from central.db import ApplicationRecord, PaymentAttemptRecord, PaymentOrderRecord
from central.payments.sandbox import PaymentGateway, SandboxServer
from central.payments.settings import sandbox_settings
from central.server import EmbeddedPlatform
from devices.camera.simulated import SimulatedDocumentCamera
from tests.flows.kiosk_harness import Kiosk
from tests.flows.scripted_ui import ScriptedUi
from tests.kiosk.citizen_platform import TERMINAL, kiosk_terminal

# the platform's payment timing: its resolver passes often and asks again soon; the deadlines
# are the real ones, reached by moving the clocks (a QR code lives the least allowed, 60 s)
TIMING = {"query_interval_s": 0.2, "tick_s": 0.1, "retry_s": 0.2, "qr_lifetime_s": 60.0}


class Clocks:
    """The platform's and the gateway's clock: the real time plus an offset the test moves."""

    def __init__(self) -> None:
        self._offset = timedelta(0)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return datetime.now(UTC) + self._offset

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._offset += timedelta(seconds=seconds)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def clocks() -> Clocks:
    return Clocks()


@pytest.fixture
def gateway(clocks: Clocks) -> Iterator[tuple[PaymentGateway, SandboxServer]]:
    sandbox = PaymentGateway(clocks)
    with SandboxServer(sandbox) as server:
        yield sandbox, server


@pytest.fixture
def platform(tmp_path: Path, gateway, clocks: Clocks,
             monkeypatch) -> Iterator[EmbeddedPlatform]:
    """The embedded platform with its payment providers at the sandbox, on `clocks`."""
    sandbox, server = gateway
    port = _free_port()
    payments = sandbox_settings(sandbox, server, f"http://127.0.0.1:{port}", **TIMING)
    monkeypatch.setattr(central.server, "create_app",
                        functools.partial(central.server.create_app, payments=payments,
                                          clock=clocks.now))
    embedded = EmbeddedPlatform(f"sqlite:///{tmp_path}/central.db", port=port,
                                terminals=[TERMINAL], sweep_interval_s=0)
    embedded.start()
    yield embedded
    embedded.stop()


def kiosk_on(platform: EmbeddedPlatform, seed_catalog, tmp_path: Path) -> Kiosk:
    terminal = kiosk_terminal(platform, tmp_path / "kiosk")
    kiosk = Kiosk(ScriptedUi([]), seed_catalog, platform=terminal.services,
                  document_camera=SimulatedDocumentCamera(fps=15, still_frames=4))
    kiosk.terminal = terminal  # type: ignore[attr-defined]
    return kiosk


def records(platform: EmbeddedPlatform) -> tuple[list[PaymentOrderRecord],
                                                 list[ApplicationRecord]]:
    with platform.app.state.sessions() as session:
        orders = list(session.scalars(select(PaymentOrderRecord)))
        applications = list(session.scalars(select(ApplicationRecord).where(
            ApplicationRecord.terminal_id == TERMINAL.id)))
        session.expunge_all()
    return orders, applications


def attempts(platform: EmbeddedPlatform) -> list[PaymentAttemptRecord]:
    with platform.app.state.sessions() as session:
        found = list(session.scalars(select(PaymentAttemptRecord).order_by(
            PaymentAttemptRecord.id)))
        session.expunge_all()
    return found


def net(sandbox: PaymentGateway, out_trade_no: str) -> int:
    """What the gateway kept of a trade: charged less reversed and refunded (fen)."""
    return sum(movement.amount if movement.kind == "charge" else -movement.amount
               for movement in sandbox.movements() if movement.out_trade_no == out_trade_no)


def check_ledger(platform: EmbeddedPlatform, sandbox: PaymentGateway) -> int:
    """Charged at most once net; charged ⇒ the order paid by that very trade, else given back.
    Answers what the gateway kept of the order (fen)."""
    (order,), _applications = records(platform)
    trades = [attempt.out_trade_no for attempt in attempts(platform)
              if attempt.order_id == order.id]
    kept = {no: net(sandbox, no) for no in trades}
    total = sum(kept.values())
    assert total in (0, order.amount_fen), kept
    assert all(movement.out_trade_no in trades for movement in sandbox.movements())
    if order.state == "paid":
        paid = [attempt for attempt in attempts(platform)
                if attempt.id == order.paid_attempt_id]
        assert paid and kept[paid[0].out_trade_no] == order.amount_fen, kept
    else:
        assert total == 0, (order.state, kept)
    return total
