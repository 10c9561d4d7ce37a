"""Daily statements (对账单) of what the ledger really did, in each provider's format.

- WeChat Pay 交易账单 (APIv3 申请交易账单 `GET /v3/bill/tradebill`, then 下载账单 with its
  download_url; format: pay.weixin.qq.com/docs/merchant/products/bill-download/format-trade.html):
  a CSV with the detail header, one row per payment and per refund of the day (a reversal of a
  paid charge is a REVOKED row), every value prefixed with a backquote, then the summary header
  and the summary row. Types ALL, SUCCESS and REFUND; gzipped when asked (tar_type=GZIP).
- Alipay 业务账单 (`alipay.data.dataservice.bill.downloadurl.query`, bill_type "trade"; opendocs
  对账说明 204/106262): a zip of two GBK CSV files, `<pid>_<yyyymmdd>_业务明细.csv` with '#'
  header and footer lines around the detail rows (业务类型 交易 or 退款; a cancel that gave money
  back is a 退款 row), and `..._业务明细(汇总).csv`.

Amounts are yuan with two decimals; dates and times are Beijing time. A day's statement is
offered from 09:00 the next day (both providers generate it then), on the gateway's clock.
Fees: WeChat's 0.60% as its sample shows, rounded to the fen; Alipay's service fee is not
modelled (0.00).
"""

from __future__ import annotations

import csv
import gzip
import io
import secrets
import zipfile
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from central.payments.sandbox.clock import BEIJING
from central.payments.sandbox.ledger import Movement
from central.payments.sandbox.pay_codes import Provider

READY_AT = time(9, 0)
WECHAT_FEE_RATE = 0.006


def yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}"


def is_ready(day: date, now: datetime) -> bool:
    """Whether `day`'s statement exists yet (from 09:00 Beijing the next day)."""
    return now.astimezone(BEIJING) >= datetime.combine(day + timedelta(days=1), READY_AT,
                                                       BEIJING)


def _on(day: date, provider: Provider, movements: Iterable[Movement]) -> list[Movement]:
    """The provider's own movements of the day: each provider's statement shows its trades
    only, never the other's."""
    return [m for m in movements
            if m.provider == provider and m.at.astimezone(BEIJING).date() == day]


def _stamp(moment: datetime) -> str:
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")


def _fee(fen: int) -> int:
    return int(fen * WECHAT_FEE_RATE + 0.5)


_WECHAT_HEADS = {
    "ALL": ("交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,"
            "用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,"
            "微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,"
            "商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注"),
    "SUCCESS": ("交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,"
                "用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,"
                "商品名称,商户数据包,手续费,费率,订单金额,费率备注"),
    "REFUND": ("交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,"
               "用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,"
               "退款申请时间,退款成功时间,微信退款单号,商户退款单号,退款金额,"
               "充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,"
               "订单金额,申请退款金额,费率备注"),
}
_WECHAT_SUMMARY = {
    "ALL": ("总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,"
            "订单总金额,申请退款总金额"),
    "SUCCESS": "总交易单数,应结订单总金额,手续费总金额,订单总金额",
    "REFUND": ("总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,"
               "订单总金额,申请退款总金额"),
}
WECHAT_BILL_TYPES = tuple(_WECHAT_HEADS)


def _csv_line(values: Iterable[str], backquote: bool = True) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(
        [("`" + v) if backquote else v for v in values])
    return out.getvalue()


def wechat_tradebill(movements: Iterable[Movement], day: date, bill_type: str, *, appid: str,
                     mchid: str) -> str:
    rows: list[str] = []
    paid = refunded = fees = 0
    count = 0
    for m in _on(day, "wechat", movements):
        is_refund = m.kind != "charge"
        if (bill_type == "SUCCESS" and is_refund) or (bill_type == "REFUND" and not is_refund):
            continue
        count += 1
        fee = -_fee(m.amount) if is_refund else _fee(m.amount)
        fees += fee
        if is_refund:
            refunded += m.amount
        else:
            paid += m.amount
        state = {"charge": "SUCCESS", "refund": "REFUND", "reversal": "REVOKED"}[m.kind]
        head = [_stamp(m.at), appid, mchid, "0", "", m.trade_no, m.out_trade_no, m.payer_id,
                m.trade_type, state, "OTHERS", "CNY", yuan(0 if is_refund else m.amount), "0.00"]
        refund_no, refund_id = (m.out_refund_no or m.out_trade_no), m.refund_id
        tail = [m.description, m.attach, yuan(fee), "0.60%", yuan(m.amount)]
        if bill_type == "ALL":
            row = [*head, refund_id if is_refund else "0", refund_no if is_refund else "0",
                   yuan(m.amount) if is_refund else "0.00", "0.00",
                   "ORIGINAL" if is_refund else "", "SUCCESS" if is_refund else "", *tail,
                   yuan(m.amount) if is_refund else "0.00", ""]
        elif bill_type == "SUCCESS":
            row = [*head, *tail, ""]
        else:
            row = [*head, _stamp(m.at), _stamp(m.at), refund_id, refund_no, yuan(m.amount),
                   "0.00", "ORIGINAL", "SUCCESS", *tail, yuan(m.amount), ""]
        rows.append(_csv_line(row))
    if bill_type == "SUCCESS":
        summary = [str(count), yuan(paid), yuan(fees), yuan(paid)]
    else:
        summary = [str(count), yuan(paid), yuan(refunded), "0.00", yuan(fees), yuan(paid),
                   yuan(refunded)]
    return (_WECHAT_HEADS[bill_type] + "\r\n" + "".join(rows) + _WECHAT_SUMMARY[bill_type]
            + "\r\n" + _csv_line(summary))


