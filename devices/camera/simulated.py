"""Simulated cameras for the demo panel and tests: a page, a QR code, a face on demand.

Each simulator is the real device class over a generated frame source, so detection, capture,
decoding and health run exactly as with hardware; only the pictures are made up. The panel and
tests steer what is in view (`place_page`, `show_code`, `show_face`, `blink` …) and pull the
camera out (`set_health` with a fault: the source stops answering, the real worker reports
`NO_DEVICE`, and recovers when it is plugged back).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import cache

import cv2
import numpy as np

from devices.camera.document_camera import DocumentCamera
from devices.camera.face import FaceCamera, _get_cascades, detect_faces
from devices.camera.frames import Camera, GeneratedSource
from devices.camera.scenes import make_document_scene, sample_card
from devices.codes.scanners import CameraCodeScanner
from devices.codes.synthetic import linear_modules, qr_matrix, render_code
from devices.health import HEALTHY, Health
from devices.simulated import SimulatedDevice


class SteerableView:
    """What a simulated camera sees now; each frame is it plus a little sensor noise."""

    def __init__(self, width: int, height: int, empty: Callable[[], np.ndarray]) -> None:
        self.width, self.height = width, height
        self._empty = empty
        self._lock = threading.Lock()
        self._image: np.ndarray | None = None
        self._overrides: list[np.ndarray] = []  # frames shown once each, before the image
        self._rng = np.random.default_rng(0)
        self._noise: list[np.ndarray] | None = None

    def show(self, image: np.ndarray | None) -> None:
        with self._lock:
            self._image = None if image is None else cv2.resize(image, (self.width, self.height))
            self._overrides = []

    def show_for(self, images: list[np.ndarray]) -> None:
        """Show these frames once each, then go back to the steady image."""
        with self._lock:
            self._overrides = [cv2.resize(i, (self.width, self.height)) for i in images]

    def frame(self, _number: int) -> np.ndarray:
        with self._lock:
            base = self._overrides.pop(0) if self._overrides else self._image
        if base is None:
            base = self._empty()
        if self._noise is None or self._noise[0].shape != base.shape:
            # a few noise patterns made once and taken in turn: cheap enough to run all day
            self._noise = [self._rng.integers(0, 5, base.shape, dtype=np.uint8)
                           for _ in range(4)]
        return cv2.subtract(cv2.add(base, self._noise[_number % 4]),
                            self._noise[(_number + 2) % 4])


def _steer_health(device: SimulatedDevice, source: GeneratedSource, camera: Camera,
                  health: Health) -> None:
    # a fault unplugs the generated camera, so the real worker's health logic runs
    source.unplugged = not health.ok
    if not camera.running or not health.ok:
        camera.report(health)


# ------------------------------------------------------------------ document camera

@cache
def _empty_desk() -> np.ndarray:
    scene = make_document_scene(11, kind="page")
    desk = scene.image.copy()
    # cover the page with the desk around it: an empty document-camera tray
    mask = np.zeros(desk.shape[:2], np.uint8)
    cv2.fillConvexPoly(mask, scene.corners.astype(np.int32), 255)
    mask = cv2.dilate(mask, np.ones((9, 9), np.uint8))
    return cv2.inpaint(cv2.resize(desk, (640, 480)), cv2.resize(mask, (640, 480)), 5,
                       cv2.INPAINT_TELEA)


class SimulatedDocumentCamera(DocumentCamera, SimulatedDevice):
    def __init__(self, family: str = "document_camera", *, fps: float = 10.0,
                 still_frames: int = 6) -> None:
        SimulatedDevice.__init__(self, family)
        self.view = SteerableView(1280, 960, _empty_desk)
        self.source = GeneratedSource(self.view.frame, fps, "simulated document camera")
        camera = Camera(family, self.source, retry_s=0.5)
        camera.report(HEALTHY)
        DocumentCamera.__init__(self, camera, still_frames=still_frames)

    def place_page(self, seed: int = 24) -> None:
        """A sample A4 form lying at an angle on the desk."""
        self.view.show(make_document_scene(seed, kind="page").image)

    def place_card(self, side: str = "front", seed: int = 5) -> None:
        """An ID-card-sized card; `side` "front" or "back"."""
        scene = make_document_scene(seed, kind="card")
        image = scene.image.copy()
        if side == "back":  # the same place, the other face of the card
            flat = sample_card(side="back")
            h, w = flat.shape[:2]
            matrix = cv2.getPerspectiveTransform(
                np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32), scene.corners)
            warped = cv2.warpPerspective(flat, matrix, image.shape[1::-1])
            mask = cv2.warpPerspective(np.full((h, w), 255, np.uint8), matrix,
                                       image.shape[1::-1]) > 0
            image[mask] = warped[mask]
        self.view.show(image)

    def place(self, image: np.ndarray) -> None:
        self.view.show(image)

    def take_away(self) -> None:
        self.view.show(None)

    def set_health(self, health: Health) -> None:
        _steer_health(self, self.source, self.camera, health)


# ------------------------------------------------------------------ face camera

@cache
def _astronaut() -> tuple[np.ndarray, np.ndarray]:
    """The photograph (BGR, 640x480 frame) and the same with the eyes shut."""
    from skimage import data

    photo = cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR)
    frame = np.full((480, 640, 3), (70, 70, 70), np.uint8)
    frame[:, 80:560] = cv2.resize(photo, (480, 480), interpolation=cv2.INTER_AREA)
    closed = frame.copy()
    grey = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    x, y, w, h = detect_faces(grey)[0]
    top = int(h * 0.15)
    band = cv2.equalizeHist(grey[y + top: y + int(h * 0.6), x: x + w])
    eyes = _get_cascades().eye.detectMultiScale(band, 1.1, 5, minSize=(w // 9, w // 9))
    for ex, ey, ew, eh in eyes:
        cx, cy = x + ex + ew // 2, y + top + ey + eh // 2
        skin = [int(v) for v in frame[min(cy + eh, 479), cx]]
        cv2.ellipse(closed, (cx, cy), (int(ew * 0.5), int(eh * 0.35)), 0, 0, 360, skin, -1)
        cv2.line(closed, (cx - int(ew * 0.4), cy + 2), (cx + int(ew * 0.4), cy + 2),
                 (60, 50, 50), 2)
    return frame, cv2.GaussianBlur(closed, (3, 3), 0)


@cache
def _empty_room() -> np.ndarray:
    yy, xx = np.mgrid[0:480, 0:640].astype(np.float32)
    wall = 150 + 30 * (xx / 640) - 20 * (yy / 480)
    return np.stack([wall, wall + 5, wall + 12], axis=-1).clip(0, 255).astype(np.uint8)


class SimulatedFaceCamera(FaceCamera, SimulatedDevice):
    """The astronaut photograph (skimage.data.astronaut) in front of a 640x480 camera.

    `auto_blink` makes her blink every couple of seconds, so the demo's liveness step passes
    without anyone steering it.
    """

    def __init__(self, family: str = "face_camera", *, fps: float = 15.0,
                 auto_blink: bool = True) -> None:
        SimulatedDevice.__init__(self, family)
        self.view = SteerableView(640, 480, _empty_room)
        self.auto_blink = auto_blink
        self.source = GeneratedSource(self._frame, fps, "simulated face camera")
        camera = Camera(family, self.source, retry_s=0.5)
        camera.report(HEALTHY)
        FaceCamera.__init__(self, camera)
        self._face_shown = False

    def _frame(self, number: int) -> np.ndarray:
        if self.auto_blink and self._face_shown and number % 30 == 0:
            self.blink()
        return self.view.frame(number)

    def show_face(self) -> None:
        self.view.show(_astronaut()[0])
        self._face_shown = True

    def blink(self, frames: int = 3) -> None:
        """Eyes shut for `frames` frames, then open again."""
        self.view.show_for([_astronaut()[1]] * frames)

    def show_nobody(self) -> None:
        self.view.show(None)
        self._face_shown = False

    def show_two_faces(self) -> None:
        face = cv2.resize(_astronaut()[0][:, 80:560], (320, 320))
        frame = _empty_room().copy()
        frame[80:400, 0:320] = face
        frame[80:400, 320:640] = face
        self.view.show(frame)
        self._face_shown = False

    def show_blurred(self) -> None:
        self.view.show(cv2.GaussianBlur(_astronaut()[0], (0, 0), 4))
        self._face_shown = False

    def show_dark(self) -> None:
        self.view.show((_astronaut()[0] * 0.15).astype(np.uint8))
        self._face_shown = False

    def show(self, image: np.ndarray | None) -> None:
        self.view.show(image)
        self._face_shown = False

    def set_health(self, health: Health) -> None:
        _steer_health(self, self.source, self.camera, health)


# ------------------------------------------------------------------ code scanner

def code_picture(text: str, kind: str = "qr", width: int = 1280, height: int = 720
                 ) -> np.ndarray:
    """A code on a phone screen or a receipt held up to the scanner's camera."""
    if kind == "qr":
        code = render_code(qr_matrix(text), 6)
    else:
        bars, _ = linear_modules(kind, text)
        code = render_code(bars, 3)
    frame = np.full((height, width, 3), (95, 105, 115), np.uint8)
    h, w = code.shape
    if h > height - 40 or w > width - 40:
        factor = min((height - 40) / h, (width - 40) / w)
        code = cv2.resize(code, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
        h, w = code.shape
    top, left = (height - h) // 2, (width - w) // 2
    frame[top:top + h, left:left + w] = code[..., None]
    return frame


class SimulatedCodeScanner(CameraCodeScanner, SimulatedDevice):
    """A scanner camera with a steerable view; `scan(text)` acts as a serial scanner would."""

    def __init__(self, family: str = "qr_scanner", *, fps: float = 10.0) -> None:
        SimulatedDevice.__init__(self, family)
        self.view = SteerableView(1280, 720, lambda: np.full((720, 1280, 3), 100, np.uint8))
        self.source = GeneratedSource(self.view.frame, fps, "simulated scanner camera")
        camera = Camera(family, self.source, retry_s=0.5)
        camera.report(HEALTHY)
        CameraCodeScanner.__init__(self, camera)

    def show_code(self, text: str, kind: str = "qr") -> None:
        """Hold a QR code (or "code128", "ean13" …) with `text` up to the camera."""
        self.view.show(code_picture(text, kind))

    def show_nothing(self) -> None:
        self.view.show(None)

    def scan(self, text: str, fmt: str = "QRCode") -> None:
        """A code arrives as if read by a hardware scanner (payload rules still apply)."""
        from devices.codes.payload import make_code

        code = make_code(fmt, text, source="serial")
        if code is not None:
            self.events.publish(code)

    def set_health(self, health: Health) -> None:
        _steer_health(self, self.source, self.camera, health)
