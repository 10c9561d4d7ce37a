"""Checking the card readers: what reader it is, then read a card the technician places.

The reader is probed first (port or pcscd, without starting its worker); a reader that does not
answer fails there and is not waited on. Otherwise it is started as the kiosk starts it and the
check waits up to `card_wait_s` for a card: a card read is a pass, a card that cannot be read a
failure with the reader's own reason, no card a pass that says the read was not tried. A
simulator gets a sample card put on it, as the demo panel does, so the read path runs.
Nothing the card says is kept or shown: only its kind.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace

from common.i18n import QT_TR_NOOP, Text, tr
from devices.cards import CardPresent, CardReader, CardReadFailed, IdCardData
from devices.check import (
    CheckOptions,
    CheckResult,
    DeviceSetup,
    Identity,
    current_health,
    verdict_from_health,
)
from devices.health import Health, HealthState

CARD_KINDS = {
    "resident": QT_TR_NOOP("居民身份证"),
    "foreign_permanent": QT_TR_NOOP("外国人永久居留身份证"),
    "hmt_residence": QT_TR_NOOP("港澳台居民居住证"),
    "sscard": QT_TR_NOOP("社会保障卡"),
}
PLACE_ID_CARD = QT_TR_NOOP("请在 {seconds} 秒内把身份证放到阅读器感应区上……")
INSERT_SS_CARD = QT_TR_NOOP("请在 {seconds} 秒内把社保卡插入读卡器……")
MIN_WAIT_S = 3.0  # the first look and a read (GA 467 text and photo: up to about 1.5 s)


def check_idcard(reader: CardReader, setup: DeviceSetup,
                 options: CheckOptions) -> list[CheckResult]:
    identity: Identity = {"driver": setup.driver}
    if setup.driver == "ga467":
        identity |= {"port": setup.port, "transport": f"serial {setup.port}, {setup.baud} baud"}
    health = current_health(reader, "probe")
    result = _read(reader, "idcard", setup, identity, health, options, PLACE_ID_CARD)
    # asked after the read: the driver learns the SAM's number when it opens the line
    return [replace(result, identity=identity | _described(reader))]


def check_sscard(reader: CardReader, setup: DeviceSetup,
                 options: CheckOptions) -> list[CheckResult]:
    identity: Identity = {"driver": setup.driver}
    health = current_health(reader, "probe")
    result = _read(reader, "sscard", setup, identity, health, options, INSERT_SS_CARD)
    if setup.driver == "pcsc" and health.ok:
        from devices.sscard.reader import PcscSsCardReader

        if isinstance(reader, PcscSsCardReader):
            # looked at after the read: the card the technician inserted is still in
            name, atr = reader.identify()
            identity = identity | {"reader": name or "",
                                   "atr": atr.hex(" ").upper() if atr else ""}
    return [replace(result, identity=identity)]


def _described(reader: CardReader) -> Identity:
    """The transport and SAM number where the driver describes itself (`describe()`), else
    the SAM number where it keeps one (`sam_id`)."""
    describe = getattr(reader, "describe", None)
    description = describe() if callable(describe) else None
    found: Identity = {}
    if isinstance(transport := getattr(description, "transport", None), str) and transport:
        found["transport"] = transport
    sam_id = getattr(description, "sam_id", None) if description is not None else _sam_id(reader)
    if isinstance(sam_id, str) and sam_id:
        found["sam_id"] = sam_id
    return found


def _sam_id(reader: CardReader) -> str:
    """The SAM's number where the driver reads it (GA 467 command 0x12 0xFF)."""
    value = getattr(reader, "sam_id", None)
    if callable(value):
        value = value()
    return value if isinstance(value, str) else ""


def _read(reader: CardReader, family: str, setup: DeviceSetup, identity: Identity,
          health: Health, options: CheckOptions, ask: str) -> CheckResult:
    def result(action: str, ok: bool, code: str, message: Text, detail: str = "") -> CheckResult:
        return CheckResult(family, setup.name, identity, action, ok, code, message, detail)

    ok, code, message = verdict_from_health(health)
    if not options.actions or not ok:
        return result("none", ok, code, message, health.detail)
    simulated = setup.driver == "simulator"
    # a card already in place is seen on the reader's first look and read after it
    wait_s = max(options.card_wait_s, MIN_WAIT_S)
    if not simulated:
        options.prompt(tr(ask, seconds=f"{wait_s:g}"))
    outcome = asyncio.run(_wait_for_card(reader, wait_s, simulated))
    if isinstance(outcome, CardPresent):
        kind = "sscard" if not isinstance(outcome.card, IdCardData) else outcome.card.card_type
        return result("read_card", True, "OK", tr("读卡成功：{kind}", kind=tr(CARD_KINDS[kind])))
    if isinstance(outcome, CardReadFailed):
        return result("read_card", False, outcome.code,
                      tr("读卡失败：{reason}", reason=tr(outcome.message)), outcome.detail)
    if not outcome.ok and outcome.state is not HealthState.DEGRADED:
        _ok, code, message = verdict_from_health(outcome)
        return result("read_card", False, code, message, outcome.detail)
    return result("read_card", True, "NO_CARD",
                  tr("读卡器正常；{seconds} 秒内没有放卡，未测试读卡",
                     seconds=f"{wait_s:g}"))


async def _wait_for_card(reader: CardReader, wait_s: float,
                         simulated: bool) -> CardPresent | CardReadFailed | Health:
    """The first card event within `wait_s`, or the reader's health when none came (it stops
    waiting when the reader goes offline: no card can come then)."""
    reader.events.bind(asyncio.get_running_loop())
    reader.start()
    try:
        if simulated:
            _put_sample_card(reader)
        deadline = time.monotonic() + wait_s
        while True:
            remaining = deadline - time.monotonic()
            try:
                event = await asyncio.wait_for(reader.events.next(), max(0.0, min(0.2, remaining)))
            except TimeoutError:
                health = reader.health()
                if remaining <= 0 or health.state is HealthState.OFFLINE:
                    return health
                continue
            if isinstance(event, CardPresent | CardReadFailed):
                return event
    finally:
        reader.stop()
        if simulated:
            remove = getattr(reader, "remove", None)
            if callable(remove):
                remove()


def _put_sample_card(reader: CardReader) -> None:
    from devices.idcard.simulator import IdCardSimulator, sample_cards
    from devices.sscard.simulator import SsCardSimulator, sample_card

    if isinstance(reader, IdCardSimulator):
        reader.insert(sample_cards()["resident"])
    elif isinstance(reader, SsCardSimulator):
        reader.insert(sample_card())
