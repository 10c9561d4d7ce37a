"""Reading the providers' daily statements (对账单) into lines of money in and money out.

- WeChat Pay 交易账单: APIv3 申请交易账单 `GET /v3/bill/tradebill` then 下载账单
  (pay.weixin.qq.com/docs/merchant/apis/jsapi-payment/get-trade-bill.html: made "每日10点后"
  for the day before, amounts in 元), in the format of
  pay.weixin.qq.com/docs/merchant/products/bill-download/format-trade.html: CSV, a header row,
  one row per payment and one per refund of the day ("当天若对同一笔订单，先支付成功再退款，在交易
  账单中会分别出现“支付”和“退款”两条数据"), then the summary's header and its row. "明细数据和
  汇总数据每个字段前会增加1个字符" (a backquote, so Excel keeps long numbers whole), and the
  columns are found by the header's names, since "列名的顺序非一直固定". 交易状态 SUCCESS: a
  payment of 应结订单金额 (what is settled to the merchant); REFUND: 退款金额 given back under
  商户退款单号; REVOKED: a pay-code charge reversed (撤销), 退款金额 given back (0.00 when
  nothing had been charged, which moves no money).
- Alipay 业务账单: `alipay.data.dataservice.bill.downloadurl.query`, bill_type `trade`
  (opendocs.alipay.com/apis/api_15/alipay.data.dataservice.bill.downloadurl.query; 对账说明
  opendocs.alipay.com/open/204/106262): a zip of `<pid>0156_<yyyymmdd>_业务明细.csv` and its
  `(汇总)`, GBK text ("ANSI" on a Chinese Windows), '#' lines before and after the detail rows,
  values padded with tabs. 业务类型 交易: a payment of 订单金额（元）; 退款: money given back
  (negative), under 退款批次号/请求号 — the platform's own refunds carry theirs
  (`R` + out_trade_no); a cancel (撤销) that gave money back carries none or the trade's own
  number, and is read as a reversal. A zip made on Windows names its files in GBK without
  saying so; the names are read either way.

Both check what they read against the statement's own totals (WeChat Pay 总交易单数, Alipay
交易合计 and 退款合计), so a truncated download is refused rather than half-matched. Amounts
become whole fen; times, Beijing time, become aware datetimes.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Literal

from central.contract.payments import PaymentChannel

BEIJING = timezone(timedelta(hours=8))
LineKind = Literal["charge", "refund", "reversal"]
MAX_LINES = 200_000  # far beyond a day of a city's kiosks; a bigger file is not a statement


class UnreadableStatement(ValueError):
    """The file is not a statement of the form expected (the message says where)."""


@dataclass(frozen=True)
class Line:
    """Money that moved at a provider on the statement's day."""

    channel: PaymentChannel
    kind: LineKind
    out_trade_no: str
    transaction_id: str
    amount_fen: int  # positive: in for a charge, out for a refund or reversal
    at: datetime
    out_refund_no: str = ""

    @property
    def key(self) -> str:
        """The same line, however often the statement is fetched."""
        if self.kind == "refund":
            return f"refund:{self.out_trade_no}:{self.out_refund_no}"[:160]
        return f"{self.kind}:{self.out_trade_no}"[:160]


def fen(text: str) -> int:
    """Yuan with at most two decimals ("12.00", "-5.5") as fen."""
    try:
        value = Decimal(text.replace(",", "").strip()) * 100
    except InvalidOperation:
        raise UnreadableStatement(f"not an amount: {text[:20]!r}") from None
    if value != value.to_integral_value():
        raise UnreadableStatement(f"not an amount in fen: {text[:20]!r}")
    return int(value)


def _stamp(text: str) -> datetime:
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%d %H:%M:%S").replace(tzinfo=BEIJING)
    except ValueError:
        raise UnreadableStatement(f"not a time: {text[:20]!r}") from None


def _column(header: list[str], *names: str) -> dict[str, int]:
    where = {name: n for n, name in enumerate(header)}
    missing = [name for name in names if name not in where]
    if missing:
        raise UnreadableStatement(f"no column {', '.join(missing)}")
    return where


def _bounded(rows: Iterable[list[str]]) -> Iterator[list[str]]:
    for count, row in enumerate(rows):
        if count > MAX_LINES:
            raise UnreadableStatement("more lines than a statement holds")
        yield row


# -- WeChat Pay ------------------------------------------------------------------------------

_WECHAT_NEEDED = ("交易时间", "微信订单号", "商户订单号", "交易状态", "应结订单金额")


