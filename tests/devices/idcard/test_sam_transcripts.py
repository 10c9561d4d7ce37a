"""The SAM emulator and our frame encoder against frames as public code publishes them, byte for
byte (sam_transcripts.json names the source of each)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from devices.idcard.frame import RequestDecoder, encode_request
from devices.idcard.sam_id import format_sam_id, sam_id_bytes
from devices.idcard.sam_model import EmulatedCard, SamModel
from devices.idcard.simulator import sample_cards

TRANSCRIPTS = json.loads((Path(__file__).parent / "sam_transcripts.json").read_text("utf-8"))


def hex_bytes(text: str) -> bytes:
    return bytes.fromhex(text.replace(" ", ""))


def card(kind: str) -> EmulatedCard | None:
    resident = sample_cards()["resident"]
    return {"none": None, "resident": EmulatedCard.of(resident),
            "read_fails": EmulatedCard.of(resident, read_fails=True)}[kind]


def answer_of(sam: SamModel, frame: bytes) -> bytes:
    [request] = RequestDecoder().feed(frame)
    assert not isinstance(request, Exception)
    return sam.respond(request).encode()


@pytest.mark.parametrize("entry", TRANSCRIPTS["requests"], ids=lambda e: e["command"])
def test_our_requests_are_the_published_frames(entry):
    cmd, para = hex_bytes(entry["command"])
    assert encode_request(cmd, para, hex_bytes(entry.get("data", ""))) == hex_bytes(entry["frame"])
    assert entry["source"] in TRANSCRIPTS["sources"]


@pytest.mark.parametrize("entry", TRANSCRIPTS["exchanges"], ids=lambda e: e["name"])
def test_the_emulator_answers_as_published(entry):
    sam = SamModel()
    sam.place(card(entry["card"]))
    for command in entry["before"]:
        answer_of(sam, encode_request(*hex_bytes(command)))
    answer = answer_of(sam, hex_bytes(entry["request"]))
    if "answer" in entry:
        assert answer.hex(" ").upper() == entry["answer"]
    else:
        assert answer.startswith(hex_bytes(entry["answer_prefix"]))
        assert len(answer) == entry["answer_length"]


def test_a_sam_id_prints_as_sdks_print_it_and_back():
    printed = "05.01-20101015-0000012345-1234567890"
    assert format_sam_id(sam_id_bytes(printed)) == printed
    # the first two numbers are little-endian 16-bit, the rest little-endian 32-bit
    assert sam_id_bytes(printed)[:8] == bytes([5, 0, 1, 0]) + (20101015).to_bytes(4, "little")
