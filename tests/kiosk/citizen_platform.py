"""What the citizen-services tests share: a terminal built as the kiosk builds it, against the
real platform on loopback, and a submission as the declaration flow would make it."""

from __future__ import annotations

import asyncio
import base64
import contextlib
from datetime import UTC, datetime
from pathlib import Path

import cv2
import numpy as np
from sqlalchemy import select

from central.app import KnownTerminal
from central.contract import (
    ApplicationSubmission,
    Consent,
    FaceSample,
    Holder,
    IdentityEvidenceIn,
    ScannedMaterial,
)
from central.db import ApplicationRecord
from central.server import EmbeddedPlatform
from kiosk.settings import DataSettings, PlatformSettings, Settings, TerminalSettings
from kiosk.terminal import Terminal, build_terminal

TERMINAL = KnownTerminal("KIOSK-TEST", "测试大厅", "kiosk-test-key-0123456789")
NAME, ID_NUMBER = "张三", "110101199003070011"  # the reference verifier's resident card
ADDRESS = "北京市朝阳区幸福路8号院3号楼"


def jpeg_b64(shade: int = 128) -> str:
    ok, data = cv2.imencode(".jpg", np.full((48, 64, 3), shade, np.uint8))
    assert ok
    return base64.b64encode(data.tobytes()).decode("ascii")


def residence_permit(**changes: object) -> ApplicationSubmission:
    """SS-015 居住证申领, submitted at a kiosk that was offline when the person verified (so
    the platform verifies the card and the face when the submission arrives)."""
    submission = ApplicationSubmission(
        service_id="SS-015",
        local_number="",  # the outbox assigns it
        submitted_at=datetime.now(UTC),
        applicant=Holder(name=NAME, id_number=ID_NUMBER),
        evidence=IdentityEvidenceIn(kind="id_card", name=NAME, id_number=ID_NUMBER,
                                    dedicated_reader=True),
        face=FaceSample(jpeg_b64=jpeg_b64(), quality=0.9, liveness_passed=True),
        situations={},
        form={"name": NAME, "id_no": ID_NUMBER, "mobile": "13812345678", "address": ADDRESS,
              "basis": "就业", "delivery": "窗口领取"},
        materials=[
            ScannedMaterial(name="近期免冠证件照", pages_jpeg_b64=[jpeg_b64(200)]),
            ScannedMaterial(name="合法稳定就业/合法稳定住所/连续就读证明（三选一）",
                            pages_jpeg_b64=[jpeg_b64(90), jpeg_b64(60)]),
        ],
        signature_png_b64=base64.b64encode(cv2.imencode(".png", np.zeros((20, 60), np.uint8))[1]
                                           .tobytes()).decode("ascii"),
        consent=Consent(shared_data=True, face=True, materials=True,
                        given_at=datetime.now(UTC)),
    )
    return submission.model_copy(update=changes)


def settings_for(data_dir: Path, **platform: object) -> Settings:
    return Settings(
        terminal=TerminalSettings(id=TERMINAL.id, hall=TERMINAL.hall, key=TERMINAL.key),
        data=DataSettings(dir=data_dir),
        platform=PlatformSettings(**{"timeout_s": 2.0, "retries": 1, "submit_wait_s": 5.0,
                                     **platform}),
    )


def kiosk_terminal(platform: EmbeddedPlatform, data_dir: Path, **settings: object) -> Terminal:
    return build_terminal(settings_for(data_dir, **settings), platform.base_url)


def applications_at_platform(platform: EmbeddedPlatform, local_number: str) -> list[str]:
    """The acceptance numbers the platform holds for this terminal's `local_number`."""
    with platform.app.state.sessions() as session:
        return list(session.scalars(
            select(ApplicationRecord.number).where(ApplicationRecord.terminal_id == TERMINAL.id,
                                                   ApplicationRecord.local_number
                                                   == local_number)))


async def run_sync_until(terminal: Terminal, done, limit_s: float = 20.0) -> None:
    """Run the kiosk's outbox loop (as ui.app does) until `done()` or `limit_s` passed."""
    sync = terminal.outbox_sync
    loop_task = asyncio.ensure_future(sync.run(tick_s=0.2))
    try:
        for _ in range(int(limit_s / 0.05)):
            if done():
                return
            await asyncio.sleep(0.05)
    finally:
        loop_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await loop_task


def start_platform(tmp_path: Path) -> EmbeddedPlatform:
    """The real platform on loopback, with the fault injector; the caller stops it."""
    server = EmbeddedPlatform(f"sqlite:///{tmp_path}/central.db", faults=True,
                              terminals=[TERMINAL], sweep_interval_s=0)
    server.start()
    return server
