"""`PaymentGateway`: the whole sandbox as one object in the process, for tests and the demo.

    gateway = PaymentGateway(clock=ManualClock())
    code = gateway.wechat_code(balance=5000, script=Script.user_paying(2))
    with SandboxServer(gateway) as server:      # central.payments.sandbox.server
        ... the platform's adapters, configured with gateway.credentials and server.base_url,
        charge the code through the real SDKs ...
    gateway.balance(code), gateway.charge("wechat", out_trade_no), gateway.movements()

It holds the test keys, the ledger, both providers' APIs, the phone page, the notifier and the
statements; the server only carries HTTP to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from central.payments.sandbox import statements
from central.payments.sandbox.alipay_api import AlipayApi
from central.payments.sandbox.clock import Clock, SystemClock
from central.payments.sandbox.keys import (
    AlipayCredentials,
    AlipayKeys,
    WeChatCredentials,
    WeChatKeys,
)
from central.payments.sandbox.ledger import Charge, Ledger, Movement, PayCode, QrScript, Script
from central.payments.sandbox.notifications import Notification, Notifier
from central.payments.sandbox.pay_codes import Provider
from central.payments.sandbox.phone_page import PhonePage
from central.payments.sandbox.wechat_api import WeChatApi


@dataclass(frozen=True)
class Credentials:
    wechat: WeChatCredentials
    alipay: AlipayCredentials


class PaymentGateway:
    def __init__(self, clock: Clock | None = None, *, wechat_keys: WeChatKeys | None = None,
                 alipay_keys: AlipayKeys | None = None) -> None:
        """Keys are made anew unless given (tests share one set: RSA keys take a while)."""
        self.clock = clock or SystemClock()
        self.base_url = "http://127.0.0.1"  # where the gateway is served (set by the server)
        self.wechat_keys = wechat_keys or WeChatKeys()
        self.alipay_keys = alipay_keys or AlipayKeys()
        self.credentials = Credentials(self.wechat_keys.credentials(),
                                       self.alipay_keys.credentials())
        self.notifier = Notifier(self.clock)
        self.ledger = Ledger(self.clock, on_paid=self._queue_notification)
        downloads = statements.Downloads()
        self.wechat = WeChatApi(self.wechat_keys, self.ledger, self.clock, downloads,
                                lambda: self.base_url)
        self.alipay = AlipayApi(self.alipay_keys, self.ledger, self.clock, downloads,
                                lambda: self.base_url)
        self.phone = PhonePage(self.ledger)

    # --- scripting -------------------------------------------------------------------------

    def wechat_code(self, balance: int = 100_000, script: Script | None = None) -> str:
        """A new WeChat pay code holding `balance` fen, behaving as `script` says."""
        return self.ledger.add_code("wechat", balance, script or Script()).code

    def alipay_code(self, balance: int = 100_000, script: Script | None = None) -> str:
        """A new Alipay pay code holding `balance` fen, behaving as `script` says."""
        return self.ledger.add_code("alipay", balance, script or Script()).code

    def script_qr_order(self, provider: Provider, out_trade_no: str, script: QrScript) -> None:
        """How the QR order that will be created as `out_trade_no` behaves."""
        self.ledger.script_qr_order(provider, out_trade_no, script)

    def tap_pay(self, qr: str) -> Charge:
        """What tapping 确认支付 on the phone page does, without a browser."""
        return self.ledger.pay_qr(qr)

    # --- inspection --------------------------------------------------------------------------

    def balance(self, code: str) -> int:
        return self.ledger.balance(code)

    def pay_code(self, code: str) -> PayCode | None:
        return self.ledger.pay_code(code)

    def charge(self, provider: Provider, out_trade_no: str) -> Charge | None:
        return self.ledger.charge(provider, out_trade_no)

    def charges(self) -> list[Charge]:
        return self.ledger.charges()

    def movements(self) -> list[Movement]:
        return self.ledger.movements()

    def notifications(self) -> list[Notification]:
        return self.notifier.all()

    def deliver_notifications(self) -> int:
        """Send the notifications that are due now on the gateway's clock."""
        return self.notifier.deliver_due()

    def wechat_statement(self, day: date, bill_type: str = "ALL") -> str:
        return statements.wechat_tradebill(self.movements(), day, bill_type,
                                           appid=self.wechat_keys.appid,
                                           mchid=self.wechat_keys.mchid)

    def alipay_statement(self, day: date) -> bytes:
        return statements.alipay_bill(self.movements(), day,
                                      seller_id=self.alipay_keys.seller_id,
                                      exported_at=self.clock.now())

    def _queue_notification(self, charge: Charge) -> None:
        if charge.notify_url is None:
            return
        api = self.wechat if charge.provider == "wechat" else self.alipay
        body, headers = api.notification(charge)
        self.notifier.queue(charge.provider, charge.out_trade_no, charge.notify_url, body,
                            headers)
