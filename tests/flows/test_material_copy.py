"""材料复印 on simulated devices (the real document camera over generated frames, the A4
printer simulator), and the SS-091 entry that offers it with the ID-card copy."""

from __future__ import annotations

import asyncio
import io

import pdfplumber
import pytest

from central.contract import Service
from devices.camera.simulated import SimulatedDocumentCamera
from devices.printer.simulated import SimulatedA4Printer
from flows.copy_service import ID_CARD, MATERIALS, serve_copies
from flows.id_copy import PlaceCardStep
from flows.material_copy import copy_materials
from flows.printing import RESUME, PrintOptions, PrintOptionsStep
from flows.steps import SCAN_DONE, SCAN_RETAKE, Choose, MessageStep, Nav, ScanStep
from tests.conftest import load_seed_catalog
from tests.flows.patient_ui import WAIT, PatientUi
from tests.flows.test_id_copy import Counter, context


@pytest.fixture
def camera():
    device = SimulatedDocumentCamera(fps=15)
    device.start()
    yield device
    device.stop()


def lay(camera, seed):
    """The person swaps the page on the camera for another, then waits for it to be taken."""
    def answer(step):
        camera.place_page(seed)
        return WAIT
    return answer


def colour_spaces(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [str(image["colorspace"]) for page in document.pages for image in page.images]


def test_pages_are_scanned_retaken_and_printed_in_black_and_white(qapp, camera):
    printer = SimulatedA4Printer(seconds_per_page=0)
    counter = Counter()
    camera.place_page(24)
    ui = PatientUi([WAIT, lay(camera, 3), Choose(SCAN_RETAKE), lay(camera, 7),
                    Choose(SCAN_DONE), PrintOptions(2, colour=False), Choose("home")])

    reminder = asyncio.run(copy_materials(context(ui, camera, printer, counter)))

    scans = ui.steps(ScanStep)
    assert [len(step.pages) for step in scans] == [0, 1, 2, 1, 2]
    assert scans[-1].pages[1] != scans[2].pages[1]  # the retaken page, not the dropped one
    [options] = ui.steps(PrintOptionsStep)
    assert (options.pages, options.colour) == (2, True)  # colour offered, as the default
    assert [sheet.page for sheet in printer.sheets] == [1, 2, 3, 4]  # 2 pages x 2 copies
    spaces = colour_spaces(printer.previews[-1].preview)
    assert len(spaces) == 4 and all("Gray" in space for space in spaces)
    assert counter.counts == ["prints"]
    assert ui.steps(MessageStep)[-1].title.source == "复印完成"
    assert reminder is not None and "原件" in reminder.source


def test_colour_copies_keep_colour(qapp, camera):
    printer = SimulatedA4Printer(seconds_per_page=0)
    camera.place_page(24)
    ui = PatientUi([WAIT, Choose(SCAN_DONE), PrintOptions(1, colour=True),
                    Choose("home")])

    asyncio.run(copy_materials(context(ui, camera, printer)))

    assert ["RGB" in space for space in colour_spaces(printer.previews[-1].preview)] == [True]


def test_done_without_a_page_asks_for_one(qapp, camera):
    ui = PatientUi([Choose(SCAN_DONE), Nav.BACK])  # an empty tray: nothing is captured
    assert asyncio.run(copy_materials(context(ui, camera, SimulatedA4Printer()))) is None
    scans = ui.steps(ScanStep)
    assert scans[1].problem is not None and scans[1].problem.source == "请至少拍摄一页"


def test_copies_are_clamped_to_what_the_screen_offers(qapp, camera):
    printer = SimulatedA4Printer(seconds_per_page=0)
    camera.place_page(24)
    ui = PatientUi([WAIT, Choose(SCAN_DONE), PrintOptions(40), Choose("home")])
    asyncio.run(copy_materials(context(ui, camera, printer)))
    assert len(printer.sheets) == 5


def test_out_of_paper_mid_copy_resumes_without_a_page_twice(qapp, camera):
    printer = SimulatedA4Printer(seconds_per_page=0.02)
    printer.run_out_of_paper(after_pages=1)
    camera.place_page(24)

    def staff_load_paper(step):
        printer.load_paper()
        return WAIT  # 继续打印 appears once the printer says it has paper

    ui = PatientUi([WAIT, Choose(SCAN_DONE), PrintOptions(3), staff_load_paper,
                    Choose(RESUME), Choose("home")])

    asyncio.run(copy_materials(context(ui, camera, printer)))

    assert [sheet.page for sheet in printer.sheets] == [1, 2, 3]
    [fault] = [step for step in ui.steps(MessageStep) if step.title.source == "打印暂停"]
    assert fault.lines[0].render() == "打印机没纸了，已打印 1 页，还有 2 页没有打印。"


def test_the_copy_service_offers_both_copies(qapp, camera):
    service: Service = load_seed_catalog().service("SS-091")
    camera.place_page(24)
    ui = PatientUi([Choose(MATERIALS), WAIT, Choose(SCAN_DONE), PrintOptions(1),
                    Choose("home")])
    printer = SimulatedA4Printer(seconds_per_page=0)
    asyncio.run(serve_copies(context(ui, camera, printer), service))
    assert len(printer.sheets) == 1

    ui = PatientUi([Choose(ID_CARD), Nav.BACK])
    asyncio.run(serve_copies(context(ui, camera, printer), service))
    assert isinstance(ui.shown[1], PlaceCardStep)


def test_the_guide_of_ss_091_starts_copying_and_certificates_still_start_theirs(qapp, camera):
    from dataclasses import dataclass

    from flows.browse import FlowStarts, browse_catalog
    from flows.citizen import SERVICE_FLOWS, SERVICE_OWN_FLOWS, SERVICE_TAKES, START_LABELS
    from flows.steps import GuideStep, OpenService
    from tests.flows.scripted_ui import ScriptEnded

    @dataclass
    class Catalog:
        catalog: object
        status: object

    @dataclass
    class Online:
        online: bool = True

    source = Catalog(load_seed_catalog(), Online())
    ui = PatientUi([OpenService("SS-091"), Choose("SS-091"), Nav.BACK,  # the chooser
                    OpenService("SS-001"), Nav.HOME])
    starts = FlowStarts(context(ui, camera, SimulatedA4Printer()), SERVICE_FLOWS, None,
                        START_LABELS, SERVICE_TAKES, SERVICE_OWN_FLOWS)

    with pytest.raises(ScriptEnded):
        asyncio.run(browse_catalog(ui, source, starts))

    copies, certificate = ui.steps(GuideStep)
    assert copies.start is not None and copies.start.label.source == "开始复印"
    assert ui.shown[2].title.source == "请选择复印内容"
    assert certificate.start is not None and certificate.start.key == "打印"


def test_a_frame_where_detection_missed_the_page_does_not_take_it_twice():
    import numpy as np

    from devices.camera.document import FoundDocument
    from devices.camera.document_camera import DocumentProgress, ScannedPage
    from flows.captures import next_capture

    corners = np.float32([[100, 100], [900, 100], [900, 700], [100, 700]])
    page = ScannedPage(np.zeros((10, 10, 3), np.uint8), corners, "page", "colour")
    here = FoundDocument(corners, "page", 1.0)

    class Camera:
        """Each capture reports what the frames showed, then the page lying still."""

        def __init__(self, *frames):
            self.frames = list(frames)
            self.captures = 0

        async def capture_page(self, mode, *, kind, on_progress):
            self.captures += 1
            for found in self.frames.pop(0):
                on_progress(DocumentProgress("", found, (1280, 960)))
            return page

    # one frame where detection missed the page: still the same page, lying there
    flicker = Camera([here, None, here, here], [None, None, None, here])
    assert asyncio.run(next_capture(flicker, "page", last=page)) is page
    assert flicker.captures == 2  # taken only after it was really gone
    moved = Camera([FoundDocument(corners + 200, "page", 1.0)] * 3)
    asyncio.run(next_capture(moved, "page", last=page))
    assert moved.captures == 1
