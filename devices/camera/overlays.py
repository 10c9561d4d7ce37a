"""What a live preview draws over the picture: the page's outline, the face's box.

Plain values, so they can come back from a worker process (`devices.camera.isolated`), which
is where the preview runs these (see `ui/camera_preview.py`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Overlay:
    """What to draw, in the coordinates of the frame it was found in."""

    frame_size: tuple[int, int]  # width, height
    outline: tuple[tuple[float, float], ...] = ()  # a page's corners, clockwise
    box: tuple[int, int, int, int] | None = None  # a face: x, y, w, h
    good: bool = False  # ready (green) or the person still has to adjust (amber)
    message: str = ""  # the prompt for the screen's own label (marked text), "" when none


def document_overlay(image: np.ndarray) -> Overlay | None:
    from devices.camera.document import find_document

    found = find_document(image)
    if found is None:
        return None
    height, width = image.shape[:2]
    return Overlay((width, height), tuple((float(x), float(y)) for x, y in found.corners),
                   good=True)


def face_overlay(image: np.ndarray) -> Overlay | None:
    from devices.camera.face import assess_face

    result = assess_face(image)
    height, width = image.shape[:2]
    if result.quality is None:
        return Overlay((width, height), message=result.message)
    return Overlay((width, height), box=result.quality.face_box, good=result.ok,
                   message=result.message)
