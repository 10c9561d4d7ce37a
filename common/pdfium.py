"""PDFium (pypdfium2) for the whole process, one caller at a time.

PDFium is not thread-safe: no two of its calls may run at once in one process, not even on
different documents (pypdfium2's documentation, "Incompatibility with Threading"; doing so
crashes or corrupts the process). The certificate preview rasterises a PDF in a worker thread
while the printer may be counting the pages of the same PDF in another, so every use of
pypdfium2 goes through `pdfium()`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType

_ONE_AT_A_TIME = threading.Lock()


@contextmanager
def pdfium() -> Iterator[ModuleType]:
    """pypdfium2, for this thread alone while the block runs. Loaded on first use: most of
    the kiosk never needs it. Close what the block opens before it ends."""
    with _ONE_AT_A_TIME:
        import pypdfium2

        yield pypdfium2
