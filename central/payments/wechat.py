"""WeChat Pay (APIv3, 直连商户) through `wechatpayv3` (github.com/minibear2021/wechatpayv3,
`transaction.py`: `pay`, `query`, `codepay_reverse`, `close`, `refund`, `trade_bill`,
`download_bill`; `core.py`: `callback` verifies a notification's signature and decrypts it),
in its 微信支付公钥 mode (`public_key` + `public_key_id`).

How each answer maps to an outcome (`central.payments.provider`), from the API documents
(pay.weixin.qq.com/doc/v3/merchant: 付款码支付 /v3/pay/transactions/codepay and its 错误码,
查询订单, 撤销订单 /reverse, Native下单, 关闭订单, 退款申请, 申请交易账单, 支付通知):

- codepay: 200 `trade_state` SUCCESS → paid; 202 USERPAYING (the person types a password),
  SYSTEM_ERROR / BANK_ERROR / any 5xx, 429, no answer, an answer that does not verify, a code
  not in `FAILURES` → pending ("请调用查询订单API确认"); NOTENOUGH → NOT_ENOUGH;
  AUTH_CODE_INVALID (and the v2 names AUTHCODEEXPIRE, AUTH_CODE_ERROR) → CODE_INVALID;
  PAYERROR, TRADE_ERROR, BUYER_MISMATCH → DECLINED; a request refused as such (PARAM_ERROR,
  SIGN_ERROR, NO_AUTH, APPID_MCHID_NOT_MATCH, MCH_NOT_EXISTS, RULE_LIMIT, ACCOUNT_ERROR)
  → PROVIDER_ERROR;
- query: SUCCESS or REFUND → paid; USERPAYING, NOTPAY, ACCEPT → pending; PAYERROR, CLOSED,
  REVOKED → ended; 404 ORDER_NOT_EXIST → not found;
- reverse (the document: "请勿扣款后立即调用撤销订单API，建议至少15秒后再调用"; "撤销订单返回
  SYSTEM_ERROR 需要重试"): 200 → reversed; 404 → not found; SYSTEM_ERROR, USERPAYING,
  INVALID_REQUEST (too early), 429, 5xx, no answer → retry; other refusals → refused;
- close: 204 → closed; ORDERPAID → the provider would not (a query tells); 404 → not found;
- refund: 200 SUCCESS → done, PROCESSING → pending; 5xx, 429, no answer → retry; 4xx → refused.
"""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

from wechatpayv3 import WeChatPay, WeChatPayType

from central.contract.payments import PaymentChannel, PaymentFailure
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

GATEWAY = "https://api.mch.weixin.qq.com"
BEIJING = timezone(timedelta(hours=8))
NOTIFICATION_SKEW_S = 300  # a notification's Wechatpay-Timestamp may be this far from now

FAILURES: dict[str, PaymentFailure] = {
    "NOTENOUGH": "NOT_ENOUGH",
    "AUTH_CODE_INVALID": "CODE_INVALID", "AUTHCODEEXPIRE": "CODE_INVALID",
    "AUTH_CODE_ERROR": "CODE_INVALID",
    "PAYERROR": "DECLINED", "TRADE_ERROR": "DECLINED", "BUYER_MISMATCH": "DECLINED",
    "PARAM_ERROR": "PROVIDER_ERROR", "SIGN_ERROR": "PROVIDER_ERROR",
    "NO_AUTH": "PROVIDER_ERROR", "APPID_MCHID_NOT_MATCH": "PROVIDER_ERROR",
    "MCH_NOT_EXISTS": "PROVIDER_ERROR", "RULE_LIMIT": "PROVIDER_ERROR",
    "ACCOUNT_ERROR": "PROVIDER_ERROR", "ACCOUNTERROR": "PROVIDER_ERROR",
}
REVERSE_AGAIN = {"SYSTEM_ERROR", "SYSTEMERROR", "USERPAYING", "INVALID_REQUEST",
                 "FREQUENCY_LIMITED", "BANK_ERROR"}
NOT_FOUND = {"ORDER_NOT_EXIST", "ORDERNOTEXIST", "RESOURCE_NOT_EXISTS"}


@dataclass(frozen=True)
class WeChatAccount:
    """The platform's WeChat Pay merchant account (`wechatpayv3.WeChatPay`'s arguments)."""

    mchid: str
    appid: str
    merchant_private_key_pem: str = field(repr=False)
    cert_serial_no: str
    apiv3_key: str = field(repr=False)
    platform_public_key_pem: str = field(repr=False)  # 微信支付公钥
    platform_public_key_id: str  # PUB_KEY_ID_…
    gateway: str = GATEWAY


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(BEIJING).isoformat(timespec="seconds")