def wechat_tradebill(data: bytes) -> list[Line]:
    """The lines of a WeChat Pay 交易账单 (ALL), as the CSV text (gunzipped)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableStatement("not UTF-8 text") from None
    rows = [[value.removeprefix("`").strip() for value in row]
            for row in _bounded(csv.reader(io.StringIO(text))) if row]
    if not rows:
        raise UnreadableStatement("empty")
    header = rows[0]
    where = _column(header, *_WECHAT_NEEDED)
    try:
        end = next(n for n, row in enumerate(rows) if row[0] == "总交易单数")
    except StopIteration:
        raise UnreadableStatement("no summary (总交易单数): cut short?") from None
    if end + 1 >= len(rows):
        raise UnreadableStatement("no summary row")
    detail = rows[1:end]
    if not rows[end + 1][0].isdigit() or int(rows[end + 1][0]) != len(detail):
        raise UnreadableStatement(f"{len(detail)} rows, the summary says {rows[end + 1][0][:12]}")

    def value(row: list[str], name: str) -> str:
        n = where.get(name)
        return row[n] if n is not None and n < len(row) else ""

    lines = []
    for row in detail:
        if len(row) != len(header):
            raise UnreadableStatement(f"a row of {len(row)} values under {len(header)} columns")
        state = value(row, "交易状态")
        out_trade_no, transaction_id = value(row, "商户订单号"), value(row, "微信订单号")
        at = _stamp(value(row, "交易时间"))
        if state == "SUCCESS":
            lines.append(Line("wechat", "charge", out_trade_no, transaction_id,
                              fen(value(row, "应结订单金额")), at))
        elif state in ("REFUND", "REVOKED"):
            amount = fen(value(row, "退款金额") or "0")
            if amount and state == "REFUND":
                lines.append(Line("wechat", "refund", out_trade_no, transaction_id, amount, at,
                                  value(row, "商户退款单号")))
            elif amount:
                lines.append(Line("wechat", "reversal", out_trade_no, transaction_id, amount,
                                  at))
        else:
            raise UnreadableStatement(f"交易状态 {state[:16]!r}")
    return lines


# -- Alipay ----------------------------------------------------------------------------------

_ALIPAY_NEEDED = ("支付宝交易号", "商户订单号", "业务类型", "完成时间", "订单金额（元）",
                  "退款批次号/请求号")
_TOTALS = re.compile(r"#(交易|退款)合计：(\d+)笔")


def _member_name(info: zipfile.ZipInfo) -> str:
    if info.flag_bits & 0x800:  # the name is UTF-8, and zipfile has read it so
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def alipay_bill(data: bytes) -> list[Line]:
    """The lines of an Alipay 业务账单 (trade), as the zip downloaded."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [(info, _member_name(info)) for info in archive.infolist()]
        found = [info for info, name in members
                 if name.endswith("业务明细.csv") and "汇总" not in name]
        if len(found) != 1:
            raise UnreadableStatement("no single 业务明细.csv in the zip")
        if found[0].file_size > 64 * 1024 * 1024:
            raise UnreadableStatement("the detail file is larger than a statement")
        raw = archive.read(found[0])
    except (zipfile.BadZipFile, OSError, EOFError):
        raise UnreadableStatement("not a zip") from None
    text = raw.decode("gb18030", "strict") if raw else ""
    comments = [line for line in text.splitlines() if line.startswith("#")]
    body = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    if not body:
        raise UnreadableStatement("no header")
    rows = [[value.strip() for value in row] for row in _bounded(csv.reader(body))]
    header, detail = rows[0], rows[1:]
    where = _column(header, *_ALIPAY_NEEDED)
    lines = []
    for row in detail:
        if len(row) != len(header):
            raise UnreadableStatement(f"a row of {len(row)} values under {len(header)} columns")
        kind_word = row[where["业务类型"]]
        out_trade_no = row[where["商户订单号"]]
        amount = fen(row[where["订单金额（元）"]])
        transaction_id, at = row[where["支付宝交易号"]], _stamp(row[where["完成时间"]])
        if kind_word == "交易":
            lines.append(Line("alipay", "charge", out_trade_no, transaction_id, amount, at))
        elif kind_word == "退款":
            request_no = row[where["退款批次号/请求号"]]
            if request_no in ("", out_trade_no):
                lines.append(Line("alipay", "reversal", out_trade_no, transaction_id,
                                  abs(amount), at))
            else:
                lines.append(Line("alipay", "refund", out_trade_no, transaction_id, abs(amount),
                                  at, request_no))
        else:
            raise UnreadableStatement(f"业务类型 {kind_word[:16]!r}")
    totals = {kind: int(count) for kind, count in
              (m.groups() for m in map(_TOTALS.match, comments) if m)}
    charges = sum(1 for line in lines if line.kind == "charge")
    if totals.get("交易", charges) != charges or totals.get("退款", len(lines) - charges) \
            != len(lines) - charges:
        raise UnreadableStatement(f"{charges} payments and {len(lines) - charges} refunds, "
                                  f"the totals say {totals}")
    return lines


def read(channel: PaymentChannel, data: bytes) -> list[Line]:
    """A statement of `channel` (as `PaymentProvider.statement` gives it) as lines."""
    return wechat_tradebill(data) if channel == "wechat" else alipay_bill(data)
