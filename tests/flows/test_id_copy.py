"""身份证复印 on simulated devices: the real document camera (generated frames of a card on a
desk) and the A4 printer simulator; the acceptance run prints through a real CUPS with cups-pdf
and measures the card on the page that arrives."""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass, field

import pdfplumber
import pytest

from devices.camera.simulated import SimulatedDocumentCamera
from devices.health import HEALTHY
from devices.printer.a4 import CARD_HEIGHT_MM, CARD_WIDTH_MM
from devices.printer.a4_printer import CupsA4Printer
from devices.printer.simulated import SimulatedA4Printer
from flows import printing
from flows.context import FlowContext, FlowDevices
from flows.id_copy import CONFIRM, NO_PURPOSE, RETAKE, CheckSideStep, PlaceCardStep, copy_id_card
from flows.printing import RESUME, STOP, PrintingStep, PrintOptions
from flows.steps import Choose, MessageStep, Nav
from kiosk.session import CitizenSession
from tests.devices.printer import conftest as printer_fixtures
from tests.flows.patient_ui import WAIT, For, PatientUi

cups = printer_fixtures.cups  # the isolated CUPS
MM_PER_POINT = 25.4 / 72
PURPOSE = "仅供办理社保业务使用"


@dataclass
class Counter:
    counts: list[str] = field(default_factory=list)

    def __call__(self, what: str) -> None:
        self.counts.append(what)


@pytest.fixture
def camera():
    device = SimulatedDocumentCamera(fps=15)
    device.start()
    yield device
    device.stop()


def context(ui, camera, printer, counter=None) -> FlowContext:
    return FlowContext(ui=ui, catalog=None, services=None,
                       devices=FlowDevices(document_camera=camera, a4_printer=printer),
                       session=CitizenSession(), count=counter or Counter())


def turn_card(camera, then):
    """The person turns the card over to the back, then answers `then`."""
    def answer(step):
        camera.place_card("back")
        return then
    return answer


def two_sides(camera, purpose=PURPOSE, copies=1) -> list:
    camera.place_card("front")
    return [WAIT, turn_card(camera, Choose(CONFIRM)), WAIT, Choose(CONFIRM), Choose(purpose),
            PrintOptions(copies)]


