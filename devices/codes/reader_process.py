"""The code reader in a child process (`devices.camera.isolated`): a decode that overruns its
deadline, however it got stuck, is ended by killing the child, and a decoder crash ends only
the child. The pipeline checks its deadline between steps; this bounds a single step too."""

from __future__ import annotations

import cv2
import numpy as np

from devices.camera.isolated import IsolatedWorker
from devices.codes.payload import Code
from devices.codes.pipeline import DEFAULT_BUDGET_S, read_codes


def read_code_values(grey: np.ndarray, budget_s: float) -> list[tuple[str, str, bool]]:
    """Runs in the child: the codes as plain values for the pipe."""
    return [(c.format, c.text, c.truncated) for c in read_codes(grey, budget_s)]


class CodeReaderProcess:
    """`read(image)` → codes, decoded in a child process with a hard deadline."""

    def __init__(self, budget_s: float = DEFAULT_BUDGET_S, grace_s: float = 0.4) -> None:
        self.budget_s = budget_s
        self.worker = IsolatedWorker("devices.codes.reader_process:read_code_values",
                                     budget_s + grace_s)

    def start(self) -> None:
        self.worker.start()

    def read(self, image: np.ndarray) -> list[Code]:
        """The codes in `image`; [] when none, or when the child overran and was replaced."""
        grey = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
        if grey.shape[1] > 2000:  # as the pipeline would: less to send
            factor = 1920 / grey.shape[1]
            grey = cv2.resize(grey, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
        found = self.worker.call(grey, self.budget_s) or []
        return [Code(fmt, text, truncated) for fmt, text, truncated in found]

    def stop(self) -> None:
        self.worker.stop()
