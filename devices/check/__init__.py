"""The device check a technician runs at the terminal (`main.py devices check`).

For each configured device: what it is (its identity: port, SAM number, reader and ATR, printer
profile, queue, resolution …), one test action that does what the kiosk will ask of it (read a
card, print a test slip or page, capture frames, record and play back), and one verdict with
the reason as a sentence, marked for translation. `selftest` is the same check without the
actions: identity and health only.

Each family's check lives beside the others in this package and uses only the family's own
driver API; what a driver does not offer yet is left out of the identity rather than done here
behind its back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from common.i18n import QT_TR_NOOP, Text, tr
from devices.health import Health, HealthState

# the names a technician types after --family, in the order they are printed
CHECK_FAMILIES = ("idcard", "sscard", "receipt", "a4", "camera", "document_camera", "scanner",
                  "microphone", "speaker")

LABELS = {
    "idcard": QT_TR_NOOP("身份证阅读器"),
    "sscard": QT_TR_NOOP("社保卡读卡器"),
    "receipt": QT_TR_NOOP("凭条打印机"),
    "a4": QT_TR_NOOP("A4打印机"),
    "camera": QT_TR_NOOP("人脸摄像头"),
    "document_camera": QT_TR_NOOP("高拍仪"),
    "scanner": QT_TR_NOOP("扫码器"),
    "microphone": QT_TR_NOOP("麦克风"),
    "speaker": QT_TR_NOOP("扬声器"),
}

# identity keys (stable, for the console) and how the text output names them
IDENTITY_LABELS = {
    "driver": QT_TR_NOOP("驱动"),
    "port": QT_TR_NOOP("端口"),
    "transport": QT_TR_NOOP("连接方式"),
    "sam_id": QT_TR_NOOP("SAM编号"),
    "reader": QT_TR_NOOP("PC/SC读卡器"),
    "atr": QT_TR_NOOP("ATR"),
    "profile": QT_TR_NOOP("型号配置"),
    "model": QT_TR_NOOP("型号"),
    "encoding": QT_TR_NOOP("编码"),
    "answers": QT_TR_NOOP("状态应答"),
    "paper_width_mm": QT_TR_NOOP("纸宽（毫米）"),
    "status": QT_TR_NOOP("状态"),
    "queue": QT_TR_NOOP("CUPS队列"),
    "state": QT_TR_NOOP("队列状态"),
    "reasons": QT_TR_NOOP("状态原因"),
    "accepting": QT_TR_NOOP("接收任务"),
    "error_policy": QT_TR_NOOP("出错策略"),
    "backend": QT_TR_NOOP("后端"),
    "folder": QT_TR_NOOP("输出文件夹"),
    "source": QT_TR_NOOP("图像来源"),
    "resolution": QT_TR_NOOP("分辨率"),
    "fps": QT_TR_NOOP("帧率"),
    "audio_device": QT_TR_NOOP("音频设备"),
    "sample_rate": QT_TR_NOOP("采样率"),
    "level_dbfs": QT_TR_NOOP("电平（dBFS）"),
    "peak_dbfs": QT_TR_NOOP("峰值（dBFS）"),
}

# the test actions, by the stable name the console reads
ACTION_LABELS = {
    "none": QT_TR_NOOP("不做测试动作，只查状态"),
    "read_card": QT_TR_NOOP("读卡"),
    "print_test_slip": QT_TR_NOOP("打印测试凭条"),
    "print_test_page": QT_TR_NOOP("打印测试页"),
    "capture_frames": QT_TR_NOOP("连续取帧"),
    "scan_code": QT_TR_NOOP("取帧并识别二维码"),
    "open_port": QT_TR_NOOP("打开端口"),
    "record": QT_TR_NOOP("录音2秒"),
    "play_back": QT_TR_NOOP("回放录音并播报测试语音"),
}

Identity = dict[str, str | int | float]


@dataclass(frozen=True)
class CheckResult:
    family: str  # one of CHECK_FAMILIES
    device: str  # the configured device: "<table>/<driver>", e.g. "idcard/ga467"
    identity: Identity
    action: str  # one of ACTION_LABELS
    ok: bool
    code: str  # OK, or a health code (NO_DEVICE, PAPER_OUT …), or a check's own (NO_CARD …)
    message: Text  # the verdict's reason, Simplified Chinese marked for translation
    detail: str = ""  # for staff: what the driver said; never personal data

    def as_json(self, translate: Callable[[str], str] = lambda text: text) -> dict[str, object]:
        return {"family": self.family, "device": self.device, "identity": dict(self.identity),
                "action": self.action, "ok": self.ok, "code": self.code,
                "message": self.message.render(translate), "detail": self.detail}


@dataclass(frozen=True)
class CheckOptions:
    actions: bool = True  # False: identity and health only (selftest)
    card_wait_s: float = 10.0  # how long a reader waits for a card to be placed
    # told to the technician while the check waits for them (place a card …)
    prompt: Callable[[Text], None] = field(default=lambda _text: None)


# what a failed health means, in a sentence for the technician
_HEALTH_REASONS = {
    "NO_DEVICE": QT_TR_NOOP("设备未连接或打不开"),
    "PCSC_UNAVAILABLE": QT_TR_NOOP("PC/SC 服务（pcscd）没有运行"),
    "SAM_NO_ANSWER": QT_TR_NOOP("安全模块（SAM）没有应答：端口或波特率不对，或模块故障"),
    "SAM_BAD_ANSWER": QT_TR_NOOP("安全模块（SAM）应答错乱：波特率不对或线缆不良"),
    "SAM_ERROR": QT_TR_NOOP("安全模块（SAM）报告故障"),
    "CARD_READ_FAILED": QT_TR_NOOP("读卡失败"),
    "PAPER_OUT": QT_TR_NOOP("缺纸"),
    "PAPER_LOW": QT_TR_NOOP("纸将尽"),
    "COVER_OPEN": QT_TR_NOOP("纸仓盖未关"),
    "PAPER_JAM": QT_TR_NOOP("卡纸"),
    "TONER_OUT": QT_TR_NOOP("墨粉用完"),
    "TONER_LOW": QT_TR_NOOP("墨粉不足"),
    "PRINTER_STOPPED": QT_TR_NOOP("打印队列已停止"),
    "QUEUE_PAUSED": QT_TR_NOOP("打印队列已暂停，A4 打印不可用（详情里有暂停者和要执行的命令）"),
    "PRINTER_ERROR": QT_TR_NOOP("打印机故障"),
    "PRINT_TIMEOUT": QT_TR_NOOP("打印超时"),
    "CAPTURE_FAILED": QT_TR_NOOP("摄像头打开了但取不到图像"),
    "NO_AUDIO_DEVICE": QT_TR_NOOP("没有可用的扬声器"),
    "ASR_UNAVAILABLE": QT_TR_NOOP("语音识别不可用"),
}


def health_reason(health: Health) -> Text:
    """Why a device is not ok, in words; the code itself when it has none of its own."""
    reason = _HEALTH_REASONS.get(health.code)
    return tr(reason) if reason else tr("设备报告 {code}", code=health.code)


class Reporting(Protocol):
    def health(self) -> Health: ...


def current_health(device: Reporting, *ask: str) -> Health:
    """The device's health from the first of the driver's methods named in `ask` that it has
    (`probe`, `check`: they ask the device now, without starting its worker), else the health
    it last reported (a simulator's)."""
    for name in ask:
        method = getattr(device, name, None)
        if callable(method) and isinstance(health := method(), Health):
            return health
    return device.health()


def verdict_from_health(health: Health) -> tuple[bool, str, Text]:
    """ok, code and sentence for a device whose health is all there is to say."""
    if health.ok:
        return True, "OK", tr("设备正常")
    if health.state is HealthState.DEGRADED:  # works, but someone must see to it soon
        return True, health.code, tr("可以使用，但需要处理：{reason}", reason=health_reason(health))
    return False, health.code, tr("不可用：{reason}", reason=health_reason(health))


@dataclass(frozen=True)
class DeviceSetup:
    """What the configuration says about one device (`devices.<table>` in the profile)."""

    table: str  # idcard, receipt_printer, speech …
    driver: str
    port: str = ""
    baud: int = 115200

    @property
    def name(self) -> str:
        return f"{self.table}/{self.driver}"


def check_families_of(table: str) -> tuple[str, ...]:
    """The check families a configured device table is checked as."""
    return TABLES.get(table, ())


TABLES: Mapping[str, tuple[str, ...]] = {
    "idcard": ("idcard",),
    "sscard": ("sscard",),
    "receipt_printer": ("receipt",),
    "a4_printer": ("a4",),
    "face_camera": ("camera",),
    "document_camera": ("document_camera",),
    "qr_scanner": ("scanner",),
    "speech": ("microphone", "speaker"),
}
