"""The "phone" that scans a 主扫 QR code: `GET /phone?code=<the QR content>` shows what is paid
and how much with a 确认支付 button; the button POSTs `/phone/pay`, which pays the order from
the phone's wallet, after which the provider notifies the order's notify_url.

Plain HTML: no script at all, nothing loaded from elsewhere, every value escaped, and a
Content-Security-Policy that allows only the inline style and a form to this page's origin.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from central.payments.sandbox.ledger import Charge, Ledger, Reason, Refused, State
from central.payments.sandbox.statements import yuan
from central.payments.sandbox.wire import Answer

HEADERS = {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Security-Policy": ("default-src 'none'; style-src 'unsafe-inline'; "
                                "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}
WALLETS = {"wechat": "微信支付", "alipay": "支付宝"}
STYLE = ("body{font-family:sans-serif;max-width:24em;margin:2em auto;padding:0 1em;"
         "text-align:center}.amount{font-size:2.4em;margin:.4em 0}"
         "button{font-size:1.2em;width:100%;padding:.7em;border:0;border-radius:.4em;"
         "background:#07c160;color:#fff}.note{color:#666}")


def _page(title: str, body: str, status: int = 200) -> Answer:
    text = (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>"
            f"<body>{body}</body></html>")
    return Answer(status, text.encode("utf-8"), dict(HEADERS))


def _summary(charge: Charge) -> str:
    return (f'<p class="wallet">{html.escape(WALLETS[charge.provider])}</p>'
            f'<p class="what">{html.escape(charge.description)}</p>'
            f'<p class="amount">¥{html.escape(yuan(charge.amount))}</p>')


class PhonePage:
    def __init__(self, ledger: Ledger, on_paid: Callable[[], None] | None = None) -> None:
        self.ledger = ledger
        self.on_paid = on_paid  # e.g. wake the notifier

    def show(self, qr: str) -> Answer:
        charge = self.ledger.scan(qr)
        if charge is None:
            return _page("二维码无效", "<h1>二维码无效</h1><p class=note>找不到这笔订单</p>", 404)
        if charge.state == State.SUCCESS:
            return _page("已支付", _summary(charge) + "<h1>订单已支付</h1>")
        if charge.state != State.NOTPAY:
            return _page("订单已关闭", _summary(charge) + "<h1>订单已关闭</h1>")
        form = ('<form method="post" action="/phone/pay">'
                f'<input type="hidden" name="code" value="{html.escape(qr, quote=True)}">'
                "<button type=submit>确认支付</button></form>")
        return _page("确认支付", _summary(charge) + form)

    def pay(self, qr: str) -> Answer:
        try:
            charge = self.ledger.pay_qr(qr)
        except Refused as refusal:
            reasons = {Reason.NOT_ENOUGH: "余额不足，支付失败", Reason.ORDER_PAID: "订单已支付",
                       Reason.ORDER_NOT_FOUND: "找不到这笔订单"}
            message = reasons.get(refusal.reason, "订单已关闭，支付失败")
            return _page("支付失败", f"<h1>{html.escape(message)}</h1>", 409)
        if self.on_paid is not None:
            self.on_paid()
        return _page("支付成功", _summary(charge) + "<h1>支付成功</h1>")
