"""Frames from a camera, a file or a generator, read in a worker thread.

`Camera` runs one worker per device: it opens the source, reads frames as fast as the source
gives them and keeps only the newest (a preview or a detector that falls behind skips frames;
nothing queues up). Readers take `latest()` or wait for the next frame, from a worker or with
`await camera.next_frame()`, so the GUI thread never waits on a camera.

Health follows the device: `NO_DEVICE` (offline) while it cannot be opened, `CAPTURE_FAILED`
(error) when it opens but gives no frames, back to ok by itself when frames flow again; the
worker retries every `retry_s`, so a camera plugged back in needs no restart.

A camera nobody has asked for frames for `idle_s` seconds stands by: it is closed, and opened
briefly every `probe_s` seconds to check it is still there. On a 2-core kiosk PC, decoding
1080p video that nobody looks at would take processor time from the screen. The first request
wakes it (a fraction of a second for a USB camera).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np

from devices.health import HEALTHY, Health, HealthReporter, HealthState

log = logging.getLogger(__name__)

NO_DEVICE = "NO_DEVICE"
CAPTURE_FAILED = "CAPTURE_FAILED"
VIDEO_SUFFIXES = {".mp4", ".avi", ".mkv", ".mov", ".webm", ".m4v"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp"}


@dataclass(frozen=True)
class Frame:
    image: np.ndarray = field(repr=False)  # BGR; personal data when a person is in view
    number: int  # counts up from 1 for each frame a camera delivers
    time: float  # time.monotonic() when it arrived


class FrameSource(Protocol):
    """Where frames come from. Called only from the camera's worker thread."""

    description: str  # for staff: "camera 0", "video.mp4"; never personal data

    # read-only: a source may hold it as a plain float (files, generators) or None (a device)
    @property
    def pace_s(self) -> float | None:
        """Seconds between frames for files and generators; None: the device sets the pace."""
        ...

    def open(self) -> bool:
        """True when the source is there and ready; False when it is not (NO_DEVICE)."""
        ...

    def read(self) -> np.ndarray | None:
        """The next frame, or None when this read failed."""
        ...

    def close(self) -> None: ...


class DeviceSource:
    """A camera through OpenCV: a device index (0, 1 …) or a device path (/dev/video2)."""

    pace_s = None

    def __init__(self, device: int | str, width: int = 1920, height: int = 1080,
                 fps: int = 30) -> None:
        self.device, self.width, self.height, self.fps = device, width, height, fps
        self.description = f"camera {device}"
        self._capture: cv2.VideoCapture | None = None

    def open(self) -> bool:
        if isinstance(self.device, str) and not Path(self.device).exists():
            return False  # don't let OpenCV guess at a missing device path
        backend = cv2.CAP_V4L2 if hasattr(cv2, "CAP_V4L2") else cv2.CAP_ANY
        capture = cv2.VideoCapture(self.device, backend)
        if not capture.isOpened():
            capture.release()
            return False
        # MJPG: most USB cameras give full resolution at full rate only compressed
        capture.set(cv2.CAP_PROP_FOURCC, cv2.VideoWriter.fourcc(*"MJPG"))
        capture.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
        capture.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
        capture.set(cv2.CAP_PROP_FPS, self.fps)
        capture.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # the newest frame, not a stale one
        self._capture = capture
        return True

    def read(self) -> np.ndarray | None:
        if self._capture is None:
            return None
        ok, image = self._capture.read()
        return image if ok and image is not None and image.size else None

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None


