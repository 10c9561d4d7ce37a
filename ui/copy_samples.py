"""The copy and printing screens for `python main.py screenshot`: sample steps shown by
the kiosk's own shell in standard and elder mode, the simulated document camera showing a card
where the screen has a live picture."""

from __future__ import annotations

from collections.abc import Callable

import cv2

from common.i18n import tr
from devices.camera.scenes import sample_card, sample_page
from flows.id_copy import NO_PURPOSE, PURPOSES, CheckSideStep, PlaceCardStep, PurposeStep
from flows.printing import FIX_IT, RESUME, STOP, PrintingStep, PrintOptionsStep, fault_words
from flows.steps import Choice, MessageStep, Progress, ScanStep, Step
from ui.app import Kiosk
from ui.screenshot_waits import live_pictures_drawn


def copy_steps() -> list[tuple[str, Step]]:
    side = cv2.imencode(".jpg", sample_card(side="front"))[1].tobytes()
    pages = tuple(cv2.imencode(".jpg", sample_page(320, seed))[1].tobytes() for seed in (7, 8))
    purposes = tuple(Choice(text, tr(label)) for text, label in PURPOSES)
    return [
        ("id-copy-place", PlaceCardStep("back", None, Progress(2, 5))),
        ("id-copy-check", CheckSideStep("front", side, Progress(1, 5))),
        ("id-copy-purpose", PurposeStep((*purposes, Choice(NO_PURPOSE, tr("不加注"))),
                                        Progress(3, 5))),
        ("copy-options", PrintOptionsStep(tr("复印设置"), 2, 5, True, 3, Progress(2, 3))),
        ("printing", PrintingStep(tr("正在打印，请稍候…"), 6, 1, Progress(3, 3))),
        # as flows.printing tells a fault: one instruction and 不打印了 while there is no
        # paper, then 继续打印 once the printer says it can print
        ("printing-paper-out", MessageStep(
            tr("打印暂停"),
            (tr("{what}，已打印 {done} 页，还有 {left} 页没有打印。", what=fault_words("PAPER_OUT"),
                done=1, left=5), FIX_IT),
            (Choice(STOP, tr("不打印了")),), tone="warning", progress=Progress(5, 5))),
        ("printing-ready", MessageStep(
            tr("可以继续打印了"), (tr("打印机已经好了。"), tr("请点“继续打印”。")),
            (Choice(RESUME, tr("继续打印"), primary=True), Choice(STOP, tr("不打印了"))),
            tone="info", progress=Progress(5, 5))),
        ("material-copy-scan", ScanStep("复印材料", pages, False, None, Progress(1, 3))),
    ]


async def photograph_copy_screens(kiosk: Kiosk, save: Callable[[str], None]) -> None:
    """`save(name)` photographs the window as it is."""
    camera = kiosk.terminal.devices.by_family.get("document_camera")
    shell = kiosk.shell
    for name, step in copy_steps():
        # the simulated document camera shows what the screen asks for
        place = getattr(camera, "place_page" if name.startswith("material") else "place_card",
                        None)
        if callable(place):
            place() if name.startswith("material") else place("back")
        for elder in (False, True):
            shell.set_elder_mode(elder)
            shell.show(step)
            await live_pictures_drawn(shell)
            save(f"{name}-elder" if elder else name)
    shell.set_elder_mode(False)
