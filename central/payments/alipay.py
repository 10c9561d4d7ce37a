"""Alipay (open platform, 当面付) through `python-alipay-sdk` (github.com/fzlee/alipay,
`alipay/__init__.py`: `api_alipay_trade_pay` (scene bar_code), `api_alipay_trade_query`,
`api_alipay_trade_cancel`, `api_alipay_trade_precreate`, `api_alipay_trade_close`,
`api_alipay_trade_refund`, `server_api` for alipay.data.dataservice.bill.downloadurl.query,
`verify` for a notification), RSA2 keys.

How each answer maps to an outcome (`central.payments.provider`), from the open platform's
documents (opendocs.alipay.com: 统一收单交易支付接口 alipay.trade.pay and its 公共错误码 /
业务错误码, 交易查询, 交易撤销 (retry_flag), 预创建, 交易关闭, 交易退款, 账单下载, 异步通知):

- trade.pay: 10000 → paid; 10003 (the person confirms on the phone), 20000, an answer the SDK
  cannot verify, no answer, a sub_code not in `FAILURES` → pending ("调用查询接口确认");
  ACQ.BUYER_BALANCE_NOT_ENOUGH / BUYER_BANKCARD_BALANCE_NOT_ENOUGH → NOT_ENOUGH;
  ACQ.PAYMENT_AUTH_CODE_INVALID → CODE_INVALID; ACQ.PAYMENT_FAIL and the buyer's limits and
  risk checks → DECLINED; a request refused as such (ACQ.INVALID_PARAMETER,
  ACQ.ACCESS_FORBIDDEN, the gateway's own 40001/40002, which the SDK raises unsigned)
  → PROVIDER_ERROR;
- query: TRADE_SUCCESS / TRADE_FINISHED → paid; WAIT_BUYER_PAY → pending; TRADE_CLOSED → ended
  (unpaid, or paid and given back in full); ACQ.TRADE_NOT_EXIST → not found (a precreated
  trade is unknown to queries until someone scans it);
- cancel: 10000 → reversed; retry_flag Y, 20000, no answer → retry; ACQ.TRADE_NOT_EXIST → not
  found; other refusals → refused;
- close: 10000 → closed; ACQ.TRADE_NOT_EXIST → not found (unscanned; it expires by its
  `timeout_express`); ACQ.TRADE_STATUS_ERROR → the provider would not (a query tells);
- refund: 10000 → done; 20000, no answer → retry; 40004 → refused.
"""

from __future__ import annotations

import http.client
import io
import urllib.parse
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

import requests
from alipay import AliPay
from alipay.exceptions import AliPayException, AliPayValidationError
from alipay.utils import AliPayConfig

from central.contract.payments import PaymentChannel, PaymentFailure
from central.payments.fees import yuan
from central.payments.provider import (
    Charge,
    ChargeOutcome,
    Closed,
    CloseOutcome,
    CloseRefused,
    Ended,
    Failed,
    NotFound,
    Notice,
    Paid,
    Pending,
    PrecreateOutcome,
    QrCreated,
    QueryOutcome,
    RefundDone,
    RefundOutcome,
    Refused,
    Retry,
    Reversed,
    ReverseOutcome,
    Statement,
    StatementUnavailable,
)

GATEWAY = "https://openapi.alipay.com/gateway.do"
BEIJING = timezone(timedelta(hours=8))

FAILURES: dict[str, PaymentFailure] = {
    "ACQ.BUYER_BALANCE_NOT_ENOUGH": "NOT_ENOUGH",
    "ACQ.BUYER_BANKCARD_BALANCE_NOT_ENOUGH": "NOT_ENOUGH",
    "ACQ.PAYMENT_AUTH_CODE_INVALID": "CODE_INVALID",
    "ACQ.PAYMENT_FAIL": "DECLINED", "ACQ.PAYMENT_REQUEST_HAS_RISK": "DECLINED",
    "ACQ.BUYER_PAYMENT_AMOUNT_DAY_LIMIT_ERROR": "DECLINED",
    "ACQ.BUYER_PAYMENT_AMOUNT_MONTH_LIMIT_ERROR": "DECLINED",
    "ACQ.ERROR_BUYER_CERTIFY_LEVEL_LIMIT": "DECLINED",
    "ACQ.BUYER_ENABLE_STATUS_FORBID": "DECLINED", "ACQ.TRADE_BUYER_NOT_MATCH": "DECLINED",
    "ACQ.BEYOND_PAY_RESTRICTION": "DECLINED",
    "ACQ.INVALID_PARAMETER": "PROVIDER_ERROR", "ACQ.ACCESS_FORBIDDEN": "PROVIDER_ERROR",
    "ACQ.TOTAL_FEE_EXCEED": "PROVIDER_ERROR", "ACQ.PARTNER_ERROR": "PROVIDER_ERROR",
    "ACQ.EXIST_FORBIDDEN_WORD": "PROVIDER_ERROR",
}
# errors of the transport, of the answer's form and of its signature: no answer to go by
NO_ANSWER = (OSError, http.client.HTTPException, ValueError, AliPayValidationError)