class FileSource:
    """Image files shown in turn, or a video file, looped at `fps` (tests, demos, benches)."""

    def __init__(self, paths: Sequence[Path | str], fps: float = 15.0) -> None:
        self.paths = [Path(p) for p in paths]
        self.pace_s = 1.0 / fps
        self.description = ", ".join(p.name for p in self.paths[:3])
        self._video: cv2.VideoCapture | None = None
        self._images: list[np.ndarray] = []
        self._index = 0

    def open(self) -> bool:
        if not self.paths or not all(p.is_file() for p in self.paths):
            return False
        if len(self.paths) == 1 and self.paths[0].suffix.lower() in VIDEO_SUFFIXES:
            self._video = cv2.VideoCapture(str(self.paths[0]))
            return self._video.isOpened()
        self._images = [img for p in self.paths if (img := cv2.imread(str(p))) is not None]
        return bool(self._images)

    def read(self) -> np.ndarray | None:
        if self._video is not None:
            ok, image = self._video.read()
            if not ok:  # end of the file: loop
                self._video.set(cv2.CAP_PROP_POS_FRAMES, 0)
                ok, image = self._video.read()
            return image if ok else None
        if not self._images:
            return None
        image = self._images[self._index % len(self._images)]
        self._index += 1
        return image.copy()

    def close(self) -> None:
        if self._video is not None:
            self._video.release()
            self._video = None
        self._images = []


class GeneratedSource:
    """Frames made by a function of the frame number: tests, simulators, benches.

    `unplugged` makes it behave like a camera that is not there; `stalled` like one that opens
    but delivers nothing.
    """

    def __init__(self, make: Callable[[int], np.ndarray | None], fps: float = 15.0,
                 description: str = "generated") -> None:
        self.make = make
        self.pace_s = 1.0 / fps
        self.description = description
        self.unplugged = False
        self.stalled = False
        self._number = 0

    def open(self) -> bool:
        return not self.unplugged

    def read(self) -> np.ndarray | None:
        if self.unplugged or self.stalled:
            return None
        self._number += 1
        return self.make(self._number)

    def close(self) -> None:
        pass


def source_from_port(port: str, width: int = 1920, height: int = 1080) -> FrameSource:
    """The source an installer names in `devices.<family>.port`.

    "" or "0": the first camera; "2": camera index 2; "/dev/video2": that device; a video
    file or one or more image files (comma-separated): played in a loop.
    """
    port = port.strip()
    if port == "" or (port.isascii() and port.isdigit()):
        return DeviceSource(int(port or 0), width, height)
    if port.startswith("/dev/"):
        return DeviceSource(port, width, height)
    return FileSource([part.strip() for part in port.split(",") if part.strip()])