def text_of(pdf: bytes) -> str:
    """The characters in the order they are drawn (the overlay runs at a slant)."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return "".join(char["text"] for page in document.pages for char in page.chars)


def test_both_sides_are_printed_with_the_purpose_and_the_copies_asked(qapp, camera):
    printer = SimulatedA4Printer(seconds_per_page=0)
    counter = Counter()
    ui = PatientUi([*two_sides(camera, copies=2), Choose("home")])

    reminder = asyncio.run(copy_id_card(context(ui, camera, printer, counter)))

    checked = ui.steps(CheckSideStep)
    assert [step.side for step in checked] == ["front", "back"]
    assert checked[0].image != checked[1].image  # the back, not the front captured again
    assert [sheet.page for sheet in printer.sheets] == [1, 2]
    pdf = printer.previews[-1].preview
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert len(document.pages) == 2
        assert all(len(page.images) == 2 for page in document.pages)
    assert PURPOSE in text_of(pdf)
    assert counter.counts == ["prints"]  # one document printed: counted once
    assert ui.steps(MessageStep)[-1].title.source == "复印完成"
    assert reminder is not None and "身份证" in reminder.source


def test_no_purpose_prints_no_overlay(qapp, camera):
    printer = SimulatedA4Printer(seconds_per_page=0)
    ui = PatientUi([*two_sides(camera, purpose=NO_PURPOSE), Choose("home")])

    asyncio.run(copy_id_card(context(ui, camera, printer)))

    assert "仅供" not in text_of(printer.previews[-1].preview)


def test_a_side_retaken_is_captured_again_once_the_card_is_moved(qapp, camera):
    printer = SimulatedA4Printer(seconds_per_page=0)
    camera.place_card("front", seed=5)

    def move_card(step):
        camera.place_card("front", seed=7)  # laid down again elsewhere
        return Choose(RETAKE)

    ui = PatientUi([WAIT, move_card, WAIT, turn_card(camera, Choose(CONFIRM)), WAIT,
                    Choose(CONFIRM), Choose(PURPOSE), PrintOptions(1), Choose("home")])

    asyncio.run(copy_id_card(context(ui, camera, printer)))

    places = ui.steps(PlaceCardStep)
    assert [step.side for step in places] == ["front", "front", "back"]
    assert places[1].problem is not None  # told to place it again
    fronts = [step.image for step in ui.steps(CheckSideStep) if step.side == "front"]
    assert len(fronts) == 2 and fronts[0] != fronts[1]
    assert len(printer.sheets) == 1


def test_out_of_paper_at_page_2_of_3_is_told_resumed_and_prints_3_pages(qapp, camera):
    printer = SimulatedA4Printer(seconds_per_page=0.05)
    printer.run_out_of_paper(after_pages=1)
    counter = Counter()

    def staff_load_paper(step):
        printer.load_paper()
        return WAIT  # the screen changes by itself once the printer says it can print

    ui = PatientUi([*two_sides(camera, copies=3), staff_load_paper, Choose(RESUME),
                    Choose("home")])

    asyncio.run(copy_id_card(context(ui, camera, printer, counter)))

    [fault] = [step for step in ui.steps(MessageStep) if step.title.source == "打印暂停"]
    # what happened and one thing to do; no 继续打印 while the printer has no paper
    assert [line.render() for line in fault.lines] == [
        "打印机没纸了，已打印 1 页，还有 2 页没有打印。",
        "请到服务台找工作人员来处理，处理好后这里会出现“继续打印”。"]
    assert [choice.key for choice in fault.choices] == [STOP]
    [ready] = [step for step in ui.steps(MessageStep) if step.title.source == "可以继续打印了"]
    assert [choice.key for choice in ready.choices if choice.primary] == [RESUME]
    assert [sheet.page for sheet in printer.sheets] == [1, 2, 3]  # each page once
    assert counter.counts == ["prints"]
    # the printing screen counted the pages as they came out, from where the job resumed
    counted = [step.pages_done for step in ui.steps(PrintingStep)]
    assert counted[0] == 0 and counted == sorted(counted) and 2 in counted
    assert ui.steps(MessageStep)[-1].title.source == "复印完成"


class AskedOnly(SimulatedA4Printer):
    """A printer that tells its health only when asked (a CUPS queue between jobs)."""

    def __init__(self) -> None:
        super().__init__(seconds_per_page=0)
        self.paper_back = False

    def check(self):
        if self.paper_back and not self.health().ok:
            self._health = HEALTHY  # not reported: only this answer says so
        return self.health()


def test_continue_is_offered_once_a_printer_that_only_answers_when_asked_has_paper(
        qapp, camera, monkeypatch):
    monkeypatch.setattr(printing, "RECHECK_S", 0.01)
    printer = AskedOnly()
    printer.run_out_of_paper(after_pages=1)

    def staff_load_paper(step):
        printer._paper_pages_left = None
        printer.paper_back = True
        return WAIT

    ui = PatientUi([*two_sides(camera, copies=2), staff_load_paper, Choose(RESUME),
                    Choose("home")])

    asyncio.run(copy_id_card(context(ui, camera, printer)))

    titles = [step.title.source for step in ui.steps(MessageStep)]
    assert titles == ["打印暂停", "可以继续打印了", "复印完成"]
    assert [sheet.page for sheet in printer.sheets] == [1, 2]


def test_a_printer_fixed_before_the_fault_is_told_offers_continue_at_once(qapp, camera):
    printer = SimulatedA4Printer(seconds_per_page=0)
    printer.run_out_of_paper(after_pages=1)
    blocked = printer._blocked

    def blocked_then_fixed():  # paper loaded the moment the job stopped
        health = blocked()
        if health is not None:
            printer._blocked = blocked
            printer.load_paper()
        return health

    printer._blocked = blocked_then_fixed
    ui = PatientUi([*two_sides(camera, copies=2), Choose(RESUME), Choose("home")])

    asyncio.run(copy_id_card(context(ui, camera, printer)))

    titles = [step.title.source for step in ui.steps(MessageStep)]
    assert titles == ["可以继续打印了", "复印完成"]
    assert [sheet.page for sheet in printer.sheets] == [1, 2]


def test_a_job_given_up_after_a_fault_is_not_reported_as_printed(qapp, camera):
    printer = SimulatedA4Printer(seconds_per_page=0)
    printer.run_out_of_paper(after_pages=1)
    counter = Counter()
    ui = PatientUi([*two_sides(camera, copies=3), Choose(STOP), Choose("home")])

    asyncio.run(copy_id_card(context(ui, camera, printer, counter)))

    titles = [step.title.source for step in ui.steps(MessageStep)]
    assert "复印完成" not in titles
    assert titles[-1] == "未能打印"
    assert ui.steps(MessageStep)[-1].lines[0].render() == "打印未完成：已打印 1 页。"
    assert counter.counts == []
    assert len(printer.sheets) == 1


def test_home_while_printing_does_not_stop_the_print_or_hide_its_outcome(qapp, camera):
    printer = SimulatedA4Printer(seconds_per_page=0.3)
    ui = PatientUi([*two_sides(camera, copies=2), For(PrintingStep, Nav.HOME),
                    Choose("home")])

    asyncio.run(copy_id_card(context(ui, camera, printer)))

    assert len(printer.sheets) == 2
    assert ui.steps(MessageStep)[-1].title.source == "复印完成"


def test_back_from_the_front_leaves_the_flow(qapp, camera):
    ui = PatientUi([Nav.BACK])
    assert asyncio.run(copy_id_card(context(ui, camera, SimulatedA4Printer()))) is None


def arrived_pdf(cups, job_id: str):
    return cups.finished_pdf(lambda path: job_id in path.name)


def test_acceptance_two_camera_frames_print_one_a4_at_true_size_through_cups(qapp, camera, cups):
    printer = CupsA4Printer(cups.uri)
    results = []
    original = printer.print_document

    async def recording(document, first_page=1, on_page=None):
        result = await original(document, first_page, on_page)
        results.append(result)
        return result

    printer.print_document = recording
    ui = PatientUi([*two_sides(camera), Choose("home")])

    asyncio.run(copy_id_card(context(ui, camera, printer)))

    [result] = results
    assert result.printed, cups.error_log()
    with pdfplumber.open(arrived_pdf(cups, result.job_id)) as pdf:
        assert len(pdf.pages) == 1
        page = pdf.pages[0]
        sides = sorted(page.images, key=lambda image: image["top"])
        assert len(sides) == 2
        for side in sides:
            assert (side["x1"] - side["x0"]) * MM_PER_POINT == pytest.approx(CARD_WIDTH_MM,
                                                                              abs=0.5)
            assert (side["bottom"] - side["top"]) * MM_PER_POINT == pytest.approx(
                CARD_HEIGHT_MM, abs=0.5)
        # cups-pdf goes through PostScript, which keeps the glyphs but not their Unicode
        # names: the overlay is found as a run of len(PURPOSE) glyphs across each side, rising
        # (the slant), the same glyphs in the same order on both; the words themselves are
        # read in the PDF the printer was sent
        runs = [[c for c in page.chars if side["x0"] < c["x0"] < side["x1"]
                 and side["top"] < c["top"] < side["bottom"]] for side in sides]
        assert [len(run) for run in runs] == [len(PURPOSE)] * 2
        assert [c["text"] for c in runs[0]] == [c["text"] for c in runs[1]]
        for run in runs:
            tops = [c["top"] for c in sorted(run, key=lambda c: c["x0"])]
            assert tops == sorted(tops, reverse=True) and tops[0] - tops[-1] > 10
    assert PURPOSE in text_of(result.preview)


def test_back_to_a_side_taken_waits_for_the_card_to_be_laid_down_again(qapp, camera):
    printer = SimulatedA4Printer(seconds_per_page=0)

    def lay_again(step):
        camera.place_card("back", seed=7)
        return WAIT

    ui = PatientUi([*two_sides(camera)[:4], Nav.BACK,  # at the purpose: back to the back side
                    lay_again, Choose(CONFIRM), Choose(PURPOSE), PrintOptions(1),
                    Choose("home")])

    asyncio.run(copy_id_card(context(ui, camera, printer)))

    backs = [step.image for step in ui.steps(CheckSideStep) if step.side == "back"]
    assert len(backs) == 2 and backs[0] != backs[1]  # the card as laid down again
    assert len(printer.sheets) == 1
