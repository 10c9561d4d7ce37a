"""The code-reading libraries we measured, behind one small call each.

Each decoder takes a grey (or BGR) image and returns the `Code`s it found. They differ in what
they find and in how long they may take; `bench/qr.py` measures them and `pipeline.py` uses the
ones that earned their place. Format names are zxing-cpp's (`QRCode`, `EAN13`, `Code128` …)
whichever library read the code.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

import cv2
import numpy as np

from devices.codes.payload import Code, make_code

Decoder = Callable[[np.ndarray], list[Code]]

_ZBAR_NAMES = {
    "QRCODE": "QRCode", "EAN13": "EAN13", "EAN8": "EAN8", "UPCA": "UPCA", "UPCE": "UPCE",
    "CODE128": "Code128", "CODE39": "Code39", "CODE93": "Code93", "I25": "ITF",
    "CODABAR": "Codabar", "PDF417": "PDF417", "DATABAR": "DataBar",
}


def _grey(image: np.ndarray) -> np.ndarray:
    return image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


def _formats():
    import zxingcpp

    # what citizens bring: QR (receipts, e-ID, payment), Data Matrix and PDF417 on documents,
    # the common 1D codes on forms and goods; fewer formats = less time and fewer false reads
    wanted = ("QRCode", "DataMatrix", "PDF417", "EAN13", "EAN8", "UPCA", "UPCE",
              "Code128", "Code39", "Code93", "ITF", "Codabar")
    return zxingcpp.BarcodeFormats([getattr(zxingcpp.BarcodeFormat, name) for name in wanted])


_zxing_formats = None


def zxing(image: np.ndarray, *, try_harder: bool = True) -> list[Code]:
    """zxing-cpp: the broadest reader (QR, Data Matrix, PDF417, 1D), any rotation."""
    import zxingcpp

    global _zxing_formats
    if _zxing_formats is None:
        _zxing_formats = _formats()
    found = zxingcpp.read_barcodes(
        _grey(image), formats=_zxing_formats, try_rotate=True, try_downscale=try_harder,
        try_invert=False, text_mode=zxingcpp.TextMode.Plain)
    codes = []
    for result in found:
        name = result.format.name if hasattr(result.format, "name") else str(result.format)
        code = make_code(name.removeprefix("BarcodeFormat."), bytes(result.bytes))
        if code is not None:
            codes.append(code)
    return codes


def zbar(image: np.ndarray) -> list[Code]:
    """pyzbar (libzbar0): QR and the 1D codes with a check digit or a strict structure.

    Interleaved 2 of 5, Codabar and DataBar are left out: on noisy frames zbar "reads" them
    in texture. A 1D read must be seen on two scan lines at least.
    """
    from pyzbar import pyzbar

    symbols = [pyzbar.ZBarSymbol[name] for name in
               ("QRCODE", "EAN13", "EAN8", "UPCA", "UPCE", "CODE128", "CODE39", "CODE93")]
    codes = []
    for result in pyzbar.decode(_grey(image), symbols=symbols):
        if result.type != "QRCODE" and (result.quality or 0) < 2:
            continue
        code = make_code(_ZBAR_NAMES.get(result.type, result.type), result.data)
        if code is not None:
            codes.append(code)
    return codes


_local = threading.local()  # OpenCV detectors are not safe to share between threads
_Detector = TypeVar("_Detector")


def _detector(name: str, factory: Callable[[], _Detector]) -> _Detector:
    detector: _Detector | None = getattr(_local, name, None)
    if detector is None:
        detector = factory()
        setattr(_local, name, detector)
    return detector


def _opencv_results(texts: Sequence[str]) -> list[Code]:
    codes = []
    for text in texts:
        code = make_code("QRCode", text) if text else None
        if code is not None:
            codes.append(code)
    return codes


def opencv_qr(image: np.ndarray) -> list[Code]:
    """OpenCV's QRCodeDetector: QR only."""
    detector = _detector("qr", cv2.QRCodeDetector)
    ok, texts, _points, _ = detector.detectAndDecodeMulti(_grey(image))
    return _opencv_results(texts) if ok else []


def opencv_qr_aruco(image: np.ndarray) -> list[Code]:
    """OpenCV's QRCodeDetectorAruco: QR only, another finder-pattern search."""
    detector = _detector("aruco", cv2.QRCodeDetectorAruco)
    ok, texts, _points, _ = detector.detectAndDecodeMulti(_grey(image))
    return _opencv_results(texts) if ok else []


def wechat(image: np.ndarray) -> list[Code]:
    """OpenCV contrib's WeChat detector without its CNN files (none can be fetched here).

    Measured unsafe on its own: seconds on some noisy frames. Only for the bench, in a worker
    that is abandoned at a deadline.
    """
    detector = _detector("wechat", cv2.wechat_qrcode.WeChatQRCode)
    texts, _points = detector.detectAndDecode(_grey(image))
    return _opencv_results(texts)


DECODERS: dict[str, Decoder] = {
    "zxing-cpp": zxing,
    "pyzbar": zbar,
    "opencv-qr": opencv_qr,
    "opencv-qr-aruco": opencv_qr_aruco,
    "opencv-wechat": wechat,
}
