"""How the platform takes payments: which providers (`create_app(payments=PaymentSettings(...))`),
where they notify it, and the timing of the 被扫 and 主扫 state machines.

Without settings (or with no account) the platform still prices orders and hands out their
缴款码 (paid elsewhere), but charges nothing: a pay code is answered with PROVIDER_ERROR and
a QR code with 503. `sandbox_settings` points both providers at the payment sandbox
(`central.payments.sandbox`), as the embedded demo platform does.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from central.contract import API_PREFIX
from central.contract.payments import PaymentChannel
from central.payments.alipay import AlipayAccount, AlipayProvider
from central.payments.provider import PaymentProvider
from central.payments.wechat import WeChatAccount, WeChatPayProvider

if TYPE_CHECKING:
    from central.payments.sandbox import PaymentGateway, SandboxServer


@dataclass(frozen=True)
class PaymentSettings:
    wechat: WeChatAccount | None = None
    alipay: AlipayAccount | None = None
    # where the providers reach the platform's notify endpoints (https://…, no path); None:
    # `create_app`'s public_url. Required with an account: WeChat Pay's 主扫 needs it.
    notify_base_url: str | None = None
    query_interval_s: float = 3.0  # how often an undecided charge or a shown QR is asked about
    pay_deadline_s: float = 45.0  # a pay-code charge still undecided then is reversed
    # WeChat Pay: "请勿扣款后立即调用撤销订单API，建议至少15秒后再调用"
    wechat_reverse_after_s: float = 15.0
    retry_s: float = 3.0  # after a reverse or close the provider asked to be sent again
    max_tries: int = 10  # reverses (or closes) before staff are asked (unresolved)
    qr_lifetime_s: float = 300.0  # how long a QR code can be paid
    precreate_tries: int = 2  # a QR code asked for again at once when its answer was lost
    # a QR code closed without the provider's word (Alipay knows an unscanned code only once
    # it is scanned) is still asked about this long, this often: money for it is refunded
    watch_s: float = 900.0
    watch_interval_s: float = 30.0
    refund_retry_s: float = 30.0
    max_refund_tries: int = 20
    unclaimed_refund_after_s: float = 24 * 3600.0  # a paid order no application named
    tick_s: float = 1.0  # the resolver's pass; 0: no background resolver (a test drives it)
    timeout_s: tuple[float, float] = (5.0, 10.0)  # connect, read: the providers' APIs
    notice_region: str = "110000"  # the 缴款码's region (GB/T 2260)
    # the key the 非税 collection system signs its payment notices with (`nontax.py`); None:
    # they are refused
    nontax_key: bytes | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not (len(self.notice_region) == 6 and self.notice_region.isdigit()):
            raise ValueError("notice_region is a 6-digit GB/T 2260 code")
        if self.pay_deadline_s <= 0 or self.qr_lifetime_s < 60 or self.query_interval_s < 0:
            raise ValueError("pay_deadline_s > 0, qr_lifetime_s >= 60, query_interval_s >= 0")

    def with_notify_base(self, public_url: str | None) -> PaymentSettings:
        if self.notify_base_url is not None or public_url is None:
            return self
        return replace(self, notify_base_url=public_url)

    def notify_url(self, channel: PaymentChannel) -> str:
        base = (self.notify_base_url or "http://127.0.0.1").rstrip("/")
        return f"{base}{API_PREFIX}/payments/notify/{channel}"

    def providers(self) -> dict[PaymentChannel, PaymentProvider]:
        providers: dict[PaymentChannel, PaymentProvider] = {}
        if self.wechat is not None:
            providers["wechat"] = WeChatPayProvider(self.wechat, self.timeout_s)
        if self.alipay is not None:
            providers["alipay"] = AlipayProvider(self.alipay,
                                                 max(1, round(sum(self.timeout_s))))
        if providers and self.notify_base_url is None:
            raise ValueError("payments need notify_base_url (or create_app's public_url): "
                             "where the providers reach the platform")
        return providers


def sandbox_settings(gateway: PaymentGateway, server: SandboxServer,
                     notify_base_url: str, **timing: Any) -> PaymentSettings:
    """Both providers at the payment sandbox served by `server`."""
    wechat, alipay = gateway.credentials.wechat, gateway.credentials.alipay
    return PaymentSettings(
        wechat=WeChatAccount(
            mchid=wechat.mchid, appid=wechat.appid,
            merchant_private_key_pem=wechat.merchant_private_key_pem,
            cert_serial_no=wechat.cert_serial_no, apiv3_key=wechat.apiv3_key,
            platform_public_key_pem=wechat.platform_public_key_pem,
            platform_public_key_id=wechat.platform_public_key_id, gateway=server.base_url),
        alipay=AlipayAccount(app_id=alipay.app_id,
                             app_private_key_pem=alipay.app_private_key_pem,
                             alipay_public_key_pem=alipay.alipay_public_key_pem,
                             gateway=server.alipay_gateway),
        notify_base_url=notify_base_url, **timing)
