"""What CUPS answers crosses a boundary: an answer cut off anywhere, or bytes that are not IPP,
is an IppError (which the A4 driver turns into a health code), never a crash inside decoding."""

from __future__ import annotations

import contextlib
import random

import pytest

from devices.printer import ipp


def printer_answer() -> bytes:
    return ipp.encode(ipp.Message(0x0000, 3, (
        (ipp.OPERATION, tuple(ipp.operation_attributes("ipp://h/printers/q"))),
        (ipp.PRINTER, (ipp.Attribute(ipp.ENUM, "printer-state", (3,)),
                       ipp.Attribute(ipp.KEYWORD, "printer-state-reasons",
                                     ("media-empty-error", "connecting-to-device")))),
    ), b""))


def test_a_whole_answer_decodes():
    decoded = ipp.decode(printer_answer())
    assert decoded.attributes(ipp.PRINTER)["printer-state-reasons"] == (
        "media-empty-error", "connecting-to-device")


def test_an_answer_cut_off_anywhere_is_an_ipp_error():
    whole = printer_answer()
    for length in range(len(whole)):
        with pytest.raises(ipp.IppError):
            ipp.decode(whole[:length])


def test_garbage_is_an_ipp_error_or_an_answer_never_a_crash():
    rng = random.Random(17)
    for _ in range(2000):
        garbage = bytes(rng.randrange(256) for _ in range(rng.randrange(9, 80)))
        with contextlib.suppress(ipp.IppError):
            ipp.decode(garbage)
