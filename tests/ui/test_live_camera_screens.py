"""Live camera pictures in the face screen, and touch on the signature pad."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from common.i18n import tr
from devices.camera.simulated import SimulatedFaceCamera
from flows.steps import MessageStep, SignatureStep, Signed
from ui.live_view import LiveCameras
from ui.sample_steps import sample_steps
from ui.screens import screen_for
from ui.shell import Shell
from ui.tokens import STANDARD
from ui.window import KioskWindow

SAMPLES = dict(sample_steps())


def test_the_face_screen_shows_the_camera_and_leaving_it_stops_the_picture(qapp, qtbot):
    camera = SimulatedFaceCamera(fps=15)
    camera.show_face()
    window = KioskWindow("朝阳区政务服务中心")
    qtbot.addWidget(window)
    shell = Shell(qapp, window, "zh_CN")
    shell.live = LiveCameras({"face_camera": camera.camera}, detect=False)
    window.resize(1920, 1080)
    window.show()
    try:
        shell.show(SAMPLES["face"])
        preview = shell.live.previews["face_camera"]
        assert preview.parent() is not None and preview.isVisible()
        qtbot.waitUntil(lambda: preview.frames_shown > 2, timeout=30_000)
        # the next step has no camera: the picture is taken out of the screen and stopped
        shell.show(MessageStep(tr("办理结束"), (), ()))
        assert preview.parent() is None and not preview.isVisible()
        shown = preview.frames_shown
        made: list[int] = []
        camera.camera.on_frame(lambda frame: made.append(frame.number))
        # ten more frames from the camera (or a busy machine's few), the GUI running all along
        qtbot.waitUntil(lambda: len(made) >= 10, timeout=30_000)
        assert preview.frames_shown == shown, "no frame painted once the screen is gone"
        # back to a face screen: the same preview, running again
        shell.show(SAMPLES["face-60plus"])
        assert shell.live.previews["face_camera"] is preview
        qtbot.waitUntil(lambda: preview.frames_shown > shown, timeout=30_000)
    finally:
        camera.stop()


def test_a_finger_signs_the_pad(qapp, qtbot):
    answers: list = []
    screen = screen_for(SignatureStep("居住证申领"), STANDARD, answers.append)
    qtbot.addWidget(screen)
    screen.resize(1600, 800)
    screen.show()
    finger = QTest.createTouchDevice()
    pad = screen.pad
    QTest.touchEvent(pad, finger).press(0, QPoint(100, 200), pad)
    for x in range(120, 500, 20):
        QTest.touchEvent(pad, finger).move(0, QPoint(x, 200 + (x % 80)), pad)
    QTest.touchEvent(pad, finger).release(0, QPoint(500, 210), pad)
    assert not pad.is_empty
    qtbot.mouseClick(screen.confirm_button, Qt.MouseButton.LeftButton)
    assert len(answers) == 1 and isinstance(answers[0], Signed)
    assert answers[0].png.startswith(b"\x89PNG")

