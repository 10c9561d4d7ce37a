"""The document camera's image work: find the page, straighten it, make it readable, file it.

Pure functions over numpy images, so they run in any worker and are tested without a camera:

- `find_document(image)` finds the page or card: its four corners in pixels, clockwise from the
  top-left. Candidates come from several cues (bright low-colour paper against the desk, edges),
  each candidate's sides are then refitted to the strongest edge nearby at full resolution,
  and the candidate whose border has the strongest paper-versus-desk contrast wins.
- `straighten(image, corners)` corrects the perspective; a page comes out at A4 proportions and
  a card at ID-card proportions when it is close to them.
- `enhance(image, mode)`: colour, grey, or black-and-white with shadows removed.
- `StillnessWatch` says when the page has lain still for N frames (auto-capture).
- `pages_to_pdf` and `pages_to_jpegs` file the result. Printed copies (an ID card's two sides
  at true size, scanned pages) are composed in one place only: `devices.printer.a4`.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import cv2
import numpy as np

A4_MM = (210.0, 297.0)
ID_CARD_MM = (85.6, 54.0)
MM_PER_INCH = 25.4


class Enhancement(StrEnum):
    COLOUR = "colour"
    GREY = "grey"
    BLACK_WHITE = "bw"


@dataclass(frozen=True)
class FoundDocument:
    corners: np.ndarray  # 4x2 float32, clockwise from top-left, in the input's pixels
    kind: str  # "page", "card" or "other", from its proportions
    support: float  # 0..1: how much of the border has a clear paper-to-desk edge

    def corner_list(self) -> list[list[float]]:
        return [[round(float(x), 1), round(float(y), 1)] for x, y in self.corners]


# ------------------------------------------------------------------ finding the document


def order_corners(points: np.ndarray) -> np.ndarray:
    """Clockwise from the corner nearest the up-left direction, as a person reads the page."""
    points = np.asarray(points, np.float32).reshape(4, 2)
    centre = points.mean(axis=0)
    angles = np.arctan2(points[:, 1] - centre[1], points[:, 0] - centre[0])
    points = points[np.argsort(angles)]  # image y points down: increasing angle = clockwise
    angles = np.sort(angles)
    up_left = -3 * np.pi / 4
    distance = np.abs(np.angle(np.exp(1j * (angles - up_left))))
    return np.roll(points, -int(np.argmin(distance)), axis=0)


def _quad_from_contour(contour: np.ndarray) -> np.ndarray | None:
    hull = cv2.convexHull(contour)
    perimeter = cv2.arcLength(hull, True)
    for eps in (0.01, 0.02, 0.03, 0.05, 0.08):
        approx = cv2.approxPolyDP(hull, eps * perimeter, True)
        if len(approx) == 4:
            return approx.reshape(4, 2).astype(np.float32)
    if len(hull) >= 4:  # rounded corners or a bite out of the page: the enclosing rectangle
        return cv2.boxPoints(cv2.minAreaRect(hull)).astype(np.float32)
    return None


def _masks(small: np.ndarray):
    """Binary guesses of where the document is."""
    lab = cv2.cvtColor(small, cv2.COLOR_BGR2LAB)
    lightness = lab[..., 0]
    chroma = cv2.magnitude(lab[..., 1].astype(np.float32) - 128, lab[..., 2].astype(np.float32)
                           - 128)
    # light uneven across the desk: flatten it with a very wide blur before thresholding
    paperness = lightness.astype(np.float32) - 1.5 * chroma
    paperness = cv2.normalize(paperness, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (9, 9))
    smooth_paper = cv2.GaussianBlur(paperness, (0, 0), 2.0)
    block = (min(small.shape[:2]) // 3) | 1
    thresholded = [
        cv2.threshold(smooth_paper, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1],
        cv2.threshold(cv2.GaussianBlur(lightness, (0, 0), 2.0), 0, 255,
                      cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1],
        # light falling across the desk: paper is lighter than what is around it, not than
        # the whole frame
        cv2.adaptiveThreshold(smooth_paper, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY,
                              block, -8),
    ]
    for mask in thresholded:
        # close the page's dark print, open away the desk's bright texture
        mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, kernel, iterations=2)
        yield cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel), cv2.RETR_EXTERNAL
    edges = cv2.Canny(cv2.GaussianBlur(lightness, (0, 0), 2.0), 30, 90)
    edges = cv2.morphologyEx(edges, cv2.MORPH_CLOSE,
                             cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    yield edges, cv2.RETR_LIST


def _candidates(small: np.ndarray):
    area = small.shape[0] * small.shape[1]
    for mask, mode in _masks(small):
        contours, _ = cv2.findContours(mask, mode, cv2.CHAIN_APPROX_SIMPLE)
        for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:4]:
            if cv2.contourArea(contour) < 0.04 * area:
                break
            quad = _quad_from_contour(contour)
            if quad is not None:
                yield quad


def _refine_side(grad_n, p0: np.ndarray, p1: np.ndarray, search: float):
    """Points of strongest paper-to-desk edge across the side p0→p1, for a line fit."""
    direction = p1 - p0
    length = float(np.hypot(*direction))
    if length < 10:
        return None
    direction /= length
    normal = np.float32([direction[1], -direction[0]])  # points outward for a clockwise quad
    ts = np.linspace(0.08, 0.92, 40)
    offsets = np.arange(-search, search + 1, 1.0, dtype=np.float32)
    samples = p0[None, None, :] + (ts[:, None, None] * length) * direction[None, None, :] \
        + offsets[None, :, None] * normal[None, None, :]
    map_x = samples[..., 0].astype(np.float32)
    map_y = samples[..., 1].astype(np.float32)
    gx, gy = grad_n
    vx = cv2.remap(gx, map_x, map_y, cv2.INTER_LINEAR, borderValue=0)
    vy = cv2.remap(gy, map_x, map_y, cv2.INTER_LINEAR, borderValue=0)
    # paper inside is lighter: the gradient along the outward normal is negative at the edge
    strength = -(vx * normal[0] + vy * normal[1])
    best = np.argmax(strength, axis=1)
    peak = strength[np.arange(len(ts)), best]
    good = peak > max(4.0, 0.35 * float(np.median(peak)))
    if good.sum() < 8:
        return None
    points = samples[np.arange(len(ts)), best][good]
    return points.astype(np.float32), float(np.mean(good)), float(np.median(peak[good]))


def _intersect(line_a, line_b):
    (vx1, vy1, x1, y1), (vx2, vy2, x2, y2) = line_a, line_b
    det = vx1 * (-vy2) - vy1 * (-vx2)
    if abs(det) < 1e-6:
        return None
    t = ((x2 - x1) * (-vy2) - (y2 - y1) * (-vx2)) / det
    return np.float32([x1 + t * vx1, y1 + t * vy1])


def _refine(grad, quad: np.ndarray, search: float):
    """Refit each side to the edge, intersect neighbours; returns (corners, support)."""
    lines, supports, strengths = [], [], []
    for i in range(4):
        found = _refine_side(grad, quad[i], quad[(i + 1) % 4], search)
        if found is None:
            return None
        points, support, strength = found
        line = cv2.fitLine(points, cv2.DIST_HUBER, 0, 0.01, 0.01).reshape(4)
        lines.append(line)
        supports.append(support)
        strengths.append(strength)
    corners = []
    for i in range(4):
        point = _intersect(lines[(i - 1) % 4], lines[i])
        if point is None:
            return None
        corners.append(point)
    corners = np.float32(corners)
    if float(np.max(np.abs(corners - quad))) > 3 * search:
        return None  # the fit ran off to some other line
    return corners, float(np.mean(supports)) * min(1.0, float(np.mean(strengths)) / 40.0)


def _border_contrast(grey: np.ndarray, corners: np.ndarray, offset: float) -> float:
    """The weakest side's step from paper inside to desk outside (grey levels).

    An outline found inside the page (a table, a block of text) has paper outside some side,
    so it scores low however crisp its edges are.
    """
    weakest = 255.0
    ts = np.linspace(0.1, 0.9, 24, dtype=np.float32)
    for i in range(4):
        p0, p1 = corners[i], corners[(i + 1) % 4]
        direction = p1 - p0
        length = float(np.hypot(*direction)) or 1.0
        normal = np.float32([direction[1], -direction[0]]) / length
        base = p0[None, :] + ts[:, None] * direction[None, :]
        sides = []
        for sign in (-1.0, 1.0):
            pts = (base + sign * offset * normal[None, :]).astype(np.float32)
            values = cv2.remap(grey, pts[:, 0].reshape(1, -1), pts[:, 1].reshape(1, -1),
                               cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
            sides.append(float(np.median(values)))
        weakest = min(weakest, sides[0] - sides[1])
    return weakest


def _kind(corners: np.ndarray) -> str:
    sides = [float(np.hypot(*(corners[(i + 1) % 4] - corners[i]))) for i in range(4)]
    long_side = (sides[0] + sides[2]) / 2
    short_side = (sides[1] + sides[3]) / 2
    ratio = max(long_side, short_side) / max(min(long_side, short_side), 1.0)
    # a guess from the outline: A4 is 1.41, a card 1.59, and a tilt blurs the two; a flow
    # that knows what it asked for passes `kind` instead
    if 1.25 <= ratio < 1.5:
        return "page"
    if 1.5 <= ratio <= 1.8:
        return "card"
    return "other"


def find_document(image: np.ndarray, work_width: int = 640) -> FoundDocument | None:
    """The page or card in `image` (BGR), or None when there is none to be seen."""
    height, width = image.shape[:2]
    scale = min(1.0, work_width / width)
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) \
        if scale < 1.0 else image
    grey = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    smooth = cv2.GaussianBlur(grey, (0, 0), 1.2).astype(np.float32)
    grad = (cv2.Sobel(smooth, cv2.CV_32F, 1, 0, ksize=3) / 8,
            cv2.Sobel(smooth, cv2.CV_32F, 0, 1, ksize=3) / 8)
    best: tuple[float, np.ndarray] | None = None
    frame_area = small.shape[0] * small.shape[1]
    search = max(6.0, 0.03 * small.shape[1])
    for quad in _candidates(small):
        quad = order_corners(quad)
        refined = _refine(grad, quad, search)
        if refined is None:
            continue
        corners, support = refined
        corners = order_corners(corners)
        area = cv2.contourArea(corners)
        if area < 0.04 * frame_area or area > 0.98 * frame_area:
            continue
        if not cv2.isContourConvex(corners.reshape(-1, 1, 2).astype(np.int32)):
            continue
        # a second, finer pass around the refitted sides
        again = _refine(grad, corners, search / 3)
        if again is not None:
            corners, support = order_corners(again[0]), again[1]
        contrast = _border_contrast(smooth, corners, offset=max(4.0, search / 2))
        if contrast < 8.0:
            continue
        score = support * (area / frame_area) ** 0.5 * min(1.0, contrast / 40.0)
        if best is None or score > best[0]:
            best = (score, corners)
    if best is None or best[0] < 0.08:
        return None
    corners = best[1] / scale
    corners[:, 0] = corners[:, 0].clip(0, width - 1)
    corners[:, 1] = corners[:, 1].clip(0, height - 1)
    return FoundDocument(corners.astype(np.float32), _kind(corners), min(1.0, best[0]))


# ------------------------------------------------------------------ straightening, enhancing


def straighten(image: np.ndarray, corners: np.ndarray, long_side_px: int | None = None,
               kind: str | None = None) -> np.ndarray:
    """The document seen from straight above; A4 or ID-card proportions when it is one."""
    c = np.asarray(corners, np.float32)
    top = np.hypot(*(c[1] - c[0]))
    bottom = np.hypot(*(c[2] - c[3]))
    left = np.hypot(*(c[3] - c[0]))
    right = np.hypot(*(c[2] - c[1]))
    width, height = max(top, bottom), max(left, right)
    kind = kind or _kind(c)
    ratio = None
    if kind == "page":
        ratio = A4_MM[1] / A4_MM[0]
    elif kind == "card":
        ratio = ID_CARD_MM[0] / ID_CARD_MM[1]
    long_side = long_side_px or int(max(width, height))
    if ratio is not None:
        if width >= height:
            width, height = long_side, long_side / ratio
        else:
            width, height = long_side / ratio, long_side
    else:
        factor = long_side / max(width, height)
        width, height = width * factor, height * factor
    w, h = round(width), round(height)
    target = np.float32([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]])
    matrix = cv2.getPerspectiveTransform(c, target)
    return cv2.warpPerspective(image, matrix, (w, h), flags=cv2.INTER_CUBIC,
                               borderMode=cv2.BORDER_REPLICATE)


def _background(channel: np.ndarray) -> np.ndarray:
    """The paper's own brightness under the light that fell on it (print removed).

    A closing wider than any print (a title bar, a photo) leaves only the paper; worked at a
    quarter size, since light varies slowly.
    """
    height, width = channel.shape[:2]
    small = cv2.resize(channel, (max(1, width // 4), max(1, height // 4)),
                       interpolation=cv2.INTER_AREA)
    size = max(7, (min(small.shape[:2]) // 8) | 1)
    closed = cv2.morphologyEx(small, cv2.MORPH_CLOSE,
                              cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size)))
    closed = cv2.GaussianBlur(closed, (0, 0), size / 2)
    return cv2.resize(closed, (width, height), interpolation=cv2.INTER_LINEAR)


def _flatten(channel: np.ndarray) -> np.ndarray:
    background = _background(channel).astype(np.float32)
    flat = channel.astype(np.float32) / np.maximum(background, 1.0) * 245.0
    return np.clip(flat, 0, 255).astype(np.uint8)


def enhance(image: np.ndarray, mode: Enhancement | str = Enhancement.COLOUR) -> np.ndarray:
    """Make a straightened page readable: even light, white paper, crisp print.

    `colour` keeps seals and photos, `grey` for forms, `bw` for text pages: it divides out the
    shadow first, so a dark corner does not turn black.
    """
    mode = Enhancement(mode)
    if mode is Enhancement.COLOUR:
        channels = [_flatten(channel) for channel in cv2.split(image)]
        return cv2.merge(channels)
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    flat = _flatten(grey)
    if mode is Enhancement.GREY:
        return flat
    # the light is divided out already, so one threshold serves the whole page and solid
    # print (a title bar, a photo) stays solid
    otsu, _ = cv2.threshold(flat, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return cv2.threshold(flat, float(np.clip(otsu, 120, 215)), 255, cv2.THRESH_BINARY)[1]


# ------------------------------------------------------------------ auto-capture


class StillnessWatch:
    """Says "capture now" once a document has lain still for `frames` frames in a row.

    Then it waits until that document is taken away or clearly moved before it says so again,
    so one page is captured once however long it lies there.
    """

    def __init__(self, frames: int = 8, tolerance: float = 0.008) -> None:
        self.frames = frames
        self.tolerance = tolerance  # of the document's diagonal, per frame
        self._last: np.ndarray | None = None
        self._still = 0
        self._captured: np.ndarray | None = None

    def reset(self) -> None:
        self._last, self._still, self._captured = None, 0, None

    def feed(self, corners: np.ndarray | None) -> bool:
        if corners is None:
            self._last, self._still, self._captured = None, 0, None
            return False
        diagonal = float(np.hypot(*(corners[2] - corners[0])))
        if self._captured is not None:
            if float(np.max(np.abs(corners - self._captured))) > 0.1 * diagonal:
                self._captured = None  # a new page, or this one moved: watch again
            else:
                return False
        moved = self._last is None or \
            float(np.max(np.abs(corners - self._last))) > self.tolerance * diagonal
        self._last = corners
        self._still = 0 if moved else self._still + 1
        if self._still >= self.frames:
            self._captured, self._still = corners, 0
            return True
        return False


# ------------------------------------------------------------------ filing


def _pil(image: np.ndarray):
    from PIL import Image

    if image.ndim == 2:
        return Image.fromarray(image)
    return Image.fromarray(cv2.cvtColor(image, cv2.COLOR_BGR2RGB))


def encode_jpeg(image: np.ndarray, quality: int = 90) -> bytes:
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("image could not be encoded")
    return data.tobytes()


def pages_to_pdf(pages: Sequence[np.ndarray], dpi: int = 200) -> bytes:
    """One PDF, a page per image; every page scaled to A4 width at `dpi`."""
    if not pages:
        raise ValueError("no pages")
    a4_width = round(A4_MM[0] / MM_PER_INCH * dpi)
    images = []
    for page in pages:
        factor = a4_width / page.shape[1]
        scaled = cv2.resize(page, (a4_width, round(page.shape[0] * factor)),
                            interpolation=cv2.INTER_AREA if factor < 1 else cv2.INTER_CUBIC)
        images.append(_pil(scaled).convert("RGB") if scaled.ndim == 3 else _pil(scaled))
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return buffer.getvalue()


def pages_to_jpegs(pages: Sequence[np.ndarray], folder: Path, stem: str = "page") -> list[Path]:
    """Each page as `stem-01.jpg`, `stem-02.jpg` … in `folder` (which the person chose)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, page in enumerate(pages, 1):
        path = folder / f"{stem}-{number:02d}.jpg"
        path.write_bytes(encode_jpeg(page))
        paths.append(path)
    return paths
