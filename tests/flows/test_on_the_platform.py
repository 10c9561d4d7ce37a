"""The flows against the real platform on loopback, through the kiosk's own citizen services
and outbox (as `kiosk.terminal` builds them): no fake between the flow and the platform."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from central.db import ApplicationRecord
from central.server import EmbeddedPlatform
from devices.camera.simulated import SimulatedDocumentCamera
from flows.declaration import declare
from flows.progress import look_up_progress
from flows.steps import (
    SCAN_DONE,
    SUBMIT,
    Choose,
    Consented,
    FormFilled,
    MessageStep,
    Nav,
    ProgressStep,
    Rated,
    ReceiptStep,
    Signed,
)
from tests.flows.kiosk_harness import CARDS, Kiosk
from tests.flows.scripted_ui import ScriptedUi, Wait
from tests.kiosk.citizen_platform import (
    TERMINAL,
    applications_at_platform,
    kiosk_terminal,
    run_sync_until,
    start_platform,
)

ALL = frozenset({"shared_data", "face", "materials"})


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[EmbeddedPlatform]:
    server = start_platform(tmp_path)
    yield server
    server.stop()


def residence_permit_script(kiosk: Kiosk) -> list:
    return [
        Wait(lambda step: kiosk.id_reader.insert(CARDS["resident"])), Wait(),
        Choose("合法稳定就业证明"), Consented(ALL),
        FormFilled({"mobile": "13812345678", "address": "北京市朝阳区幸福路8号",
                    "delivery": "窗口领取"}),
        Wait(lambda step: kiosk.document_camera.place_page(24)), Choose(SCAN_DONE),
        Wait(lambda step: kiosk.document_camera.place_page(7)), Choose(SCAN_DONE),
        Signed(b"\x89PNG\r\n\x1a\n signature"), Choose(SUBMIT), Choose("next"), Rated(2, (
            "等待时间太长",)), Choose("home"),
    ]


def test_apply_then_look_it_up_by_the_receipts_qr_code(platform, seed_catalog, tmp_path):
    terminal = kiosk_terminal(platform, tmp_path / "kiosk")
    kiosk = Kiosk(ScriptedUi([]), seed_catalog, platform=terminal.services,
                  document_camera=SimulatedDocumentCamera(fps=15, still_frames=4))
    kiosk.ui.script = residence_permit_script(kiosk)
    kiosk.run(declare, kiosk.service("SS-015"))
    receipt = kiosk.ui.of_type(ReceiptStep)[0]
    assert not receipt.pending and receipt.printed
    assert receipt.number in kiosk.receipt_printer.last_text()
    assert _all_at_platform(platform) == [receipt.number], "one application, accepted"

    lookup = Kiosk(ScriptedUi([]), seed_catalog, platform=terminal.services)
    lookup.ui.script = [Wait(lambda step: lookup.code_scanner.scan(receipt.qr_text)), Nav.HOME]
    lookup.run(look_up_progress)
    (shown,) = lookup.ui.of_type(ProgressStep)
    (application,) = shown.applications
    assert application.number == receipt.number and application.service_name == "居住证申领"
    assert application.masked_name == "张*"
    asyncio.run(run_sync_until(terminal, lambda: terminal.outbox_sync.backlog() == 0))


def test_network_cut_at_submit_gives_a_pending_receipt_delivered_once_when_back(
        platform, seed_catalog, tmp_path):
    terminal = kiosk_terminal(platform, tmp_path / "kiosk")
    kiosk = Kiosk(ScriptedUi([]), seed_catalog, platform=terminal.services,
                  document_camera=SimulatedDocumentCamera(fps=15, still_frames=4))
    script = residence_permit_script(kiosk)
    submit_at = script.index(Choose(SUBMIT))

    def cut_then_submit(step):
        terminal.network.cut()
        return Choose(SUBMIT)

    script[submit_at] = cut_then_submit
    kiosk.ui.script = script
    kiosk.run(declare, kiosk.service("SS-015"))
    receipt = kiosk.ui.of_type(ReceiptStep)[0]
    assert receipt.pending and receipt.qr_text is None
    assert "待受理 · 网络恢复后自动提交" in kiosk.receipt_printer.last_text()
    assert applications_at_platform(platform, receipt.number) == []
    assert isinstance(kiosk.ui.shown[-1], MessageStep)

    terminal.network.restore()
    asyncio.run(run_sync_until(terminal, lambda: terminal.outbox_sync.backlog() == 0))
    accepted = terminal.services.local_status(receipt.number)
    assert accepted is not None
    assert applications_at_platform(platform, receipt.number) == [accepted.acceptance_number]
    assert _all_at_platform(platform) == [accepted.acceptance_number], "exactly once"



def _all_at_platform(platform: EmbeddedPlatform) -> list[str]:
    """Every acceptance number the platform holds for the test terminal."""
    with platform.app.state.sessions() as session:
        return list(session.scalars(select(ApplicationRecord.number).where(
            ApplicationRecord.terminal_id == TERMINAL.id)))
