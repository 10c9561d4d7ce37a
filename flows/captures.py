"""The next new capture from the document camera: not the page or card still lying there.

Auto-capture fires for whatever lies still, so right after a capture the same page would be
taken again at once. A capture counts as new once the camera has seen the last one taken away
or clearly moved (the person swapped pages, or laid the rejected one down again); a card turned
over in place counts as new when its picture differs from the side taken before (`turned`).
"""

from __future__ import annotations

import asyncio

import cv2
import numpy as np

from devices.camera.document_camera import (
    DocumentCamera,
    DocumentProgress,
    ScanFailed,
    ScannedPage,
)

MOVED = 0.1  # of the document's diagonal: moved this much, it was laid down again
# frames in a row that must show it gone or moved: one frame where detection missed the page
# must not let the same page be taken twice
CHANGED_FRAMES = 3
SAME_PICTURE_GREY = 12.0  # mean difference (0-255) below which two captures show the same


async def next_capture(camera: DocumentCamera, kind: str, *, last: ScannedPage | None = None,
                       turned: bool = False, mode: str = "colour") -> ScannedPage | ScanFailed:
    """The next capture that is not `last` lying where it was."""
    changed = last is None
    frames = 0  # in a row, showing `last` gone or moved

    def watch(progress: DocumentProgress) -> None:
        nonlocal changed, frames
        if changed or last is None:
            return
        found = progress.found
        gone = found is None
        diagonal = float(np.hypot(*(last.corners[2] - last.corners[0])))
        moved = found is not None and float(np.abs(found.corners - last.corners).max()) > \
            MOVED * diagonal
        frames = frames + 1 if gone or moved else 0
        changed = frames >= CHANGED_FRAMES

    while True:
        page = await camera.capture_page(mode, kind=kind, on_progress=watch)
        if isinstance(page, ScanFailed):
            return page
        if changed or (turned and last is not None and
                       not await asyncio.to_thread(looks_alike, page, last)):
            return page


def looks_alike(a: ScannedPage, b: ScannedPage) -> bool:
    """Whether two captures show the same page or side (either way round)."""
    first, second = _small(a.image), _small(b.image)
    if first.shape != second.shape:
        return False
    difference = min(float(np.abs(first - second).mean()),
                     float(np.abs(first - second[::-1, ::-1]).mean()))
    return difference < SAME_PICTURE_GREY


def _small(image: np.ndarray) -> np.ndarray:
    grey = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    size = (86, 54) if grey.shape[1] >= grey.shape[0] else (54, 86)
    return cv2.resize(grey, size, interpolation=cv2.INTER_AREA).astype(np.float32)


def thumbnail(page: ScannedPage, width: int = 320) -> bytes:
    """A small JPEG of the page for the screen."""
    height, full_width = page.image.shape[:2]
    factor = min(1.0, width / full_width)
    small = cv2.resize(page.image, (max(1, int(full_width * factor)), max(1, int(height * factor))),
                       interpolation=cv2.INTER_AREA)
    ok, data = cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, 80])
    return data.tobytes() if ok else b""
