"""Checking the printers: which printer it is and how it stands, then a test slip / test page.

A printer that reports a fault (paper out, cover open, queue stopped, absent) fails without a
print being tried: the technician sees the reason at once. Otherwise the test print goes
through the same driver call a citizen's receipt or document does, so a pass means the kiosk
can print.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime

from common.i18n import QT_TR_NOOP, Text, tr
from devices.check import (
    CheckOptions,
    CheckResult,
    DeviceSetup,
    Identity,
    current_health,
    health_reason,
    verdict_from_health,
)
from devices.health import Health
from devices.printer.a4 import A4Printer, AcceptanceNotice
from devices.printer.escpos import PrinterModel
from devices.printer.receipt import QrCode, Receipt, Row
from devices.printer.receipt_printer import ReceiptPrinter
from devices.printer.result import PrintResult

_QUEUE_STATES = {3: "idle", 4: "processing", 5: "stopped"}  # IPP printer-state (RFC 8011)


def checking_slip(model: PrinterModel, now: datetime) -> Receipt:
    """The driver's own test slip for installers where it has one (profile, encoding, rare
    ideographs), else a slip with Chinese text, digits and a QR code."""
    from devices.printer import receipt_printer

    drivers_slip = getattr(receipt_printer, "test_slip", None)
    if callable(drivers_slip) and isinstance(slip := drivers_slip(model), Receipt):
        return slip
    return Receipt(
        title=QT_TR_NOOP("凭条打印测试"),
        lines=(QT_TR_NOOP("本凭条由设备检查打印，无需保留。"),),
        rows=(Row(QT_TR_NOOP("打印时间"), now.strftime("%Y-%m-%d %H:%M:%S")),),
        qr=QrCode("DEVICE-CHECK", caption=QT_TR_NOOP("能扫出 DEVICE-CHECK 即二维码正常")),
        footer=(QT_TR_NOOP("中文、数字 0123456789 与二维码应清晰完整"),),
    )


def checking_page(now: datetime) -> AcceptanceNotice:
    return AcceptanceNotice(
        title=QT_TR_NOOP("A4打印测试页"),
        rows=(Row(QT_TR_NOOP("打印时间"), now.strftime("%Y-%m-%d %H:%M:%S")),),
        paragraphs=(QT_TR_NOOP("本页由设备检查打印，无需保留。文字应清晰、居中，四边无裁切。"),),
        issuer=QT_TR_NOOP("设备检查"),
        date=now.strftime("%Y-%m-%d"),
    )


def check_receipt(printer: ReceiptPrinter, setup: DeviceSetup,
                  options: CheckOptions) -> list[CheckResult]:
    identity: Identity = {"driver": setup.driver}
    if setup.driver == "escpos":
        from devices.printer.transports import parse_port

        spec = parse_port(setup.port, setup.baud)
        identity["transport"] = (f"{spec.kind} {spec.target}:{spec.port}" if spec.kind == "tcp"
                                 else f"{spec.kind} {spec.target}")
    model = getattr(printer, "model", None)
    if not isinstance(model, PrinterModel):
        model = PrinterModel()
    identity |= {"profile": model.profile, "paper_width_mm": model.paper_width_mm}
    status_check = getattr(printer, "status_check", None)
    if callable(status_check):  # the driver's own look: model, encoding, DLE EOT answers
        found = status_check()
        identity |= _printer_check_identity(found)
        reported = getattr(found, "health", None)
        health = reported if isinstance(reported, Health) else printer.health()
    else:
        health = current_health(printer, "check")
    identity["status"] = health.code
    return [_print("receipt", setup, identity, health, options, "print_test_slip",
                   lambda: printer.print_receipt(checking_slip(model, datetime.now())),
                   QT_TR_NOOP("测试凭条已打印，请到出纸口查看"))]


def _printer_check_identity(found: object) -> Identity:
    """What a receipt driver's `status_check()` tells of the printer, as identity keys."""
    identity: Identity = {}
    vendor, name = getattr(found, "vendor", ""), getattr(found, "model", "")
    if isinstance(vendor, str) and isinstance(name, str) and f"{vendor} {name}".strip():
        identity["model"] = f"{vendor} {name}".strip()
    for key in ("encoding", "link"):
        if isinstance(value := getattr(found, key, ""), str) and value:
            identity["transport" if key == "link" else key] = value
    answers = getattr(found, "answers", {})
    if isinstance(answers, dict) and answers:
        identity["answers"] = "DLE EOT " + " ".join(f"{n}={byte:02X}"
                                                    for n, byte in sorted(answers.items()))
    return identity


