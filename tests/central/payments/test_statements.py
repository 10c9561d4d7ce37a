"""Daily statements downloaded through the SDKs hold what the ledger really did that day:
payments, refunds and reversals, in each provider's format."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import zipfile
from datetime import timedelta

import requests
from alipay import AliPay
from wechatpayv3 import WeChatPay, WeChatPayType

from central.payments.sandbox import ManualClock, PaymentGateway

from .conftest import SCENE, order_no

DAY = "2026-03-02"  # the clock's first day (conftest.START)


def wechat_pay(wechat: WeChatPay, gateway: PaymentGateway, no: str, total: int) -> None:
    status, _ = wechat.pay(description="证照工本费", out_trade_no=no, amount={"total": total},
                           payer={"auth_code": gateway.wechat_code(10_000)}, scene_info=SCENE,
                           pay_type=WeChatPayType.CODEPAY)
    assert status == 200


def test_wechat_tradebill_of_a_day(wechat: WeChatPay, gateway: PaymentGateway,
                                   clock: ManualClock) -> None:
    kept, refunded, reversed_ = order_no(), order_no(), order_no()
    wechat_pay(wechat, gateway, kept, 1200)
    wechat_pay(wechat, gateway, refunded, 3000)
    wechat_pay(wechat, gateway, reversed_, 2000)
    assert wechat.refund(out_refund_no="R-" + refunded, out_trade_no=refunded,
                         amount={"refund": 500, "total": 3000, "currency": "CNY"})[0] == 200
    clock.advance(20)
    assert wechat.codepay_reverse(reversed_)[0] == 200

    status, text = wechat.trade_bill(DAY)
    assert (status, json.loads(text)["code"]) == (400, "NO_STATEMENT_EXIST")  # not yet 9:00
    clock.advance(23 * 3600)
    status, text = wechat.trade_bill(DAY)
    assert status == 200
    offered = json.loads(text)
    status, data = wechat.download_bill(offered["download_url"])
    assert status == 200
    assert hashlib.sha1(data).hexdigest() == offered["hash_value"]
    lines = gzip.decompress(data).decode("utf-8").splitlines()
    head = lines[0].split(",")
    rows = [dict(zip(head, (v.removeprefix("`") for v in row), strict=True))
            for row in csv.reader(lines[1:-2])]
    assert all(value.startswith("`") for value in lines[1].split(","))  # Excel-safe values
    assert sorted((r["商户订单号"], r["交易状态"], r["应结订单金额"], r["退款金额"])
                  for r in rows) == sorted([
        (kept, "SUCCESS", "12.00", "0.00"), (refunded, "SUCCESS", "30.00", "0.00"),
        (reversed_, "SUCCESS", "20.00", "0.00"), (refunded, "REFUND", "0.00", "5.00"),
        (reversed_, "REVOKED", "0.00", "20.00")])
    assert lines[-2].startswith("总交易单数,应结订单总金额,退款总金额")
    summary = [v.removeprefix("`") for v in lines[-1].split(",")]
    assert summary[:3] == ["5", "62.00", "25.00"]


def test_alipay_bill_of_a_day(alipay: AliPay, gateway: PaymentGateway,
                              clock: ManualClock) -> None:
    paid, refunded = order_no(), order_no()
    for no in (paid, refunded):
        answer = alipay.api_alipay_trade_pay(no, "bar_code", gateway.alipay_code(10_000),
                                             "证照工本费", total_amount="12.00")
        assert answer["code"] == "10000"
    assert alipay.api_alipay_trade_refund("12.00", out_trade_no=refunded)["code"] == "10000"

    ask = {"bill_type": "trade", "bill_date": DAY}
    method = "alipay.data.dataservice.bill.downloadurl.query"
    assert alipay.server_api(method, biz_content=ask)["sub_code"] == "isp.bill_not_exist"
    clock.advance(23 * 3600)
    url = alipay.server_api(method, biz_content=dict(ask))["bill_download_url"]
    archive = zipfile.ZipFile(io.BytesIO(requests.get(url, timeout=10).content))
    (detail,) = [name for name in archive.namelist() if name.endswith("_业务明细.csv")]
    text = archive.read(detail).decode("gbk")
    rows = [line.split(",") for line in text.splitlines() if not line.startswith("#")]
    header, body = rows[0], [[v.strip() for v in row] for row in rows[1:]]
    index = {name: header.index(name) for name in ("商户订单号", "业务类型", "订单金额（元）")}
    assert sorted((r[index["商户订单号"]], r[index["业务类型"]], r[index["订单金额（元）"]])
                  for r in body) == sorted([(paid, "交易", "12.00"),
                                            (refunded, "交易", "12.00"),
                                            (refunded, "退款", "-12.00")])
    assert "#交易合计：2笔" in text and "#退款合计：1笔" in text
    clock.advance(31)  # Alipay's download address lives 30 seconds
    assert requests.get(url, timeout=10).status_code == 404


def test_each_providers_statement_holds_its_own_trades_only(
        wechat: WeChatPay, alipay: AliPay, gateway: PaymentGateway, clock: ManualClock) -> None:
    by_wechat, by_alipay = order_no(), order_no()
    wechat_pay(wechat, gateway, by_wechat, 1500)
    answer = alipay.api_alipay_trade_pay(by_alipay, "bar_code", gateway.alipay_code(10_000),
                                         "港澳签注费", total_amount="15.00")
    assert answer["code"] == "10000"
    clock.advance(24 * 3600)
    day = clock.now().date() - timedelta(days=1)

    wechat_text = gateway.wechat_statement(day)
    assert by_wechat in wechat_text and by_alipay not in wechat_text
    with zipfile.ZipFile(io.BytesIO(gateway.alipay_statement(day))) as bill:
        alipay_text = "".join(bill.read(name).decode("gbk") for name in bill.namelist())
    assert by_alipay in alipay_text and by_wechat not in alipay_text