def gzipped(text: str) -> bytes:
    return gzip.compress(text.encode("utf-8"), mtime=0)


_ALIPAY_COLUMNS = ("支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,"
                   "门店名称,操作员,终端号,对方账户,订单金额（元）,商家实收（元）,"
                   "支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,"
                   "券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,"
                   "退款批次号/请求号,服务费（元）,分润（元）,备注")
_ALIPAY_RULE = "#" + "-" * 41 + "业务明细列表" + "-" * 40


def alipay_bill(movements: Iterable[Movement], day: date, *, seller_id: str,
                exported_at: datetime) -> bytes:
    """The zip Alipay's bill_download_url serves for `day`."""
    chosen = _on(day, "alipay", movements)
    start = day.strftime("%Y年%m月%d日") + " 00:00:00"
    end = (day + timedelta(days=1)).strftime("%Y年%m月%d日") + " 00:00:00"
    lines = ["#支付宝业务明细查询", f"#账号：[{seller_id}0156]",
             f"#起始日期：[{start}]   终止日期：[{end}]",
             _ALIPAY_RULE,
             _ALIPAY_COLUMNS]
    income = refunds = 0
    trades = refund_count = 0
    for m in chosen:
        is_refund = m.kind != "charge"
        amount = -m.amount if is_refund else m.amount
        if is_refund:
            refunds += m.amount
            refund_count += 1
        else:
            income += m.amount
            trades += 1
        row = [m.trade_no, m.out_trade_no, "退款" if is_refund else "交易", m.description,
               _stamp(m.at), _stamp(m.at), "", "", "", "", m.payer_id, yuan(amount), yuan(amount),
               "0.00", "0.00", "0.00", "0.00", "0.00", "", "0.00", "0.00",
               m.out_refund_no or (m.out_trade_no if is_refund else ""), "0.00", "0.00", ""]
        lines.append(",".join(v.replace(",", "，") + "\t" for v in row))
    lines += [_ALIPAY_RULE.replace("列表", "列表结束"),
              f"#交易合计：{trades}笔，商家实收共{yuan(income)}元，商家优惠共0.00元",
              f"#退款合计：{refund_count}笔，商家实收退款共{yuan(-refunds)}元，"
              "商家优惠退款共0.00元",
              f"#导出时间：[{exported_at.astimezone(BEIJING).strftime('%Y年%m月%d日 %H:%M:%S')}]"]
    summary = ["#支付宝业务汇总查询", f"#账号：[{seller_id}0156]",
               f"#起始日期：[{start}]   终止日期：[{end}]",
               "门店编号,门店名称,交易订单总笔数,退款订单总笔数,订单金额（元）,商家实收（元）,服务费（元）,"
               "实收净额（元）",
               f"合计,,{trades},{refund_count},{yuan(income - refunds)},{yuan(income - refunds)},"
               f"0.00,{yuan(income - refunds)}"]
    stem = f"{seller_id}0156_{day.strftime('%Y%m%d')}"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in ((f"{stem}_业务明细.csv", lines),
                           (f"{stem}_业务明细(汇总).csv", summary)):
            archive.writestr(name, "\r\n".join(text).encode("gbk", "replace"))
    return out.getvalue()


class Downloads:
    """Statement files offered for download by a token, for a while (WeChat Pay's download_url
    lives 5 minutes, Alipay's bill_download_url 30 seconds), on the gateway's clock."""

    def __init__(self) -> None:
        self._files: dict[str, tuple[str, bytes, datetime]] = {}

    def offer(self, provider: str, data: bytes, now: datetime, lifetime_s: int) -> str:
        token = secrets.token_urlsafe(24)
        self._files = {t: f for t, f in self._files.items() if f[2] > now}  # forget the old
        self._files[token] = (provider, data, now + timedelta(seconds=lifetime_s))
        return token

    def take(self, provider: str, token: str, now: datetime) -> bytes | None:
        found = self._files.get(token)
        if found is None or found[0] != provider or found[2] <= now:
            return None
        return found[1]
