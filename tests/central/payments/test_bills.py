"""Reading the providers' statements (central/payments/bills.py): the sandbox's files in each
provider's format, and files that are cut short, reordered or otherwise not as expected."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

import pytest

from central.payments import bills
from central.payments.sandbox import ManualClock, PaymentGateway

from .conftest import START

DAY = START.date()


@pytest.fixture
def day_of_money(gateway: PaymentGateway, clock: ManualClock) -> PaymentGateway:
    """One day of the sandbox's money for each provider: a payment kept, one refunded in part,
    one reversed after it was paid, and a pay code reversed while still paying (no money)."""
    ledger = gateway.ledger
    for provider, code_of in (("wechat", gateway.wechat_code), ("alipay", gateway.alipay_code)):
        ledger.charge_code(provider, f"{provider}-kept", 1200, "证照工本费", code_of())
        ledger.charge_code(provider, f"{provider}-part", 3000, "工本费,含逗号", code_of())
        ledger.refund(provider, f"R{provider}-part", 500, out_trade_no=f"{provider}-part")
        ledger.charge_code(provider, f"{provider}-rev", 2000, "工本费", code_of())
    clock.advance(20)
    ledger.reverse("wechat", "wechat-rev")
    ledger.reverse("alipay", "alipay-rev")
    return gateway


class GbkName(zipfile.ZipInfo):
    """A member whose name is written as Windows' zip writes it: GBK bytes, no UTF-8 flag."""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:
        return self.filename.encode("cp437"), self.flag_bits


def summary(lines: list[bills.Line]) -> list[tuple[str, str, int, str]]:
    return sorted((line.kind, line.out_trade_no, line.amount_fen, line.out_refund_no)
                  for line in lines)


def test_wechat_tradebill(day_of_money: PaymentGateway) -> None:
    text = day_of_money.wechat_statement(DAY)
    lines = [line for line in bills.wechat_tradebill(("\ufeff" + text).encode())
             if line.out_trade_no.startswith("wechat")]
    assert summary(lines) == [
        ("charge", "wechat-kept", 1200, ""), ("charge", "wechat-part", 3000, ""),
        ("charge", "wechat-rev", 2000, ""), ("refund", "wechat-part", 500, "Rwechat-part"),
        ("reversal", "wechat-rev", 2000, "")]
    assert all(line.at.date() == DAY and line.transaction_id.startswith("4200")
               for line in lines)
    assert len({line.key for line in lines}) == len(lines)


def test_alipay_bill(day_of_money: PaymentGateway) -> None:
    lines = [line for line in bills.alipay_bill(day_of_money.alipay_statement(DAY))
             if line.out_trade_no.startswith("alipay")]
    assert summary(lines) == [
        ("charge", "alipay-kept", 1200, ""), ("charge", "alipay-part", 3000, ""),
        ("charge", "alipay-rev", 2000, ""), ("refund", "alipay-part", 500, "Ralipay-part"),
        ("reversal", "alipay-rev", 2000, "")]


def test_the_columns_are_found_by_name(day_of_money: PaymentGateway) -> None:
    text = day_of_money.wechat_statement(DAY)
    rows = list(csv.reader(io.StringIO(text)))
    width = len(rows[0])  # the first two columns swapped, in the header and the detail rows
    swapped = [[row[1], row[0], *row[2:]] if len(row) == width else row for row in rows]
    out = io.StringIO()
    csv.writer(out).writerows(swapped)
    assert summary(bills.wechat_tradebill(out.getvalue().encode())) == summary(
        bills.wechat_tradebill(text.encode()))


def test_a_wechat_file_cut_short_is_refused(day_of_money: PaymentGateway) -> None:
    lines = day_of_money.wechat_statement(DAY).splitlines()
    with pytest.raises(bills.UnreadableStatement, match="summary"):
        bills.wechat_tradebill("\r\n".join(lines[:3]).encode())
    dropped = [*lines[:1], *lines[2:]]  # a row lost, the summary still counts it
    with pytest.raises(bills.UnreadableStatement, match="the summary says"):
        bills.wechat_tradebill("\r\n".join(dropped).encode())
    with pytest.raises(bills.UnreadableStatement, match="not UTF-8"):
        bills.wechat_tradebill(b"\xff\xfe\x00")
    odd = "\r\n".join(lines).replace("`SUCCESS", "`NOTPAY", 1)
    with pytest.raises(bills.UnreadableStatement, match="交易状态"):
        bills.wechat_tradebill(odd.encode())


def test_an_alipay_zip_named_in_gbk_and_one_cut_short(day_of_money: PaymentGateway) -> None:
    original = zipfile.ZipFile(io.BytesIO(day_of_money.alipay_statement(DAY)))
    (detail,) = [n for n in original.namelist() if n.endswith("_业务明细.csv")]
    data = original.read(detail)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:  # as Windows writes it: GBK, no UTF-8 flag
        archive.writestr(GbkName(detail.encode("gbk").decode("cp437")), data)
    assert len(bills.alipay_bill(out.getvalue())) == len(bills.alipay_bill(
        day_of_money.alipay_statement(DAY)))
    text = data.decode("gbk").splitlines()
    cut = [line for n, line in enumerate(text) if n != 6]  # a detail row lost
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(detail, "\r\n".join(cut).encode("gbk"))
    with pytest.raises(bills.UnreadableStatement, match="the totals say"):
        bills.alipay_bill(out.getvalue())
    with pytest.raises(bills.UnreadableStatement, match="not a zip"):
        bills.alipay_bill(b"PK not really")


@pytest.mark.parametrize("text, fen", [("12.00", 1200), ("-5.5", -550), ("1,024.01", 102401),
                                       (" 0.00\t", 0)])
def test_amounts(text: str, fen: int) -> None:
    assert bills.fen(text) == fen


@pytest.mark.parametrize("text", ["12.001", "", "¥", "1e400x"])
def test_not_amounts(text: str) -> None:
    with pytest.raises(bills.UnreadableStatement):
        bills.fen(text)


def test_an_empty_day_is_read_as_no_lines(gateway: PaymentGateway) -> None:
    assert bills.read("wechat", gateway.wechat_statement(date(2026, 3, 1)).encode()) == []
    assert bills.read("alipay", gateway.alipay_statement(date(2026, 3, 1))) == []
