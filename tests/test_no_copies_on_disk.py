"""No copy of an ID card or a scanned page is left on disk after the session.

Runs both copy flows — the ID card through a real CUPS (the tests' own cupsd with cups-pdf),
the material copy on the A4 simulator — with the kiosk's data directory in `tmp_path`, then
looks everywhere a copy could have been left: the data directory, the temp folder, and the CUPS
spool and cups-pdf's work folder of the isolated server. Files are suspects by name and time
(an image or a PDF created after the test started) and convicted by content (the bytes of a side
captured, of a scanned page, or of the PDF sent to the printer). The PDFs cups-pdf writes into
its output folder are the printed paper and are not looked at.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from pathlib import Path

from devices.printer.a4_printer import CupsA4Printer
from devices.printer.simulated import SimulatedA4Printer
from flows.context import FlowContext, FlowDevices
from flows.id_copy import CheckSideStep, copy_id_card
from flows.material_copy import copy_materials
from flows.printing import PrintOptions
from flows.steps import SCAN_DONE, Choose, ScanStep
from kiosk.session import CitizenSession
from tests.devices.printer import conftest as printer_fixtures
from tests.flows import test_material_copy
from tests.flows.patient_ui import WAIT, PatientUi
from tests.flows.test_id_copy import two_sides

cups = printer_fixtures.cups  # the isolated CUPS
camera = test_material_copy.camera  # the simulated document camera
MAGIC = (b"%PDF", b"\xff\xd8\xff", b"\x89PNG", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")


def new_files(root: Path, since: float, *, changed_folders_only: bool = False) -> list[Path]:
    """Files under `root` changed since `since`. `changed_folders_only`: descend only into
    folders whose own entries changed since then: the shared temp folder may hold whole
    checkouts and virtualenvs (hundreds of thousands of files) that nothing here touched."""
    found = []
    for folder, dirs, names in os.walk(root, onerror=lambda error: None):
        if changed_folders_only:
            dirs[:] = [name for name in dirs if _changed(Path(folder) / name, since)]
        for name in names:
            path = Path(folder) / name
            try:
                if path.is_file() and not path.is_symlink() and path.stat().st_mtime >= since:
                    found.append(path)
            except OSError:
                continue
    return found


def _changed(folder: Path, since: float) -> bool:
    try:
        return not folder.is_symlink() and folder.stat().st_mtime >= since
    except OSError:
        return False


def looks_like_a_picture_or_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            head = file.read(8)
    except OSError:
        return False
    return head.startswith(MAGIC) or path.suffix.lower() in (".pdf", ".jpg", ".jpeg", ".png",
                                                              ".ps", ".tif", ".tiff", ".bmp")


def holds_any(path: Path, secrets: list[bytes]) -> bool:
    try:
        data = path.read_bytes()
    except OSError:
        return False
    # a secret's middle: a file that holds the image holds this run of its bytes
    return any(secret[len(secret) // 2: len(secret) // 2 + 4096] in data for secret in secrets)


def test_no_copy_of_an_id_card_or_a_page_is_left_on_disk(qapp, camera, cups, tmp_path,
                                                         monkeypatch):
    data_dir = tmp_path / "var" / "kiosk"
    data_dir.mkdir(parents=True)
    monkeypatch.chdir(tmp_path)  # nothing may land in the working directory either
    # what goes through `tempfile` lands in a temp folder of this test's own, looked at whole;
    # the shared one is still looked at for what is written there by name
    own_temp = tmp_path / "tmp"
    own_temp.mkdir()
    shared_temp = Path(tempfile.gettempdir())
    monkeypatch.setenv("TMPDIR", str(own_temp))
    monkeypatch.setattr(tempfile, "tempdir", str(own_temp))
    started = time.time() - 1  # file times have a coarse grain on some file systems
    secrets: list[bytes] = []

    # the ID card, printed through CUPS
    printer = CupsA4Printer(cups.uri)
    sent = []
    original = printer.print_document

    async def recording(document, first_page=1, on_page=None):
        result = await original(document, first_page, on_page)
        sent.append(result.preview)
        return result

    printer.print_document = recording
    ui = PatientUi([*two_sides(camera), Choose("home")])
    session = CitizenSession()
    ctx = FlowContext(ui=ui, catalog=None, services=None, session=session,
                      devices=FlowDevices(document_camera=camera, a4_printer=printer))
    asyncio.run(copy_id_card(ctx))
    secrets += [step.image for step in ui.steps(CheckSideStep)] + sent
    assert len(secrets) == 3 and all(sent)

    # scanned pages, on the simulator
    simulator = SimulatedA4Printer(seconds_per_page=0)
    camera.take_away()  # the card, for a page
    camera.place_page(24)
    ui = PatientUi([WAIT, Choose(SCAN_DONE), PrintOptions(1), Choose("home")])
    ctx.ui, ctx.devices = ui, FlowDevices(document_camera=camera, a4_printer=simulator)
    asyncio.run(copy_materials(ctx))
    session.wipe()
    secrets += [page for step in ui.steps(ScanStep) for page in step.pages]
    secrets += [preview.preview for preview in simulator.previews]
    assert len(secrets) == 5

    places = {
        "the data directory": data_dir,
        "the working directory": tmp_path,
        "the temp folder": own_temp,
        "the shared temp folder": shared_temp,
        "the CUPS spool": cups.root / "spool",
        "cups-pdf's work folder": cups.root / "cups-pdf-spool",
    }
    printed_paper = cups.pdf_dir
    for where, root in places.items():
        suspects = [path for path in new_files(root, started,
                                               changed_folders_only=root == shared_temp)
                    if printed_paper not in path.parents and looks_like_a_picture_or_pdf(path)]
        if root in (data_dir, own_temp, cups.root / "spool", cups.root / "cups-pdf-spool"):
            # ours alone: no picture or PDF at all may appear there
            assert suspects == [], where
        convicted = [path for path in suspects if holds_any(path, secrets)]
        assert convicted == [], f"a copy was left in {where}: {convicted}"
    # and the spool holds no job data at all (d-files), only job histories
    assert [path.name for path in (cups.root / "spool").glob("d*")] == []
