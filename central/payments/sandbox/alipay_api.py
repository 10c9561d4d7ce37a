"""The Alipay open platform gateway (`/gateway.do`) as the sandbox speaks it: enough for
`python-alipay-sdk` (3.x, import `alipay`) to talk to it with only its `_gateway` changed.

Read from the SDK's source (`alipay/__init__.py`: `build_body`, `sign_data`, `_ordered_data`,
`verified_sync_response`, `_verify_and_return_sync_response`, `_get_string_to_be_signed`,
`verify`) and the open platform documents (opendocs.alipay.com: 签名 and 验签 (RSA2), 公共错误码,
alipay.trade.pay / query / cancel / close / precreate / refund / fastpay.refund.query,
alipay.data.dataservice.bill.downloadurl.query, 异步通知):

- a request is the query string (or form) of the public parameters plus `biz_content` (JSON);
  `sign` is SHA256withRSA over every other parameter sorted by name as "k=v" joined by "&",
  with the application's key; `sign_type` RSA2, `charset` utf-8, `timestamp` within 10 minutes;
- the answer is `{"<method with _>_response": {...}, "sign": "..."}`, signed over the exact
  text of the response node with Alipay's key. Business answers (10000 success, 10003 waiting
  for the person, 20000 system error, 40004 business failure with `sub_code`) are signed; the
  gateway's own refusals (40001 missing, 40002 invalid parameter or signature) are not, so the
  SDK raises `AliPayException` for them;
- the trade states: WAIT_BUYER_PAY, TRADE_SUCCESS, TRADE_CLOSED (failed, closed, cancelled or
  fully refunded), TRADE_FINISHED (paid, and the refund period, modelled as 90 days, passed);
- a precreated (主扫) trade does not exist for query, close or cancel until someone scanned
  its code (ACQ.TRADE_NOT_EXIST), as Alipay behaves;
- notifications are form POSTs (`trade_status_sync`) signed over the sorted fields without
  `sign` and `sign_type`; the merchant answers "success".
"""

from __future__ import annotations

import json
import re
import secrets
import urllib.parse
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from central.payments.sandbox import statements
from central.payments.sandbox.clock import BEIJING, Clock
from central.payments.sandbox.keys import AlipayKeys
from central.payments.sandbox.ledger import Charge, Ledger, Reason, Refused, State
from central.payments.sandbox.pay_codes import has_form
from central.payments.sandbox.wire import Answer, compact_json

METHODS = ("alipay.trade.pay", "alipay.trade.query", "alipay.trade.cancel",
           "alipay.trade.close", "alipay.trade.precreate", "alipay.trade.refund",
           "alipay.trade.fastpay.refund.query", "alipay.data.dataservice.bill.downloadurl.query")
OUT_TRADE_NO = re.compile(r"[0-9A-Za-z_]{1,64}\Z")
AMOUNT = re.compile(r"[0-9]{1,9}(\.[0-9]{1,2})?\Z")
TIMESTAMP_SKEW = timedelta(minutes=10)
FINISHED_AFTER = timedelta(days=90)
BILL_LIFETIME_S = 30

BUSINESS: dict[Reason, tuple[str, str]] = {
    Reason.CODE_INVALID: ("ACQ.PAYMENT_AUTH_CODE_INVALID",
                          "支付失败，获取顾客账户信息失败，请顾客刷新付款码后重新收款"),
    Reason.NOT_ENOUGH: ("ACQ.BUYER_BALANCE_NOT_ENOUGH", "买家余额不足"),
    Reason.OUT_TRADE_NO_USED: ("ACQ.CONTEXT_INCONSISTENT", "交易信息被篡改"),
    Reason.ORDER_NOT_FOUND: ("ACQ.TRADE_NOT_EXIST", "交易不存在"),
    Reason.ORDER_CLOSED: ("ACQ.TRADE_HAS_CLOSE", "交易已经关闭"),
    Reason.ORDER_PAID: ("ACQ.TRADE_STATUS_ERROR", "交易状态不合法"),
    Reason.NOT_PAID: ("ACQ.TRADE_STATUS_ERROR", "交易状态不合法"),
    Reason.REFUND_TOO_MUCH: ("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额超限"),
    Reason.REFUND_NO_USED: ("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额与首次请求不一致"),
    Reason.REVERSE_TOO_EARLY: ("ACQ.TRADE_STATUS_ERROR", "交易状态不合法"),
    Reason.NOT_REVERSIBLE: ("ACQ.TRADE_STATUS_ERROR", "交易状态不合法"),
}


