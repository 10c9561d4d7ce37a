"""Frame sources and camera health: frames flow off the caller's thread, a missing camera is
NO_DEVICE, a silent one CAPTURE_FAILED, and both recover without a restart."""

from __future__ import annotations

import asyncio

import cv2
import numpy as np
import pytest

from devices.camera.document_camera import ScanFailed, ScannedPage
from devices.camera.frames import (
    Camera,
    DeviceSource,
    FileSource,
    GeneratedSource,
    source_from_port,
)
from devices.camera.simulated import SimulatedDocumentCamera
from devices.health import HEALTHY, HealthState
from devices.registry import FAMILIES
from tests.devices.waiting import wait_until


def grey_frame(number: int) -> np.ndarray:
    return np.full((48, 64, 3), number % 256, np.uint8)


def test_frames_arrive_numbered_and_only_the_newest_is_kept():
    camera = Camera("document_camera", GeneratedSource(grey_frame, fps=100), retry_s=0.05)
    camera.start()
    try:
        first = camera.wait_for_frame(after=0, timeout=30)
        assert first is not None and first.image.shape == (48, 64, 3)
        # nobody reads while four more frames come: they are replaced, not queued
        assert wait_until(lambda: camera.latest().number > first.number + 3)
        later = camera.wait_for_frame(after=first.number, timeout=30)
        assert later.number > first.number + 3  # the ones in between were skipped
        assert camera.health().ok
    finally:
        camera.stop()
    assert camera.latest() is None


def test_a_camera_that_is_not_there_is_no_device_and_recovers_when_plugged_in():
    source = GeneratedSource(grey_frame, fps=100)
    source.unplugged = True
    camera = Camera("face_camera", source, retry_s=0.05)
    changes = []
    camera.on_health_change(lambda family, health: changes.append(health.code))
    camera.start()
    try:
        assert wait_until(lambda: "not found" in camera.health().detail)
        assert camera.health().state is HealthState.OFFLINE
        assert camera.health().code == "NO_DEVICE"
        source.unplugged = False
        assert wait_until(lambda: camera.health().ok)
        assert camera.wait_for_frame(timeout=30) is not None
        source.unplugged = True  # pulled out while running
        assert wait_until(lambda: camera.health().code == "NO_DEVICE")
        source.unplugged = False
        assert wait_until(lambda: camera.health().ok)
    finally:
        camera.stop()
    assert changes[-1] == "OK" and "CAPTURE_FAILED" in changes


def test_a_camera_that_opens_but_gives_no_frames_is_an_error_until_it_does():
    source = GeneratedSource(grey_frame, fps=200)
    source.stalled = True
    camera = Camera("document_camera", source, retry_s=0.05, failures_before_error=5)
    camera.start()
    try:
        assert wait_until(lambda: camera.health().code == "CAPTURE_FAILED")
        assert camera.health().state is HealthState.ERROR
        source.stalled = False
        assert wait_until(lambda: camera.health().ok)
    finally:
        camera.stop()


def test_a_missing_device_index_or_path_is_no_device():
    for source in (DeviceSource(63), DeviceSource("/dev/video-not-here")):
        camera = Camera("document_camera", source)
        assert camera.probe().code == "NO_DEVICE"


def test_image_and_video_files_play_in_a_loop(tmp_path):
    images = []
    for value in (10, 200):
        path = tmp_path / f"{value}.png"
        cv2.imwrite(str(path), np.full((40, 60, 3), value, np.uint8))
        images.append(path)
    video = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 10, (64, 48))
    for number in range(5):
        writer.write(grey_frame(number * 50))
    writer.release()
    for source, expected in ((FileSource(images, fps=200), [10, 200, 10]),
                             (FileSource([video], fps=200), [0, 50, 100, 150, 200, 0])):
        assert source.open()
        values = [int(np.median(source.read())) for _ in expected]
        source.close()
        assert values == pytest.approx(expected, abs=4)


def test_the_port_setting_names_a_camera_or_files():
    assert source_from_port("").device == 0
    assert source_from_port("2").device == 2
    assert source_from_port("/dev/video4").device == "/dev/video4"
    files = source_from_port("a.jpg, b.jpg")
    assert [p.name for p in files.paths] == ["a.jpg", "b.jpg"]
    assert not FileSource(["missing.mp4"]).open()


