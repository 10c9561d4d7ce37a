"""Face capture for identity checks: quality gates, a blink check, the best frame as JPEG.

The kiosk does not decide who a person is: it sends one good frame, with its quality figures,
to the platform, which compares it with the ID card's photo. What the kiosk does:

- `assess_face(image)` applies the quality gates: light, exactly one face, close enough, not
  too close, centred, sharp. A rejected frame carries the reason in words for the person.
- `BlinkCheck` is the liveness step: with the face held in place, the eyes are seen open, then
  closed, then open again. It stops a printed photo or a still picture on a phone. It does not
  stop a video of the person blinking, a mask with eye holes, or a replay on a good screen: a
  2D camera cannot tell those from a face (the README says so).
- `FaceCapture.feed(image)` runs both over a stream of frames and keeps the best frame;
  `capture_face(camera, liveness_required=...)` drives it from a live camera. People aged 60+
  go through capture only (GB/T 40756 §9.8.5.2): the identity flow passes
  `liveness_required=False` for them.

Detection uses OpenCV's Haar cascades (shipped in the opencv 4.x wheel, nothing to download).
Frames and faces stay in memory; nothing here writes or logs them.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

import cv2
import cv2.data  # the Haar cascades' directory
import numpy as np

from common.i18n import QT_TR_NOOP
from devices.camera.frames import Camera
from devices.health import Health, HealthListener

WORK_WIDTH = 640  # detection runs on a frame this wide; faces are large enough at this size
MIN_FACE_PX = 80  # face width in the original frame: less is too little for verification
MIN_FACE_RATIO = 0.12  # of the frame width: nearer than arm's length at a kiosk
MAX_FACE_RATIO = 0.65
MAX_OFF_CENTRE_X = 0.25  # of the frame width, face centre from the frame centre
CENTRE_Y_RANGE = (0.12, 0.72)  # faces sit high in the frame of a camera at eye height
MIN_SHARPNESS = 20.0  # band-pass energy of the face scaled to 128 px (sharp: 60+)
MIN_BRIGHTNESS, MAX_BRIGHTNESS = 70.0, 215.0  # mean grey of the face
MIN_FRAME_BRIGHTNESS = 35.0


class Problem(StrEnum):
    TOO_DARK = "TOO_DARK"
    TOO_BRIGHT = "TOO_BRIGHT"
    NO_FACE = "NO_FACE"
    SEVERAL_FACES = "SEVERAL_FACES"
    TOO_FAR = "TOO_FAR"
    TOO_CLOSE = "TOO_CLOSE"
    OFF_CENTRE = "OFF_CENTRE"
    BLURRY = "BLURRY"


# what the person is told, in the order the gates are checked
MESSAGES: dict[Problem, str] = {
    Problem.TOO_DARK: QT_TR_NOOP("光线太暗，请面向光源或请工作人员开灯"),
    Problem.TOO_BRIGHT: QT_TR_NOOP("光线太强或逆光，请调整位置"),
    Problem.NO_FACE: QT_TR_NOOP("未检测到人脸，请正对摄像头"),
    Problem.SEVERAL_FACES: QT_TR_NOOP("画面中有多张人脸，请确保只有您一人"),
    Problem.TOO_FAR: QT_TR_NOOP("请靠近摄像头一些"),
    Problem.TOO_CLOSE: QT_TR_NOOP("请离摄像头稍远一些"),
    Problem.OFF_CENTRE: QT_TR_NOOP("请将面部移到画面中央"),
    Problem.BLURRY: QT_TR_NOOP("画面模糊，请保持不动"),
}
PROMPT_LOOK = QT_TR_NOOP("请正对摄像头，保持不动")
PROMPT_BLINK = QT_TR_NOOP("请眨眨眼")
DONE = QT_TR_NOOP("采集完成")


@dataclass(frozen=True)
class FaceQuality:
    """The figures the platform gets with the photo (and the gates judged)."""

    face_box: tuple[int, int, int, int]  # x, y, width, height in frame pixels
    face_ratio: float  # face width / frame width
    off_centre: tuple[float, float]  # face centre from frame centre, in frame widths/heights
    sharpness: float
    brightness: float
    contrast: float

    @property
    def score(self) -> float:
        """Higher is better: sharp, well lit, centred."""
        centred = 1.0 - min(1.0, abs(self.off_centre[0]) * 2)
        light = 1.0 - min(1.0, abs(self.brightness - 130.0) / 130.0)
        return min(self.sharpness, 80.0) / 80.0 + 0.5 * centred + 0.5 * light


@dataclass(frozen=True)
class FaceAssessment:
    problem: Problem | None  # None: the frame passes every gate
    faces: int
    quality: FaceQuality | None  # for the one face, when there is exactly one
    eyes_open: bool | None = None  # only when the frame passes and eyes were looked for

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def message(self) -> str:
        return MESSAGES[self.problem] if self.problem else ""


class _Cascades:
    """The Haar classifiers; not safe to share between threads, so one set per thread."""

    def __init__(self) -> None:
        root = cv2.data.haarcascades
        self.face = cv2.CascadeClassifier(root + "haarcascade_frontalface_default.xml")
        self.eye = cv2.CascadeClassifier(root + "haarcascade_eye.xml")
        self.eye_glasses = cv2.CascadeClassifier(root + "haarcascade_eye_tree_eyeglasses.xml")
        if self.face.empty() or self.eye.empty():
            raise RuntimeError("OpenCV's Haar cascades are missing (an OpenCV 5 wheel?)")


_per_thread = threading.local()


def _get_cascades() -> _Cascades:
    cascades = getattr(_per_thread, "cascades", None)
    if cascades is None:
        cascades = _per_thread.cascades = _Cascades()
    return cascades


def detect_faces(grey: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Face boxes (x, y, w, h) in `grey`'s pixels, largest first."""
    equalised = cv2.equalizeHist(grey)
    min_side = 24  # small: a person standing too far is told to come closer, not "no face"
    found = _get_cascades().face.detectMultiScale(
        equalised, scaleFactor=1.1, minNeighbors=5, minSize=(min_side, min_side))
    boxes = [(int(x), int(y), int(w), int(h)) for x, y, w, h in found]
    return sorted(boxes, key=lambda b: -b[2] * b[3])


