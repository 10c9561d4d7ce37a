"""Payloads are untrusted: capped, decoded with errors handled, cleaned, never shown raw."""

from __future__ import annotations

from devices.codes.payload import MAX_PAYLOAD_CHARS, clean_text, decode_bytes, make_code


def test_utf8_and_gb18030_payloads_read_as_the_same_chinese_text():
    text = "办件编号：2026-001，请凭此码查询"
    assert decode_bytes(text.encode("utf-8")) == text
    assert decode_bytes(text.encode("gb18030")) == text


def test_bytes_that_are_no_text_are_replaced_not_fatal():
    assert "\ufffd" in decode_bytes(b"\xff\xfe\xfa abc \x80")


def test_control_and_invisible_characters_are_dropped():
    sneaky = "pay\x00\x1b[31m\u202eLIVE\u200b\r\nme\x7f"
    text, cut = clean_text(sneaky)
    assert text == "pay[31mLIVE\nme"
    assert not cut


def test_markup_stays_text():
    code = make_code("QRCode", "<b>办件</b><script>alert(1)</script>")
    assert code.text == "<b>办件</b><script>alert(1)</script>"  # shown as plain text, verbatim


def test_an_overlong_payload_is_cut_and_says_so():
    code = make_code("QRCode", b"A" * 100_000)
    assert len(code.text) == MAX_PAYLOAD_CHARS and code.truncated


def test_nothing_left_is_no_code_and_text_never_appears_in_repr():
    assert make_code("QRCode", "\x00\u200b \n") is None
    code = make_code("QRCode", "110101199003077777")
    assert "1101" not in repr(code)