class Camera(HealthReporter):
    """A frame source read in its own worker thread, newest frame always at hand."""

    def __init__(self, family: str, source: FrameSource, *, retry_s: float = 2.0,
                 failures_before_error: int = 15, idle_s: float | None = 20.0,
                 probe_s: float = 5.0) -> None:
        super().__init__(family)
        self.source = source
        self.retry_s = retry_s
        self.failures_before_error = failures_before_error
        self.idle_s = idle_s  # None: stream all the time
        self.probe_s = probe_s
        self._last_demand = time.monotonic()
        self._demand = threading.Event()
        self._latest: Frame | None = None
        self._number = 0
        self._new_frame = threading.Condition()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._frame_listeners: list[Callable[[Frame], None]] = []
        self.report(Health(HealthState.OFFLINE, NO_DEVICE, "not started"))

    # --------------------------------------------------------------- life cycle

    def start(self) -> None:
        """Begin capturing in a worker thread; idempotent."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop = threading.Event()
        self._want()
        self._thread = threading.Thread(target=self._run, args=(self._stop,),
                                        name=f"camera-{self.family}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop capturing and release the device; returns within about a second."""
        self._stop.set()
        with self._new_frame:
            self._new_frame.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=2.0)
            self._thread = None
        with self._new_frame:
            self._latest = None  # a person's face must not outlive the session's camera

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def probe(self) -> Health:
        """Open and close the source once (selftest without starting the worker)."""
        if self.running:
            return self.health()
        try:
            present = self.source.open()
        finally:
            self.source.close()
        self.report(HEALTHY if present else
                    Health(HealthState.OFFLINE, NO_DEVICE, f"{self.source.description}: absent"))
        return self.health()

    # --------------------------------------------------------------- frames

    def _want(self) -> None:
        self._last_demand = time.monotonic()
        self._demand.set()

    @property
    def standing_by(self) -> bool:
        return self.idle_s is not None and time.monotonic() - self._last_demand > self.idle_s

    def latest(self) -> Frame | None:
        self._want()
        return self._latest

    def on_frame(self, listener: Callable[[Frame], None]) -> None:
        """Call `listener` from the worker for every frame; it must return quickly."""
        self._frame_listeners.append(listener)

    def wait_for_frame(self, after: int = 0, timeout: float = 1.0) -> Frame | None:
        """The newest frame numbered above `after`, waiting up to `timeout` s (workers only)."""
        self._want()
        deadline = time.monotonic() + timeout
        with self._new_frame:
            while not self._stop.is_set():
                frame = self._latest
                if frame is not None and frame.number > after:
                    return frame
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self._new_frame.wait(remaining)
        return None

    async def next_frame(self, after: int = 0, timeout: float = 1.0) -> Frame | None:
        """The same for asyncio code: waits in a worker thread, never on the loop."""
        return await asyncio.to_thread(self.wait_for_frame, after, timeout)

    # --------------------------------------------------------------- the worker

    def _run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            opened = False
            try:
                opened = self.source.open()
            except Exception as exc:  # a driver fault must not kill the worker
                log.warning("%s: open failed: %s", self.source.description, exc)
            if not opened:
                self.report(Health(HealthState.OFFLINE, NO_DEVICE,
                                   f"{self.source.description}: not found"))
                stop.wait(self.retry_s)
                continue
            try:
                idle = self._capture(stop)
            finally:
                with contextlib.suppress(Exception):
                    self.source.close()
            if idle:
                self._stand_by(stop)
            else:
                stop.wait(self.retry_s if not stop.is_set() else 0)

    def _stand_by(self, stop: threading.Event) -> None:
        """Closed until frames are wanted again, or it is time to check the device is there."""
        with self._new_frame:
            self._latest = None  # nothing stale (or personal) is kept while nobody looks
        self._demand.clear()
        if not self.standing_by:
            return  # asked for again meanwhile
        deadline = time.monotonic() + self.probe_s
        while not stop.is_set() and not self._demand.is_set() and time.monotonic() < deadline:
            stop.wait(0.05)

    def _capture(self, stop: threading.Event) -> bool:
        """Read frames until stopped (False), failing (False) or unwanted (True)."""
        failures = 0
        pace = self.source.pace_s
        next_due = time.monotonic()
        if self.standing_by:  # a check that it is still there: it opened, so it is
            self.report(HEALTHY if self.health().code != CAPTURE_FAILED else self.health())
            return True
        while not stop.is_set():
            if self.standing_by:
                return True
            if pace:
                delay = next_due - time.monotonic()
                if delay > 0 and stop.wait(delay):
                    return False
                next_due = max(next_due + pace, time.monotonic())
            try:
                image = self.source.read()
            except Exception as exc:
                log.warning("%s: read failed: %s", self.source.description, exc)
                image = None
            if image is None:
                failures += 1
                if failures >= self.failures_before_error:
                    # it opened but gives nothing: unplugged mid-stream, or wedged; reopen
                    self.report(Health(HealthState.ERROR, CAPTURE_FAILED,
                                       f"{self.source.description}: no frames"))
                    return False
                if not pace:
                    stop.wait(0.02)
                continue
            failures = 0
            self._number += 1
            frame = Frame(image, self._number, time.monotonic())
            with self._new_frame:
                self._latest = frame
                self._new_frame.notify_all()
            self.report(HEALTHY)
            for listener in list(self._frame_listeners):
                try:
                    listener(frame)
                except Exception:  # a listener's bug must not stop the camera
                    log.exception("frame listener failed")
        return False
