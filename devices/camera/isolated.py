"""Image work in a child process: a call that overruns its limit is abandoned, not waited for.

A decoder cannot be interrupted from Python while it is inside its C code, and some take
seconds on an unlucky frame: bench/qr.py measured OpenCV's QRCodeDetector at 33 s and the
WeChat detector at several seconds on single noisy frames. A thread running such a call can
only be waited for. A child process can be killed at the limit; the next call starts a fresh
one. A crash in a C extension (a bad frame, a library bug) also ends only the child, not the
kiosk. Measured on the 2-core machine, the GIL is not the reason: zxing-cpp, zbar and the page
finder in a thread stalled the GUI no more than in a child (bench/camera_stall.py).

Images travel as raw bytes over a pipe (2 MB for a grey 1080p frame, a couple of
milliseconds); results come back pickled, so they must be plain values. Children are started
with "spawn", never "fork": forking a process that runs Qt and camera threads is unsafe.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import multiprocessing
import os
import signal
import threading
from multiprocessing.connection import Connection
from typing import Any

import numpy as np

log = logging.getLogger(__name__)


def _child(conn: Connection, target: str) -> None:
    # the parent decides when this ends: Ctrl-C in a terminal reaches the whole process group
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # background work: below the GUI in the scheduler, and one core at most, so on a 2-core
    # kiosk PC the screen always has a core to itself
    with contextlib.suppress(OSError, AttributeError):
        os.nice(5)
    import cv2

    cv2.setNumThreads(1)
    module, _, name = target.partition(":")
    function = getattr(importlib.import_module(module), name)
    conn.send("ready")
    # EOFError or OSError on the pipe: the parent is gone (it exited, restarted or was killed)
    # and nobody waits for a result; end quietly, not with a traceback on the kiosk's stderr
    while True:
        try:
            header = conn.recv()
            if header is None:
                return
            shape, args = header
            data = conn.recv_bytes()
        except (EOFError, OSError):
            return
        try:
            result = function(np.frombuffer(data, np.uint8).reshape(shape), *args)
        except Exception as exc:  # a bad frame is no result, not the end of the worker
            result = None
            log.warning("%s failed: %s", target, exc)
        try:
            conn.send(result)
        except OSError:
            return


class IsolatedWorker:
    """`call(image, *args)` runs `target` ("module:function") on `image` in a child process.

    Returns the function's result, or None when the child overran `limit_s` (it is killed and
    replaced) or failed. One call at a time; callers from several threads take turns.
    """

    def __init__(self, target: str, limit_s: float, *, start_limit_s: float = 20.0) -> None:
        self.target = target
        self.limit_s = limit_s
        self.start_limit_s = start_limit_s  # a new child imports OpenCV and friends first
        self.restarts = 0
        self._lock = threading.Lock()
        self._context = multiprocessing.get_context("spawn")
        self._process = None
        self._conn = None

    def start(self) -> bool:
        """Start the child now (else the first call does); False if it did not come up."""
        with self._lock:
            return self._ensure_started()

    def _ensure_started(self) -> bool:
        if self._process is not None and self._process.is_alive():
            return True
        self._kill()
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_child, args=(child, self.target),
                                        name=f"isolated-{self.target}", daemon=True)
        process.start()
        child.close()
        self._process, self._conn = process, parent
        try:
            if parent.poll(self.start_limit_s) and parent.recv() == "ready":
                return True
        except (OSError, EOFError):
            pass
        log.warning("%s: worker process did not start", self.target)
        self._kill()
        return False

    def _kill(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.join(timeout=2.0)
        if self._conn is not None:
            with contextlib.suppress(OSError):
                self._conn.close()
        self._process, self._conn = None, None

    def call(self, image: np.ndarray, *args: Any) -> Any:
        image = np.ascontiguousarray(image, dtype=np.uint8)
        with self._lock:
            if not self._ensure_started():
                return None
            assert self._conn is not None
            try:
                self._conn.send((image.shape, args))
                self._conn.send_bytes(image.data.cast("B"))
                if self._conn.poll(self.limit_s):
                    return self._conn.recv()
                log.warning("%s overran %.2f s; replacing the worker", self.target,
                            self.limit_s)
            except (OSError, EOFError) as exc:
                log.warning("%s: worker process failed: %s", self.target, exc)
            self._kill()
            self.restarts += 1
            return None

    def stop(self) -> None:
        with self._lock:
            if self._conn is not None:
                with contextlib.suppress(OSError):
                    self._conn.send(None)
            if self._process is not None:
                self._process.join(timeout=1.0)
            self._kill()