def check_a4(printer: A4Printer, setup: DeviceSetup,
             options: CheckOptions) -> list[CheckResult]:
    identity: Identity = {"driver": setup.driver}
    advice: tuple[str, ...] = ()
    if setup.driver == "cups":
        queue, advice = _queue_identity(printer)
        identity |= queue
    elif setup.driver == "pdf":
        identity["folder"] = str(getattr(printer, "directory", ""))
    health = current_health(printer, "check")
    identity["status"] = health.code
    result = _print("a4", setup, identity, health, options, "print_test_page",
                    lambda: printer.print_document(checking_page(datetime.now())),
                    QT_TR_NOOP("测试页已打印，请到出纸口查看"))
    if result.ok and advice:  # it prints, but the queue's error policy puts people at risk
        result = replace(result, code="ERROR_POLICY", detail="; ".join(advice),
                         message=tr("{verdict}；但队列的出错策略需要调整（见详情）",
                                    verdict=result.message))
    return [result]


def _queue_identity(printer: A4Printer) -> tuple[Identity, tuple[str, ...]]:
    """The CUPS queue as the driver describes it (`describe()`: state, reasons, error policy,
    backend, advice for staff), else its state as IPP gives it."""
    describe = getattr(printer, "describe", None)
    if callable(describe):
        queue = describe()
        identity: Identity = {"queue": str(getattr(queue, "queue", ""))}
        if getattr(queue, "reachable", False):
            reasons = getattr(queue, "reasons", ())
            identity |= {"state": str(getattr(queue, "state", "")),
                         "reasons": ",".join(reasons) or "none",
                         "accepting": "yes" if getattr(queue, "accepting", False) else "no",
                         "error_policy": str(getattr(queue, "error_policy", "")) or "?",
                         "backend": str(getattr(queue, "backend", ""))}
        advice = getattr(queue, "advice", ())
        return identity, tuple(str(text) for text in advice)
    from devices.printer import ipp

    client = getattr(printer, "client", None)
    if not isinstance(client, ipp.IppClient):
        return {}, ()
    identity = {"queue": client.printer_uri}
    try:
        state = client.printer()
    except ipp.IppError:
        return identity, ()
    identity["state"] = _QUEUE_STATES.get(state.state, str(state.state))
    identity["reasons"] = ",".join(state.reasons) or "none"
    return identity, ()


def _print(family: str, setup: DeviceSetup, identity: Identity, health: Health,
           options: CheckOptions, action: str, print_it: Callable[[], Awaitable[PrintResult]],
           printed: str) -> CheckResult:
    ok, code, message = verdict_from_health(health)
    if not options.actions or not ok:
        return CheckResult(family, setup.name, identity, "none", ok, code, message, health.detail)

    async def run() -> PrintResult:
        return await print_it()

    result = asyncio.run(run())
    if not result.printed:
        return CheckResult(family, setup.name, identity, action, False, result.code,
                           _not_printed(result.health), result.health.detail)
    message: Text = tr(printed)
    if not result.status_known:  # a file link: the printer cannot say whether it printed
        message = tr("{printed}（此连接读不到打印机状态，请看纸上是否打印出来）", printed=message)
    return CheckResult(family, setup.name, identity, action, True, "OK", message)


def _not_printed(health: Health) -> Text:
    return tr("未能打印：{reason}", reason=health_reason(health))
