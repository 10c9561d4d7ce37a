"""The live preview shows the camera's picture with the page outline, and clears on stop."""

from __future__ import annotations

import os

import numpy as np
import pytest

from devices.camera.simulated import SimulatedDocumentCamera

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
pytest.importorskip("PySide6.QtWidgets")


def test_the_preview_shows_frames_and_the_page_outline_then_forgets_them(qtbot):
    from ui.camera_preview import CameraPreview

    camera = SimulatedDocumentCamera(fps=20)
    camera.place_page()
    preview = CameraPreview(camera.camera, "document")
    qtbot.addWidget(preview)
    preview.resize(640, 480)
    preview.show()
    preview.start()
    try:
        qtbot.waitUntil(lambda: preview.overlay() is not None, timeout=20000)
        qtbot.waitUntil(lambda: preview.frames_shown >= 5, timeout=30_000)
        overlay = preview.overlay()
        assert len(overlay.outline) == 4 and overlay.good
        assert overlay.frame_size[0] <= 960  # detection saw a shrunk copy
        picture = preview.grab().toImage()
        centre = picture.pixelColor(picture.width() // 2, picture.height() // 2)
        assert centre.lightness() > 60  # the page is there, not the empty dark background
    finally:
        preview.stop()
        camera.stop()
    assert preview.overlay() is None and preview._picture is None
    assert camera.camera.latest() is None  # the camera's stop let go of the last frame


def test_without_a_camera_the_preview_is_just_dark(qtbot):
    from devices.camera.frames import Camera, GeneratedSource
    from ui.camera_preview import CameraPreview

    source = GeneratedSource(lambda n: np.zeros((10, 10, 3), np.uint8))
    source.unplugged = True
    camera = Camera("face_camera", source, retry_s=0.05)
    preview = CameraPreview(camera)
    qtbot.addWidget(preview)
    preview.resize(320, 240)
    preview.start()
    try:
        qtbot.waitUntil(lambda: "not found" in camera.health().detail, timeout=30_000)
        assert preview.frames_shown == 0
        image = preview.grab().toImage()
        assert image.pixelColor(160, 120).lightness() < 40
    finally:
        preview.stop()
        camera.stop()
