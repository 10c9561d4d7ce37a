"""GA 467 frames: golden bytes written out by hand, and a decoder that survives any input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.idcard.errors import FrameError, IdCardProtocolError
from devices.idcard.frame import (
    HEADER_SIZE,
    MAX_LEN,
    Answer,
    Command,
    FrameDecoder,
    Request,
    RequestDecoder,
    encode_command,
    encode_request,
)


def hexbytes(text: str) -> bytes:
    return bytes.fromhex(text)


# -- requests -------------------------------------------------------------------------------------


def test_find_card_request_is_the_documented_frame():
    assert encode_request(0x20, 0x01) == hexbytes("AA AA AA 96 69 00 03 20 01 22")


@pytest.mark.parametrize(("command", "frame"), [
    (Command.RESET_SAM, "AA AA AA 96 69 00 03 10 FF EC"),
    (Command.SAM_STATUS, "AA AA AA 96 69 00 03 11 FF ED"),
    (Command.SAM_ID, "AA AA AA 96 69 00 03 12 FF EE"),
    (Command.FIND_CARD, "AA AA AA 96 69 00 03 20 01 22"),
    (Command.SELECT_CARD, "AA AA AA 96 69 00 03 20 02 21"),
    (Command.READ_TEXT_AND_PHOTO, "AA AA AA 96 69 00 03 30 01 32"),
])
def test_every_command_frame_by_hand(command, frame):
    assert encode_command(command) == hexbytes(frame)


def test_request_data_counts_in_the_length_and_the_check_byte():
    # LEN 00 05 = CMD PARA 2 data bytes CHK; CHK = 00^05^20^01^12^34
    assert encode_request(0x20, 0x01, b"\x12\x34") == hexbytes(
        "AA AA AA 96 69 00 05 20 01 12 34 " + f"{0x05 ^ 0x20 ^ 0x01 ^ 0x12 ^ 0x34:02X}")


# -- answers, one per SW3 -------------------------------------------------------------------------


@pytest.mark.parametrize(("frame", "answer"), [
    ("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97", Answer(0, 0, 0x9F, bytes(4))),  # found
    ("AA AA AA 96 69 00 04 00 00 80 84", Answer(0, 0, 0x80)),  # no card
    ("AA AA AA 96 69 00 0C 00 00 90 00 00 00 00 00 00 00 00 9C",
     Answer(0, 0, 0x90, bytes(8))),  # selected
    ("AA AA AA 96 69 00 04 00 00 81 85", Answer(0, 0, 0x81)),  # select failed
    ("AA AA AA 96 69 00 04 00 00 41 45", Answer(0, 0, 0x41)),  # read failed
    ("AA AA AA 96 69 00 04 00 00 90 94", Answer(0, 0, 0x90)),  # SAM status ok
])
def test_answers_by_hand(frame, answer):
    assert FrameDecoder().feed(hexbytes(frame)) == [answer]
    assert answer.encode() == hexbytes(frame)


def test_the_text_and_photo_answer_is_1295_bytes():
    text, photo = bytes(range(256)), bytes([0x5A]) * 1024
    body = hexbytes("00 00 90 01 00 04 00") + text + photo
    length = len(body) + 1  # 1288 = 0x0508
    check = 0x05 ^ 0x08
    for byte in body:
        check ^= byte
    frame = hexbytes("AA AA AA 96 69 05 08") + body + bytes([check])
    assert len(frame) == 1295 and length == 0x0508
    [answer] = FrameDecoder().feed(frame)
    assert (answer.sw3, answer.data[:4], answer.data[4:260], answer.data[260:]) == (
        0x90, hexbytes("01 00 04 00"), text, photo)


def test_the_answer_repr_shows_no_card_data():
    answer = Answer(0, 0, 0x90, "张三".encode("utf-16-le"))
    assert "data" not in repr(answer) and answer.status == "SW 00 00 90, 4 data bytes"


# -- the decoder on a bad line --------------------------------------------------------------------

NO_CARD = hexbytes("AA AA AA 96 69 00 04 00 00 80 84")
FOUND = hexbytes("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97")


def test_noise_before_a_frame_is_skipped_and_counted():
    decoder = FrameDecoder()
    noise = hexbytes("00 FF AA AA 96 13 AA AA AA 96")
    assert decoder.feed(noise + FOUND) == [Answer(0, 0, 0x9F, bytes(4))]
    assert decoder.skipped == len(noise)


def test_a_frame_fed_byte_by_byte_comes_out_once_complete():
    decoder = FrameDecoder()
    out = [item for byte in FOUND for item in decoder.feed(bytes([byte]))]
    assert out == [Answer(0, 0, 0x9F, bytes(4))]


def test_a_wrong_check_byte_is_a_frame_error_and_the_next_frame_still_decodes():
    spoilt = NO_CARD[:-1] + b"\x00"
    out = FrameDecoder().feed(spoilt + FOUND)
    assert isinstance(out[0], FrameError) and "check byte" in str(out[0])
    assert out[1:] == [Answer(0, 0, 0x9F, bytes(4))]


@pytest.mark.parametrize("length", ["00 00", "00 03", "FF FF", "10 01"])
def test_an_impossible_length_is_a_frame_error_not_a_wait(length):
    out = FrameDecoder().feed(hexbytes("AA AA AA 96 69 " + length) + FOUND)
    assert isinstance(out[0], FrameError) and "length" in str(out[0])
    assert out[1:] == [Answer(0, 0, 0x9F, bytes(4))]


def test_a_truncated_frame_waits_until_reset():
    decoder = FrameDecoder()
    assert decoder.feed(FOUND[:9]) == []
    assert decoder.pending == 9
    decoder.reset()
    assert decoder.feed(NO_CARD) == [Answer(0, 0, 0x80)]


def test_frame_errors_belong_to_the_one_protocol_error():
    assert issubclass(FrameError, IdCardProtocolError)


def test_requests_decode_for_the_emulator():
    out = RequestDecoder().feed(encode_command(Command.READ_TEXT_AND_PHOTO) + b"\x01\x02"
                                + encode_request(0x20, 0x01, b"\x07"))
    assert out == [Request(0x30, 0x01), Request(0x20, 0x01, b"\x07")]
    assert out[0].command is Command.READ_TEXT_AND_PHOTO and out[1].command is Command.FIND_CARD


# -- properties -----------------------------------------------------------------------------------

BOUND = HEADER_SIZE + MAX_LEN


@settings(max_examples=300, deadline=500)
@given(st.lists(st.binary(max_size=600), max_size=12))
def test_any_bytes_give_only_answers_or_frame_errors_and_a_bounded_buffer(chunks):
    decoder = FrameDecoder()
    for chunk in chunks:
        for item in decoder.feed(chunk):
            assert isinstance(item, Answer | FrameError)
        assert decoder.pending < BOUND


@settings(max_examples=200, deadline=500)
@given(st.lists(st.sampled_from([b"\xaa", b"\xaa\xaa\xaa\x96\x69", b"\x00", b"\xff", b"\x96",
                                 b"\x69", b"\x05\x08", b"\x10\x01"]), max_size=200))
def test_preamble_heavy_garbage_never_hangs_or_escapes(pieces):
    decoder = FrameDecoder()
    for item in decoder.feed(b"".join(pieces)):
        assert isinstance(item, Answer | FrameError)
    assert decoder.pending < BOUND


answers = st.builds(Answer, st.integers(0, 255), st.integers(0, 255), st.integers(0, 255),
                    st.binary(max_size=1400))
noise = st.binary(max_size=20).map(lambda b: b.replace(b"\xaa", b""))  # no false preambles


@settings(max_examples=200, deadline=1000)
@given(st.lists(st.tuples(noise, answers), min_size=1, max_size=5), st.data())
def test_valid_frames_in_any_chunks_with_noise_between_decode_exactly(frames, data):
    stream = b"".join(junk + answer.encode() for junk, answer in frames)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=30)))
    decoder = FrameDecoder()
    out = []
    for start, end in zip([0, *cuts], [*cuts, len(stream)], strict=True):
        out += decoder.feed(stream[start:end])
    assert out == [answer for _, answer in frames]
    assert decoder.pending == 0


@settings(max_examples=100, deadline=500)
@given(st.integers(0, 255), st.integers(0, 255), st.binary(max_size=200))
def test_requests_round_trip(cmd, para, payload):
    assert RequestDecoder().feed(encode_request(cmd, para, payload)) == [
        Request(cmd, para, payload)]
