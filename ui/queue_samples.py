"""取号's screens with made-up data, for the screen audit and `python main.py screenshot`."""

from __future__ import annotations

from common.i18n import tr
from flows.queue_ticket import (
    AGE,
    DISABILITY,
    PREGNANT,
    PRIORITY_WORDS,
    REGULAR,
    QueueChoiceStep,
    QueueTicketStep,
)
from flows.steps import Choice, Step

FOLLOW_URL = "https://zwfw.example.gov.cn/queue/ticket/Qm9va2luZ0V4YW1wbGVUb2tlbjEy"


def queue_steps() -> list[tuple[str, Step]]:
    groups = tuple(Choice(key, tr("{name}\n{area} · 等候 {waiting} 人", name=name, area=area,
                                  waiting=waiting))
                   for key, name, area, waiting in (
                       ("A", "社保医保", "一楼 A 区 1-4 号窗口", 12),
                       ("B", "户籍证照", "一楼 B 区 5-8 号窗口", 3),
                       ("C", "综合受理", "二楼 C 区 9-12 号窗口", 0)))
    priority = (Choice(REGULAR, tr("不需要，普通取号")), Choice(AGE, tr("70 岁以上\n请刷身份证")),
                Choice(PREGNANT, tr("孕期\n需窗口核验")),
                Choice(DISABILITY, tr("残疾人\n需窗口核验")))
    ticket = QueueTicketStep("AP003", "社保医保", "一楼 A 区 1-4 号窗口", 2, 12,
                             "2026-11-23 10:00", FOLLOW_URL, PRIORITY_WORDS["age_70"], True)
    return [
        ("queue-groups", QueueChoiceStep(tr("取号"), (tr("请选择您要办理的业务。"),), groups)),
        ("queue-priority", QueueChoiceStep(
            tr("是否需要优先办理？"), (tr("70 岁以上老人、孕妇、残疾人可优先办理。"),
                                     tr("孕妇、残疾人请在窗口出示相关证件。")), priority)),
        ("queue-ticket", ticket),
        ("queue-ticket-unprinted", QueueTicketStep(
            "B017", "户籍证照", "一楼 B 区 5-8 号窗口", 9, 72, "2026-11-23 10:00", FOLLOW_URL,
            None, False, tr("{what}，排队小票没有打印好。", what=tr("打印机没纸了")))),
        # a hall's NovoSGA gives no page to follow a ticket: no code, the number photographed
        ("queue-ticket-no-qr", QueueTicketStep(
            "C042", "不动产登记", "二楼 C 区 9-12 号窗口", 5, 30, "2026-11-23 10:00", "",
            None, False, tr("{what}，排队小票没有打印好。", what=tr("打印机没纸了")))),
        # numbered at the kiosk while the queue system was away (kiosk.offline_queue)
        ("queue-ticket-offline", QueueTicketStep(
            "A503", "社保医保", "一楼 A 区 1-4 号窗口", 14, 0, "2026-11-23 10:00",
            FOLLOW_URL, None, True, offline=True)),
    ]
