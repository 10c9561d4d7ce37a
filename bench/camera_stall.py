"""Does live preview with detection stall the GUI thread? (goal: under 50 ms)

Runs the real `Camera` worker on generated frames at the camera's rate, the Qt preview widget
(`ui.camera_preview.CameraPreview`) with its detection worker, and for the scanner the code
reader, for `--seconds` per scenario on the Qt event loop. A 5 ms QTimer on the GUI thread
records every gap between its ticks; a stall is a gap beyond the interval. Also prints the
preview's frame rate (distinct frames painted per second) and detections per second.

    .venv/bin/python bench/camera_stall.py [--seconds 10]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cv2
import numpy as np
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from devices.camera.frames import Camera, GeneratedSource
from devices.camera.overlays import document_overlay, face_overlay
from devices.camera.scenes import make_document_scene
from devices.camera.simulated import _astronaut, code_picture
from devices.codes.scanners import CameraCodeScanner
from ui.camera_preview import CameraPreview

TICK_MS = 5


def cycling(frames: list[np.ndarray]):
    rng = np.random.default_rng(0)
    noise = [rng.integers(0, 4, frames[0].shape, dtype=np.uint8) for _ in range(3)]

    def make(number: int) -> np.ndarray:
        return cv2.add(frames[number % len(frames)], noise[number % 3])

    return make


def document_frames() -> list[np.ndarray]:
    return [cv2.resize(make_document_scene(seed).image, (1920, 1080)) for seed in (1, 2, 3)]


def face_frames() -> list[np.ndarray]:
    opened, shut = _astronaut()
    return [cv2.resize(f, (1280, 720)) for f in (opened, opened, shut)]


def code_frames() -> list[np.ndarray]:
    # one clean code and two hard frames from the bench corpus (the slow path of the pipeline)
    from devices.codes.synthetic import make_scene

    return [code_picture("办件编号：2026110100123，请凭此码查询", width=1920, height=1080),
            make_scene(1016).image, make_scene(1019).image]


class InThreadReader:
    """The pipeline called in the scanner's own thread, for comparison with the process."""

    def start(self) -> None:
        pass

    def read(self, image: np.ndarray):
        from devices.codes.pipeline import read_codes

        return read_codes(image)

    def stop(self) -> None:
        pass


def run(app: QApplication, name: str, frames, analyse, seconds: float, fps: float,
        with_scanner: bool = False, decode_in_thread: bool = False) -> None:
    camera = Camera(name, GeneratedSource(cycling(frames), fps, name), retry_s=0.5)
    preview = CameraPreview(camera, analyse)
    preview.resize(960, 540)
    preview.show()
    scanner = CameraCodeScanner(camera) if with_scanner else None
    if scanner is not None and decode_in_thread:
        scanner.reader = InThreadReader()
    decoded = []
    if scanner is not None:
        scanner.events.publish = lambda code: decoded.append(code) or True  # count every read
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append((now - last[0]) * 1000 - TICK_MS)
        last[0] = now

    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(tick)
    preview.start()
    if scanner is not None:
        scanner.start()
    # warm up outside the measurement: worker processes import OpenCV once, at start-up
    warm = time.perf_counter() + 20
    while time.perf_counter() < warm and (preview.analyses if analyse else len(decoded) + (
            0 if scanner else 1)) == 0:
        app.processEvents()
        time.sleep(0.01)
    shown_before, analysed_before, decoded_before = preview.frames_shown, preview.analyses, \
        len(decoded)
    started = time.perf_counter()
    last[0] = started
    timer.start()
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()
    timer.stop()
    elapsed = time.perf_counter() - started
    shown = preview.frames_shown - shown_before
    analysed = preview.analyses - analysed_before
    del decoded[:decoded_before]
    if scanner is not None:
        scanner.stop()
    preview.stop()
    camera.stop()
    preview.close()
    app.processEvents()
    gaps = sorted(max(g, 0.0) for g in gaps) or [0.0]
    p99 = gaps[min(len(gaps) - 1, int(len(gaps) * 0.99))]
    extra = f" | codes read {len(decoded) / elapsed:5.1f}/s" if scanner is not None else ""
    print(f"| {name:<34} | {gaps[-1]:7.1f} | {p99:6.1f} | {statistics.median(gaps):5.1f} | "
          f"{shown / elapsed:5.1f} | {analysed / elapsed:5.1f} |{extra}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    print(f"{args.seconds:g} s per scenario, GUI timer every {TICK_MS} ms\n")
    print("| scenario                           | longest stall ms | p99 | median | "
          "preview fps | detections/s |")
    print("|---|---|---|---|---|---|")
    run(app, "document camera 1080p30 + page", document_frames(), "document", args.seconds, 30)
    run(app, "face camera 720p30 + face gates", face_frames(), "face", args.seconds, 30)
    run(app, "idem, detection in a thread instead", document_frames(), document_overlay,
        args.seconds, 30)
    run(app, "idem, face", face_frames(), face_overlay, args.seconds, 30)
    run(app, "scanner camera 1080p30 + codes", code_frames(), None, args.seconds, 30,
        with_scanner=True)
    run(app, "idem, decoding in a thread instead", code_frames(), None, args.seconds, 30,
        with_scanner=True, decode_in_thread=True)
    print("\nGoal: longest stall under 50 ms.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
