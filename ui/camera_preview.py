"""Live camera preview with what detection found drawn over it (page outline, face box).

The GUI thread only paints: a worker thread shrinks each new frame to the widget's size,
detection runs on the newest frame at its own pace in a child process (named detectors
"document" and "face", see `devices.camera.overlays`; a crash or a runaway call there cannot
freeze the screen), and a timer on the GUI thread takes whatever is ready. A slow detector
lowers the rate of the outline, never the picture's (`bench/camera_stall.py` measures it).

Frames are a person's face or papers: they live only in memory and are dropped on `stop()`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import cv2
import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import (
    QColor,
    QImage,
    QPainter,
    QPaintEvent,
    QPen,
    QPolygonF,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from devices.camera.frames import Camera
from devices.camera.isolated import IsolatedWorker
from devices.camera.overlays import Overlay

Analyse = Callable[[np.ndarray], Overlay | None]
ANALYSIS_WIDTH = 960  # frames are shrunk to this before detection: enough for an outline


class _Worker:
    """A daemon thread looping `step` until stopped."""

    def __init__(self, name: str, step: Callable[[threading.Event], None]) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(step,), name=name, daemon=True)
        self._thread.start()

    def _run(self, step: Callable[[threading.Event], None]) -> None:
        while not self._stop.is_set():
            step(self._stop)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2.0)


class CameraPreview(QWidget):
    """Shows `camera`'s picture at up to `fps` frames a second, with detection drawn over it.

    `analyse`: "document" or "face" (run in a child process), a function of a frame (run in a
    thread: for tests), or None for the picture alone.
    """

    def __init__(self, camera: Camera, analyse: str | Analyse | None = None, fps: int = 25,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.camera = camera
        self.analyse: Analyse | None = None
        self._isolated: IsolatedWorker | None = None
        if isinstance(analyse, str):
            self._isolated = IsolatedWorker(f"devices.camera.overlays:{analyse}_overlay", 2.0)
            self.analyse = self._isolated.call
        else:
            self.analyse = analyse
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._lock = threading.Lock()
        self._picture: tuple[int, np.ndarray] | None = None  # frame number, preview-sized RGB
        self._overlay: Overlay | None = None
        self._target = (640, 360)  # preview size, updated from the GUI thread on resize
        self._shown_number = 0
        self.frames_shown = 0  # for the bench: distinct frames painted
        self.analyses = 0
        self._analysed = 0
        self._workers: list[_Worker] = []
        self._timer = QTimer(self)
        self._timer.setInterval(max(10, 1000 // fps))
        self._timer.timeout.connect(self._refresh)

    # ------------------------------------------------------------- life cycle

    def start(self) -> None:
        if self._workers:
            return
        self.camera.start()
        self._workers.append(_Worker("preview-scale", self._scale_step))
        if self.analyse is not None:
            self._workers.append(_Worker("preview-detect", self._detect_step))
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        for worker in self._workers:
            worker.stop()
        self._workers.clear()
        if self._isolated is not None:
            self._isolated.stop()
        with self._lock:
            self._picture, self._overlay = None, None
        self.update()

    def stop_soon(self) -> None:
        """`stop` without waiting on the GUI thread: the workers end in the background."""
        self._timer.stop()
        workers, self._workers = self._workers, []
        isolated = self._isolated

        def finish() -> None:
            for worker in workers:
                worker.stop()
            if isolated is not None:
                isolated.stop()
            with self._lock:
                self._picture, self._overlay = None, None

        threading.Thread(target=finish, name="preview-stop", daemon=True).start()

    def overlay(self) -> Overlay | None:
        return self._overlay

    # ------------------------------------------------------------- workers

    def _scale_step(self, stop: threading.Event) -> None:
        seen = self._picture[0] if self._picture else 0
        frame = self.camera.wait_for_frame(after=seen, timeout=0.5)
        if frame is None or stop.is_set():
            return
        target_w, target_h = self._target
        height, width = frame.image.shape[:2]
        factor = min(target_w / width, target_h / height, 1.0)
        size = (max(1, int(width * factor)), max(1, int(height * factor)))
        small = cv2.resize(frame.image, size, interpolation=cv2.INTER_AREA)
        rgb = cv2.cvtColor(small, cv2.COLOR_BGR2RGB)
        with self._lock:
            self._picture = (frame.number, rgb)

    def _detect_step(self, stop: threading.Event) -> None:
        frame = self.camera.wait_for_frame(after=self._analysed, timeout=0.5)
        if frame is None or stop.is_set() or self.analyse is None:
            return
        self._analysed = frame.number
        started = time.monotonic()
        image = frame.image
        if image.shape[1] > ANALYSIS_WIDTH:
            factor = ANALYSIS_WIDTH / image.shape[1]
            image = cv2.resize(image, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
        try:
            overlay = self.analyse(image)
        except Exception:  # a detector's bug must not freeze the preview
            overlay = None
        with self._lock:
            self._overlay = overlay
        self.analyses += 1
        # leave the processor some room between runs: on two cores the camera's own worker
        # and the GUI need it too
        stop.wait(max(0.02, 0.5 * (time.monotonic() - started)))

    # ------------------------------------------------------------- GUI thread

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._target = (max(1, self.width()), max(1, self.height()))
        super().resizeEvent(event)

    def _refresh(self) -> None:
        picture = self._picture
        if picture is not None and picture[0] != self._shown_number:
            self._shown_number = picture[0]
            self.frames_shown += 1
            self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(20, 24, 28))
        with self._lock:
            picture, overlay = self._picture, self._overlay
        if picture is None:
            painter.end()
            return
        rgb = picture[1]
        height, width = rgb.shape[:2]
        image = QImage(rgb.data, width, height, rgb.strides[0], QImage.Format.Format_RGB888)
        scale = min(self.width() / width, self.height() / height)
        shown = QRectF(0, 0, width * scale, height * scale)
        shown.moveCenter(QRectF(self.rect()).center())
        painter.drawImage(shown, image)
        if overlay is not None:
            self._draw_overlay(painter, overlay, shown)
        painter.end()

    def _draw_overlay(self, painter: QPainter, overlay: Overlay, shown: QRectF) -> None:
        fx = shown.width() / overlay.frame_size[0]
        fy = shown.height() / overlay.frame_size[1]
        colour = QColor(40, 180, 90) if overlay.good else QColor(240, 160, 30)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(colour, 4))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if overlay.outline:
            painter.drawPolygon(QPolygonF([QPointF(shown.left() + x * fx, shown.top() + y * fy)
                                           for x, y in overlay.outline]))
        if overlay.box is not None:
            x, y, w, h = overlay.box
            painter.drawRect(QRectF(shown.left() + x * fx, shown.top() + y * fy, w * fx, h * fy))
