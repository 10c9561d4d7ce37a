"""Camera frames with QR codes and barcodes in them, made on the spot from a seed.

For the simulator (a code held up to the scanner), the tests and `bench/qr.py`: the same seed
gives the same frame, so a corpus is reproducible without shipping images. A frame imitates
what a kiosk camera sees: a code somewhere on a cluttered background, small or large, turned,
tilted, blurred, noisy, with glare or low contrast.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import barcode
import cv2
import numpy as np
import segno

# what citizens hold up: receipts, e-ID and payment links, numbers, Chinese text
_PAYLOADS = (
    "https://zwfw.example.gov.cn/progress?no={n}",
    "办件编号：{n}，请凭此码查询办理进度",
    "{n}",
    "电子证照|身份证明|{n}|有效",
    "PAY:{n}:AMOUNT=35.00",
    "社保卡电子凭证 {n}",
    "预约号 A{n} 请到3号窗口",
    "http://example.org/r/{n}",
)
_LINEAR = ("code128", "ean13", "code39")


@dataclass(frozen=True)
class CodeScene:
    """One generated frame and what a decoder ought to find in it."""

    image: np.ndarray = field(repr=False)  # BGR
    format: str  # "QRCode", "Code128", "EAN13", "Code39"
    text: str
    conditions: tuple[str, ...]  # what was done to it, for the bench's failure table


def qr_matrix(text: str, error: str = "m") -> np.ndarray:
    """The modules of a (never micro) QR code, 1 = dark, without the quiet zone."""
    code = segno.make(text, error=error, micro=False)
    return np.array(list(code.matrix), dtype=np.uint8)


def linear_modules(kind: str, text: str) -> tuple[np.ndarray, str]:
    """The bars of a 1D barcode (1 = bar) and the text a reader returns for it."""
    symbol = barcode.get_barcode_class(kind)(text, add_checksum=False) if kind == "code39" \
        else barcode.get_barcode_class(kind)(text)
    bars = np.array([int(c) for c in symbol.build()[0]], dtype=np.uint8)
    return bars, symbol.get_fullcode() if kind == "ean13" else text


def render_code(modules: np.ndarray, module_px: int, quiet: int = 4,
                bar_height: int = 0) -> np.ndarray:
    """A black-on-white grey image of a code; a 1D code when `modules` is one row of bars."""
    if modules.ndim == 1:
        height = bar_height or max(40, 30 * module_px)
        img = np.repeat(modules[None, :], 1, axis=0)
        img = np.pad(img, ((0, 0), (quiet * 3, quiet * 3)))
        img = np.repeat(np.repeat(img, height, axis=0), module_px, axis=1)
        img = np.pad(img, ((module_px * quiet, module_px * quiet), (0, 0)))
    else:
        img = np.pad(modules, quiet)
        img = np.kron(img, np.ones((module_px, module_px), dtype=np.uint8))
    return (255 - img * 255).astype(np.uint8)


def background(rng: np.random.Generator, width: int, height: int) -> np.ndarray:
    """A cluttered scene: a tinted gradient, blobs, lines and text-like strokes, noise."""
    small_w, small_h = width // 8, height // 8  # a smooth gradient: made small, enlarged
    yy, xx = np.mgrid[0:small_h, 0:small_w].astype(np.float32)
    base = rng.uniform(60, 200, 3)
    slope = rng.uniform(-60, 60, 3)
    img = np.empty((small_h, small_w, 3), np.float32)
    for c in range(3):
        img[..., c] = base[c] + slope[c] * (xx / small_w - 0.5) \
            + slope[2 - c] * (yy / small_h - 0.5)
    img = cv2.resize(np.clip(img, 0, 255).astype(np.uint8), (width, height),
                     interpolation=cv2.INTER_LINEAR)
    for _ in range(int(rng.integers(5, 15))):
        colour = tuple(int(v) for v in rng.integers(0, 255, 3))
        centre = (int(rng.integers(0, width)), int(rng.integers(0, height)))
        if rng.random() < 0.5:
            axes = (int(rng.integers(20, 300)), int(rng.integers(20, 300)))
            cv2.ellipse(img, centre, axes, float(rng.uniform(0, 180)), 0, 360, colour, -1)
        else:
            end = (int(rng.integers(0, width)), int(rng.integers(0, height)))
            cv2.line(img, centre, end, colour, int(rng.integers(1, 8)))
    for _ in range(int(rng.integers(3, 10))):  # printed text near the code, as on a receipt
        org = (int(rng.integers(0, width - 200)), int(rng.integers(20, height)))
        cv2.putText(img, "".join(rng.choice(list("0123456789ABCDEFXYZ"), 12)), org,
                    cv2.FONT_HERSHEY_SIMPLEX, float(rng.uniform(0.5, 1.5)), (20, 20, 20), 2)
    return img


def _place(canvas: np.ndarray, code: np.ndarray, rng: np.random.Generator, angle: float,
           tilt: float) -> None:
    """Warp `code` (grey) onto `canvas` with a rotation and a perspective tilt."""
    h, w = code.shape
    ch, cw = canvas.shape[:2]
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    centre = np.array([w / 2, h / 2], dtype=np.float32)
    rad = np.deg2rad(angle)
    rot = np.array([[np.cos(rad), -np.sin(rad)], [np.sin(rad), np.cos(rad)]], dtype=np.float32)
    dst = (src - centre) @ rot.T
    # tilt: one side nearer the camera than the other
    shrink = 1 - tilt
    side = int(rng.integers(0, 4))
    a, b = side, (side + 1) % 4
    mid = (dst[a] + dst[b]) / 2
    dst[a] = mid + (dst[a] - mid) * shrink
    dst[b] = mid + (dst[b] - mid) * shrink
    span = dst.max(axis=0) - dst.min(axis=0)
    margin = 10
    ox = rng.uniform(margin, max(margin + 1, cw - span[0] - margin)) - dst[:, 0].min()
    oy = rng.uniform(margin, max(margin + 1, ch - span[1] - margin)) - dst[:, 1].min()
    dst = dst + np.array([ox, oy], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    paper = np.full((h, w), 255, np.uint8)
    warped = cv2.warpPerspective(code, matrix, (cw, ch), flags=cv2.INTER_LINEAR,
                                 borderValue=255)
    mask = cv2.warpPerspective(paper, matrix, (cw, ch), flags=cv2.INTER_NEAREST) > 0
    # paper a little off-white, lit like the rest of the scene
    ink = warped.astype(np.float32) / 255.0
    tone = rng.uniform(215, 250)
    dark = rng.uniform(10, 50)
    value = dark + (tone - dark) * ink
    for c in range(3):
        channel = canvas[..., c]
        channel[mask] = value[mask].astype(np.uint8)


def make_scene(seed: int, width: int = 1920, height: int = 1080,
               kind: str | None = None) -> CodeScene:
    """One frame from `seed`; `kind` forces "qr" or a 1D kind, otherwise one is drawn."""
    rng = np.random.default_rng(seed)
    if kind is None:
        kind = "qr" if rng.random() < 0.75 else str(rng.choice(_LINEAR))
    conditions: list[str] = []
    if kind == "qr":
        number = int(rng.integers(10**9, 10**12))
        text = str(rng.choice(_PAYLOADS)).format(n=number)
        modules = qr_matrix(text, error=str(rng.choice(["l", "m", "q"])))
        small = rng.random() < 0.3
        module_px = int(rng.integers(2, 4) if small else rng.integers(3, 9))
        code = render_code(modules, module_px)
        fmt = "QRCode"
        if small:
            conditions.append("small")
    else:
        if kind == "ean13":
            text = "".join(str(d) for d in rng.integers(0, 10, 12))
        elif kind == "code39":
            text = "".join(rng.choice(list("0123456789ABCDEFGHJK"), int(rng.integers(6, 12))))
        else:
            text = f"ZW{int(rng.integers(10**9, 10**10))}"
        bars, text = linear_modules(kind, text)
        module_px = int(rng.integers(2, 5))
        code = render_code(bars, module_px)
        fmt = {"code128": "Code128", "ean13": "EAN13", "code39": "Code39"}[kind]
    img = background(rng, width, height)
    angle = float(rng.uniform(-180, 180) if kind == "qr" else rng.uniform(-35, 35))
    if abs(angle) > 10:
        conditions.append("rotated")
    tilt = float(rng.uniform(0, 0.3)) if rng.random() < 0.5 else 0.0
    if tilt > 0.05:
        conditions.append("perspective")
    _place(img, code, rng, angle, tilt)
    if rng.random() < 0.3:  # glare: a bright spot from the hall lights
        conditions.append("glare")
        # drawn at an eighth of the size and enlarged: it is smooth, and a wide blur is slow
        glare = np.zeros((height // 8, width // 8), np.float32)
        centre = (int(rng.integers(0, width)) // 8, int(rng.integers(0, height)) // 8)
        cv2.circle(glare, centre, int(rng.integers(80, 300)) // 8, 1.0, -1)
        glare = cv2.GaussianBlur(glare, (0, 0), 60 / 8) * float(rng.uniform(80, 160))
        glare = cv2.resize(glare, (width, height), interpolation=cv2.INTER_LINEAR)
        img = cv2.add(img, cv2.merge([glare, glare, glare]), dtype=cv2.CV_8U)
    if rng.random() < 0.3:
        conditions.append("low_contrast")
        factor = float(rng.uniform(0.35, 0.6))
        img = cv2.addWeighted(img, factor, img, 0.0, 128 * (1 - factor))
    if rng.random() < 0.4:
        conditions.append("blur")
        if rng.random() < 0.5:
            img = cv2.GaussianBlur(img, (0, 0), float(rng.uniform(0.6, 1.6)))
        else:  # motion: a hand moving the phone
            length = int(rng.integers(3, 8))
            kernel = np.zeros((length, length), np.float32)
            kernel[length // 2, :] = 1 / length
            turn = cv2.getRotationMatrix2D((length / 2, length / 2), float(rng.uniform(0, 180)),
                                           1)
            kernel = cv2.warpAffine(kernel, turn, (length, length))
            img = cv2.filter2D(img, -1, kernel / max(kernel.sum(), 1e-6))
    if rng.random() < 0.5:
        conditions.append("noise")
        noise = rng.standard_normal(img.shape, dtype=np.float32) * np.float32(
            rng.uniform(4, 14))
        img = cv2.add(img, noise, dtype=cv2.CV_8U)
    return CodeScene(img, fmt, text, tuple(conditions))
