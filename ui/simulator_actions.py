"""What each simulator can be told to do from the panel: place a card, show a face, scan a code.

Kept apart from the panel so that a family's demo controls sit in one list, next to each other.
"""

from __future__ import annotations

from collections.abc import Callable

from devices.camera.simulated import (
    SimulatedCodeScanner,
    SimulatedDocumentCamera,
    SimulatedFaceCamera,
)
from devices.idcard.simulator import IdCardSimulator, sample_cards
from devices.sscard.samples import sample_card
from devices.sscard.simulator import SsCardSimulator
from ui.i18n import tr

Action = tuple[str, Callable[[], object]]


def actions_for(device: object) -> list[Action]:
    match device:
        case IdCardSimulator():
            cards = sample_cards()
            return [
                (tr("放身份证（张三）"), lambda: device.insert(cards["resident"])),
                (tr("放身份证（60岁以上）"), lambda: device.insert(cards["elder"])),
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
            return [(tr("扫办件回执码"), lambda: device.show_code("SL-DEMO-0001")),
                    (tr("扫条形码"), lambda: device.show_code("6901234567892", "ean13"))]
    return []
