"""Which device families exist, which drivers each offers, and building them from config.

The composition root asks `build_devices(settings.devices)` and gets every configured device;
nothing else needs to know whether a real driver or a simulator runs behind a family.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from common.i18n import QT_TR_NOOP
from devices.cards import CardEvents
from devices.health import Fault, Health, HealthListener, HealthState
from devices.simulated import SimulatedDevice

if TYPE_CHECKING:  # the families' ports: each driver's factory returns its family's port, so
    # the type checker holds every driver and simulator to it; the modules load with a driver
    from devices.camera.document_camera import DocumentCamera
    from devices.camera.face import FaceCamera
    from devices.cards import CardReader
    from devices.codes.scanners import CodeScanner
    from devices.printer.a4 import A4Printer
    from devices.printer.receipt_printer import ReceiptPrinter


class Device(Protocol):
    family: str

    def health(self) -> Health: ...

    def on_health_change(self, listener: HealthListener) -> None: ...


class DeviceConfig(Protocol):
    driver: str
    port: str


DeviceFactory = Callable[[str, DeviceConfig], Device]


def _simulator(family: str, _config: DeviceConfig) -> Device:
    return SimulatedDevice(family)


def _idcard_simulator(family: str, _config: DeviceConfig) -> CardReader:
    from devices.idcard.simulator import IdCardSimulator

    return IdCardSimulator(family)


def _idcard_ga467(family: str, config: DeviceConfig) -> CardReader:
    # imported here: the driver (and pyserial) load only when a real reader is configured
    from devices.idcard.reader import DEFAULT_BAUD, Ga467Reader

    return Ga467Reader(config.port, getattr(config, "baud", DEFAULT_BAUD), family=family)


def _sscard_simulator(family: str, _config: DeviceConfig) -> CardReader:
    from devices.sscard.simulator import SsCardSimulator

    return SsCardSimulator(family)


def _sscard_pcsc(family: str, config: DeviceConfig) -> CardReader:
    # imported here: the driver (and pyscard) load only when a real reader is configured;
    # `port` is part of the PC/SC reader name, empty for the first reader
    from devices.sscard.reader import PcscSsCardReader

    return PcscSsCardReader(config.port, family=family)


def _document_camera_simulator(family: str, _config: DeviceConfig) -> DocumentCamera:
    from devices.camera.simulated import SimulatedDocumentCamera

    return SimulatedDocumentCamera(family)


def _document_camera_opencv(family: str, config: DeviceConfig) -> DocumentCamera:
    # imported here: OpenCV loads only when a camera family is configured. `port`: a device
    # index ("0"), a device path, or image/video files; 5 MP asked, the camera gives its best
    from devices.camera.document_camera import DocumentCamera
    from devices.camera.frames import Camera, source_from_port

    return DocumentCamera(Camera(family, source_from_port(config.port, 2592, 1944)))


def _face_camera_simulator(family: str, _config: DeviceConfig) -> FaceCamera:
    from devices.camera.simulated import SimulatedFaceCamera

    return SimulatedFaceCamera(family)


def _face_camera_opencv(family: str, config: DeviceConfig) -> FaceCamera:
    from devices.camera.face import FaceCamera
    from devices.camera.frames import Camera, source_from_port

    return FaceCamera(Camera(family, source_from_port(config.port, 1280, 720)))


def _qr_scanner_simulator(family: str, _config: DeviceConfig) -> CodeScanner:
    from devices.camera.simulated import SimulatedCodeScanner

    return SimulatedCodeScanner(family)


def _qr_scanner_camera(family: str, config: DeviceConfig) -> CodeScanner:
    from devices.camera.frames import Camera, source_from_port
    from devices.codes.scanners import CameraCodeScanner

    return CameraCodeScanner(Camera(family, source_from_port(config.port, 1920, 1080)))


def _qr_scanner_serial(family: str, config: DeviceConfig) -> CodeScanner:
    from devices.codes.scanners import SerialCodeScanner

    return SerialCodeScanner(config.port, getattr(config, "baud", 9600), family=family)


def _qr_scanner_keyboard(family: str, _config: DeviceConfig) -> CodeScanner:
    # a USB scanner that types: the shell feeds key presses to it (see KeyboardWedge)
    from devices.codes.scanners import KeyboardWedge

    return KeyboardWedge(family=family)


def _no_picture() -> Fault:
    return Fault("CAPTURE_FAILED", HealthState.ERROR, QT_TR_NOOP("无法取得图像"))


def _receipt_simulator(family: str, _config: DeviceConfig) -> ReceiptPrinter:
    from devices.printer.simulated import SimulatedReceiptPrinter

    return SimulatedReceiptPrinter(family)


def _receipt_escpos(family: str, config: DeviceConfig) -> ReceiptPrinter:
    # imported here: python-escpos and the transports load only when a real printer is set up
    from devices.printer.receipt_printer import EscposReceiptPrinter

    return EscposReceiptPrinter.from_port(config.port, getattr(config, "baud", 115200),
                                          family=family)


def _a4_simulator(family: str, _config: DeviceConfig) -> A4Printer:
    from devices.printer.simulated import SimulatedA4Printer

    return SimulatedA4Printer(family)


def _a4_cups(family: str, config: DeviceConfig) -> A4Printer:
    from devices.printer.a4_printer import CupsA4Printer

    return CupsA4Printer.from_port(config.port, family=family,
                                   settle_s=getattr(config, "settle_s", 8.0))


def _a4_pdf(family: str, config: DeviceConfig) -> A4Printer:
    from devices.printer.a4_printer import PdfA4Printer

    # the folder the PDFs go to; relative to the repository root like every configured path
    folder = Path(config.port or "var/kiosk/a4-pdf")
    if not folder.is_absolute():
        folder = Path(__file__).resolve().parent.parent / folder
    return PdfA4Printer(folder, family=family)


def _speech_simulator(family: str, _config: DeviceConfig) -> Device:
    from devices.speech.simulated import SimulatedSpeech

    return SimulatedSpeech(family)


def _speech_vosk(family: str, config: DeviceConfig) -> Device:
    # vosk, espeak-ng and PortAudio load only when real speech is configured
    from devices.speech.device import build_speech
    from devices.speech.vosk_engine import VoskEngine

    def configured(key: str) -> str:
        model = getattr(config, key, "")
        if model and not Path(model).is_absolute():
            model = str(Path(__file__).resolve().parent.parent / model)
        return model

    cantonese = configured("cantonese_model")
    return build_speech(VoskEngine(configured("model")), config.port, family,
                        VoskEngine(cantonese, "devices.speech.cantonese_model")
                        if cantonese else None)


def _speech_pocketsphinx(family: str, config: DeviceConfig) -> Device:
    from devices.speech.device import build_speech
    from devices.speech.pocketsphinx_engine import PocketsphinxEngine

    return build_speech(PocketsphinxEngine(), config.port, family)


def _unplugged(code: str = "NO_DEVICE") -> Fault:
    return Fault(code, HealthState.OFFLINE, QT_TR_NOOP("设备未连接"))


@dataclass(frozen=True)
class DeviceFamily:
    name: str
    label: str  # Simplified Chinese, marked for translation
    faults: tuple[Fault, ...]
    drivers: Mapping[str, DeviceFactory] = field(default_factory=lambda: {"simulator": _simulator})


FAMILIES: dict[str, DeviceFamily] = {
    family.name: family
    for family in (
        DeviceFamily(
            "idcard",
            QT_TR_NOOP("身份证阅读器"),
            (_unplugged(), Fault("CARD_READ_FAILED", HealthState.ERROR, QT_TR_NOOP("读卡失败"))),
            {"simulator": _idcard_simulator, "ga467": _idcard_ga467},
        ),
        DeviceFamily(
            "sscard",
            QT_TR_NOOP("社保卡读卡器"),
            (_unplugged(), Fault("CARD_READ_FAILED", HealthState.ERROR, QT_TR_NOOP("读卡失败"))),
            {"simulator": _sscard_simulator, "pcsc": _sscard_pcsc},
        ),
        DeviceFamily(
            "document_camera", QT_TR_NOOP("高拍仪"), (_unplugged(), _no_picture()),
            {"simulator": _document_camera_simulator, "opencv": _document_camera_opencv},
        ),
        DeviceFamily(
            "face_camera", QT_TR_NOOP("人脸摄像头"), (_unplugged(), _no_picture()),
            {"simulator": _face_camera_simulator, "opencv": _face_camera_opencv},
        ),
        DeviceFamily(
            "qr_scanner", QT_TR_NOOP("扫码器"), (_unplugged(), _no_picture()),
            {"simulator": _qr_scanner_simulator, "camera": _qr_scanner_camera,
             "serial": _qr_scanner_serial, "keyboard": _qr_scanner_keyboard},
        ),
        DeviceFamily(
            "receipt_printer",
            QT_TR_NOOP("凭条打印机"),
            (
                _unplugged(),
                Fault("PAPER_LOW", HealthState.DEGRADED, QT_TR_NOOP("纸将尽")),
                Fault("PAPER_OUT", HealthState.ERROR, QT_TR_NOOP("缺纸")),
                Fault("COVER_OPEN", HealthState.ERROR, QT_TR_NOOP("纸仓盖未关")),
            ),
            {"simulator": _receipt_simulator, "escpos": _receipt_escpos},
        ),
        DeviceFamily(
            "a4_printer",
            QT_TR_NOOP("A4打印机"),
            (
                _unplugged(),
                Fault("PAPER_OUT", HealthState.ERROR, QT_TR_NOOP("缺纸")),
                Fault("TONER_LOW", HealthState.DEGRADED, QT_TR_NOOP("墨粉不足")),
                Fault("QUEUE_PAUSED", HealthState.ERROR, QT_TR_NOOP("打印队列已暂停")),
            ),
            {"simulator": _a4_simulator, "cups": _a4_cups, "pdf": _a4_pdf},
        ),
        DeviceFamily(
            "speech",
            QT_TR_NOOP("语音（扬声器与麦克风）"),
            (
                _unplugged("NO_AUDIO_DEVICE"),
                Fault("ASR_UNAVAILABLE", HealthState.DEGRADED, QT_TR_NOOP("语音识别不可用")),
            ),
            {"simulator": _speech_simulator, "espeak-vosk": _speech_vosk,
             "espeak-pocketsphinx": _speech_pocketsphinx},
        ),
    )
}


class Devices:
    """The devices this terminal runs, by family, in configuration order."""

    def __init__(self, devices: Mapping[str, Device]) -> None:
        self.by_family = dict(devices)

    def health_report(self) -> dict[str, Health]:
        return {family: device.health() for family, device in self.by_family.items()}

    def on_health_change(self, listener: HealthListener) -> None:
        for device in self.by_family.values():
            device.on_health_change(listener)

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        """Start the devices that watch for something (card readers, cameras) in workers,
        delivering their events to `loop`."""
        for device in self.by_family.values():
            if isinstance(events := getattr(device, "events", None), CardEvents):
                events.bind(loop)
            if callable(start := getattr(device, "start", None)):
                start()

    def stop(self) -> None:
        for device in self.by_family.values():
            if callable(stop := getattr(device, "stop", None)):
                stop()


def build_devices(configs: Mapping[str, DeviceConfig]) -> Devices:
    """One device per configured family; `kiosk.settings` has already checked the names."""
    return Devices(
        {
            family: FAMILIES[family].drivers[config.driver](family, config)
            for family, config in configs.items()
        }
    )
