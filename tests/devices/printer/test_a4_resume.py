"""Out of paper at page 2 of 3 on a real CUPS: the job is withdrawn, the person's retry after
the tray is filled prints pages 2 and 3 only, and exactly 3 sheets come out, each page once.

The printer is the test backend `paper_tray/kiosk-tray` on the tests' own cupsd (see
cups_server.py): a tray with a set number of sheets, each page it prints kept as a PDF.
"""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage

from devices.printer.a4 import ScannedPages
from devices.printer.a4_printer import CupsA4Printer
from tests.devices.printer.cups_server import CupsServer

PPD = Path(__file__).with_name("paper_tray") / "kiosk-tray.ppd"
PAGE_COLOURS = (QColor(220, 30, 30), QColor(30, 200, 30), QColor(30, 30, 220))  # page 1, 2, 3


class Tray:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def load(self, sheets: int) -> None:
        path = self.directory / "paper"
        path.write_text(str(sheets))
        path.chmod(0o666)

    def sheets_out(self) -> list[Path]:
        out = self.directory / "out"
        return sorted(out.glob("*.pdf"), key=lambda p: p.stat().st_mtime) if out.exists() else []


@pytest.fixture
def tray_queue(cups: CupsServer):
    directory = cups.root / f"tray-{len(list(cups.root.glob('tray-*')))}"
    directory.mkdir()
    directory.chmod(0o777)  # the backend runs as lp
    name = f"Tray{directory.name.split('-')[1]}"
    subprocess.run(["lpadmin", "-h", f"127.0.0.1:{cups.port}", "-p", name, "-E", "-v",
                    f"kiosk-tray:{directory}", "-P", str(PPD)],
                   check=True, capture_output=True, timeout=20)
    yield f"ipp://127.0.0.1:{cups.port}/printers/{name}", Tray(directory)
    subprocess.run(["lpadmin", "-h", f"127.0.0.1:{cups.port}", "-x", name], capture_output=True,
                   timeout=20)


def page_image(colour: QColor) -> bytes:
    image = QImage(420, 594, QImage.Format.Format_RGB32)
    image.fill(colour)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def page_number(sheet: Path) -> int:
    """Which of the three pages a printed sheet shows, by its colour."""
    picture = subprocess.run(["pdftoppm", "-r", "10", "-png", "-singlefile", str(sheet)],
                             check=True, capture_output=True, timeout=30).stdout
    image = QImage.fromData(picture)
    centre = image.pixelColor(image.width() // 2, image.height() // 2)
    channels = (centre.red(), centre.green(), centre.blue())
    return channels.index(max(channels)) + 1


def test_out_of_paper_at_page_2_of_3_resumes_and_prints_each_page_once(cups, qapp, tray_queue):
    uri, tray = tray_queue
    printer = CupsA4Printer(uri, poll_s=0.2, fault_grace_s=1.0, job_timeout_s=60,
                            settle_s=0.5)
    document = ScannedPages(tuple(page_image(colour) for colour in PAGE_COLOURS))
    tray.load(1)
    told: list[int] = []  # pages done, as the printer reported them coming out

    stopped = asyncio.run(printer.print_document(document, on_page=told.append))

    assert not stopped.printed, cups.error_log()
    assert stopped.code == "PAPER_OUT"
    assert "缺纸" in stopped.message
    assert (stopped.pages, stopped.pages_done) == (3, 1)
    assert [page_number(sheet) for sheet in tray.sheets_out()] == [1]
    assert told == [1]

    tray.load(10)  # staff filled the tray
    resumed = asyncio.run(printer.print_document(document, first_page=stopped.pages_done + 1,
                                                 on_page=told.append))

    assert resumed.printed, cups.error_log()
    assert resumed.pages_done == 3
    assert told == sorted(told) and told[0] == 1 and told[-1] == 3  # counted on from page 2
    assert [page_number(sheet) for sheet in tray.sheets_out()] == [1, 2, 3]


def test_an_empty_tray_prints_nothing_and_says_so(cups, qapp, tray_queue):
    uri, tray = tray_queue
    printer = CupsA4Printer(uri, poll_s=0.2, fault_grace_s=1.0, job_timeout_s=60,
                            settle_s=0.5)
    tray.load(0)

    result = asyncio.run(printer.print_document(ScannedPages((page_image(PAGE_COLOURS[0]),))))

    assert (result.printed, result.code, result.pages_done) == (False, "PAPER_OUT", 0)
    assert tray.sheets_out() == []
