"""Checking the cameras and the code scanner: which source, then a few frames measured.

The resolution and the frame rate are what the camera really delivers (a USB camera may give
less than it was asked for), measured over `FRAMES` frames by their numbers and arrival times,
so frames a busy machine skipped do not lower the figure. The scanner's camera also has its
frame decoded; the simulated scanner is shown a test code first, as the demo panel does, and
must read it back. A code's content is never shown: it may be someone's pay code.
"""

from __future__ import annotations

from common.i18n import tr
from devices.camera.frames import Camera, Frame
from devices.check import (
    CheckOptions,
    CheckResult,
    DeviceSetup,
    Identity,
    Reporting,
    current_health,
    verdict_from_health,
)
from devices.health import Health, HealthState

FRAMES = 10
FIRST_FRAME_S = 5.0  # a USB camera takes a second or two to open and settle
NEXT_FRAME_S = 2.0
TEST_CODE = "DEVICE-CHECK"


def check_camera(device: Reporting, setup: DeviceSetup, options: CheckOptions) -> list[CheckResult]:
    """The face camera ("camera") or the document camera ("document_camera")."""
    family = "camera" if setup.table == "face_camera" else setup.table
    camera = getattr(device, "camera", None)
    if not isinstance(camera, Camera):
        return [_health_only(device, family, setup, {"driver": setup.driver}, options)]
    identity: Identity = {"driver": setup.driver, "source": camera.source.description}
    health = current_health(device, "probe")
    ok, code, message = verdict_from_health(health)
    if not options.actions or not ok:
        return [CheckResult(family, setup.name, identity, "none", ok, code, message,
                            health.detail)]
    frames = capture(camera)
    return [_frames_result(family, setup, identity, camera, frames)]


def check_scanner(device: Reporting, setup: DeviceSetup,
                  options: CheckOptions) -> list[CheckResult]:
    identity: Identity = {"driver": setup.driver}
    camera = getattr(device, "camera", None)
    if setup.driver == "keyboard":
        return [CheckResult("scanner", setup.name, identity, "none", True, "NOT_CHECKED",
                            tr("键盘式扫码器像键盘一样输入，只能在终端界面上扫码测试"))]
    if not isinstance(camera, Camera):  # a serial scanner: opening its port is the test
        identity |= {"port": setup.port, "transport": f"serial {setup.port}, {setup.baud} baud"}
        return [_health_only(device, "scanner", setup, identity, options, "open_port")]
    identity["source"] = camera.source.description
    health = current_health(device, "probe")
    ok, code, message = verdict_from_health(health)
    if not options.actions or not ok:
        return [CheckResult("scanner", setup.name, identity, "none", ok, code, message,
                            health.detail)]
    from devices.camera.simulated import SimulatedCodeScanner

    simulated = isinstance(device, SimulatedCodeScanner)
    if simulated:  # held up to its camera, as the demo panel does
        device.show_code(TEST_CODE)
    try:
        frames = capture(camera)
    finally:
        if simulated:
            device.show_nothing()
    result = _frames_result("scanner", setup, identity, camera, frames)
    if not result.ok:
        return [result]
    from devices.codes.pipeline import read_codes

    codes = read_codes(frames[-1].image)
    if simulated:
        if not any(code.text == TEST_CODE for code in codes):
            return [CheckResult("scanner", setup.name, identity, "scan_code", False,
                                "CODE_NOT_READ", tr("模拟扫码器没有读出它显示的测试二维码"))]
        return [CheckResult("scanner", setup.name, identity, "scan_code", True, "OK",
                            tr("读出了测试二维码"))]
    seen = (tr("画面中读到 {count} 个码", count=len(codes)) if codes
            else tr("画面中没有码（可拿一张二维码对准扫码口再查）"))
    return [CheckResult("scanner", setup.name, identity, "scan_code", True, "OK",
                        tr("{frames}；{seen}", frames=result.message, seen=seen))]


def capture(camera: Camera, count: int = FRAMES) -> list[Frame]:
    """Up to `count` successive frames (fewer when the camera stops giving them)."""
    was_running = camera.running
    camera.start()
    frames: list[Frame] = []
    try:
        frame = camera.wait_for_frame(0, FIRST_FRAME_S)
        while frame is not None:
            frames.append(frame)
            if len(frames) >= count:
                break
            frame = camera.wait_for_frame(frame.number, NEXT_FRAME_S)
    finally:
        if not was_running:
            camera.stop()
    return frames


def _frames_result(family: str, setup: DeviceSetup, identity: Identity, camera: Camera,
                   frames: list[Frame]) -> CheckResult:
    if frames:
        height, width = frames[0].image.shape[:2]
        identity["resolution"] = f"{width}x{height}"
    if len(frames) < 2:
        health = camera.health()
        if health.ok or health.state is HealthState.DEGRADED:
            health = Health(HealthState.ERROR, "CAPTURE_FAILED", f"{len(frames)} frames")
        _ok, code, message = verdict_from_health(health)
        return CheckResult(family, setup.name, identity, "capture_frames", False, code,
                           message, health.detail)
    first, last = frames[0], frames[-1]
    elapsed = last.time - first.time
    fps = (last.number - first.number) / elapsed if elapsed > 0 else 0.0
    identity["fps"] = round(fps, 1)
    return CheckResult(family, setup.name, identity, "capture_frames", True, "OK",
                       tr("取到 {count} 帧，{resolution}，每秒 {fps} 帧", count=len(frames),
                          resolution=identity["resolution"], fps=f"{fps:.1f}"))


def _health_only(device: Reporting, family: str, setup: DeviceSetup, identity: Identity,
                 options: CheckOptions, action: str = "none") -> CheckResult:
    health = current_health(device, "probe")
    ok, code, message = verdict_from_health(health)
    return CheckResult(family, setup.name, identity, action if options.actions else "none",
                       ok, code, message, health.detail)