class GatewayRefusal(Exception):
    """A refusal of the gateway itself (40001/40002): answered without a signature."""

    def __init__(self, code: str, msg: str, sub_code: str, sub_msg: str) -> None:
        super().__init__(sub_msg)
        self.node = {"code": code, "msg": msg, "sub_code": sub_code, "sub_msg": sub_msg}


class Business(Exception):
    """A signed answer other than success: 40004 with its sub_code, or 20000."""

    def __init__(self, sub_code: str, sub_msg: str, code: str = "40004",
                 msg: str = "Business Failed", **extra: str) -> None:
        super().__init__(sub_msg)
        self.node = {"code": code, "msg": msg, "sub_code": sub_code, "sub_msg": sub_msg, **extra}


def yuan_to_fen(value: object) -> int | None:
    if not isinstance(value, str | int | float) or not AMOUNT.match(str(value)):
        return None
    try:
        fen = int(Decimal(str(value)) * 100)
    except InvalidOperation:
        return None
    return fen if 1 <= fen <= 10_000_000_000 else None


def _stamp(moment: datetime) -> str:
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")


class AlipayApi:
    def __init__(self, keys: AlipayKeys, ledger: Ledger, clock: Clock,
                 downloads: statements.Downloads, base_url: Callable[[], str]) -> None:
        self.keys = keys
        self.ledger = ledger
        self.clock = clock
        self.downloads = downloads
        self.base_url = base_url

    # --- the wire ----------------------------------------------------------------------------

    def handle(self, pairs: Sequence[tuple[str, str]]) -> Answer:
        """One call to the gateway: its parameters (query string and form) as received."""
        params = dict(pairs)
        method = params.get("method", "")
        node_name = (method.replace(".", "_") + "_response" if method in METHODS
                     else "error_response")
        try:
            self._authenticate(pairs, params)
            biz = self._biz_content(params.get("biz_content", ""))
            node = self._call(method, biz, params)
        except GatewayRefusal as refusal:
            return self._answer(node_name, refusal.node, signed=False)
        except Business as failure:
            node = failure.node
        except Refused as refusal:
            node = self._refusal(refusal.reason).node
        answer = self._answer(node_name, node, signed=True)
        return Answer(answer.status, answer.body, answer.headers,
                      drop=bool(node.pop("__drop__", False)))

    def _authenticate(self, pairs: Sequence[tuple[str, str]], params: dict[str, str]) -> None:
        if len(params) != len(pairs):
            raise GatewayRefusal("40002", "Invalid Arguments", "isv.invalid-parameter",
                                 "参数重复")
        for name, code, sub_msg in (("app_id", "isv.missing-app-id", "缺少AppID参数"),
                                    ("method", "isv.missing-method", "缺少方法名参数"),
                                    ("sign", "isv.missing-signature", "缺少签名参数")):
            if not params.get(name):
                raise GatewayRefusal("40001", "Missing Required Arguments", code, sub_msg)
        if params["app_id"] != self.keys.app_id:
            raise GatewayRefusal("40002", "Invalid Arguments", "isv.invalid-app-id",
                                 "无效的AppID参数")
        if params["method"] not in METHODS:
            raise GatewayRefusal("40002", "Invalid Arguments", "isv.invalid-method",
                                 "不存在的方法名")
        if params.get("sign_type") != "RSA2":
            raise GatewayRefusal("40002", "Invalid Arguments", "isv.invalid-signature-type",
                                 "无效的签名类型")
        if params.get("charset", "utf-8").lower() != "utf-8":
            raise GatewayRefusal("40002", "Invalid Arguments", "isv.invalid-charset",
                                 "字符集错误")
        try:
            sent = datetime.strptime(params.get("timestamp", ""), "%Y-%m-%d %H:%M:%S")
        except ValueError:
            sent = None
        # the SDK stamps its machine's local time: compare with this machine's
        if sent is None or abs(datetime.now() - sent) > TIMESTAMP_SKEW:
            raise GatewayRefusal("40002", "Invalid Arguments", "isv.invalid-timestamp",
                                 "非法的时间戳参数")
        message = "&".join(f"{k}={v}" for k, v in sorted(params.items()) if k != "sign")
        if not self.keys.app.verifies(message, params["sign"]):
            raise GatewayRefusal("40002", "Invalid Arguments", "isv.invalid-signature",
                                 "验签出错")

    @staticmethod
    def _biz_content(text: str) -> dict[str, Any]:
        try:
            value = json.loads(text) if text else {}
        except ValueError:
            value = None
        if not isinstance(value, dict):
            raise GatewayRefusal("40002", "Invalid Arguments", "isv.invalid-parameter",
                                 "biz_content应为JSON对象")
        return value

    def _answer(self, node_name: str, node: dict[str, Any], *, signed: bool) -> Answer:
        node_text = compact_json({k: v for k, v in node.items() if k != "__drop__"})
        text = f'{{"{node_name}":{node_text}'
        if signed:
            text += f',"sign":"{self.keys.alipay.sign(node_text)}"'
        text += "}"
        return Answer(200, text.encode("utf-8"),
                      {"Content-Type": "text/html;charset=utf-8"})

    @staticmethod
    def _refusal(reason: Reason) -> Business:
        if reason == Reason.SYSTEM_ERROR:
            return Business("ACQ.SYSTEM_ERROR", "系统错误", code="20000",
                            msg="Service Currently Unavailable")
        return Business(*BUSINESS[reason])

    # --- the calls ---------------------------------------------------------------------------

    def _call(self, method: str, biz: dict[str, Any], params: dict[str, str]) -> dict[str, Any]:
        if method == "alipay.trade.pay":
            return self._pay(biz, params.get("notify_url"))
        if method == "alipay.trade.precreate":
            return self._precreate(biz, params.get("notify_url"))
        if method == "alipay.data.dataservice.bill.downloadurl.query":
            return self._bill(biz)
        out_trade_no, trade_no = _trade_ref(biz)
        if method == "alipay.trade.query":
            return self._trade(self.ledger.query("alipay", out_trade_no, trade_no))
        if method == "alipay.trade.refund":
            return self._refund(biz, out_trade_no, trade_no)
        if method == "alipay.trade.fastpay.refund.query":
            return self._refund_query(biz, out_trade_no, trade_no)
        found = self.ledger.find("alipay", out_trade_no, trade_no)
        if method == "alipay.trade.cancel":
            reversal = self.ledger.reverse("alipay", found.out_trade_no)
            if reversal.retry:
                raise Business("ACQ.SYSTEM_ERROR", "系统错误", code="20000",
                               msg="Service Currently Unavailable", retry_flag="Y")
            return {**_success(found), "retry_flag": "N", "action": reversal.action}
        charge, closed = self.ledger.close("alipay", found.out_trade_no)  # alipay.trade.close
        if not closed:
            raise Refused(Reason.NOT_PAID)
        return _success(charge)

    def _pay(self, biz: dict[str, Any], notify_url: str | None) -> dict[str, Any]:
        out_trade_no, total, subject = _order_fields(biz)
        auth_code, scene = biz.get("auth_code"), biz.get("scene")
        if scene not in ("bar_code", "wave_code", "security_code") or not isinstance(
                auth_code, str):
            raise Business("ACQ.INVALID_PARAMETER", "参数无效: scene或auth_code")
        if not has_form("alipay", auth_code):
            raise Refused(Reason.CODE_INVALID)
        outcome = self.ledger.charge_code("alipay", out_trade_no, total, subject, auth_code,
                                          notify_url=notify_url)
        charge = outcome.charge
        node: dict[str, Any]
        if charge.state == State.PAYING:
            node = {"code": "10003", "msg": "Order success pay inprocess",
                    "trade_no": charge.trade_no, "out_trade_no": out_trade_no,
                    "buyer_logon_id": _logon_id(charge), "total_amount": _yuan(charge.amount)}
        else:
            node = {**self._trade(charge), "receipt_amount": _yuan(charge.amount),
                    "gmt_payment": _stamp(charge.paid_at or charge.created_at),
                    "fund_bill_list": [{"fund_channel": "ALIPAYACCOUNT",
                                        "amount": _yuan(charge.amount)}]}
            node.pop("trade_status", None)
        node["__drop__"] = outcome.drop_answer
        return node

    def _precreate(self, biz: dict[str, Any], notify_url: str | None) -> dict[str, Any]:
        out_trade_no, total, subject = _order_fields(biz)
        outcome = self.ledger.precreate("alipay", out_trade_no, total, subject, notify_url,
                                        lambda token: "https://qr.alipay.com/bax0" + token)
        return {"code": "10000", "msg": "Success", "out_trade_no": out_trade_no,
                "qr_code": outcome.charge.qr, "__drop__": outcome.drop_answer}

    def trade_status(self, charge: Charge) -> str:
        if charge.state == State.SUCCESS:
            if charge.refunded >= charge.amount:
                return "TRADE_CLOSED"
            finished = charge.paid_at is not None and (
                self.clock.now() - charge.paid_at > FINISHED_AFTER)
            return "TRADE_FINISHED" if finished else "TRADE_SUCCESS"
        if charge.state in (State.NOTPAY, State.PAYING):
            return "WAIT_BUYER_PAY"
        return "TRADE_CLOSED"

    def _trade(self, charge: Charge) -> dict[str, Any]:
        node = {**_success(charge), "buyer_logon_id": _logon_id(charge),
                "trade_status": self.trade_status(charge), "total_amount": _yuan(charge.amount)}
        if charge.paid_at is not None:
            node.update(buyer_pay_amount=_yuan(charge.amount), point_amount="0.00",
                        invoice_amount=_yuan(charge.amount), send_pay_date=_stamp(charge.paid_at),
                        receipt_amount=_yuan(charge.amount))
        if charge.payer_id:
            node["buyer_user_id"] = charge.payer_id
        return node

    def _refund(self, biz: dict[str, Any], out_trade_no: str | None,
                trade_no: str | None) -> dict[str, Any]:
        amount = yuan_to_fen(biz.get("refund_amount"))
        request_no = biz.get("out_request_no", "")
        reason = biz.get("refund_reason", "")
        if amount is None or not isinstance(request_no, str) or len(request_no) > 64 \
                or not isinstance(reason, str) or len(reason) > 256:
            raise Business("ACQ.INVALID_PARAMETER", "参数无效: refund_amount或out_request_no")
        found = self.ledger.find("alipay", out_trade_no, trade_no)
        before = {refund.out_refund_no for refund in found.refunds}
        charge, _ = self.ledger.refund("alipay", request_no or found.out_trade_no, amount,
                                       out_trade_no=found.out_trade_no, reason=reason)
        new = (request_no or found.out_trade_no) not in before
        return {**_success(charge), "buyer_logon_id": _logon_id(charge),
                "fund_change": "Y" if new else "N", "refund_fee": _yuan(charge.refunded),
                "gmt_refund_pay": _stamp(charge.refunds[-1].at),
                "buyer_user_id": charge.payer_id or ""}

    def _refund_query(self, biz: dict[str, Any], out_trade_no: str | None,
                      trade_no: str | None) -> dict[str, Any]:
        request_no = biz.get("out_request_no")
        if not isinstance(request_no, str) or not request_no:
            raise Business("ACQ.INVALID_PARAMETER", "参数无效: out_request_no")
        charge = self.ledger.find("alipay", out_trade_no, trade_no)
        node = _success(charge)
        for refund in charge.refunds:  # an unknown request answers success without amounts
            if refund.out_refund_no == request_no:
                node.update(out_request_no=request_no, refund_amount=_yuan(refund.amount),
                            total_amount=_yuan(charge.amount), refund_status="REFUND_SUCCESS")
        return node

    def _bill(self, biz: dict[str, Any]) -> dict[str, Any]:
        try:
            day = date.fromisoformat(str(biz.get("bill_date", "")))
        except ValueError:
            raise Business("isv.invalid-bill-date", "账单日期格式不正确",
                           code="40004") from None
        if biz.get("bill_type") != "trade":
            raise Business("isv.invalid-bill-type", "账单类型不正确（沙箱只有trade）")
        now = self.clock.now()
        if not statements.is_ready(day, now):
            raise Business("isp.bill_not_exist", "账单不存在")
        data = statements.alipay_bill(self.ledger.movements(), day,
                                      seller_id=self.keys.seller_id, exported_at=now)
        token = self.downloads.offer("alipay", data, now, BILL_LIFETIME_S)
        day_text = day.strftime("%Y%m%d")
        query = urllib.parse.urlencode({
            "bizType": "trade", "userId": self.keys.seller_id, "fileType": "csv.zip",
            "bizDates": day_text, "downloadFileName": f"{day_text}.csv.zip", "fileId": token})
        return {"code": "10000", "msg": "Success",
                "bill_download_url": f"{self.base_url()}/downloadBillFile.resource?{query}"}

    def bill_file(self, query: dict[str, str]) -> Answer:
        data = self.downloads.take("alipay", query.get("fileId", ""), self.clock.now())
        if data is None:
            return Answer(404, "下载地址已过期或无效".encode(),
                          {"Content-Type": "text/plain; charset=utf-8"})
        name = urllib.parse.quote(query.get("downloadFileName", "bill.csv.zip"))
        return Answer(200, data, {"Content-Type": "application/zip",
                                  "Content-Disposition": f"attachment; filename={name}"})

    # --- notifications -----------------------------------------------------------------------

    def notification(self, charge: Charge) -> tuple[bytes, dict[str, str]]:
        """The trade_status_sync form for `charge`, signed."""
        fields = {
            "notify_time": _stamp(self.clock.now()), "notify_type": "trade_status_sync",
            "notify_id": secrets.token_hex(16), "app_id": self.keys.app_id, "charset": "utf-8",
            "version": "1.0", "trade_no": charge.trade_no, "out_trade_no": charge.out_trade_no,
            "trade_status": self.trade_status(charge), "total_amount": _yuan(charge.amount),
            "receipt_amount": _yuan(charge.amount), "buyer_pay_amount": _yuan(charge.amount),
            "invoice_amount": _yuan(charge.amount), "point_amount": "0.00",
            "subject": charge.description, "gmt_create": _stamp(charge.created_at),
            "gmt_payment": _stamp(charge.paid_at or charge.created_at),
            "buyer_id": charge.payer_id or "", "seller_id": self.keys.seller_id,
            "buyer_logon_id": _logon_id(charge),
            "fund_bill_list": compact_json([{"amount": _yuan(charge.amount),
                                             "fundChannel": "ALIPAYACCOUNT"}])}
        message = "&".join(f"{k}={v}" for k, v in sorted(fields.items()))
        fields.update(sign_type="RSA2", sign=self.keys.alipay.sign(message))
        body = urllib.parse.urlencode(fields).encode("ascii")
        return body, {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}


