"""WeChat Pay APIv3 as the sandbox speaks it: enough for `wechatpayv3` (2.0.x) to talk to it
with only its `_gate_way` changed.

Read from the SDK's source (`wechatpayv3/core.py` `Core.request` / `_verify_signature`,
`utils.py` `build_authorization` / `rsa_verify` / `aes_decrypt`, `transaction.py`) and the API
documents (pay.weixin.qq.com/docs/merchant/apis/code-payment-v3/direct/code-pay.html and
reverse.html; 商户订单号查询订单; 关闭订单; 退款申请; 申请交易账单 and 下载账单; 签名认证
and 支付通知):

- each request carries `Authorization: WECHATPAY2-SHA256-RSA2048 mchid=..,nonce_str=..,
  signature=..,timestamp=..,serial_no=..`, the signature SHA256withRSA over
  "METHOD\\nPATH?QUERY\\nTIMESTAMP\\nNONCE\\nBODY\\n" with the merchant's key; a wrong one is
  401 SIGN_ERROR;
- each answer (and each notification) carries Wechatpay-Timestamp, -Nonce, -Serial (the
  微信支付公钥 id), -Signature over "TIMESTAMP\\nNONCE\\nBODY\\n" with the platform key and
  Wechatpay-Signature-Type, so the SDK's `public_key` / `public_key_id` mode verifies it;
  bill downloads carry none (the SDK skips verifying them, as the document says);
- errors are `{"code": ..., "message": ...}` with the HTTP status; the codepay call answers
  202 `{"trade_state": "USERPAYING"}` while the person types a password (as WeChat Pay does;
  see github.com/binarywang/WxJava issue 4050), 500 SYSTEM_ERROR when scripted, 403 NOTENOUGH,
  400 AUTH_CODE_INVALID for a wrong, used or expired code, 403 OUT_TRADE_NO_USED;
- notifications are POSTed JSON with the transaction AEAD_AES_256_GCM-encrypted with the APIv3
  key (event TRANSACTION.SUCCESS).

Error codes the documents did not settle for us, chosen and kept here in one table: a paid
order closed (400 ORDERPAID), a reverse within 15 s of the charge (400 INVALID_REQUEST, the
sandbox's model of the guide's "至少15秒后再调用").
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import time
import urllib.parse
import uuid
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from central.payments.sandbox import statements
from central.payments.sandbox.clock import BEIJING, Clock
from central.payments.sandbox.keys import WeChatKeys
from central.payments.sandbox.ledger import Charge, Ledger, Reason, Refused, State
from central.payments.sandbox.pay_codes import has_form
from central.payments.sandbox.wire import Answer, compact_json

SIGNATURE_TYPE = "WECHATPAY2-SHA256-RSA2048"
TIMESTAMP_SKEW_S = 300  # a request's timestamp may be this far from now
OUT_TRADE_NO = re.compile(r"[0-9A-Za-z_\-*|]{1,32}\Z")
OUT_REFUND_NO = re.compile(r"[0-9A-Za-z_\-*|@]{1,64}\Z")
BILL_LIFETIME_S = 300

ERRORS: dict[Reason, tuple[int, str, str]] = {
    Reason.SYSTEM_ERROR: (500, "SYSTEM_ERROR", "系统异常，请用相同参数重新调用"),
    Reason.CODE_INVALID: (400, "AUTH_CODE_INVALID", "付款码无效，请用户刷新付款码后重新收款"),
    Reason.NOT_ENOUGH: (403, "NOTENOUGH", "用户账号余额不足"),
    Reason.OUT_TRADE_NO_USED: (403, "OUT_TRADE_NO_USED", "商户订单号重复"),
    Reason.ORDER_NOT_FOUND: (404, "ORDER_NOT_EXIST", "订单不存在"),
    Reason.ORDER_CLOSED: (400, "ORDER_CLOSED", "订单已关闭"),
    Reason.ORDER_PAID: (400, "ORDERPAID", "订单已支付"),
    Reason.NOT_PAID: (400, "INVALID_REQUEST", "订单未支付成功，不能退款"),
    Reason.REFUND_TOO_MUCH: (400, "INVALID_REQUEST", "退款金额超过订单可退金额"),
    Reason.REFUND_NO_USED: (400, "INVALID_REQUEST", "商户退款单号已用于其他退款"),
    Reason.REVERSE_TOO_EARLY: (400, "INVALID_REQUEST", "请在扣款至少15秒后再撤销"),
    Reason.NOT_REVERSIBLE: (400, "INVALID_REQUEST", "只有付款码支付的订单可以撤销"),
}
TRADE_STATES = {
    State.NOTPAY: ("NOTPAY", "订单未支付"),
    State.PAYING: ("USERPAYING", "需要用户输入支付密码"),
    State.SUCCESS: ("SUCCESS", "支付成功"),
    State.FAILED: ("PAYERROR", "支付失败"),
    State.CLOSED: ("CLOSED", "订单已关闭"),
    State.REVOKED: ("REVOKED", "订单已撤销"),
}


class BadRequest(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(BEIJING).isoformat(timespec="seconds")


class WeChatApi:
    def __init__(self, keys: WeChatKeys, ledger: Ledger, clock: Clock,
                 downloads: statements.Downloads, base_url: Callable[[], str]) -> None:
        self.keys = keys
        self.ledger = ledger
        self.clock = clock
        self.downloads = downloads
        self.base_url = base_url

    # --- the wire ----------------------------------------------------------------------------

    def handle(self, method: str, target: str, headers: Mapping[str, str], body: bytes) -> Answer:
        """One request: `target` is the path and query as received, `headers` lower-cased."""
        try:
            text = self._authenticate(method, target, headers, body)
            path, _, query = target.partition("?")
            return self._route(method, urllib.parse.unquote(path),
                               dict(urllib.parse.parse_qsl(query)), text)
        except BadRequest as refusal:
            return self._error(refusal.status, refusal.code, refusal.message)
        except Refused as refusal:
            return self._error(*ERRORS[refusal.reason])

    def _route(self, method: str, path: str, query: dict[str, str], text: str) -> Answer:
        trade = re.fullmatch(r"/v3/pay/transactions/out-trade-no/([^/]+)(/reverse|/close)?", path)
        if method == "POST" and path == "/v3/pay/transactions/codepay":
            return self._codepay(self._json(text))
        if method == "POST" and path == "/v3/pay/transactions/native":
            return self._native(self._json(text))
        if trade and method == "GET" and trade.group(2) is None:
            self._mchid_matches(query.get("mchid"))
            return self._transaction(self.ledger.query("wechat", out_trade_no=trade.group(1)))
        if trade and method == "POST" and trade.group(2) == "/reverse":
            return self._reverse(trade.group(1), self._json(text))
        if trade and method == "POST" and trade.group(2) == "/close":
            self._mchid_matches(self._json(text).get("mchid"))
            self.ledger.close("wechat", trade.group(1))
            return self._signed(204, "")
        by_id = re.fullmatch(r"/v3/pay/transactions/id/([0-9]{1,32})", path)
        if by_id and method == "GET":
            self._mchid_matches(query.get("mchid"))
            return self._transaction(self.ledger.query("wechat", trade_no=by_id.group(1)))
        if method == "POST" and path == "/v3/refund/domestic/refunds":
            return self._refund(self._json(text))
        refund = re.fullmatch(r"/v3/refund/domestic/refunds/([^/]+)", path)
        if refund and method == "GET":
            return self._refund_query(refund.group(1))
        if method == "GET" and path == "/v3/bill/tradebill":
            return self._tradebill(query)
        if method == "GET" and path == "/v3/billdownload/file":
            data = self.downloads.take("wechat", query.get("token", ""), self.clock.now())
            if data is None:
                raise BadRequest(400, "INVALID_REQUEST", "下载地址已过期或无效")
            return Answer(200, data, {"Content-Type": "application/octet-stream"})
        raise BadRequest(404, "NOT_FOUND", "请求的资源不存在")

    def _authenticate(self, method: str, target: str, headers: Mapping[str, str],
                      body: bytes) -> str:
        scheme, _, params = headers.get("authorization", "").partition(" ")
        fields = dict(re.findall(r'(\w+)="([^"]*)"', params))
        try:
            text = body.decode("utf-8")
            timestamp = int(fields.get("timestamp", ""))
        except (UnicodeDecodeError, ValueError):
            raise BadRequest(401, "SIGN_ERROR", "签名错误") from None
        if (scheme != SIGNATURE_TYPE or fields.get("mchid") != self.keys.mchid
                or fields.get("serial_no") != self.keys.cert_serial_no
                or abs(time.time() - timestamp) > TIMESTAMP_SKEW_S):
            raise BadRequest(401, "SIGN_ERROR", "签名错误")
        signature = fields.get("signature", "")
        for path in (target, urllib.parse.unquote(target)):
            message = f"{method}\n{path}\n{fields['timestamp']}\n{fields.get('nonce_str', '')}\n"
            if self.keys.merchant.verifies(message + text + "\n", signature):
                return text
        raise BadRequest(401, "SIGN_ERROR", "签名错误")

    def _signed(self, status: int, text: str) -> Answer:
        timestamp, nonce = str(int(time.time())), secrets.token_hex(16).upper()
        headers = self.signature_headers(timestamp, nonce, text)
        headers["Request-ID"] = uuid.uuid4().hex
        if text:
            headers["Content-Type"] = "application/json; charset=utf-8"
        return Answer(status, text.encode("utf-8"), headers)

    def signature_headers(self, timestamp: str, nonce: str, text: str) -> dict[str, str]:
        return {"Wechatpay-Timestamp": timestamp, "Wechatpay-Nonce": nonce,
                "Wechatpay-Serial": self.keys.platform_public_key_id,
                "Wechatpay-Signature-Type": SIGNATURE_TYPE,
                "Wechatpay-Signature": self.keys.platform.sign(f"{timestamp}\n{nonce}\n{text}\n")}

    def _error(self, status: int, code: str, message: str) -> Answer:
        return self._signed(status, compact_json({"code": code, "message": message}))

    @staticmethod
    def _json(text: str) -> dict[str, Any]:
        try:
            value = json.loads(text)
        except ValueError:
            raise BadRequest(400, "PARAM_ERROR", "请求体不是合法的JSON") from None
        if not isinstance(value, dict):
            raise BadRequest(400, "PARAM_ERROR", "请求体应为JSON对象")
        return value

    def _mchid_matches(self, mchid: object) -> None:
        if mchid != self.keys.mchid:
            raise BadRequest(400, "PARAM_ERROR", "mchid与请求的商户号不一致")

    def _merchant(self, request: dict[str, Any]) -> None:
        self._mchid_matches(request.get("mchid"))
        if request.get("appid") != self.keys.appid:
            raise BadRequest(400, "APPID_MCHID_NOT_MATCH", "appid和mch_id不匹配")

    # --- the calls ---------------------------------------------------------------------------

    def _codepay(self, request: dict[str, Any]) -> Answer:
        self._merchant(request)
        out_trade_no, total, description = self._order_fields(request)
        payer, scene = request.get("payer"), request.get("scene_info")
        auth_code = payer.get("auth_code") if isinstance(payer, dict) else None
        if not isinstance(auth_code, str) or not isinstance(scene, dict):
            raise BadRequest(400, "PARAM_ERROR", "payer.auth_code和scene_info为必填")
        if not has_form("wechat", auth_code):
            raise Refused(Reason.CODE_INVALID)
        outcome = self.ledger.charge_code("wechat", out_trade_no, total, description, auth_code,
                                          attach=_text(request, "attach", 128))
        answer = (self._signed(202, compact_json({"trade_state": "USERPAYING"}))
                  if outcome.charge.state == State.PAYING
                  else self._transaction(outcome.charge))
        return Answer(answer.status, answer.body, answer.headers, drop=outcome.drop_answer)

    def _native(self, request: dict[str, Any]) -> Answer:
        self._merchant(request)
        out_trade_no, total, description = self._order_fields(request)
        notify_url = _text(request, "notify_url", 255)
        if not notify_url:
            raise BadRequest(400, "PARAM_ERROR", "notify_url为必填")
        outcome = self.ledger.precreate(
            "wechat", out_trade_no, total, description, notify_url,
            lambda token: "weixin://wxpay/bizpayurl?pr=" + token,
            attach=_text(request, "attach", 128))
        answer = self._signed(200, compact_json({"code_url": outcome.charge.qr}))
        return Answer(answer.status, answer.body, answer.headers, drop=outcome.drop_answer)

    def _order_fields(self, request: dict[str, Any]) -> tuple[str, int, str]:
        out_trade_no = request.get("out_trade_no")
        if not isinstance(out_trade_no, str) or not OUT_TRADE_NO.match(out_trade_no):
            raise BadRequest(400, "PARAM_ERROR", "out_trade_no格式错误")
        description = _text(request, "description", 127)
        if not description:
            raise BadRequest(400, "PARAM_ERROR", "description为必填")
        amount = request.get("amount")
        total = amount.get("total") if isinstance(amount, dict) else None
        if (not isinstance(total, int) or isinstance(total, bool) or not 1 <= total <= 10**10
                or (isinstance(amount, dict) and amount.get("currency", "CNY") != "CNY")):
            raise BadRequest(400, "PARAM_ERROR", "amount.total应为正整数（分），币种CNY")
        return out_trade_no, total, description

    def _reverse(self, out_trade_no: str, request: dict[str, Any]) -> Answer:
        self._merchant(request)
        reversal = self.ledger.reverse("wechat", out_trade_no)
        if reversal.retry:  # still paying when the reverse came: "call again"
            return self._error(*ERRORS[Reason.SYSTEM_ERROR])
        return self._signed(200, compact_json({"appid": self.keys.appid,
                                               "mchid": self.keys.mchid,
                                               "out_trade_no": out_trade_no}))

    def transaction(self, charge: Charge) -> dict[str, Any]:
        state, description = TRADE_STATES[charge.state]
        if charge.state == State.SUCCESS and charge.refunds:
            state, description = "REFUND", "转入退款"
        body: dict[str, Any] = {
            "appid": self.keys.appid, "mchid": self.keys.mchid,
            "out_trade_no": charge.out_trade_no,
            "trade_type": "MICROPAY" if charge.kind == "code" else "NATIVE",
            "trade_state": state, "trade_state_desc": description, "attach": charge.attach,
            "amount": {"total": charge.amount, "currency": "CNY"}}
        if charge.state != State.NOTPAY:
            body["transaction_id"] = charge.trade_no
        if charge.payer_id:
            body["payer"] = {"openid": charge.payer_id}
        if charge.paid_at is not None:
            body["bank_type"] = "OTHERS"
            body["success_time"] = rfc3339(charge.paid_at)
            body["amount"].update(payer_total=charge.amount, payer_currency="CNY")
        return body

    def _transaction(self, charge: Charge) -> Answer:
        return self._signed(200, compact_json(self.transaction(charge)))

    def _refund(self, request: dict[str, Any]) -> Answer:
        out_refund_no = request.get("out_refund_no")
        amount = request.get("amount")
        if not isinstance(out_refund_no, str) or not OUT_REFUND_NO.match(out_refund_no):
            raise BadRequest(400, "PARAM_ERROR", "out_refund_no格式错误")
        refund = amount.get("refund") if isinstance(amount, dict) else None
        total = amount.get("total") if isinstance(amount, dict) else None
        if not all(isinstance(v, int) and not isinstance(v, bool) and v > 0
                   for v in (refund, total)):
            raise BadRequest(400, "PARAM_ERROR", "amount.refund和amount.total应为正整数（分）")
        out_trade_no, transaction_id = request.get("out_trade_no"), request.get("transaction_id")
        if not isinstance(out_trade_no, str | None) or not isinstance(transaction_id, str | None) \
                or (out_trade_no is None) == (transaction_id is None):
            raise BadRequest(400, "PARAM_ERROR", "out_trade_no与transaction_id须且只须填一个")
        try:
            found = self.ledger.find("wechat", out_trade_no, transaction_id)
        except Refused:
            raise BadRequest(404, "RESOURCE_NOT_EXISTS", "订单不存在") from None
        if total != found.amount:
            raise BadRequest(400, "INVALID_REQUEST", "订单金额与原订单不一致")
        assert isinstance(refund, int)
        charge, done = self.ledger.refund("wechat", out_refund_no, refund,
                                          out_trade_no=found.out_trade_no,
                                          reason=_text(request, "reason", 80))
        return self._signed(200, compact_json(self._refund_body(charge, done)))

    def _refund_body(self, charge: Charge, refund: Any) -> dict[str, Any]:
        return {"refund_id": refund.refund_id, "out_refund_no": refund.out_refund_no,
                "transaction_id": charge.trade_no, "out_trade_no": charge.out_trade_no,
                "channel": "ORIGINAL", "user_received_account": "支付用户零钱",
                "success_time": rfc3339(refund.at), "create_time": rfc3339(refund.at),
                "status": "SUCCESS", "funds_account": "AVAILABLE",
                "amount": {"total": charge.amount, "refund": refund.amount,
                           "payer_total": charge.amount, "payer_refund": refund.amount,
                           "settlement_total": charge.amount,
                           "settlement_refund": refund.amount, "discount_refund": 0,
                           "currency": "CNY"}}

    def _refund_query(self, out_refund_no: str) -> Answer:
        for charge in self.ledger.charges():
            for refund in charge.refunds:
                if charge.provider == "wechat" and refund.out_refund_no == out_refund_no:
                    return self._signed(200, compact_json(self._refund_body(charge, refund)))
        raise BadRequest(404, "RESOURCE_NOT_EXISTS", "退款单不存在")

    def _tradebill(self, query: dict[str, str]) -> Answer:
        try:
            day = date.fromisoformat(query.get("bill_date", ""))
        except ValueError:
            raise BadRequest(400, "PARAM_ERROR", "bill_date格式应为YYYY-MM-DD") from None
        bill_type = query.get("bill_type", "ALL")
        tar_type = query.get("tar_type")
        if bill_type not in statements.WECHAT_BILL_TYPES or tar_type not in (None, "GZIP"):
            raise BadRequest(400, "PARAM_ERROR", "bill_type或tar_type取值错误")
        now = self.clock.now()
        if not statements.is_ready(day, now):
            raise BadRequest(400, "NO_STATEMENT_EXIST", "账单尚未生成（次日9点后生成）")
        text = statements.wechat_tradebill(self.ledger.movements(), day, bill_type,
                                           appid=self.keys.appid, mchid=self.keys.mchid)
        data = statements.gzipped(text) if tar_type == "GZIP" else text.encode("utf-8")
        token = self.downloads.offer("wechat", data, now, BILL_LIFETIME_S)
        return self._signed(200, compact_json({
            "hash_type": "SHA1", "hash_value": hashlib.sha1(data).hexdigest(),
            "download_url": f"{self.base_url()}/v3/billdownload/file?token={token}"}))

    # --- notifications -----------------------------------------------------------------------

    def notification(self, charge: Charge) -> tuple[bytes, dict[str, str]]:
        """支付成功通知 for `charge`: the body and its signed headers."""
        nonce = secrets.token_hex(6)  # 12 characters: the AES-GCM nonce as its UTF-8 bytes
        plain = compact_json(self.transaction(charge)).encode("utf-8")
        sealed = AESGCM(self.keys.apiv3_key.encode("ascii")).encrypt(
            nonce.encode("ascii"), plain, b"transaction")
        text = compact_json({
            "id": str(uuid.uuid4()), "create_time": rfc3339(self.clock.now()),
            "resource_type": "encrypt-resource", "event_type": "TRANSACTION.SUCCESS",
            "summary": "支付成功",
            "resource": {"original_type": "transaction", "algorithm": "AEAD_AES_256_GCM",
                         "ciphertext": base64.b64encode(sealed).decode("ascii"),
                         "associated_data": "transaction", "nonce": nonce}})
        headers = self.signature_headers(str(int(time.time())), secrets.token_hex(16).upper(),
                                         text)
        headers["Content-Type"] = "application/json; charset=utf-8"
        return text.encode("utf-8"), headers


def _text(request: dict[str, Any], name: str, limit: int) -> str:
    value = request.get(name, "")
    if not isinstance(value, str) or len(value) > limit:
        raise BadRequest(400, "PARAM_ERROR", f"{name}应为不超过{limit}个字符的字符串")
    return value