def test_real_camera_drivers_are_offered_for_each_camera_family():
    assert set(FAMILIES["document_camera"].drivers) == {"simulator", "opencv"}
    assert set(FAMILIES["face_camera"].drivers) == {"simulator", "opencv"}
    assert set(FAMILIES["qr_scanner"].drivers) == {"simulator", "camera", "serial", "keyboard"}

    class Config:
        driver, port, baud = "opencv", "/dev/video-not-here", 9600

    for family, driver in (("document_camera", "opencv"), ("face_camera", "opencv"),
                           ("qr_scanner", "camera"), ("qr_scanner", "serial")):
        probed = FAMILIES[family].drivers[driver](family, Config()).probe()
        assert probed.code == "NO_DEVICE", (family, driver)
    assert FAMILIES["qr_scanner"].drivers["keyboard"]("qr_scanner", Config()).health().ok

    device = FAMILIES["document_camera"].drivers["opencv"]("document_camera", Config())
    device.start()
    try:
        assert wait_until(lambda: "not found" in device.health().detail)
        assert device.health().code == "NO_DEVICE"
    finally:
        device.stop()


def test_the_simulated_document_camera_captures_a_page_and_a_card():
    camera = SimulatedDocumentCamera(fps=30, still_frames=4)

    async def scan():
        camera.place_page()
        page = await camera.capture_page(mode="grey", timeout_s=10)
        camera.place_card("back")
        card = await camera.capture_page(kind="card", timeout_s=10)
        return page, card

    try:
        page, card = asyncio.run(scan())
    finally:
        camera.stop()
    assert isinstance(page, ScannedPage) and page.image.ndim == 2
    assert page.image.shape[0] / page.image.shape[1] == pytest.approx(297 / 210, rel=0.01)
    assert isinstance(card, ScannedPage) and card.kind == "card"
    assert card.image.shape[1] / card.image.shape[0] == pytest.approx(85.6 / 54, rel=0.01)
    assert card.jpeg()[:2] == b"\xff\xd8"


def test_nothing_placed_and_a_pulled_camera_end_as_values_the_flow_can_show():
    camera = SimulatedDocumentCamera(fps=30)

    async def scan():
        camera.take_away()
        return await camera.capture_page(timeout_s=1.0)

    try:
        nothing = asyncio.run(scan())
        camera.set_health(FAMILIES["document_camera"].faults[0].health)
        assert camera.health().code == "NO_DEVICE"
        assert wait_until(lambda: camera.camera.health().code == "NO_DEVICE")
        camera.set_health(HEALTHY)
        assert wait_until(lambda: camera.health().ok)
    finally:
        camera.stop()
    assert isinstance(nothing, ScanFailed) and nothing.code == "TIMED_OUT"
    assert "重新放置" in nothing.message


def test_a_camera_nobody_watches_stands_by_yet_still_notices_being_unplugged():
    source = GeneratedSource(grey_frame, fps=100)
    reads, opens = [], []
    make, source_open = source.make, source.open
    source.make = lambda n: reads.append(n) or make(n)
    source.open = lambda: opens.append(1) or source_open()
    camera = Camera("document_camera", source, retry_s=0.05, idle_s=0.3, probe_s=0.1)
    camera.start()
    try:
        assert camera.wait_for_frame(timeout=30) is not None
        assert wait_until(lambda: camera.standing_by)
        streaming = len(opens)
        assert wait_until(lambda: len(opens) > streaming)  # closed, and opened by a probe
        count, probed = len(reads), len(opens)
        assert wait_until(lambda: len(opens) >= probed + 3)  # three more probes
        assert len(reads) == count  # no frames read while nobody wants them
        assert camera.health().ok
        source.unplugged = True
        assert wait_until(lambda: camera.health().code == "NO_DEVICE")  # found by a probe
        source.unplugged = False
        assert wait_until(lambda: camera.health().ok)
        assert camera.wait_for_frame(timeout=30) is not None  # asked for: streams again
    finally:
        camera.stop()


def test_white_paper_on_a_white_pad_ends_with_the_advice_to_use_a_dark_pad():
    from devices.camera.scenes import make_blank_on_white_scene

    camera = SimulatedDocumentCamera(fps=30)
    seen: list[str] = []

    async def scan():
        camera.place(make_blank_on_white_scene(1).image)
        return await camera.capture_page(timeout_s=30, advise_after_s=0.5,
                                         on_progress=lambda p: seen.append(p.message))

    try:
        got = asyncio.run(scan())
    finally:
        camera.stop()
    # not 60 s of "place the material" and then "try again": what to do about it
    assert isinstance(got, ScanFailed) and got.code == "NO_EDGE"
    assert "深色垫板" in got.message
    assert seen and seen[-1] == got.message
