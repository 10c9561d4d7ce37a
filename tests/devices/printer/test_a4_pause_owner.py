"""Whose pause a paused A4 queue is, from the states CUPS showed for each way a queue gets
paused (paused_queue_states.json, each entry with its source): the kiosk may start only one
CUPS stopped when one of the kiosk's own jobs failed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from devices.printer import ipp
from devices.printer.a4_printer import paused_after, staff_pause_detail

STATES = json.loads(Path(__file__).with_name("paused_queue_states.json").read_text())


def printer_state(entry: dict) -> ipp.PrinterState:
    printer = entry["printer"]
    return ipp.PrinterState(printer["state"], tuple(printer["reasons"]), printer["message"],
                            printer["accepting"])


@pytest.mark.parametrize("entry", STATES, ids=lambda entry: entry["case"])
def test_only_a_pause_after_the_kiosks_own_failed_job_is_the_kiosks_to_start(entry):
    printer = printer_state(entry)
    job = entry["job"]
    # with no job of the kiosk's in the queue the pause is never the kiosk's
    ours = job is not None and paused_after(
        printer, ipp.JobState(job["state"], (), 0, job["printer_message"]))

    assert printer.paused
    assert ours is entry["kiosk_may_start"]


def test_the_staff_detail_names_who_paused_it_the_reason_and_the_commands():
    reason = next(entry for entry in STATES if entry["case"] == "cupsdisable -r with a reason")

    detail = staff_pause_detail("HallA4", printer_state(reason))

    assert "本机以外" in detail and "A4 打印暂不可用" in detail
    assert "换墨粉" in detail
    assert detail.endswith("cupsenable HallA4 && cupsaccept HallA4")
