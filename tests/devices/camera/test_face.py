"""Face capture: a real photograph passes; what a person must fix is said in words; the blink
check stops a still picture; people aged 60+ are captured without it."""

from __future__ import annotations

import asyncio

import cv2
import numpy as np
import pytest

from devices.camera.face import (
    MESSAGES,
    BlinkCheck,
    FaceCaptured,
    FaceCaptureFailed,
    Problem,
    assess_face,
)
from devices.camera.simulated import SimulatedFaceCamera, _astronaut


@pytest.fixture(scope="module")
def astronaut() -> np.ndarray:
    from skimage import data

    return cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR)


def in_camera_frame(photo: np.ndarray, size: int, left: int, top: int = 0) -> np.ndarray:
    """The photograph at `size` pixels in a 640x480 camera frame, its corner at (left, top)."""
    frame = np.full((480, 640, 3), 90, np.uint8)
    photo = cv2.resize(photo, (size, size), interpolation=cv2.INTER_AREA)
    x0, y0 = max(0, left), max(0, top)
    x1, y1 = min(640, left + size), min(480, top + size)
    frame[y0:y1, x0:x1] = photo[y0 - top: y1 - top, x0 - left: x1 - left]
    return frame


def test_the_astronaut_photograph_passes_every_gate(astronaut):
    result = assess_face(astronaut)
    assert result.ok and result.faces == 1
    assert result.quality.face_ratio > 0.12
    assert result.message == ""


@pytest.mark.parametrize(("make", "problem", "words"), [
    (lambda a: np.full_like(a, 128), Problem.NO_FACE, "未检测到人脸"),
    (lambda a: np.hstack([a, a]), Problem.SEVERAL_FACES, "只有您一人"),
    (lambda a: cv2.GaussianBlur(a, (0, 0), 4), Problem.BLURRY, "模糊"),
    (lambda a: (a * 0.15).astype(np.uint8), Problem.TOO_DARK, "光线太暗"),
    (lambda a: (a * 0.35).astype(np.uint8), Problem.TOO_DARK, "光线太暗"),
    (lambda a: in_camera_frame(a, 480, left=-150), Problem.OFF_CENTRE, "中央"),
    (lambda a: in_camera_frame(a, 350, left=170, top=60), Problem.TOO_FAR, "靠近"),
], ids=["nobody", "two faces", "heavy blur", "dark", "dim", "off centre", "far away"])
def test_a_bad_frame_is_rejected_with_the_reason_the_person_is_shown(astronaut, make, problem,
                                                                       words):
    result = assess_face(make(astronaut))
    assert result.problem is problem
    assert words in result.message and result.message == MESSAGES[problem]


def test_eyes_are_seen_open_and_shut():
    open_frame, shut_frame = _astronaut()
    assert assess_face(open_frame, look_at_eyes=True).eyes_open is True
    assert assess_face(shut_frame, look_at_eyes=True).eyes_open is False


def test_a_blink_needs_open_then_shut_then_open_with_the_face_held_in_place():
    open_frame, shut_frame = _astronaut()
    opened = assess_face(open_frame, look_at_eyes=True)
    shut = assess_face(shut_frame, look_at_eyes=True)
    check = BlinkCheck()
    assert not any(check.feed(a) for a in [shut, shut, opened])  # shut first: not a blink yet
    assert not any(check.feed(a) for a in [opened, opened, shut])
    assert check.feed(opened)

    photo_of_shut_eyes = BlinkCheck()
    assert not any(photo_of_shut_eyes.feed(shut) for _ in range(40))
    still_photo = BlinkCheck()
    assert not any(still_photo.feed(opened) for _ in range(40))


def run(coroutine):
    return asyncio.run(coroutine)


def test_capture_with_liveness_returns_the_best_frame_after_a_blink():
    camera = SimulatedFaceCamera(fps=30, auto_blink=True)
    camera.show_face()
    try:
        result = run(camera.capture(liveness_required=True, timeout_s=20))
    finally:
        camera.stop()
    assert isinstance(result, FaceCaptured), result
    assert result.liveness == "blink"
    photo = cv2.imdecode(np.frombuffer(result.jpeg, np.uint8), cv2.IMREAD_COLOR)
    assert assess_face(photo).faces == 1  # the JPEG holds the face the platform will compare
    assert max(photo.shape[:2]) <= 640
    assert "jpeg" not in repr(result)


def test_people_aged_60_and_over_are_captured_without_the_liveness_step():
    camera = SimulatedFaceCamera(fps=30, auto_blink=False)  # would fail a blink check
    camera.show_face()
    steps = []
    try:
        result = run(camera.capture(liveness_required=False, timeout_s=10,
                                    on_step=steps.append))
    finally:
        camera.stop()
    assert isinstance(result, FaceCaptured) and result.liveness == "not_required"
    assert steps[-1].done and all(s.assessment.ok for s in steps)


def test_a_still_photograph_does_not_pass_the_liveness_step():
    camera = SimulatedFaceCamera(fps=30, auto_blink=False)
    camera.show_face()
    steps = []
    try:
        result = run(camera.capture(liveness_required=True, timeout_s=3.0,
                                    on_step=steps.append))
    finally:
        camera.stop()
    assert isinstance(result, FaceCaptureFailed) and result.code == "LIVENESS_NOT_SEEN"
    assert "眨眼" in result.message
    assert steps and all(s.message == "请眨眨眼" for s in steps)


def test_capture_that_never_gets_a_good_frame_says_what_was_wrong():
    camera = SimulatedFaceCamera(fps=30)
    camera.show_blurred()
    steps = []
    try:
        result = run(camera.capture(liveness_required=True, timeout_s=2.5,
                                    on_step=steps.append))
    finally:
        camera.stop()
    assert isinstance(result, FaceCaptureFailed) and result.code == "TIMED_OUT"
    assert result.last_problem is Problem.BLURRY
    assert steps[-1].message == MESSAGES[Problem.BLURRY]


def test_cancelling_a_capture_stops_it_promptly():
    camera = SimulatedFaceCamera(fps=30)
    camera.show_nobody()
    steps = []

    async def walk_away():
        task = asyncio.ensure_future(camera.capture(liveness_required=True, timeout_s=60,
                                                    on_step=steps.append))
        for _ in range(3000):  # until it has looked at a frame: the capture is under way
            if steps:
                break
            await asyncio.sleep(0.01)
        assert steps, "the capture never looked at a frame"
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(task, 10.0)  # far from the capture's own 60 s

    try:
        run(walk_away())
    finally:
        camera.stop()
    assert camera.camera.latest() is None  # the frames are gone with the camera
