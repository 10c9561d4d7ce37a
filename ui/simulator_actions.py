"""What each simulator can be told to do from the panel: place a card, show a face, scan a code,
hold a phone's pay code to the scanner.

Kept apart from the panel so that a family's demo controls sit in one list, next to each other.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date
from typing import Any
from urllib.parse import urlencode

import cv2
import numpy as np
import requests

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
# what people say at the kiosk: plain words, an ASR homophone, out of scope
SENTENCES = ("我要打个社保证明，买房子用", "公基金怎么取", "护照怎么办", "今天天气怎么样")
DEMO_EID_CODES = (("DEMO-EID-ZHANGSAN", "张三"), ("DEMO-EID-LIUJIANGUO", "刘建国，比对不通过"))


def actions_for(device: object, by_family: Mapping[str, object] | None = None) -> list[Action]:
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
        # named by the pattern: a lambda in a comprehension does not see `device` narrowed
        case SimulatedCodeScanner() as scanner:
            printer = (by_family or {}).get("receipt_printer")
            actions: list[Action] = [
                (tr("扫电子证照码（{who}）", who=who), lambda c=code: scanner.show_code(c))
                for code, who in DEMO_EID_CODES]
            if isinstance(printer, SimulatedReceiptPrinter):
                actions.append((tr("扫最近打印的回执"),
                                lambda: hold_up_last_receipt(scanner, printer)))
            actions.append((tr("扫条形码"), lambda: scanner.show_code("6901234567892", "ean13")))
            actions.append((tr("拿开"), scanner.show_nothing))
            return actions
        case SimulatedSpeech() as speech:  # what the microphone hears while 语音提问 is held
            return [*((tr("说：{sentence}", sentence=sentence),
                       lambda s=sentence: speech.hear(s)) for sentence in SENTENCES),
                    (tr("语音不可用"), lambda: speech.set_voice_available(False)),
                    (tr("语音可用"), lambda: speech.set_voice_available(True))]
        case SimulatedA4Printer():  # a job resumed after the tray ran empty
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
        if picture is None:  # not a picture OpenCV can read: nothing to hold up
            return
        codes = [code for code in read_codes(picture, budget_s=2.0) if code.format == "QRCode"]
        if codes:
            scanner.show_code(codes[0].text)

    worker = threading.Thread(target=read_and_show, name="panel-receipt", daemon=True)
    worker.start()
    return worker


# -- the payment gateway sandbox (the demo platform's, on loopback; its /sandbox/ admin API) --

# what a pay code does when the kiosk charges it: the body of POST /sandbox/codes
PAY_CODES: dict[str, dict[str, Any]] = {
    "normal": {"balance": 100_000},  # 1000 元, paid at once
    "password": {"balance": 100_000, "script": {"paying_for": 2}},  # USERPAYING, then paid
    "not_enough": {"balance": 100},  # 1 元: less than any fee
    "invalid": {"balance": 100_000, "lifetime_s": 0},  # already refreshed in the wallet
}
PayCodeShown = Callable[[str | None, str | None], object]  # (the code, None) | (None, why)


def wallets() -> list[tuple[str, str]]:
    return [("wechat", tr("微信")), ("alipay", tr("支付宝"))]


def pay_code_behaviours() -> list[tuple[str, str]]:
    return [("normal", tr("正常")), ("password", tr("需输入密码")),
            ("not_enough", tr("余额不足")), ("invalid", tr("无效码"))]


def new_pay_code(sandbox: str, provider: str, behaviour: str) -> str:
    """A pay code of `provider` ("wechat", "alipay") from the sandbox at `sandbox` that behaves
    as `behaviour` (a key of PAY_CODES). Blocking: off the GUI thread."""
    response = requests.post(f"{sandbox}/sandbox/codes", timeout=5,
                             json={"provider": provider, **PAY_CODES[behaviour]})
    response.raise_for_status()
    code = response.json()["code"]
    if not isinstance(code, str):
        raise ValueError("the sandbox answered no pay code")
    return code


def show_pay_code(scanner: SimulatedCodeScanner, sandbox: str, provider: str, behaviour: str,
                  shown: PayCodeShown) -> threading.Thread:
    """The person holds their phone to the scanner: a pay code from the sandbox, shown to the
    scanner camera as the barcode the wallet's 付款码 page shows. In a thread (the panel shares
    the GUI thread); `shown` is called from it with the code before it is shown, or with why
    there is none."""

    def make_and_show() -> None:
        try:
            code = new_pay_code(sandbox, provider, behaviour)
        except (requests.RequestException, ValueError, KeyError) as exc:
            shown(None, str(exc))
            return
        shown(code, None)
        scanner.show_code(code, "code128")

    worker = threading.Thread(target=make_and_show, name="panel-pay-code", daemon=True)
    worker.start()
    return worker


def phone_page(sandbox: str, qr_content: str) -> str:
    """The sandbox's phone page that pays the QR code `qr_content` (确认支付)."""
    return f"{sandbox}/phone?{urlencode({'code': qr_content})}"
