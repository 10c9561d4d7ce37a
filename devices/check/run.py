"""Running the device check over the configured devices, and printing what it found.

Each device is built alone from its configuration (a driver that cannot even be built fails
its own line, not the whole check) and checked in configuration order; the speech device is
two lines, microphone then speaker. A check that raises is a bug or an unforeseen fault: it
fails its line with code CHECK_ERROR and the exception's type in the detail.
"""

from __future__ import annotations

import importlib
import json
import logging
from collections.abc import Callable, Mapping

from common.i18n import QT_TR_NOOP, tr
from devices.check import (
    ACTION_LABELS,
    IDENTITY_LABELS,
    LABELS,
    TABLES,
    CheckOptions,
    CheckResult,
    DeviceSetup,
)
from devices.registry import DeviceConfig, build_devices

log = logging.getLogger(__name__)

Translate = Callable[[str], str]
ACTION_HEADING = QT_TR_NOOP("测试")


def check_devices(configs: Mapping[str, DeviceConfig], options: CheckOptions,
                  family: str | None = None) -> list[CheckResult]:
    """Check every configured device (only those of check family `family` when given)."""
    results: list[CheckResult] = []
    for table, config in configs.items():
        families = TABLES.get(table, ())
        if family is not None and family not in families:
            continue
        setup = DeviceSetup(table, config.driver, config.port, getattr(config, "baud", 115200))
        found = _check_one(table, config, setup, options, families)
        results += [result for result in found if family is None or result.family == family]
    return results


def _check_one(table: str, config: DeviceConfig, setup: DeviceSetup, options: CheckOptions,
               families: tuple[str, ...]) -> list[CheckResult]:
    devices = None
    try:
        devices = build_devices({table: config})
        device = devices.by_family[table]
        module, function = _CHECKS[table]
        check = getattr(importlib.import_module(f"devices.check.{module}"), function)
        return check(device, setup, options)
    except Exception as exc:  # one device's surprise must not hide the others' results
        log.exception("device check of %s failed", setup.name)
        return [CheckResult(name, setup.name, {"driver": setup.driver}, "none", False,
                            "CHECK_ERROR", tr("检查出错（详见日志）"),
                            f"{type(exc).__name__}: {exc}"[:300]) for name in families]
    finally:
        if devices is not None:
            devices.stop()


# module and function of each table's check, imported on use: a family's driver libraries load
# only when that family is checked
_CHECKS: Mapping[str, tuple[str, str]] = {
    "idcard": ("cards", "check_idcard"),
    "sscard": ("cards", "check_sscard"),
    "receipt_printer": ("printers", "check_receipt"),
    "a4_printer": ("printers", "check_a4"),
    "face_camera": ("cameras", "check_camera"),
    "document_camera": ("cameras", "check_camera"),
    "qr_scanner": ("cameras", "check_scanner"),
    "speech": ("speech", "check_speech"),
}


def results_json(results: list[CheckResult], translate: Translate = lambda text: text) -> str:
    return json.dumps([result.as_json(translate) for result in results], ensure_ascii=False,
                      indent=1)


def as_text(results: list[CheckResult], translate: Translate = lambda text: text) -> str:
    """What the technician reads: per device what it is, what was tried, PASS/FAIL and why."""
    lines: list[str] = []
    for result in results:
        lines.append(f"{translate(LABELS[result.family])}  [{result.device}]")
        known = [f"{translate(IDENTITY_LABELS.get(key, key))}: {value}"
                 for key, value in result.identity.items() if value != ""]
        if known:
            lines.append("  " + "  ".join(known))
        lines.append(f"  {translate(ACTION_HEADING)}: "
                     f"{translate(ACTION_LABELS.get(result.action, result.action))}")
        verdict = tr("通过") if result.ok else tr("不通过")
        detail = f"  ({result.detail})" if result.detail else ""
        lines.append(f"  {verdict.render(translate)} {result.code}  "
                     f"{result.message.render(translate)}{detail}")
    failed = sum(not result.ok for result in results)
    lines.append(tr("共 {total} 项：{passed} 项通过，{failed} 项不通过", total=len(results),
                    passed=len(results) - failed, failed=failed).render(translate))
    return "\n".join(lines)
