"""Reading codes from camera frames: the cascade chosen by measurement (`bench/qr.py`).

1. zxing-cpp on the whole grey frame. It finds most codes in tens of milliseconds; then on a
   sharpened half-size copy, which reads large codes out of focus.
2. If neither found anything: look for places that look like a code (dense edges, a stripe pattern
   or a square of modules), cut each one out turned upright, enlarge it when the modules are
   small, and try zxing-cpp and then pyzbar on a few cleaned-up versions of the cut-out. This
   reads what step 1 misses: 1D barcodes held at an angle, small, blurred or faint codes.

Every step checks a deadline, so a frame never costs more than its budget however noisy it is;
pyzbar runs only on small cut-outs, where it is quick. OpenCV's QR detectors and the WeChat
detector did not earn a place (see the README's figures).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import cv2
import numpy as np

from devices.codes.decoders import zbar, zxing
from devices.codes.payload import Code

DEFAULT_BUDGET_S = 0.3  # the last step may overrun it by ~0.1 s: worst frames stay < 0.5 s


@dataclass(frozen=True)
class Region:
    """A place in the frame that looks like a code: a turned rectangle in frame pixels."""

    centre: tuple[float, float]
    size: tuple[float, float]
    angle: float
    elongated: bool  # a 1D barcode's stripe pattern rather than a 2D square


def _unique(codes: list[Code]) -> list[Code]:
    seen: dict[tuple[str, str], Code] = {}
    for code in codes:
        seen.setdefault((code.format, code.text), code)
    return list(seen.values())


def candidate_regions(grey: np.ndarray, limit: int = 8) -> list[Region]:
    """Where codes may be: strong edges close together, in blobs of a code's proportions.

    Worked on a half-size image (fast, and fine for finding); returned in full-size pixels.
    """
    scale = 960 / grey.shape[1] if grey.shape[1] > 960 else 1.0
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    gx = cv2.Sobel(small, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(small, cv2.CV_32F, 0, 1, ksize=3)
    magnitude = cv2.magnitude(gx, gy)
    magnitude = cv2.blur(magnitude, (5, 5))
    # codes are among the busiest places: keep the top edge energy, relative to the frame
    threshold = max(float(np.percentile(magnitude, 90)), 0.5 * float(magnitude.max()) * 0.25)
    mask = (magnitude > threshold).astype(np.uint8) * 255
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE,
                            cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9)))
    # opening cuts away lines and text strokes that cross or touch a code
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN,
                            cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (13, 13)))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    regions = []
    min_area = 250  # a 21-module QR at 1.5 px per module, seen at half size
    for contour in sorted(contours, key=cv2.contourArea, reverse=True)[: limit * 4]:
        area = cv2.contourArea(contour)
        if area < min_area:
            continue
        (cx, cy), (w, h), angle = cv2.minAreaRect(contour)
        if min(w, h) < 4:
            continue
        fill = area / max(w * h, 1)
        if fill < 0.45:
            continue  # a line or a ring, not a block of modules
        ratio = max(w, h) / min(w, h)
        if ratio > 8:
            continue
        # the long side horizontal: an upright crop reads a barcode's bars across
        if w < h:
            w, h, angle = h, w, angle + 90
        regions.append(Region((cx / scale, cy / scale), (w / scale, h / scale), angle,
                              ratio > 1.6))
    # squares first (2D codes; text lines are long and thin), then the largest
    regions.sort(key=lambda r: (r.elongated, -r.size[0] * r.size[1]))
    return regions[:limit]


def cut_out(grey: np.ndarray, region: Region, margin: float = 0.25) -> np.ndarray:
    """The region turned upright, with a margin for the quiet zone."""
    w, h = region.size
    w, h = w * (1 + 2 * margin) + 16, h * (1 + 2 * margin) + 16
    matrix = cv2.getRotationMatrix2D(region.centre, region.angle, 1.0)
    matrix[0, 2] += w / 2 - region.centre[0]
    matrix[1, 2] += h / 2 - region.centre[1]
    return cv2.warpAffine(grey, matrix, (int(w), int(h)), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_REPLICATE)


def _versions(crop: np.ndarray):
    """Cleaned-up versions of a cut-out, likeliest first.

    Enlarged first: decoders need about three pixels per module, and a small code held at
    arm's length has two or fewer.
    """
    short = min(crop.shape[:2])
    factor = min(3.0, 320 / max(short, 1)) if short < 320 else min(1.0, 800 / short)
    if factor != 1.0:
        crop = cv2.resize(crop, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
    yield crop
    stretched = cv2.createCLAHE(clipLimit=3.0, tileGridSize=(4, 4)).apply(crop)
    yield stretched  # faint codes, glare
    blurred = cv2.GaussianBlur(stretched, (0, 0), 2.0 * max(factor, 1.0))
    yield cv2.addWeighted(stretched, 2.0, blurred, -1.0, 0)  # unsharp: blurred modules
    smooth = cv2.GaussianBlur(crop, (0, 0), 0.7 * max(factor, 1.0))  # noise: smooth first
    yield cv2.threshold(smooth, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1]


def read_codes(image: np.ndarray, budget_s: float = DEFAULT_BUDGET_S) -> list[Code]:
    """Every code found in `image` (BGR or grey), within about `budget_s` seconds.

    The deadline is checked between steps; one step on a cut-out takes a few milliseconds, and
    the whole-frame step is bounded by zxing-cpp's own speed on a 1080p frame (tens of ms).
    """
    deadline = time.perf_counter() + budget_s
    grey = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    if grey.shape[1] > 2000:  # a 4K document camera: codes are large enough at 1080p
        factor = 1920 / grey.shape[1]
        grey = cv2.resize(grey, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    codes = zxing(grey)
    if codes:
        return _unique(codes)
    # a large code out of focus: at half size its blur is half as wide, and sharpening
    # restores the module edges (a few milliseconds)
    half = cv2.resize(grey, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    codes = zxing(cv2.addWeighted(half, 2.0, cv2.GaussianBlur(half, (0, 0), 2.0), -1.0, 0),
                  try_harder=False)
    if codes:
        return _unique(codes)
    for region in candidate_regions(grey):
        crop = cut_out(grey, region)
        for version in _versions(crop):
            if time.perf_counter() > deadline:
                return []
            codes = zxing(version, try_harder=False)
            if not codes and time.perf_counter() < deadline:
                codes = zbar(version)
            if codes:
                return _unique(codes)
    return []
