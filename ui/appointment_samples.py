"""预约's and 签到's screens with made-up data, for the screen audit and `python main.py
screenshot`."""

from __future__ import annotations

from datetime import date

from common.i18n import tr
from flows.appointment import (
    BOOK,
    CHECK_IN,
    CONFIRM,
    MINE,
    AppointmentBookedStep,
    AppointmentListStep,
    AppointmentView,
    booking_progress,
)
from flows.appointment_checkin import TAKE_NUMBER, refusal_words
from flows.appointment_time import day_words, when_words
from flows.queue_ticket import CHECK_IN as QUEUE_CHECK_IN
from flows.queue_ticket import PRIORITY_WORDS, QueueChoiceStep, QueueTicketStep
from flows.steps import Choice, MessageStep, Step

CONFIRMATION_URL = "https://zwfw.example.gov.cn/appointment/QXBwb2ludG1lbnRFeGFtcGxlVG9r"
FOLLOW_URL = "https://zwfw.example.gov.cn/queue/ticket/Qm9va2luZ0V4YW1wbGVUb2tlbjEy"
AREA = "二楼 C 区 9-12 号窗口"
TUESDAY = date(2026, 11, 24)


def appointment_steps() -> list[tuple[str, Step]]:
    what = QueueChoiceStep(tr("预约"), ("婚姻登记预约", tr("请选择您要办理的预约业务。")), (
        Choice(BOOK, tr("预约新时段"), primary=True), Choice(MINE, tr("我的预约\n查询、取消")),
        Choice(CHECK_IN, tr("到场签到\n扫预约码或刷身份证"))))
    days = QueueChoiceStep(tr("请选择预约日期"), (tr("{service} · {area}", service="婚姻登记预约",
                                                      area=AREA),), tuple(
        Choice(day.isoformat(), tr("{day}\n可约 {free} 人", day=day_words(day), free=free))
        for day, free in ((date(2026, 11, 23), 3), (TUESDAY, 12), (date(2026, 11, 25), 9),
                          (date(2026, 11, 26), 4), (date(2026, 11, 27), 10))),
        booking_progress("day"))
    full_left_out = tr("已约满的时段不再显示。")
    slots = QueueChoiceStep(tr("请选择预约时段"), (day_words(TUESDAY), full_left_out),
                            tuple(Choice(start, tr("{start}-{end}\n余 {free} 个名额", start=start,
                                                   end=end, free=free))
                                  for start, end, free in (("09:00", "10:00", 2),
                                                           ("11:00", "12:00", 1),
                                                           ("14:00", "15:00", 2),
                                                           ("16:00", "17:00", 2))),
                            booking_progress("slot"))
    confirm = MessageStep(tr("请确认预约信息"), (
        tr("事项：{name}", name="婚姻登记预约"),
        tr("时间：{when}", when=when_words(TUESDAY, "09:00", "10:00")),
        tr("地点：{area}", area=AREA), tr("预约人：{name}", name="张*三"),
        tr("证件号码：{number}", number="110***********123X")),
        (Choice("back", tr("重新选择")), Choice(CONFIRM, tr("确认预约"), primary=True)),
        progress=booking_progress("confirm"))
    booked = AppointmentBookedStep("婚姻登记预约", when_words(TUESDAY, "09:00", "10:00"), AREA,
                                   "张*三", "110***********123X", CONFIRMATION_URL, True,
                                   send_to_phone=True, progress=booking_progress("booked"))
    unprinted = AppointmentBookedStep(
        "身份证换领补领（预约与进度）", when_words(TUESDAY, "14:00", "15:00"),
        "一楼 B 区 5-8 号窗口", "张*三", "110***********123X", CONFIRMATION_URL, False,
        tr("{what}，预约凭条没有打印好。", what=tr("打印机没纸了")),
        progress=booking_progress("booked"))
    mine = AppointmentListStep("张*三", (
        AppointmentView("cancel:a", "婚姻登记预约", when_words(TUESDAY, "09:00", "10:00"), AREA,
                        tr("已预约"), True),
        AppointmentView("cancel:b", "医院预约挂号", when_words(date(2026, 11, 23), "09:00",
                                                               "10:00"), AREA, tr("已签到"),
                        False),
        AppointmentView("cancel:c", "普通护照申领", when_words(date(2026, 11, 27), "15:00",
                                                               "16:00"), "一楼 B 区 5-8 号窗口",
                        tr("已取消"), False)))
    arrival = MessageStep(tr("预约签到"), (
        tr("请将预约凭条上的二维码对准扫码窗口，或将身份证放在读卡区。"),),
        (Choice("back", tr("返回")), Choice(TAKE_NUMBER, tr("没有预约，直接取号"))))
    early_title, early_line = refusal_words("too_early", when_words(TUESDAY, "14:00", "15:00"))
    too_early = MessageStep(early_title, (early_line,),
                            (Choice("back", tr("返回"), primary=True),), tone="warning")
    queue_groups = QueueChoiceStep(tr("取号"), (tr("请选择您要办理的业务。"),), (
        Choice("A", tr("{name}\n{area} · 等候 {waiting} 人", name="社保医保",
                       area="一楼 A 区 1-4 号窗口", waiting=12)),
        Choice("C", tr("{name}\n{area} · 等候 {waiting} 人", name="综合受理", area=AREA,
                       waiting=3)),
        Choice(QUEUE_CHECK_IN, tr("预约签到\n已预约的请点这里"))))
    ticket = QueueTicketStep("CP002", "综合受理", AREA, 1, 10, "2026-11-24 08:45", FOLLOW_URL,
                             PRIORITY_WORDS["appointment"], True)
    return [("appointment-what", what), ("appointment-days", days),
            ("appointment-slots", slots), ("appointment-confirm", confirm),
            ("appointment-booked", booked), ("appointment-booked-unprinted", unprinted),
            ("appointment-mine", mine), ("appointment-check-in", arrival),
            ("appointment-too-early", too_early), ("appointment-queue-groups", queue_groups),
            ("appointment-ticket", ticket)]
