"""收费: the fee and the ways to pay it, the pay code held to the scanner, the QR code to scan,
and the wait while the person confirms on the phone.

The amount is the largest thing on each screen, with what it is for; the way on after a payment
that did not go through is the flow's sentence, in the place every screen keeps for a problem.
In elder mode each screen is read aloud in a sentence or two (`spoken_text`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from flows.payment import yuan
from flows.steps import (
    PAY_CODE,
    PAY_LATER,
    Answer,
    Choose,
    Nav,
    PayCodeStep,
    PayingStep,
    PaymentStep,
    PayQrStep,
)
from ui.i18n import render, tr
from ui.pictures import Picture
from ui.qr_view import QrView
from ui.screens.step_parts import at_work, header, problem_line
from ui.tokens import Tokens
from ui.widgets import button, card, label, side_by_side

CHANNELS = {"wechat": lambda: tr("微信"), "alipay": lambda: tr("支付宝")}


def amount_text(amount_fen: int) -> str:
    return tr("{amount} 元", amount=yuan(amount_fen))


def fee_card(item: str, amount_fen: int) -> QWidget:
    """What it is for, and how much: the amount large."""
    frame, column = card()
    row = QHBoxLayout()
    what = QVBoxLayout()
    what.addWidget(label(tr("缴费项目"), "Muted"))
    what.addWidget(label(item, "SectionTitle"))
    row.addLayout(what, 1)
    much = QVBoxLayout()
    much.addWidget(label(tr("应缴金额"), "Muted", wrap=False))
    amount = label(amount_text(amount_fen), "Number", wrap=False)
    much.addWidget(amount)
    row.addLayout(much)
    column.addLayout(row)
    return frame


class PaymentScreen(QWidget):
    def __init__(self, step: PaymentStep, tokens: Tokens,
                 answer: Callable[[Answer], None]) -> None:
        super().__init__()
        self._step = step
        layout = QVBoxLayout(self)
        layout.setSpacing(tokens.spacing)
        layout.addWidget(header(tr("缴纳费用"), step.progress, step.service_name))
        # after an attempt that did not go through, why and what to do takes the place of
        # the explanation: the person has read it once already
        if (problem := problem_line(step.problem)) is not None:
            layout.addWidget(problem)
        else:
            layout.addWidget(label(tr("申请已保存。缴费后申请与缴费一并提交；暂不缴费的，申请照常"
                                      "提交，可凭回执到收费窗口缴纳。"), "Subtitle"))
        layout.addWidget(fee_card(step.item, step.amount_fen))
        # one card a way to pay: what it is, a picture of it, and its buttons
        by_key = {c.key: c for c in step.choices}
        ways = side_by_side(self)  # one above the other on an upright screen
        ways.setSpacing(tokens.spacing)
        ways_to_pay = (
            ((PAY_CODE,), tr("扫付款码"), "pay_code",
             tr("打开微信或支付宝的“付款码”，对准扫码窗口")),
            (("wechat", "alipay"), tr("扫码支付"), "qr_code",
             tr("屏幕上显示二维码，用手机微信或支付宝扫一扫")),
            ((PAY_LATER,), tr("暂不缴费"), None,
             tr("申请照常提交。回执上有缴款码，可到收费窗口或政务服务网缴纳。")))
        # the way with the primary button last: the main action is bottom right on every screen
        primary = {c.key for c in step.choices if c.primary}
        for keys, title, picture, how in sorted(
                ways_to_pay, key=lambda way: bool(primary & set(way[0]))):
            offered = [by_key[key] for key in keys if key in by_key]
            if not offered:
                continue
            frame, column = card()
            column.addWidget(label(title, "SectionTitle"))
            if picture is not None:
                column.addWidget(Picture(picture, tokens, tokens.target_min * 3 // 2), 1)
            column.addWidget(label(how, "Muted"))
            if picture is None:
                column.addStretch(1)
            row = QHBoxLayout()  # WeChat and Alipay side by side
            for choice in offered:
                row.addWidget(button(render(choice.label),
                                     lambda key=choice.key: answer(Choose(key)),
                                     "Primary" if choice.primary else ""), 1)
            column.addLayout(row)
            # a card's share of the width by its buttons: two need room for their words
            ways.addWidget(frame, len(offered))
        layout.addLayout(ways, 1)

    def spoken_text(self) -> str:
        step = self._step
        said = [tr("需要缴纳{amount}，用于{item}。", amount=amount_text(step.amount_fen),
                   item=step.item)]
        if step.problem is not None:
            said.append(render(step.problem))
        said.append(tr("您可以选择：{choices}。", choices="、".join(
            render(c.label) for c in step.choices)))
        return "".join(said)


class PayCodeScreen(QWidget):
    def __init__(self, step: PayCodeStep, tokens: Tokens,
                 answer: Callable[[Answer], None]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(tokens.spacing)
        layout.addWidget(header(tr("扫付款码"), step.progress))
        if (problem := problem_line(step.problem)) is not None:
            layout.addWidget(problem)
        layout.addWidget(fee_card(step.item, step.amount_fen))
        row = QHBoxLayout()
        row.setSpacing(tokens.spacing)
        row.addWidget(Picture("pay_code", tokens, tokens.target_min * 4), 1)
        how = QVBoxLayout()
        how.addStretch(1)
        for number, text in enumerate((
                tr("打开手机微信或支付宝的“付款码”页面"),
                tr("将付款码对准屏幕下方的扫码窗口，距离 5 至 10 厘米"),
                tr("扫到后自动支付；需要时请在手机上输入密码")), 1):
            how.addWidget(label(f"{number}. {text}", "SectionTitle"))
        how.addStretch(1)
        row.addLayout(how, 1)
        layout.addLayout(row, 1)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(button(tr("换一种方式"), lambda: answer(Nav.BACK)), 1)
        layout.addLayout(actions)

    def spoken_text(self) -> str:
        return tr("请打开手机微信或支付宝的付款码，对准屏幕下方的扫码窗口。")


class PayQrScreen(QWidget):
    def __init__(self, step: PayQrStep, tokens: Tokens,
                 answer: Callable[[Answer], None]) -> None:
        super().__init__()
        self._step = step
        layout = QVBoxLayout(self)
        layout.setSpacing(tokens.spacing)
        channel = CHANNELS[step.channel]()
        layout.addWidget(header(tr("{channel}扫码支付", channel=channel), step.progress))
        layout.addWidget(fee_card(step.item, step.amount_fen))
        row = QHBoxLayout()
        row.setSpacing(tokens.spacing * 2)
        row.addStretch(1)
        self.qr = QrView(step.qr_content, tokens.target_min * 4)
        row.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignVCenter)
        how = QVBoxLayout()
        how.addStretch(1)
        how.addWidget(label(tr("请用手机{channel}“扫一扫”扫描左侧二维码，并在手机上确认支付",
                               channel=channel), "SectionTitle"))
        how.addWidget(label(tr("二维码 {time} 前有效", time=step.expires_at), "Muted"))
        how.addStretch(1)
        row.addLayout(how, 1)
        layout.addLayout(row, 1)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(button(tr("取消支付"), lambda: answer(Nav.BACK)), 1)
        layout.addLayout(actions)

    def spoken_text(self) -> str:
        return tr("请用手机{channel}扫描屏幕上的二维码，支付{amount}。",
                  channel=CHANNELS[self._step.channel](),
                  amount=amount_text(self._step.amount_fen))


class PayingScreen(QWidget):
    def __init__(self, step: PayingStep, tokens: Tokens,
                 answer: Callable[[Answer], None]) -> None:
        super().__init__()
        self._step = step
        layout = QVBoxLayout(self)
        title = tr("请在手机上输入密码") if step.on_phone else tr("正在确认支付结果，请稍候…")
        self.spinner = at_work(layout, tokens, step.progress, title)
        amount = label(tr("{item}：{amount}", item=step.item,
                          amount=amount_text(step.amount_fen)), "SectionTitle")
        amount.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(amount)
        note = label(tr("支付完成前请不要离开，也不要重复付款。"), "Muted")
        note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(note)
        layout.addStretch(1)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(button(tr("取消支付"), lambda: answer(Nav.BACK)), 1)
        actions.addStretch(1)
        layout.addLayout(actions)
        layout.addStretch(1)

    def spoken_text(self) -> str:
        if self._step.on_phone:
            return tr("请在手机上输入密码，确认支付{amount}。",
                      amount=amount_text(self._step.amount_fen))
        return tr("正在确认支付结果，请稍候，不要重复付款。")