def _answer(status: int, text: object) -> dict[str, Any]:
    """The answer's JSON object ({} when there is none or it is not JSON)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    try:
        value = json.loads(text) if isinstance(text, str) and text else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _note(status: int, body: Mapping[str, Any]) -> str:
    code = body.get("code") or body.get("trade_state") or ""
    return f"HTTP {status} {code}".strip()[:200]


def _paid_at(text: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


class WeChatPayProvider:
    """The `PaymentProvider` of WeChat Pay."""

    def __init__(self, account: WeChatAccount, timeout_s: tuple[float, float] = (5.0, 10.0)
                 ) -> None:
        self.account = account
        self._client = WeChatPay(
            wechatpay_type=WeChatPayType.CODEPAY, mchid=account.mchid,
            private_key=account.merchant_private_key_pem, cert_serial_no=account.cert_serial_no,
            appid=account.appid, apiv3_key=account.apiv3_key,
            public_key=account.platform_public_key_pem,
            public_key_id=account.platform_public_key_id, timeout=timeout_s)
        self._client._core._gate_way = account.gateway.rstrip("/")

    @property
    def channel(self) -> PaymentChannel:
        return "wechat"

    def _call(self, method: Any, *args: Any, **kwargs: Any) -> tuple[int, dict[str, Any]] | str:
        """(status, JSON body), or why there is no answer to go by (a string)."""
        try:
            status, text = method(*args, **kwargs)
        except Exception as exc:  # requests' errors, and the SDK's bare
            # Exception for an answer whose signature does not verify: no answer to go by
            return f"no answer: {type(exc).__name__}"
        return status, _answer(status, text)

    # --- 被扫 ------------------------------------------------------------------------------

    def pay_with_code(self, charge: Charge, auth_code: str,
                      notify_url: str | None) -> ChargeOutcome:
        answer = self._call(
            self._client.pay, description=charge.description, out_trade_no=charge.out_trade_no,
            amount={"total": charge.amount_fen, "currency": "CNY"},
            payer={"auth_code": auth_code},
            scene_info={"device_id": charge.device_id, "store_info": {"out_id": charge.store_id}},
            pay_type=WeChatPayType.CODEPAY)
        if isinstance(answer, str):
            return Pending(answer)
        status, body = answer
        if status == 200 and body.get("trade_state") == "SUCCESS":
            return self._paid(body)
        if status == 200 and body.get("trade_state") == "PAYERROR":
            return Failed("DECLINED", _note(status, body))
        failure = FAILURES.get(str(body.get("code", ""))) if 400 <= status < 500 else None
        if failure is not None:
            return Failed(failure, _note(status, body))
        return Pending(_note(status, body))  # 202 USERPAYING, SYSTEM_ERROR, 5xx, unknown

    def _paid(self, body: Mapping[str, Any]) -> ChargeOutcome:
        transaction_id = body.get("transaction_id")
        if not isinstance(transaction_id, str) or not transaction_id:
            return Pending("paid, without a transaction id: ask again")
        return Paid(transaction_id, _paid_at(body.get("success_time")))

    def query(self, out_trade_no: str) -> QueryOutcome:
        answer = self._call(self._client.query, out_trade_no=out_trade_no)
        if isinstance(answer, str):
            return Pending(answer)
        status, body = answer
        if status == 404 or str(body.get("code")) in NOT_FOUND:
            return NotFound(_note(status, body))
        if status != 200:
            return Pending(_note(status, body))
        state = body.get("trade_state")
        if state in ("SUCCESS", "REFUND"):
            paid = self._paid(body)
            return paid if isinstance(paid, Paid) else Pending(paid.note)
        if state in ("PAYERROR", "CLOSED", "REVOKED"):
            return Ended(_note(status, body))
        return Pending(_note(status, body))  # USERPAYING, NOTPAY, ACCEPT

    def reverse(self, out_trade_no: str) -> ReverseOutcome:
        answer = self._call(self._client.codepay_reverse, out_trade_no)
        if isinstance(answer, str):
            return Retry(answer)
        status, body = answer
        code = str(body.get("code", ""))
        if 200 <= status < 300:
            return Reversed(f"HTTP {status}")
        if status == 404 or code in NOT_FOUND:
            return NotFound(_note(status, body))
        if status >= 500 or status == 429 or code in REVERSE_AGAIN:
            return Retry(_note(status, body))
        return Refused(_note(status, body))

    # --- 主扫 ------------------------------------------------------------------------------

    def precreate(self, charge: Charge, expires_at: datetime, lifetime_s: float,
                  notify_url: str) -> PrecreateOutcome:
        answer = self._call(
            self._client.pay, description=charge.description, out_trade_no=charge.out_trade_no,
            amount={"total": charge.amount_fen, "currency": "CNY"},
            time_expire=_rfc3339(expires_at), notify_url=notify_url,
            scene_info={"device_id": charge.device_id}, pay_type=WeChatPayType.NATIVE)
        if isinstance(answer, str):
            return Pending(answer)
        status, body = answer
        code_url = body.get("code_url")
        if status == 200 and isinstance(code_url, str) and 0 < len(code_url) <= 512:
            return QrCreated(code_url)
        if 400 <= status < 500 and status != 429:
            return Failed("PROVIDER_ERROR", _note(status, body))
        return Pending(_note(status, body))

    def close(self, out_trade_no: str) -> CloseOutcome:
        answer = self._call(self._client.close, out_trade_no)
        if isinstance(answer, str):
            return Retry(answer)
        status, body = answer
        code = str(body.get("code", ""))
        if 200 <= status < 300:
            return Closed(f"HTTP {status}")
        if status == 404 or code in NOT_FOUND:
            return NotFound(_note(status, body))
        if code in ("ORDERPAID", "ORDER_PAID", "ORDER_CLOSED", "ORDERCLOSED"):
            return CloseRefused(_note(status, body))
        return Retry(_note(status, body))

    # --- after ------------------------------------------------------------------------------

    def refund(self, out_trade_no: str, out_refund_no: str, amount_fen: int, total_fen: int,
               reason: str) -> RefundOutcome:
        answer = self._call(self._client.refund, out_refund_no=out_refund_no,
                            amount={"refund": amount_fen, "total": total_fen, "currency": "CNY"},
                            out_trade_no=out_trade_no, reason=reason[:80])
        if isinstance(answer, str):
            return Retry(answer)
        status, body = answer
        if status == 200:
            refund_id = body.get("refund_id")
            if body.get("status") == "SUCCESS" and isinstance(refund_id, str):
                return RefundDone(refund_id)
            if body.get("status") in ("CLOSED", "ABNORMAL"):
                return Refused(f"refund {body.get('status')}")
            return Pending(f"refund {body.get('status')}")  # PROCESSING
        if status >= 500 or status == 429:
            return Retry(_note(status, body))
        return Refused(_note(status, body))

    def statement(self, day: date) -> Statement:
        answer = self._call(self._client.trade_bill, bill_date=day.isoformat(),
                            bill_type="ALL", tar_type="GZIP")
        if isinstance(answer, str) or answer[0] != 200 or "download_url" not in answer[1]:
            raise StatementUnavailable(answer if isinstance(answer, str)
                                       else _note(*answer))
        try:
            status, data = self._client.download_bill(str(answer[1]["download_url"]))
        except Exception as exc:  # requests' errors: no statement now
            raise StatementUnavailable(f"no answer: {type(exc).__name__}") from None
        if status != 200 or not isinstance(data, bytes):
            raise StatementUnavailable(f"download: HTTP {status}")
        try:
            text = gzip.decompress(data)
        except (OSError, EOFError):
            raise StatementUnavailable("the statement is not gzip") from None
        return Statement("wechat", day, text, "text/csv; charset=utf-8")

    def notification(self, headers: Mapping[str, str], body: bytes) -> Notice | None:
        lower = {k.lower(): v for k, v in headers.items()}
        try:
            stamp = int(lower.get("wechatpay-timestamp", ""))
        except ValueError:
            return None
        if abs(time.time() - stamp) > NOTIFICATION_SKEW_S:
            return None  # an old notification replayed
        try:
            notice = self._client.callback(lower, body)
        except Exception:  # the SDK raises for an algorithm it does not know
            return None
        if not isinstance(notice, dict) or notice.get("event_type") != "TRANSACTION.SUCCESS":
            return None
        resource = notice.get("resource")
        if not isinstance(resource, dict) or resource.get("trade_state") != "SUCCESS" \
                or resource.get("mchid") != self.account.mchid \
                or resource.get("appid") != self.account.appid:
            return None
        out_trade_no, transaction_id = resource.get("out_trade_no"), resource.get(
            "transaction_id")
        if not isinstance(out_trade_no, str) or not isinstance(transaction_id, str):
            return None
        amount = resource.get("amount")
        total = amount.get("total") if isinstance(amount, dict) else None
        return Notice(out_trade_no, transaction_id, total if isinstance(total, int) else None)
