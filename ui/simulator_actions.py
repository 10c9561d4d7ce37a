"""What each simulator can be told to do from the panel: place a card, show a face, scan a code.

Kept apart from the panel so that a family's demo controls sit in one list, next to each other.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import date

import cv2
import numpy as np

from devices.camera.simulated import (
    SimulatedCodeScanner,
    SimulatedDocumentCamera,
    SimulatedFaceCamera,
)
from devices.codes.pipeline import read_codes
from devices.idcard.simulator import IdCardSimulator, sample_cards
from devices.printer.simulated import SimulatedA4Printer, SimulatedReceiptPrinter
from devices.speech.simulated import SimulatedSpeech
from devices.sscard.samples import sample_card
from devices.sscard.simulator import SsCardSimulator
from ui.i18n import tr

Action = tuple[str, Callable[[], object]]

# the platform's reference verifier never matches the live face of a holder whose ID number
# has the sequence code 998/999 (central/identity/reference.py): holding this card up is
# "someone else's face" at the kiosk
SOMEONE_ELSES_CARD = replace(
    sample_cards()["resident"], name="刘建国", birth_date=date(1985, 6, 12),
    id_number="110105198506129995")
# the reference verifier's demo citizen QR codes (居民身份电子凭证)
# what people say at the kiosk (issue 8): plain words, an ASR homophone, out of scope
SENTENCES = ("我要打个社保证明，买房子用", "公基金怎么取", "护照怎么办", "今天天气怎么样")
DEMO_EID_CODES = (("DEMO-EID-ZHANGSAN", "张三"), ("DEMO-EID-LIUJIANGUO", "刘建国，比对不通过"))


def actions_for(device: object, by_family: dict[str, object] | None = None) -> list[Action]:
    """`by_family`: the terminal's other devices, for actions across two (a printed receipt
    held up to the scanner)."""
    match device:
        case IdCardSimulator():
            cards = sample_cards()
            return [
                (tr("放身份证（张三）"), lambda: device.insert(cards["resident"])),
                (tr("放身份证（60岁以上）"), lambda: device.insert(cards["elder"])),
                (tr("放他人身份证（人脸比对不通过）"), lambda: device.insert(SOMEONE_ELSES_CARD)),
                (tr("放港澳台居住证"), lambda: device.insert(cards["hmt_residence"])),
                (tr("取走证件"), device.remove),
                (tr("读卡失败"), device.fail_read),
            ]
        case SsCardSimulator():
            return [(tr("插社保卡"), lambda: device.insert(sample_card())),
                    (tr("拔出社保卡"), device.remove), (tr("读卡失败"), device.fail_read)]
        case SimulatedDocumentCamera():
            return [(tr("放一页材料"), device.place_page),
                    (tr("放身份证正面"), lambda: device.place_card("front")),
                    (tr("放身份证反面"), lambda: device.place_card("back")),
                    (tr("拿走"), device.take_away)]
        case SimulatedFaceCamera():
            return [(tr("出现人脸"), device.show_face), (tr("眨眼"), device.blink),
                    (tr("无人"), device.show_nobody), (tr("两个人"), device.show_two_faces),
                    (tr("模糊"), device.show_blurred), (tr("太暗"), device.show_dark)]
        case SimulatedCodeScanner():
            printer = (by_family or {}).get("receipt_printer")
            actions: list[Action] = [
                (tr("扫电子证照码（{who}）", who=who), lambda c=code: device.show_code(c))
                for code, who in DEMO_EID_CODES]
            if isinstance(printer, SimulatedReceiptPrinter):
                actions.append((tr("扫最近打印的回执"),
                                lambda: hold_up_last_receipt(device, printer)))
            actions.append((tr("扫条形码"), lambda: device.show_code("6901234567892", "ean13")))
            actions.append((tr("拿开"), device.show_nothing))
            return actions
        case SimulatedSpeech():  # what the microphone hears while 语音提问 is held
            return [*((tr("说：{sentence}", sentence=sentence),
                       lambda s=sentence: device.voice.hear(s)) for sentence in SENTENCES),
                    (tr("语音不可用"), lambda: device.set_voice_available(False)),
                    (tr("语音可用"), lambda: device.set_voice_available(True))]
        case SimulatedA4Printer():  # a job resumed after the tray ran empty (issue 7)
            return [(tr("打印 1 页后缺纸"), lambda: device.run_out_of_paper(after_pages=1)),
                    (tr("加纸"), device.load_paper)]
    return []


def hold_up_last_receipt(scanner: SimulatedCodeScanner,
                         printer: SimulatedReceiptPrinter) -> threading.Thread | None:
    """The receipt printed last, held up to the scanner: its QR code is read off the printed
    picture (in a thread: the panel shares the GUI thread) and shown to the scanner camera."""
    if not printer.previews:
        return None
    png = printer.previews[-1].preview

    def read_and_show() -> None:
        picture = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_GRAYSCALE)
        codes = [code for code in read_codes(picture, budget_s=2.0) if code.format == "QRCode"]
        if codes:
            scanner.show_code(codes[0].text)

    worker = threading.Thread(target=read_and_show, name="panel-receipt", daemon=True)
    worker.start()
    return worker