def eyes_open(grey_face: np.ndarray) -> bool:
    """True when at least one open eye is seen in the upper half of a face crop.

    Haar eye cascades find open eyes; closed lids look like skin to them, which is what the
    blink check relies on.
    """
    h, w = grey_face.shape[:2]
    band = cv2.equalizeHist(grey_face[int(h * 0.15): int(h * 0.6), :])
    min_side = max(8, w // 9)
    cascades = _get_cascades()
    for cascade in (cascades.eye, cascades.eye_glasses):
        found = cascade.detectMultiScale(band, scaleFactor=1.1, minNeighbors=5,
                                         minSize=(min_side, min_side),
                                         maxSize=(w // 2, w // 2))
        if len(found):
            return True
    return False


def _sharpness(grey: np.ndarray) -> float:
    """Fine detail, independent of light and of sensor noise.

    The energy of a band-pass (difference of Gaussians at 1 and 2.5 px on the face scaled to
    128 px) at a fixed contrast: blur removes that band, while noise lives mostly above it
    (a plain Laplacian mistakes a noisy blurred face for a sharp one).
    """
    values = grey.astype(np.float32)
    spread = float(values.std())
    if spread < 1.0:
        return 0.0
    normalised = (values - float(values.mean())) * (40.0 / spread)
    band = cv2.GaussianBlur(normalised, (0, 0), 1.0) - cv2.GaussianBlur(normalised, (0, 0), 2.5)
    return float(np.mean(band * band))


def assess_face(image: np.ndarray, *, look_at_eyes: bool = False) -> FaceAssessment:
    """The gates, in the order a person can fix them: light, one face, distance, place, focus."""
    height, width = image.shape[:2]
    grey_full = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    scale = min(1.0, WORK_WIDTH / width)
    grey = cv2.resize(grey_full, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) \
        if scale < 1.0 else grey_full
    if float(grey.mean()) < MIN_FRAME_BRIGHTNESS:
        return FaceAssessment(Problem.TOO_DARK, 0, None)
    boxes = detect_faces(grey)
    if not boxes:
        return FaceAssessment(Problem.NO_FACE, 0, None)
    if len(boxes) > 1:
        # a much smaller face far behind is a passer-by, not a second person at the kiosk
        main_area = boxes[0][2] * boxes[0][3]
        near = [b for b in boxes[1:] if b[2] * b[3] > 0.25 * main_area]
        if near:
            return FaceAssessment(Problem.SEVERAL_FACES, 1 + len(near), None)
    x, y, w, h = (round(v / scale) for v in boxes[0])
    face = grey_full[y: y + h, x: x + w]
    normalised = cv2.resize(face, (128, 128), interpolation=cv2.INTER_AREA)
    # the inner face only: hair and background edges would flatter a blurred frame
    inner = normalised[16:112, 16:112]
    quality = FaceQuality(
        face_box=(x, y, w, h),
        face_ratio=w / width,
        off_centre=((x + w / 2) / width - 0.5, (y + h / 2) / height - 0.5),
        sharpness=_sharpness(inner),
        brightness=float(inner.mean()),
        contrast=float(inner.std()),
    )
    problem = None
    if quality.brightness < MIN_BRIGHTNESS:
        problem = Problem.TOO_DARK
    elif quality.brightness > MAX_BRIGHTNESS:
        problem = Problem.TOO_BRIGHT
    elif w < MIN_FACE_PX or quality.face_ratio < MIN_FACE_RATIO:
        problem = Problem.TOO_FAR
    elif quality.face_ratio > MAX_FACE_RATIO:
        problem = Problem.TOO_CLOSE
    elif abs(quality.off_centre[0]) > MAX_OFF_CENTRE_X or \
            not CENTRE_Y_RANGE[0] <= (y + h / 2) / height <= CENTRE_Y_RANGE[1]:
        problem = Problem.OFF_CENTRE
    elif quality.sharpness < MIN_SHARPNESS:
        problem = Problem.BLURRY
    opened = eyes_open(normalised) if look_at_eyes and problem is None else None
    return FaceAssessment(problem, 1, quality, opened)


class BlinkCheck:
    """Open, closed, open again, with the same face held in place.

    Fed one assessment per frame. A face that moves more than a fifth of its width between
    frames restarts the check, so one photo cannot be swapped for another mid-blink.
    """

    def __init__(self, min_open_frames: int = 2, max_closed_frames: int = 12) -> None:
        self.min_open_frames = min_open_frames
        self.max_closed_frames = max_closed_frames
        self.reset()

    def reset(self) -> None:
        self._open_before = 0
        self._closed = 0
        self._box: tuple[int, int, int, int] | None = None
        self.passed = False

    def feed(self, assessment: FaceAssessment) -> bool:
        if self.passed:
            return True
        if not assessment.ok or assessment.quality is None or assessment.eyes_open is None:
            self.reset()
            return False
        box = assessment.quality.face_box
        if self._box is not None:
            moved = max(abs(box[0] - self._box[0]), abs(box[1] - self._box[1]))
            if moved > 0.2 * box[2]:
                self.reset()
        self._box = box
        if assessment.eyes_open:
            if self._closed and self._open_before >= self.min_open_frames:
                self.passed = True
                return True
            if self._closed:  # closed before we had seen them open long enough
                self._closed, self._open_before = 0, 0
            self._open_before += 1
        else:
            self._closed += 1
            if self._closed > self.max_closed_frames:  # eyes never open: a photo of shut eyes
                self._closed, self._open_before = 0, 0
        return False


@dataclass(frozen=True)
class FaceCaptured:
    jpeg: bytes = field(repr=False)  # the best frame, cropped around the face
    quality: FaceQuality
    liveness: str  # "blink" when checked, "not_required" (aged 60+ or not asked)


@dataclass(frozen=True)
class FaceCaptureFailed:
    code: str  # TIMED_OUT | NO_PICTURE | LIVENESS_NOT_SEEN
    message: str  # for the person, marked for translation
    last_problem: Problem | None = None


@dataclass(frozen=True)
class FaceStep:
    """Shown to the person while capture runs: what to do, and the face box for the preview."""

    message: str
    assessment: FaceAssessment
    done: bool = False


class FaceCapture:
    """Frames in, a capture out: gates, then (when required) the blink, then the best frame.

    Without liveness the capture completes once `good_frames` frames in a row pass the gates.
    With liveness it completes when a blink was seen; the best frame is the best-scoring frame
    with open eyes seen during the check.
    """

    def __init__(self, *, liveness_required: bool, good_frames: int = 5) -> None:
        self.liveness_required = liveness_required
        self.good_frames = good_frames
        self.blink = BlinkCheck()
        self._good_run = 0
        self._best: tuple[float, np.ndarray, FaceQuality] | None = None
        self.last_problem: Problem | None = None

    def feed(self, image: np.ndarray) -> FaceStep:
        assessment = assess_face(image, look_at_eyes=self.liveness_required)
        if not assessment.ok:
            self.last_problem = assessment.problem
            self._good_run = 0
            self.blink.feed(assessment)
            return FaceStep(assessment.message, assessment)
        assert assessment.quality is not None
        self.last_problem = None  # the problem of the latest frame, not of some earlier one
        self._good_run += 1
        if assessment.eyes_open is not False:
            score = assessment.quality.score
            if self._best is None or score > self._best[0]:
                self._best = (score, image, assessment.quality)
        if self.liveness_required:
            done = self.blink.feed(assessment)
            return FaceStep(DONE if done else PROMPT_BLINK, assessment, done)
        done = self._good_run >= self.good_frames
        return FaceStep(DONE if done else PROMPT_LOOK, assessment, done)

    def result(self) -> FaceCaptured:
        """The best frame seen; call after a step said `done`."""
        if self._best is None:
            raise RuntimeError("no frame has passed the gates yet")
        _score, image, quality = self._best
        return FaceCaptured(face_jpeg(image, quality.face_box), quality,
                            "blink" if self.liveness_required else "not_required")

    def wipe(self) -> None:
        self._best = None


def face_jpeg(image: np.ndarray, box: tuple[int, int, int, int], quality: int = 92) -> bytes:
    """The face with a margin (head and shoulders), at most 640 px: what verification needs,
    and no more of the person's surroundings than that."""
    x, y, w, h = box
    height, width = image.shape[:2]
    left, top = max(0, int(x - 0.6 * w)), max(0, int(y - 0.7 * h))
    right, bottom = min(width, int(x + 1.6 * w)), min(height, int(y + 1.8 * h))
    crop = image[top:bottom, left:right]
    if max(crop.shape[:2]) > 640:
        factor = 640 / max(crop.shape[:2])
        crop = cv2.resize(crop, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    ok, data = cv2.imencode(".jpg", crop, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("face could not be encoded")
    return data.tobytes()


NO_PICTURE = QT_TR_NOOP("摄像头暂时无法使用，请联系工作人员")
TIMED_OUT = QT_TR_NOOP("未能完成人脸采集，请重试或联系工作人员")
LIVENESS_NOT_SEEN = QT_TR_NOOP("未检测到眨眼，请重试或联系工作人员")


async def capture_face(
    camera: Camera,
    *,
    liveness_required: bool,
    timeout_s: float = 30.0,
    on_step: Callable[[FaceStep], None] | None = None,
) -> FaceCaptured | FaceCaptureFailed:
    """Capture a face from `camera` (a `frames.Camera`), with or without the blink check.

    `liveness_required=False` for people aged 60 or over (capture only, GB/T 40756 §9.8.5.2);
    the identity flow decides. Each frame is judged in a worker thread; `on_step` runs on the
    loop's thread with what to show. Cancelling the task stops the capture between frames.
    """
    camera.start()
    capture = FaceCapture(liveness_required=liveness_required)
    started = time.monotonic()
    seen = 0
    try:
        while time.monotonic() - started < timeout_s:
            frame = await camera.next_frame(after=seen, timeout=1.0)
            if frame is None:
                if not camera.health().ok and time.monotonic() - started > 5.0:
                    return FaceCaptureFailed("NO_PICTURE", NO_PICTURE)
                continue
            seen = frame.number
            step = await asyncio.to_thread(capture.feed, frame.image)
            if on_step is not None:
                on_step(step)
            if step.done:
                return await asyncio.to_thread(capture.result)
        if liveness_required and capture.last_problem is None:
            return FaceCaptureFailed("LIVENESS_NOT_SEEN", LIVENESS_NOT_SEEN)
        return FaceCaptureFailed("TIMED_OUT", TIMED_OUT, capture.last_problem)
    finally:
        capture.wipe()


class FaceCamera:
    """The face-camera port: health, the live camera for the preview, and capture."""

    def __init__(self, camera: Camera) -> None:
        self.camera = camera
        self.family = camera.family

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

    async def capture(self, *, liveness_required: bool, timeout_s: float = 30.0,
                      on_step: Callable[[FaceStep], None] | None = None,
                      ) -> FaceCaptured | FaceCaptureFailed:
        return await capture_face(self.camera, liveness_required=liveness_required,
                                  timeout_s=timeout_s, on_step=on_step)
