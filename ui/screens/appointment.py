"""预约's screens (`flows.appointment`): the confirmation with its QR code, and 我的预约.

The confirmation shows what, when and where, the holder masked, and the QR code that checks
in on the day; when the slip did not print it says to photograph the code. 发送到手机 texts it
(`flows.send_to_phone`) when the kiosk can. 我的预约 lists the
holder's appointments, each with a 取消预约 button while it may still be cancelled. (The date
and slot questions are 取号's large tiles, `ui.screens.queue_ticket`.)
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from flows.appointment import AppointmentBookedStep, AppointmentListStep, AppointmentView
from flows.send_to_phone import SEND_TO_PHONE
from flows.steps import Answer, Choose
from ui.i18n import render, tr
from ui.qr_view import QrView
from ui.screens.step_parts import header
from ui.tokens import Tokens
from ui.widgets import button, card, label, side_by_side, touch_scroll

DONE = "done"  # 完成: the person has their confirmation


class AppointmentBookedScreen(QWidget):
    def __init__(self, step: AppointmentBookedStep, tokens: Tokens,
                 answer: Callable[[Answer], None]) -> None:
        super().__init__()
        self._step = step
        layout = QVBoxLayout(self)
        layout.setSpacing(tokens.spacing // 2)
        layout.addWidget(header(tr("预约成功"), step.progress))
        frame, column = card()
        row = side_by_side(self)  # the code under the facts on an upright screen
        row.setSpacing(tokens.spacing * 2)
        facts = QGridLayout()
        facts.setHorizontalSpacing(tokens.spacing)
        facts.setVerticalSpacing(tokens.spacing // 2)
        lines = [(tr("事项"), step.service_name, "SectionTitle"),
                 (tr("时间"), render(step.when), "SectionTitle"),
                 (tr("地点"), step.window_area, ""),
                 (tr("预约人"), step.holder_masked, ""),
                 (tr("证件号码"), step.id_masked, "")]
        for index, (name, value, style) in enumerate(lines):
            facts.addWidget(label(name, "Muted", wrap=False), index, 0,
                            Qt.AlignmentFlag.AlignVCenter)
            facts.addWidget(label(value, style), index, 1, Qt.AlignmentFlag.AlignVCenter)
        facts.setColumnStretch(1, 1)
        facts.setRowStretch(len(lines), 1)
        row.addLayout(facts, 1)
        code = QVBoxLayout()
        self.qr = QrView(step.confirmation_url, tokens.target_min * 4)
        code.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignHCenter)
        hint = label(tr("签到时请扫描此码") if step.printed else tr("请用手机拍下此码"), "Muted")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        code.addWidget(hint)
        code.addStretch(1)
        row.addLayout(code)
        column.addLayout(row)
        layout.addWidget(frame)
        if step.printed:
            layout.addWidget(label(tr("预约凭条已打印，请在出纸口取走。"), "SectionTitle"))
        else:
            layout.addWidget(label(self._not_printed(), "Problem"))
        layout.addWidget(label(tr("请在预约时段开始前 30 分钟内到大厅自助终端扫码或刷身份证签到。"),
                               "Muted"))
        layout.addStretch(1)
        actions = QHBoxLayout()
        actions.addStretch(1)
        if step.send_to_phone:  # flows.send_to_phone: the confirmation by SMS, with consent
            actions.addWidget(button(tr("发送到手机"), lambda: answer(Choose(SEND_TO_PHONE))))
        actions.addWidget(button(tr("完成"), lambda: answer(Choose(DONE)), "Primary"), 1)
        layout.addLayout(actions)

    def _not_printed(self) -> str:
        step = self._step
        why = render(step.print_problem) if step.print_problem else tr("预约凭条没有打印出来。")
        return why + " " + tr("请用手机拍下上面的二维码，签到时出示。")


def appointment_card(view: AppointmentView, answer: Callable[[Answer], None]) -> QWidget:
    frame, column = card()
    top = QHBoxLayout()
    top.addWidget(label(view.service_name, "SectionTitle"), 1)
    top.addWidget(label(render(view.state), "Status", wrap=False))
    column.addLayout(top)
    column.addWidget(label(render(view.when)))
    column.addWidget(label(view.window_area, "Muted"))
    if view.cancellable:
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(button(tr("取消预约"), lambda: answer(Choose(view.key))))
        column.addLayout(actions)
    return frame


class AppointmentListScreen(QWidget):
    def __init__(self, step: AppointmentListStep, tokens: Tokens,
                 answer: Callable[[Answer], None]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(tokens.spacing // 2)
        layout.addWidget(label(tr("我的预约"), "Title"))
        layout.addWidget(label(tr("预约人：{name}", name=step.holder_masked), "Muted"))
        body = QWidget()
        column = QVBoxLayout(body)
        column.setSpacing(tokens.spacing)
        for view in step.appointments:
            column.addWidget(appointment_card(view, answer))
        if not step.appointments:
            column.addWidget(label(tr("暂无预约记录"), "Subtitle"))
        column.addStretch(1)
        layout.addWidget(touch_scroll(body), 1)
        layout.addWidget(label(tr("查询完毕请点“首页”"), "Muted"))