@dataclass(frozen=True)
class AlipayAccount:
    """The platform's Alipay application (`alipay.AliPay`'s arguments)."""

    app_id: str
    app_private_key_pem: str = field(repr=False)
    alipay_public_key_pem: str = field(repr=False)
    gateway: str = GATEWAY


def _fen(text: object) -> int | None:
    try:
        return int(Decimal(str(text)) * 100) if text is not None else None
    except InvalidOperation:
        return None


def _stamp(text: object) -> datetime | None:
    try:
        return datetime.strptime(str(text), "%Y-%m-%d %H:%M:%S").replace(tzinfo=BEIJING)
    except ValueError:
        return None


def _note(node: Mapping[str, Any]) -> str:
    parts = [str(node.get(key)) for key in ("code", "sub_code", "trade_status")
             if node.get(key)]
    return " ".join(parts)[:200]


class AlipayProvider:
    """The `PaymentProvider` of Alipay."""

    def __init__(self, account: AlipayAccount, timeout_s: int = 15) -> None:
        self.account = account
        self.timeout_s = timeout_s
        self._client = AliPay(appid=account.app_id,
                              app_private_key_string=account.app_private_key_pem,
                              alipay_public_key_string=account.alipay_public_key_pem,
                              sign_type="RSA2", config=AliPayConfig(timeout=timeout_s))
        self._client._gateway = account.gateway

    @property
    def channel(self) -> PaymentChannel:
        return "alipay"

    @staticmethod
    def _call(method: Callable[..., Any], *args: Any, **kwargs: Any) -> dict[str, Any] | str:
        """The verified answer node, or why there is none: "gateway <code>" for the gateway's
        own (unsigned) refusal, "no answer: …" otherwise."""
        try:
            node = method(*args, **kwargs)
        except AliPayException as exc:
            # the SDK keeps the code in a private attribute; its message is the raw answer
            return f"gateway {getattr(exc, '_AliPayException__code', '')}"
        except NO_ANSWER as exc:
            return f"no answer: {type(exc).__name__}"
        return node if isinstance(node, dict) else "no answer: not an object"

    # --- 被扫 ------------------------------------------------------------------------------

    def pay_with_code(self, charge: Charge, auth_code: str,
                      notify_url: str | None) -> ChargeOutcome:
        node = self._call(self._client.api_alipay_trade_pay, charge.out_trade_no, "bar_code",
                          auth_code, charge.description, notify_url=notify_url,
                          total_amount=yuan(charge.amount_fen), terminal_id=charge.device_id,
                          store_id=charge.store_id)
        if isinstance(node, str):
            refused = node in ("gateway 40001", "gateway 40002")
            return Failed("PROVIDER_ERROR", node) if refused else Pending(node)
        code = str(node.get("code"))
        if code == "10000":
            return self._paid(node, "gmt_payment")
        failure = FAILURES.get(str(node.get("sub_code", ""))) if code == "40004" else None
        if failure is not None:
            return Failed(failure, _note(node))
        return Pending(_note(node))  # 10003, 20000, ACQ.SYSTEM_ERROR, unknown

    @staticmethod
    def _paid(node: Mapping[str, Any], paid_at: str) -> ChargeOutcome:
        trade_no = node.get("trade_no")
        if not isinstance(trade_no, str) or not trade_no:
            return Pending("paid, without a trade_no: ask again")
        return Paid(trade_no, _stamp(node.get(paid_at)))

    def query(self, out_trade_no: str) -> QueryOutcome:
        node = self._call(self._client.api_alipay_trade_query, out_trade_no=out_trade_no)
        if isinstance(node, str):
            return Pending(node)
        if node.get("sub_code") == "ACQ.TRADE_NOT_EXIST":
            return NotFound(_note(node))
        if node.get("code") != "10000":
            return Pending(_note(node))
        status = node.get("trade_status")
        if status in ("TRADE_SUCCESS", "TRADE_FINISHED"):
            paid = self._paid(node, "send_pay_date")
            return paid if isinstance(paid, Paid) else Pending(paid.note)
        if status == "TRADE_CLOSED":
            return Ended(_note(node))
        return Pending(_note(node))  # WAIT_BUYER_PAY

    def reverse(self, out_trade_no: str) -> ReverseOutcome:
        node = self._call(self._client.api_alipay_trade_cancel, out_trade_no=out_trade_no)
        if isinstance(node, str):
            return Retry(node)
        if node.get("code") == "10000":
            return Reversed(f"10000 action {node.get('action', '')}".strip())
        if node.get("sub_code") == "ACQ.TRADE_NOT_EXIST":
            return NotFound(_note(node))
        if node.get("retry_flag") == "Y" or node.get("code") == "20000":
            return Retry(_note(node))
        return Refused(_note(node))

    # --- 主扫 ------------------------------------------------------------------------------

    def precreate(self, charge: Charge, expires_at: datetime, lifetime_s: float,
                  notify_url: str) -> PrecreateOutcome:
        minutes = max(1, round(lifetime_s / 60))  # timeout_express: 1m to 15d, in minutes
        node = self._call(self._client.api_alipay_trade_precreate, charge.description,
                          charge.out_trade_no, yuan(charge.amount_fen), notify_url=notify_url,
                          timeout_express=f"{minutes}m", terminal_id=charge.device_id,
                          store_id=charge.store_id)
        if isinstance(node, str):
            refused = node in ("gateway 40001", "gateway 40002")
            return Failed("PROVIDER_ERROR", node) if refused else Pending(node)
        qr_code = node.get("qr_code")
        if node.get("code") == "10000" and isinstance(qr_code, str) and 0 < len(qr_code) <= 512:
            return QrCreated(qr_code)
        if node.get("code") == "40004":
            return Failed("PROVIDER_ERROR", _note(node))
        return Pending(_note(node))

    def close(self, out_trade_no: str) -> CloseOutcome:
        node = self._call(self._client.api_alipay_trade_close, out_trade_no=out_trade_no)
        if isinstance(node, str):
            return Retry(node)
        if node.get("code") == "10000":
            return Closed("10000")
        if node.get("sub_code") == "ACQ.TRADE_NOT_EXIST":
            return NotFound(_note(node))
        if node.get("sub_code") in ("ACQ.TRADE_STATUS_ERROR", "ACQ.TRADE_HAS_SUCCESS",
                                    "ACQ.TRADE_HAS_CLOSE"):
            return CloseRefused(_note(node))
        return Retry(_note(node))

    # --- after ------------------------------------------------------------------------------

    def refund(self, out_trade_no: str, out_refund_no: str, amount_fen: int, total_fen: int,
               reason: str) -> RefundOutcome:
        node = self._call(self._client.api_alipay_trade_refund, yuan(amount_fen),
                          out_trade_no=out_trade_no, out_request_no=out_refund_no,
                          refund_reason=reason[:256])
        if isinstance(node, str):
            return Retry(node)
        if node.get("code") == "10000":
            return RefundDone(str(node.get("trade_no", "")))
        if node.get("code") == "20000":
            return Retry(_note(node))
        return Refused(_note(node))

    def statement(self, day: date) -> Statement:
        node = self._call(self._client.server_api,
                          "alipay.data.dataservice.bill.downloadurl.query",
                          biz_content={"bill_type": "trade", "bill_date": day.isoformat()})
        url = node.get("bill_download_url") if isinstance(node, dict) else None
        if not isinstance(url, str) or urllib.parse.urlsplit(url).scheme not in ("http",
                                                                                 "https"):
            raise StatementUnavailable(node if isinstance(node, str) else _note(node))
        try:
            answer = requests.get(url, timeout=self.timeout_s)
        except requests.RequestException as exc:
            raise StatementUnavailable(f"no answer: {type(exc).__name__}") from None
        if answer.status_code != 200:
            raise StatementUnavailable(f"download: HTTP {answer.status_code}")
        try:
            zipfile.ZipFile(io.BytesIO(answer.content)).testzip()
        except (zipfile.BadZipFile, OSError):
            raise StatementUnavailable("the statement is not a zip") from None
        return Statement("alipay", day, answer.content, "application/zip")

    def notification(self, headers: Mapping[str, str], body: bytes) -> Notice | None:
        try:
            pairs = urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True,
                                           strict_parsing=True)
        except (UnicodeDecodeError, ValueError):
            return None
        fields = dict(pairs)
        if len(fields) != len(pairs):
            return None  # a field given twice: not what Alipay sends
        signature = fields.pop("sign", "")
        try:
            verified = bool(signature) and self._client.verify(fields, signature)
        except (AliPayException, ValueError, TypeError, IndexError):
            verified = False
        if not verified or fields.get("app_id") != self.account.app_id:
            return None
        if fields.get("trade_status") not in ("TRADE_SUCCESS", "TRADE_FINISHED"):
            return None
        out_trade_no, trade_no = fields.get("out_trade_no"), fields.get("trade_no")
        if not out_trade_no or not trade_no:
            return None
        return Notice(out_trade_no, trade_no, _fen(fields.get("total_amount")))
