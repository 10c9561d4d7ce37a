"""取号's screens (`flows.queue_ticket`): a question answered by large tiles, and the ticket.

The ticket shows the number in very large characters, where to wait and how many are ahead,
with the QR code that follows it on a phone; it is said aloud in every mode (the number is
what the person must not miss), and when the slip did not print the screen says to photograph
the number and the code.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from flows.directions import WHERE
from flows.queue_ticket import QueueChoiceStep, QueueTicketStep
from flows.send_to_phone import SEND_TO_PHONE
from flows.steps import Answer, Choose
from ui.i18n import render, tr
from ui.qr_view import QrView
from ui.screens.elder_home import tile
from ui.screens.step_parts import header
from ui.tokens import Tokens
from ui.widgets import Pager, button, card, label, side_by_side

DONE = "done"  # 完成: the person has their number
DIGIT_WORDS = dict(zip("0123456789", "零一二三四五六七八九", strict=True))


def offline_words() -> str:
    """Said of a ticket numbered at this kiosk while the queue system was away."""
    return tr("排队系统暂时离线，此号由本机发放，联网后自动同步，以窗口叫号为准。")


def spoken_ticket(number: str, chinese: bool) -> str:
    """A ticket number as a caller says it: the letters, then the digits one by one."""
    if chinese:
        return "".join(DIGIT_WORDS.get(char, char) for char in number)
    return " ".join(number)


class QueueChoiceScreen(QWidget):
    def __init__(self, step: QueueChoiceStep, tokens: Tokens,
                 answer: Callable[[Answer], None]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(tokens.spacing)
        layout.addWidget(header(render(step.title), step.progress))  # 第 n 步 in 预约
        for line in step.lines:
            layout.addWidget(label(render(line)))
        tiles = [tile(render(choice.label), lambda key=choice.key: answer(Choose(key)))
                 for choice in step.tiles]
        self.tiles = tiles
        columns = min(2, tokens.tile_columns)  # few tiles: as large as the screen allows
        layout.addWidget(Pager(tiles, max(4, tokens.tiles_per_page // 2), columns), 1)


class QueueTicketScreen(QWidget):
    def __init__(self, step: QueueTicketStep, tokens: Tokens,
                 answer: Callable[[Answer], None]) -> None:
        super().__init__()
        self._step = step
        layout = QVBoxLayout(self)
        layout.setSpacing(tokens.spacing // 2)
        layout.addWidget(label(tr("取号成功"), "Title"))
        if step.offline:
            layout.addWidget(label(offline_words(), "Problem"))
        frame, column = card()
        row = side_by_side(self)  # the code under the facts on an upright screen
        row.setSpacing(tokens.spacing * 2)
        facts = QGridLayout()
        facts.setHorizontalSpacing(tokens.spacing)
        facts.setVerticalSpacing(tokens.spacing // 2)
        lines = [(tr("排队号"), step.number, "BigNumber"),
                 (tr("业务"), step.group_name, ""),
                 (tr("窗口"), step.window_area, "SectionTitle"),
                 (tr("前面等候"), tr("{people} 人", people=step.people_ahead), "SectionTitle"),
                 (tr("预计等候"), tr("约 {minutes} 分钟", minutes=step.wait_minutes), ""),
                 (tr("取号时间"), step.at, "")]
        if step.priority is not None:
            lines.insert(1, (tr("优先"), render(step.priority), ""))
        if step.offline:  # numbered here: the people ahead an estimate, no wait estimated
            lines = [line for line in lines if line[0] != tr("预计等候")]
            lines[[line[0] for line in lines].index(tr("前面等候"))] = (
                tr("前面等候"), tr("约 {people} 人（以窗口叫号为准）", people=step.people_ahead),
                "SectionTitle")
        for index, (name, value, style) in enumerate(lines):
            facts.addWidget(label(name, "Muted", wrap=False), index, 0,
                            Qt.AlignmentFlag.AlignVCenter)
            shown = label(value, style)
            facts.addWidget(shown, index, 1, Qt.AlignmentFlag.AlignVCenter)
            if style == "BigNumber":
                self.number = shown
        facts.setColumnStretch(1, 1)
        facts.setRowStretch(len(lines), 1)
        row.addLayout(facts, 1)
        # a queue without a page per ticket (a hall's NovoSGA, say) gives no code to follow
        self.qr: QrView | None = None
        if step.follow_url:
            code = QVBoxLayout()
            self.qr = QrView(step.follow_url, tokens.target_min * 4)
            code.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignHCenter)
            hint = label(tr("扫码查看排队进度") if step.printed else tr("请用手机拍下此码"),
                         "Muted")
            hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
            code.addWidget(hint)
            code.addStretch(1)
            row.addLayout(code)
        column.addLayout(row)
        layout.addWidget(frame)
        if step.printed:
            taken = tr("排队小票已打印，请在出纸口取走，留意叫号。")
            layout.addWidget(label(taken, "SectionTitle"))
        else:
            layout.addWidget(label(self._not_printed(), "Problem"))
        layout.addStretch(1)
        actions = QHBoxLayout()
        actions.addStretch(1)
        if step.where:  # flows.directions: the window area on the hall map
            actions.addWidget(button(tr("查看位置"), lambda: answer(Choose(WHERE))))
        if step.send_to_phone:  # flows.send_to_phone: the ticket by SMS, with consent
            actions.addWidget(button(tr("发送到手机"), lambda: answer(Choose(SEND_TO_PHONE))))
        actions.addWidget(button(tr("完成"), lambda: answer(Choose(DONE)), "Primary"), 1)
        layout.addLayout(actions)
        # elder mode reads this instead of the screen's texts: the number, slowly
        self.spoken_text = lambda: f"{tr('取号成功')}。{self.announcement()}"

    def _not_printed(self) -> str:
        step = self._step
        why = render(step.print_problem) if step.print_problem else tr("排队小票没有打印出来。")
        if not step.follow_url:
            return why + " " + tr("请用手机拍下上面的排队号。")
        return why + " " + tr("请用手机拍下上面的排队号和二维码。")

    def announcement(self) -> str:
        """Said in every mode: the number, the window area, the people ahead."""
        step = self._step
        chinese = any("\u4e00" <= char <= "\u9fff" for char in tr("排队号"))
        said = tr("您的排队号是 {number}，请到{area}等候，前面还有 {people} 人。",
                  number=spoken_ticket(step.number, chinese), area=step.window_area,
                  people=step.people_ahead)
        if step.offline:
            said = f"{offline_words()} " + tr(
                "您的排队号是 {number}，请到{area}等候，前面大约 {people} 人。",
                number=spoken_ticket(step.number, chinese), area=step.window_area,
                people=step.people_ahead)
        return said if step.printed else f"{said} {self._not_printed()}"
