"""The document camera (高拍仪) as flows use it: wait for a page, capture it when it lies still.

    page = await document_camera.capture_page(mode=Enhancement.BLACK_WHITE)
    if isinstance(page, ScanFailed): ...          # an expected outcome, shown to the person

Detection runs in worker threads one frame at a time, so the flow's task can be cancelled
between frames (the person walked away) and the GUI thread never waits. Scanned pages stay in
memory; writing them anywhere is the caller's decision (the person asked for output).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from common.i18n import QT_TR_NOOP
from devices.camera.document import (
    Enhancement,
    FoundDocument,
    StillnessWatch,
    encode_jpeg,
    enhance,
    find_document,
    print_without_outline,
    straighten,
)
from devices.camera.frames import Camera
from devices.health import Health, HealthListener

PLACE_DOCUMENT = QT_TR_NOOP("请将材料平放在拍摄区内")
HOLD_STILL = QT_TR_NOOP("已找到材料，请保持不动")
NO_PICTURE = QT_TR_NOOP("高拍仪暂时无法拍摄，请联系工作人员")
TIMED_OUT = QT_TR_NOOP("未能拍到材料，请重新放置后再试")
# the material is there (its print shows) but its edge cannot be told from a light pad
NO_EDGE = QT_TR_NOOP("看不清材料的边缘，请把材料放在深色垫板上再拍")


@dataclass(frozen=True)
class ScannedPage:
    image: np.ndarray = field(repr=False)  # straightened and enhanced
    corners: np.ndarray  # where it lay in the camera frame (pixels, clockwise from top-left)
    kind: str  # page | card | other
    mode: Enhancement

    def jpeg(self, quality: int = 90) -> bytes:
        return encode_jpeg(self.image, quality)


@dataclass(frozen=True)
class ScanFailed:
    code: str  # NO_PICTURE | TIMED_OUT | NO_EDGE
    message: str  # Simplified Chinese for the person, marked for translation


@dataclass(frozen=True)
class DocumentProgress:
    """What the screen shows while waiting: the prompt and the outline found, if any."""

    message: str
    found: FoundDocument | None
    frame_size: tuple[int, int]  # width, height of the frame the outline belongs to


class DocumentCamera:
    """The document-camera port: health, a live camera for the preview, page capture."""

    def __init__(self, camera: Camera, *, still_frames: int = 8) -> None:
        self.camera = camera
        self.family = camera.family
        self.still_frames = still_frames

    def health(self) -> Health:
        return self.camera.health()

    def on_health_change(self, listener: HealthListener) -> None:
        self.camera.on_health_change(listener)

    def start(self) -> None:
        self.camera.start()

    def stop(self) -> None:
        self.camera.stop()

    def probe(self) -> Health:
        """Check the camera is there without starting it (selftest)."""
        return self.camera.probe()

    async def capture_page(
        self,
        mode: Enhancement | str = Enhancement.COLOUR,
        *,
        kind: str | None = None,
        timeout_s: float = 60.0,
        on_progress: Callable[[DocumentProgress], None] | None = None,
        advise_after_s: float = 6.0,
    ) -> ScannedPage | ScanFailed:
        """The next page (or card) that lies still in view.

        `kind` ("page" or "card") is what the person was asked to place: it sets the
        proportions of the result; without it they are guessed from the outline.
        `on_progress` is called on the loop's thread for each frame looked at.
        When print has shown without an outline for `advise_after_s` (white paper on a
        white pad), the person is told to put it on a dark pad (`NO_EDGE`) rather than left
        to wait for the timeout.
        """
        self.camera.start()
        watch = StillnessWatch(frames=self.still_frames)
        deadline = time.monotonic() + timeout_s
        seen = 0
        started = time.monotonic()
        no_edge_since: float | None = None
        while time.monotonic() < deadline:
            frame = await self.camera.next_frame(after=seen, timeout=1.0)
            if frame is None:
                # give a camera that is starting or being replugged a few seconds
                if not self.camera.health().ok and time.monotonic() - started > 5.0:
                    return ScanFailed("NO_PICTURE", NO_PICTURE)
                continue
            seen = frame.number
            found = await asyncio.to_thread(find_document, frame.image)
            if found is not None and kind is not None:
                found = replace(found, kind=kind)
            unseen_edge = found is None and \
                await asyncio.to_thread(print_without_outline, frame.image)
            no_edge_since = (no_edge_since or time.monotonic()) if unseen_edge else None
            if on_progress is not None:
                height, width = frame.image.shape[:2]
                message = HOLD_STILL if found else NO_EDGE if unseen_edge else PLACE_DOCUMENT
                on_progress(DocumentProgress(message, found, (width, height)))
            if no_edge_since is not None and time.monotonic() - no_edge_since >= advise_after_s:
                return ScanFailed("NO_EDGE", NO_EDGE)
            if watch.feed(None if found is None else found.corners):
                assert found is not None
                image = await asyncio.to_thread(_finish, frame.image, found, Enhancement(mode))
                return ScannedPage(image, found.corners, found.kind, Enhancement(mode))
        return ScanFailed("TIMED_OUT", TIMED_OUT)


def _finish(image: np.ndarray, found: FoundDocument, mode: Enhancement) -> np.ndarray:
    long_side = 2000 if found.kind != "card" else 1300
    return enhance(straighten(image, found.corners, long_side, found.kind), mode)
