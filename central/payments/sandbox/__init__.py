"""The payment gateway simulator: WeChat Pay (APIv3) and Alipay (open platform) as far as the
kiosk's charging needs them, spoken closely enough that the real SDKs (`wechatpayv3`,
`python-alipay-sdk`) talk to it with only their base URL changed. Neither provider has a public
sandbox for pay codes; this is ours.

- `keys`: the test keys made at start and the merchant-side credentials;
- `pay_codes`: the codes' forms; `ledger`: the money, and what a code or QR order is scripted
  to do (`Script`, `QrScript`); `clock`: real or moved by hand;
- `wechat_api`, `alipay_api`: the two wire formats, signatures both ways;
- `phone_page`: the phone that scans a 主扫 QR code; `notifications`: telling the merchant;
- `statements`: the daily bills in each provider's format;
- `gateway`: `PaymentGateway`, all of it in one object; `server`: `SandboxServer`, serving it
  on loopback; `admin_api`: the `/sandbox/` JSON API for other processes.
"""

from central.payments.sandbox.clock import ManualClock, SystemClock
from central.payments.sandbox.gateway import Credentials, PaymentGateway
from central.payments.sandbox.ledger import QrScript, Script, State
from central.payments.sandbox.server import SandboxServer

__all__ = ["Credentials", "ManualClock", "PaymentGateway", "QrScript", "SandboxServer", "Script",
           "State", "SystemClock"]
