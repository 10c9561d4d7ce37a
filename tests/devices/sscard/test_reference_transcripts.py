"""The emulated card answers the published exchanges (reference_transcripts.json) byte for byte:
each addressing convention public readers use, and the card whose SSSE cannot be selected."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from devices.sscard.emulator import Addressing, EmulatedSsCard
from devices.sscard.samples import sample_card

REFERENCES = json.loads((Path(__file__).parent / "reference_transcripts.json").read_text("utf-8"))
SESSIONS = REFERENCES["sessions"]


@pytest.mark.parametrize("session", SESSIONS, ids=[s["name"] for s in SESSIONS])
def test_the_emulated_card_answers_as_published(session: dict):
    card = EmulatedSsCard(sample_card(), addressing=Addressing(session["card"]["addressing"]),
                          ssse=session["card"]["ssse"])
    for step in session["steps"]:
        assert step["source"] in REFERENCES["sources"]
        answer = card.process(bytes.fromhex(step["command"]))
        assert isinstance(answer, bytes)
        expected, what = step["answer"], f"{step['command']} ({step['source']})"
        if "sw1_in" in expected:
            assert answer[-2:-1].hex().upper() in expected["sw1_in"], what
            continue
        assert answer[-2:].hex().upper() == expected["sw"], what
        if "starts" in expected:
            data = answer[:-2]
            assert data[:2].hex().upper() == expected["starts"], what
            assert len(data) == expected["length"], what
        else:
            assert answer == bytes.fromhex(expected["sw"]), what


def test_every_convention_and_the_direct_card_have_a_session():
    cards = {(s["card"]["addressing"], s["card"]["ssse"]) for s in SESSIONS}
    assert {(a.value, True) for a in Addressing} | {("tag", False)} <= cards
