"""The device watchers (worker threads) stop whenever they are told, on real transports.

A stopping kiosk stops its devices on the GUI thread; a watcher that does not end keeps a port
open and a thread running into the next start. Each watcher is started and stopped 500 times
at seeded random moments (before its port opened, mid-poll, mid-read of a card, between lines
from a scanner, mid-frame): every `stop()` must leave no thread of it behind.
"""

from __future__ import annotations

import os
import random
import threading
import time
import tty
from collections.abc import Callable
from datetime import date

import numpy as np

from devices.camera.frames import Camera, GeneratedSource
from devices.cards import IdCardData
from devices.codes.scanners import SerialCodeScanner
from devices.idcard.frame import Command
from devices.idcard.reader import Ga467Reader

TRIALS = 500
MOMENT_S = 0.03  # stops fall within the first 30 ms: opening, the first polls, a read


def threads_named(name: str) -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == name and t.is_alive()]


def stop_at_random_moments(start: Callable[[], None], stop: Callable[[], None], thread: str,
                           meddle: Callable[[random.Random], None] = lambda rnd: None,
                           seed: int = 7) -> list[str]:
    rnd = random.Random(seed)
    left = []
    for trial in range(TRIALS):
        meddle(rnd)
        start()
        if rnd.random() < 0.8:
            time.sleep(rnd.uniform(0, MOMENT_S))
        stop()
        if threads_named(thread):
            left.append(f"trial {trial}: {thread} still running after stop()")
    return left


def test_the_id_card_reader_stops_at_any_moment(sam) -> None:
    reader = Ga467Reader(sam.path, sam_time={Command.FIND_CARD: 0.2,
                                             Command.READ_TEXT_AND_PHOTO: 0.3})
    card = IdCardData(card_type="resident", name="欧阳娜娜", sex="女", nation="满",
                      birth_date=date(1958, 2, 28), address="辽宁省沈阳市和平区示例路66号",
                      id_number="210102195802282325", issuing_authority="沈阳市公安局和平分局",
                      valid_from=date(2016, 4, 1), valid_to=None, photo_wlt=bytes(1024))

    def card_or_none(rnd: random.Random) -> None:  # half the stops land during a read
        if rnd.random() < 0.5:
            sam.insert(card)
        else:
            sam.remove()

    assert stop_at_random_moments(reader.start, reader.stop, "idcard-reader",
                                  card_or_none) == []


def test_the_serial_scanner_stops_at_any_moment() -> None:
    controller, device = os.openpty()
    tty.setraw(device)
    scanner = SerialCodeScanner(os.ttyname(device), 9600, retry_s=0.05)

    def lines(rnd: random.Random) -> None:  # a code on its way, or half of one
        os.write(controller, rnd.choice([b"", b"SL2026120600001\r\n", b"https://zwfw.exa"]))

    try:
        assert stop_at_random_moments(scanner.start, scanner.stop, "scanner-qr_scanner",
                                      lines) == []
    finally:
        os.close(controller)
        os.close(device)


def test_a_camera_stops_at_any_moment() -> None:
    frame = np.zeros((120, 160, 3), np.uint8)
    camera = Camera("face_camera", GeneratedSource(lambda n: frame, fps=200.0), idle_s=None)
    assert stop_at_random_moments(camera.start, camera.stop, "camera-face_camera") == []
