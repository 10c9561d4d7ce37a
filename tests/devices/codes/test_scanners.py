"""Scanners: a serial scanner over a real pty, a keyboard wedge told apart from typing, and the
scanner camera; one scan per code held up, the next person never sees the last one's code."""

from __future__ import annotations

import asyncio
import os
import tty

import pytest

from devices.camera.simulated import SimulatedCodeScanner
from devices.codes.payload import MAX_PAYLOAD_CHARS, Code
from devices.codes.scanners import (
    CodeEvents,
    KeyboardWedge,
    Scanned,
    SerialCodeScanner,
    Typed,
)
from devices.health import HealthState
from tests.devices.waiting import wait_until


@pytest.fixture
def pty_pair():
    controller, device = os.openpty()
    tty.setraw(device)
    yield controller, os.ttyname(device)
    os.close(controller)
    os.close(device)


async def next_codes(events: CodeEvents, count: int, timeout: float = 30.0) -> list[Code]:
    return [await asyncio.wait_for(events.next(), timeout) for _ in range(count)]


def test_a_serial_scanner_sends_one_code_per_line(pty_pair, tmp_path):
    controller, device_path = pty_pair
    link = tmp_path / "ttyScanner"  # the scanner is plugged in later: the port appears then
    scanner = SerialCodeScanner(str(link), 9600, retry_s=0.05)

    async def scenario():
        scanner.events.bind(asyncio.get_running_loop())
        scanner.start()
        # it has looked for the port (the health names it), not just "not started"
        assert await asyncio.to_thread(wait_until, lambda: str(link) in scanner.health().detail)
        assert scanner.health().code == "NO_DEVICE"
        assert scanner.health().state is HealthState.OFFLINE
        link.symlink_to(device_path)
        assert await asyncio.to_thread(wait_until, lambda: scanner.health().ok)
        os.write(controller, b"https://zwfw.example.gov.cn/p?no=1\r\n")
        os.write(controller, "办件编号：42\r".encode("gb18030"))  # an older GBK scanner
        os.write(controller, b"X" * (MAX_PAYLOAD_CHARS * 4 + 10) + b"\n")  # dropped whole
        os.write(controller, b"\x1b[2Jplain\n")
        return await next_codes(scanner.events, 3)

    try:
        codes = asyncio.run(scenario())
    finally:
        scanner.stop()
    assert [c.text for c in codes] == ["https://zwfw.example.gov.cn/p?no=1", "办件编号：42",
                                       "[2Jplain"]
    assert all(c.source == "serial" for c in codes)


def test_a_scanner_typing_is_a_scan_and_a_person_typing_is_typing():
    wedge = KeyboardWedge()
    t = 100.0
    decisions = []
    for key in "6901234567892":  # a scanner: a key every 8 ms
        decisions.append(wedge.feed(key, t))
        t += 0.008
    decisions.append(wedge.feed("\r", t))
    assert decisions[:-1] == [None] * 13
    assert isinstance(decisions[-1], Scanned) and decisions[-1].code.text == "6901234567892"

    typed = []
    t = 200.0
    for key in "1234":  # a person: a key every 150 ms
        if (decision := wedge.feed(key, t)) is not None:
            typed.append(decision.text)
        t += 0.15
    typed.append(wedge.flush(t).text)
    assert "".join(typed) == "1234"
    assert wedge.feed("\n", t + 1) == Typed("\n")  # Enter pressed by a person stays Enter


def test_a_quick_burst_without_enter_is_given_back_as_typing():
    wedge = KeyboardWedge()
    assert wedge.feed("a", 1.0) is None
    assert wedge.feed("b", 1.01) is None
    assert wedge.flush(1.02) is None  # still within a scanner's gap
    assert wedge.flush(1.2) == Typed("ab")


def test_the_same_code_held_up_is_one_scan_and_a_new_session_forgets_it():
    events = CodeEvents(repeat_s=60)

    async def scenario():
        events.bind(asyncio.get_running_loop())
        code = Code("QRCode", "same")
        published = [events.publish(code) for _ in range(5)]
        events.publish(Code("QRCode", "other"))
        await asyncio.sleep(0.05)
        first = await next_codes(events, 2)
        events.publish(Code("QRCode", "left behind"))
        await asyncio.sleep(0.05)
        events.clear()
        events.publish(Code("QRCode", "same"))  # after clear, a new person's scan counts
        return published, first, await next_codes(events, 1)

    published, first, after = asyncio.run(scenario())
    assert published == [True, False, False, False, False]
    assert [c.text for c in first] == ["same", "other"]
    assert [c.text for c in after] == ["same"]


def test_a_qr_code_shown_to_the_scanner_camera_is_read_once():
    scanner = SimulatedCodeScanner(fps=20)
    decoded: list[tuple[str, bool]] = []  # every code read from a frame, and if it was news
    publish = scanner.events.publish

    def counted(code: Code) -> bool:
        published = publish(code)
        decoded.append((code.text, published))
        return published

    scanner.events.publish = counted

    async def scenario():
        scanner.events.bind(asyncio.get_running_loop())
        scanner.start()
        scanner.show_code("预约号 A0123 请到3号窗口")
        first = await asyncio.wait_for(scanner.events.next(), 30)
        # still held up: read from four more frames, and not one more event
        assert await asyncio.to_thread(wait_until, lambda: len(decoded) >= 5)
        seen = list(decoded)
        assert seen == [("预约号 A0123 请到3号窗口", True)] + [
            ("预约号 A0123 请到3号窗口", False)] * (len(seen) - 1)
        await asyncio.sleep(0)  # anything published was handed to this loop before now
        assert scanner.events._queue.empty()
        scanner.show_code("6901234567892", kind="ean13")
        second = await asyncio.wait_for(scanner.events.next(), 30)
        return first, second

    try:
        first, second = asyncio.run(scenario())
    finally:
        scanner.stop()
    assert (first.format, first.text) == ("QRCode", "预约号 A0123 请到3号窗口")
    assert (second.format, second.text) == ("EAN13", "6901234567892")