def _order_fields(biz: dict[str, Any]) -> tuple[str, int, str]:
    out_trade_no, subject = biz.get("out_trade_no"), biz.get("subject")
    total = yuan_to_fen(biz.get("total_amount"))
    if not isinstance(out_trade_no, str) or not OUT_TRADE_NO.match(out_trade_no):
        raise Business("ACQ.INVALID_PARAMETER", "参数无效: out_trade_no")
    if not isinstance(subject, str) or not 1 <= len(subject) <= 256:
        raise Business("ACQ.INVALID_PARAMETER", "参数无效: subject")
    if total is None:
        raise Business("ACQ.INVALID_PARAMETER", "参数无效: total_amount")
    return out_trade_no, total, subject


def _trade_ref(biz: dict[str, Any]) -> tuple[str | None, str | None]:
    out_trade_no, trade_no = biz.get("out_trade_no"), biz.get("trade_no")
    if not isinstance(out_trade_no, str | None) or not isinstance(trade_no, str | None) \
            or (out_trade_no is None and trade_no is None):
        raise Business("ACQ.INVALID_PARAMETER", "参数无效: out_trade_no或trade_no")
    return (out_trade_no, None) if out_trade_no is not None else (None, trade_no)


def _success(charge: Charge) -> dict[str, Any]:
    return {"code": "10000", "msg": "Success", "trade_no": charge.trade_no,
            "out_trade_no": charge.out_trade_no}


def _yuan(fen: int) -> str:
    return statements.yuan(fen)


def _logon_id(charge: Charge) -> str:
    tail = (charge.payer_id or "0000")[-4:]
    return f"138******{tail}"
