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
MAX_LINES = (24, 36)  # the straight edges a document's sides are looked for among (desk, pad)
SHORT_SEGMENT = 8  # pixels: LSD's pieces of a faint edge on a plain pad add up to a line
LINE_NOISE = 2.0  # grey levels of noise LSD is shown: its gradient threshold is 5.2
MIN_SCORE = 0.08  # below it, an outline is not shown as a document
LIGHT_GROUND = 150  # median grey of a frame that is mostly a light pad
PRINT_SHARE = 0.004  # of the frame in thin dark strokes: print is there
LINE_REACH = 0.012  # of the width: how far a side found as a line may be off
PLAUSIBLE = (1.2, 1.84)  # long over short side of a page (1.25-1.59) or card (1.41-1.81) at a tilt
IMPLAUSIBLE = 0.6  # an outline of other proportions still counts, for less
WIDENED = 2  # rounds of looking for the chosen outline's sides further out
SHARP = 0.6  # the least share of its step a little further out that an edge shows at it


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


def _masks(lab: np.ndarray, pad: tuple[np.ndarray, float] | None):
    """Binary guesses of where the document is (`pad`: the plain pad's fit, or None)."""
    lightness = lab[..., 0]
    chroma = cv2.magnitude(lab[..., 1].astype(np.float32) - 128, lab[..., 2].astype(np.float32)
                           - 128)
    # light uneven across the desk: flatten it with a very wide blur before thresholding
    paperness = lightness.astype(np.float32) - 1.5 * chroma
    # OpenCV's stubs make dst required; None (a new array) is what its bindings take
    paperness = cv2.normalize(paperness, None, 0, 255,  # pyright: ignore[reportCallIssue, reportArgumentType]
                              cv2.NORM_MINMAX).astype(np.uint8)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (9, 9))
    smooth_paper = cv2.GaussianBlur(paperness, (0, 0), 2.0)
    block = (min(lab.shape[:2]) // 3) | 1
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
    if pad is not None:
        yield from _off_the_pad(cv2.GaussianBlur(lab, (0, 0), 1.5), pad)


def _pad_fit(lab: np.ndarray) -> tuple[np.ndarray, float] | None:
    """A smooth surface's coefficients fitted to the frame's border, and the spread about it.

    A document camera's pad is plain and fills the frame's border (the document lies inside),
    so a smooth surface fitted to the border's Lab values is the pad under this light (a
    ramp, the lamp brighter in the middle); fingers or a shadow on the border are dropped as
    outliers. None for a textured desk, which no smooth surface describes.
    """
    height, width = lab.shape[:2]
    band = max(6, int(0.05 * min(height, width)))
    yy, xx = np.mgrid[0:height:3, 0:width:3]
    border = (yy < band) | (yy >= height - band) | (xx < band) | (xx >= width - band)
    x, y = xx[border] / width - 0.5, yy[border] / height - 0.5
    terms = np.stack([np.ones_like(x), x, y, x * x, x * y, y * y], axis=1)
    values = lab[yy[border], xx[border]].astype(np.float64)
    keep = np.ones(len(values), bool)
    coef, spread = np.zeros((6, 3)), 0.0
    for _ in range(3):
        if keep.sum() < 30:
            return None
        # least squares through the 6x6 normal equations: the terms are well scaled, and
        # lstsq on thousands of rows cost ~20 ms a call
        chosen = terms[keep]
        coef = np.linalg.solve(chosen.T @ chosen, chosen.T @ values[keep])
        residual = np.linalg.norm(values - terms @ coef, axis=1)
        spread = 1.4826 * float(np.median(residual[keep])) + 0.3
        keep = residual < 3.0 * spread
    if spread > 6.0 or keep.mean() < 0.5:
        return None
    return coef, spread


def _pad_model(shape: tuple[int, ...], coef: np.ndarray) -> np.ndarray:
    """The plain pad's colour at every pixel of a frame of `shape`, from `_pad_fit`."""
    height, width = shape[:2]
    gx = (np.arange(width, dtype=np.float32) / width - 0.5)[None, :]
    gy = (np.arange(height, dtype=np.float32) / height - 0.5)[:, None]
    # a column part plus a row part times x: one pass over the frame per channel
    return np.stack([(c[0] + c[2] * gy + c[5] * gy * gy) + (c[1] + c[3] * gx + c[4] * gy) * gx
                     for c in coef.T.astype(np.float32)], axis=-1)


def _off_the_pad(smooth: np.ndarray, pad: tuple[np.ndarray, float]):
    """Where the picture differs from the plain pad: the document (lighter, or just other)."""
    coef, spread = pad
    diff = smooth.astype(np.float32) - _pad_model(smooth.shape, coef)
    lighter = diff[..., 0]
    other = np.sqrt(diff[..., 0] ** 2 + 2.0 * (diff[..., 1] ** 2 + diff[..., 2] ** 2))
    threshold = max(3.0, 3.5 * spread)
    # a finger is narrower than this: the opening cuts it off the page's outline
    finger = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (19, 19))
    print_gap = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (9, 9))
    for difference in (lighter, other):
        mask = (difference > threshold).astype(np.uint8) * 255
        mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, print_gap, iterations=2)
        yield cv2.morphologyEx(mask, cv2.MORPH_OPEN, finger), cv2.RETR_EXTERNAL


# ------------------------------------------------------------------ quadrilaterals from lines


def _lines(grey: np.ndarray, plain: bool) -> tuple[list[np.ndarray], np.ndarray]:
    """Straight edges: LSD's segments merged into lines (ax + by = c, unit normal, length),
    and a map of every segment drawn, to check a side against.

    On a plain pad a paper's faint edge comes in short pieces, which count together; on a
    textured desk the page's edge is crisp, and short pieces are the desk's grain."""
    height, width = grey.shape[:2]
    found = cv2.createLineSegmentDetector().detect(grey)[0]
    drawn = np.zeros((height, width), np.uint8)
    if found is None:
        return [], drawn
    segments = found.reshape(-1, 4)
    lengths = np.hypot(segments[:, 2] - segments[:, 0], segments[:, 3] - segments[:, 1])
    for x0, y0, x1, y1 in segments[lengths >= 6]:
        cv2.line(drawn, (round(x0), round(y0)), (round(x1), round(y1)), 255, 3)
    long_enough = 0.06 * min(height, width)
    lines: list[list[float]] = []  # normal angle, offset, total length
    for i in np.argsort(-lengths):
        if lengths[i] < (SHORT_SEGMENT if plain else long_enough):
            break
        x0, y0, x1, y1 = segments[i]
        theta = (np.arctan2(y1 - y0, x1 - x0) + np.pi / 2) % np.pi
        rho = x0 * np.cos(theta) + y0 * np.sin(theta)
        for line in lines:  # a side broken by a finger or a glare is one line
            turn = abs(theta - line[0])
            if min(turn, np.pi - turn) < np.deg2rad(2.5):
                other = rho if turn < np.pi / 2 else -rho
                if abs(other - line[1]) < 4.0:
                    line[2] += float(lengths[i])
                    break
        else:
            lines.append([float(theta), float(rho), float(lengths[i])])
    lines = sorted((line for line in lines if line[2] >= long_enough), key=lambda line: -line[2])
    lines = lines[:60]
    most = MAX_LINES[plain]
    if len(lines) > most:
        # a document's side has the document on one side of it only; a line of print or a
        # table's rule has print on both: keep the lines with the least on their far side
        ys, xs = np.nonzero(drawn[::4, ::4])
        xs, ys = xs * 4.0, ys * 4.0
        far = []
        for theta, rho, _ in lines:
            side = xs * np.cos(theta) + ys * np.sin(theta) - rho
            far.append(min(int((side > 3).sum()), int((side < -3).sum())) / max(len(xs), 1))
        order = np.argsort(far, kind="stable")
        lines = [lines[i] for i in order[:most]]
    return [np.array(line) for line in lines], drawn


def _line_quads(grey: np.ndarray, plain: bool, keep: int = 6) -> list[np.ndarray]:
    """The quadrilaterals that four of the picture's straight edges make, best first.

    A side that a thumb or a glare hides in part still has the rest of its edge, which
    region-based cues lose; each is checked against the segments actually seen along it.
    All combinations at once, as arrays: a few thousand quadrilaterals cost milliseconds.
    """
    height, width = grey.shape[:2]
    lines, drawn = _lines(grey, plain)
    if len(lines) < 4:
        return []
    theta = np.array([line[0] for line in lines])
    rho = np.array([line[1] for line in lines])
    normals = np.stack([np.cos(theta), np.sin(theta)], axis=1)
    # every two lines' crossing (Cramer's rule); near-parallel ones have none
    det = normals[:, None, 0] * normals[None, :, 1] - normals[:, None, 1] * normals[None, :, 0]
    safe = np.where(np.abs(det) < 0.2, np.nan, det)
    cross_x = (rho[:, None] * normals[None, :, 1] - rho[None, :] * normals[:, None, 1]) / safe
    cross_y = (normals[:, None, 0] * rho[None, :] - normals[None, :, 0] * rho[:, None]) / safe
    turn = np.abs(theta[:, None] - theta[None, :])
    turn = np.minimum(turn, np.pi - turn)
    first, second = np.nonzero(np.triu(turn < np.deg2rad(20), 1))  # opposite sides
    if len(first) < 2:
        return []
    p, q = np.nonzero(np.triu(np.ones((len(first), len(first)), bool), 1))
    i, j, k, m = first[p], second[p], first[q], second[q]
    usable = (turn[i, k] > np.deg2rad(60)) & (i != k) & (i != m) & (j != k) & (j != m)
    i, j, k, m = i[usable], j[usable], k[usable], m[usable]
    order = ((i, k), (k, j), (j, m), (m, i))  # around the quadrilateral
    quads = np.stack([np.stack([cross_x[a, b], cross_y[a, b]], axis=-1) for a, b in order],
                     axis=1)  # n x 4 x 2
    slack = 0.05 * min(height, width)  # a corner at the frame's edge may fall just outside
    inside = np.all(np.isfinite(quads), axis=(1, 2)) \
        & np.all((quads[..., 0] > -slack) & (quads[..., 0] < width + slack)
                 & (quads[..., 1] > -slack) & (quads[..., 1] < height + slack), axis=1)
    quads = quads[inside]
    edges = np.roll(quads, -1, axis=1) - quads
    turns = edges[:, :, 0] * np.roll(edges, -1, axis=1)[:, :, 1] \
        - edges[:, :, 1] * np.roll(edges, -1, axis=1)[:, :, 0]
    convex = np.all(turns > 0, axis=1) | np.all(turns < 0, axis=1)
    area = 0.5 * np.abs(np.sum(quads[:, :, 0] * np.roll(quads, -1, axis=1)[:, :, 1]
                               - np.roll(quads, -1, axis=1)[:, :, 0] * quads[:, :, 1], axis=1))
    frame_area = float(height * width)
    good = convex & (area >= 0.04 * frame_area) & (area <= 0.98 * frame_area)
    quads, edges, area = quads[good], edges[good], area[good]
    if not len(quads):
        return []
    ts = np.linspace(0.05, 0.95, 24)
    samples = quads[:, :, None, :] + ts[None, None, :, None] * edges[:, :, None, :]
    xs = samples[..., 0].round().astype(int).clip(0, width - 1)
    ys = samples[..., 1].round().astype(int).clip(0, height - 1)
    cover = (drawn[ys, xs] > 0).mean(axis=2)  # n x 4: how much of each side was seen
    score = np.where(cover.min(axis=1) >= 0.3, cover.mean(axis=1) * np.sqrt(area / frame_area),
                     -1.0)
    best = np.argsort(-score)[:keep]
    return [order_corners(quads[n].astype(np.float32)) for n in best if score[n] > 0]


def _candidates(small: np.ndarray, lab: np.ndarray, pad: tuple[np.ndarray, float] | None):
    """Outlines to try, each with how far its sides may be off (a share of the width).

    Lines are where the edges are, to a pixel or two; a region's outline is rounder, so its
    sides are looked for further out (and may then catch print near the edge: the outermost
    good outline wins in the end)."""
    grey = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY).astype(np.float32)
    # a white page on a white pad is a step of a few grey levels, under LSD's gradient
    # threshold: it looks at the picture with its slow light taken out and the rest amplified
    detail = cv2.GaussianBlur(grey, (0, 0), 1.5) - cv2.GaussianBlur(grey, (0, 0), 8.0)
    noise = 1.4826 * float(np.median(np.abs(detail - cv2.GaussianBlur(detail, (0, 0), 2.0))))
    gain = float(np.clip(LINE_NOISE / max(noise, 1e-3), 1.0, 8.0))
    for quad in _line_quads(np.clip(128 + gain * detail, 0, 255).astype(np.uint8),
                            pad is not None):
        yield quad, LINE_REACH
    area = small.shape[0] * small.shape[1]
    for mask, mode in _masks(lab, pad):
        contours, _ = cv2.findContours(mask, mode, cv2.CHAIN_APPROX_SIMPLE)
        for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:4]:
            if cv2.contourArea(contour) < 0.04 * area:
                break
            quad = _quad_from_contour(contour)
            if quad is not None:
                yield quad, 0.03


def _refine_side(grad_n: tuple[np.ndarray, np.ndarray], p0: np.ndarray, p1: np.ndarray,
                 search: float, polarity: float, least_edge: float
                 ) -> tuple[np.ndarray, float, float] | None:
    """Points of strongest paper-to-desk edge across the side p0→p1, for a line fit.

    `polarity` +1: the document is lighter than what lies beyond this side; -1: darker (a
    pale card on a white pad, or a side where the pad is in the lamp's light)."""
    direction = p1 - p0
    length = float(np.hypot(*direction))
    if length < 10:
        return None
    direction /= length
    # points outward for a clockwise quad
    normal = np.array([direction[1], -direction[0]], dtype=np.float32)
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
    strength = -polarity * (vx * normal[0] + vy * normal[1])
    best = np.argmax(strength, axis=1)
    peak = strength[np.arange(len(ts)), best]
    good = peak > max(least_edge, 0.35 * float(np.median(peak)))
    if good.sum() < 8:
        return None
    # the peak between samples: a parabola through it and its neighbours
    rows = np.arange(len(ts))
    before = strength[rows, np.maximum(best - 1, 0)]
    after = strength[rows, np.minimum(best + 1, len(offsets) - 1)]
    bend = before - 2 * peak + after
    shift = np.where(bend < -1e-6, 0.5 * (before - after) / np.where(bend < -1e-6, bend, -1.0),
                     0.0).clip(-0.5, 0.5)
    points = (samples[rows, best] + shift[:, None] * normal[None, :])[good]
    return points.astype(np.float32), float(np.mean(good)), float(np.median(peak[good]))


def _intersect(line_a: np.ndarray, line_b: np.ndarray) -> np.ndarray | None:
    (vx1, vy1, x1, y1), (vx2, vy2, x2, y2) = line_a, line_b
    det = vx1 * (-vy2) - vy1 * (-vx2)
    if abs(det) < 1e-6:
        return None
    t = ((x2 - x1) * (-vy2) - (y2 - y1) * (-vx2)) / det
    return np.array([x1 + t * vx1, y1 + t * vy1], dtype=np.float32)


def _refine(grad: tuple[np.ndarray, np.ndarray], quad: np.ndarray, search: float,
            polarity: Sequence[float] = (1.0,) * 4, clear_edge: float = 40.0,
            least_edge: float = 4.0) -> tuple[np.ndarray, float] | None:
    """Refit each side to the edge, intersect neighbours; returns (corners, support).

    `clear_edge`: the edge strength (grey levels a pixel) that counts as fully clear;
    `least_edge`: the least that counts as an edge at all."""
    lines, supports, strengths = [], [], []
    for i in range(4):
        found = _refine_side(grad, quad[i], quad[(i + 1) % 4], search, polarity[i], least_edge)
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
    corners = np.array(corners, dtype=np.float32)
    if float(np.max(np.abs(corners - quad))) > 3 * search:
        return None  # the fit ran off to some other line
    return corners, float(np.mean(supports)) * min(1.0, float(np.mean(strengths)) / clear_edge)


def _sides(corners: np.ndarray):
    """Each side of the outline: its start and end corner, its direction (end minus start) and
    its unit normal (the direction turned a quarter clockwise in image coordinates)."""
    for i in range(4):
        p0, p1 = corners[i], corners[(i + 1) % 4]
        direction = p1 - p0
        length = float(np.hypot(*direction)) or 1.0
        yield p0, p1, direction, np.array([direction[1], -direction[0]], np.float32) / length


def _widened(grad: tuple[np.ndarray, np.ndarray], corners: np.ndarray, least_edge: float):
    """`corners` with one side moved outward, parallel, to the outermost clear edge beyond it.

    The edge is looked for across the whole side at once (the median along it, so a finger
    or a glare does not count), up to 60 % of the outline's depth further out."""
    centre = corners.mean(axis=0)
    ts = np.linspace(0.1, 0.9, 24, dtype=np.float32)
    for i, (p0, p1, direction, normal) in enumerate(_sides(corners)):
        if float(np.dot(p0 - centre, normal)) < 0:
            normal = -normal  # outward, whichever way the corners run
        depth = 2.0 * float(np.dot(p0 - centre, normal))
        offsets = np.arange(3.0, max(4.0, 0.6 * depth), 1.0, dtype=np.float32)
        if len(offsets) < 3:
            continue
        samples = (p0 + ts[:, None] * direction)[:, None, :] + offsets[None, :, None] * normal
        map_x, map_y = samples[..., 0].astype(np.float32), samples[..., 1].astype(np.float32)
        along = cv2.remap(grad[0], map_x, map_y, cv2.INTER_LINEAR, borderValue=0) * normal[0] \
            + cv2.remap(grad[1], map_x, map_y, cv2.INTER_LINEAR, borderValue=0) * normal[1]
        profile = np.abs(np.median(along, axis=0))
        # the median along a whole side wavers far less than one pixel: a faint edge stands out
        wobble = 1.4826 * float(np.median(np.abs(profile - np.median(profile))))
        clear = max(0.5 * least_edge, 6.0 * wobble)
        peaks = np.nonzero((profile[1:-1] > clear) & (profile[1:-1] >= profile[:-2])
                           & (profile[1:-1] >= profile[2:]))[0]
        if not len(peaks):
            continue
        shift = float(offsets[peaks[-1] + 1]) * normal
        before, after = corners[(i - 1) % 4], corners[(i + 2) % 4]
        # the neighbouring sides stay where they are: the moved side's ends slide along them
        moved = []
        for corner, neighbour in ((p0, before), (p1, after)):
            line_a = np.array([*(corner - neighbour), *neighbour], np.float32)
            line_b = np.array([*direction, *(corner + shift)], np.float32)
            point = _intersect(line_a, line_b)
            if point is None:
                break
            moved.append(point)
        else:
            quad = corners.copy()
            quad[i], quad[(i + 1) % 4] = moved
            yield quad


def _border_steps(grey: np.ndarray, corners: np.ndarray, offset: float) -> list[float]:
    """Each side's step from inside to outside (grey levels, positive: lighter inside).

    An outline found inside the page (a table, a block of text) has paper outside some side,
    so its weakest step is small however crisp its edges are.
    """
    steps = []
    ts = np.linspace(0.1, 0.9, 24, dtype=np.float32)
    for p0, _p1, direction, normal in _sides(corners):
        base = p0[None, :] + ts[:, None] * direction[None, :]
        sides = []
        for sign in (-1.0, 1.0):
            pts = (base + sign * offset * normal[None, :]).astype(np.float32)
            values = cv2.remap(grey, pts[:, 0].reshape(1, -1), pts[:, 1].reshape(1, -1),
                               cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
            sides.append(float(np.median(values)))
        steps.append(sides[0] - sides[1])
    return steps


def _border_contrast(grey: np.ndarray, corners: np.ndarray, offset: float,
                     polarity: Sequence[float] = (1.0,) * 4, slack: float = 0.0) -> float:
    """The weakest side's step from document to surroundings, each in its side's polarity.

    One side may be up to `slack` weaker than the next weakest: a pale card on a white pad
    can match the pad along one side where the lamp evens them out."""
    steps = sorted(sign * step for sign, step in
                   zip(polarity, _border_steps(grey, corners, offset), strict=True))
    return min(steps[1], steps[0] + slack)


def _print_inside(strokes: np.ndarray, corners: np.ndarray, offset: float) -> bool:
    """Whether print runs along the inside of the outline (text, not a card's plain rim)."""
    centre = corners.mean(axis=0)
    inset = [(corners + (centre - corners) * (step / max(1.0, float(np.hypot(*(
        centre - corners[0])))))).astype(np.int32) for step in (2.0, offset)]
    band = np.zeros(strokes.shape, np.uint8)
    cv2.fillConvexPoly(band, inset[0], 1)
    cv2.fillConvexPoly(band, inset[1], 0)
    inside = band.astype(bool)
    return bool(inside.any()) and float(strokes[inside].mean()) > 0.1


def _proportion(corners: np.ndarray) -> float:
    """Long side over short side, each averaged with its opposite."""
    sides = [float(np.hypot(*(corners[(i + 1) % 4] - corners[i]))) for i in range(4)]
    long_side = (sides[0] + sides[2]) / 2
    short_side = (sides[1] + sides[3]) / 2
    return max(long_side, short_side) / max(min(long_side, short_side), 1.0)


def _plausible(corners: np.ndarray) -> bool:
    """Proportions an A4 page (1.41) or an ID card (1.59) can show, tilted up to ~20°.

    A card's photo box with its text, or a card with its shadow, is squarer or longer."""
    return PLAUSIBLE[0] <= _proportion(corners) <= PLAUSIBLE[1]


def _kind(corners: np.ndarray) -> str:
    ratio = _proportion(corners)
    # a guess from the outline: A4 is 1.41, a card 1.59, and a tilt blurs the two; a flow
    # that knows what it asked for passes `kind` instead
    if 1.25 <= ratio < 1.5:
        return "page"
    if 1.5 <= ratio <= 1.8:
        return "card"
    return "other"


def _noise(smooth: np.ndarray, grad: tuple[np.ndarray, np.ndarray]) -> tuple[float, float]:
    """How much the picture wavers where nothing is (grey levels; gradient), robustly."""
    fine = smooth - cv2.GaussianBlur(smooth, (0, 0), 2.0)
    return (1.4826 * float(np.median(np.abs(fine[::2, ::2]))),
            float(np.median(cv2.magnitude(grad[0][::2, ::2], grad[1][::2, ::2]))))


def _outermost(found: list[tuple[float, bool, np.ndarray]], plain: bool
               ) -> tuple[float, bool, np.ndarray]:
    """The best outline (score, whether its sides were seen as lines, corners), or a good
    one around it.

    Print makes crisp straight edges too (a title bar, a table): an outline of three page
    sides and a table's rule can beat the page's own fainter edge against a light pad. The
    document is the outermost such outline, so one that encloses the best wins if it is
    nearly as good and its four sides are straight edges seen in the picture; not one many
    times its size, though (a checked mat's grid around a card), nor a region's blob (a hand
    and its shadow around a page). On a `plain` pad, where no grid is, a region's blob may be
    enclosed by one up to three times its size: under the lamp's glare the blob of a page
    can stop at its table, half the page.
    """
    best = max(found, key=lambda item: item[0])
    while True:
        score, lines, inner = best
        area = cv2.contourArea(inner)
        shaped = _plausible(inner)
        most = area * (3.0 if plain and not lines else 2.0)
        around = [item for item in found if item[0] >= 0.3 * score and item[1]
                  and (_plausible(item[2]) or not shaped)
                  and 1.03 * area < cv2.contourArea(item[2]) < most
                  and all(cv2.pointPolygonTest(item[2].reshape(-1, 1, 2), (float(x), float(y)),
                                               True) >= -3.0 for x, y in inner)]
        if not around:
            return best
        best = max(around, key=lambda item: item[0])


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
    # what counts as a clear edge and a clear step is set by the picture's own noise: on a
    # plain light pad a white page stands 10 grey levels above it, and that is clear there
    grey_noise, grad_noise = _noise(smooth, grad)
    clear_edge = float(np.clip(8.0 * grad_noise, 4.0, 40.0))
    clear_step = float(np.clip(10.0 * grey_noise, 6.0, 40.0))
    least_step = max(2.5, 4.0 * grey_noise)
    least_edge = float(np.clip(3.0 * grad_noise, 1.2, 4.0))
    strokes = cv2.morphologyEx(grey, cv2.MORPH_BLACKHAT,
                               cv2.getStructuringElement(cv2.MORPH_RECT, (7, 7))) > 40
    lab = cv2.cvtColor(small, cv2.COLOR_BGR2LAB)
    # a plain pad's colour (None on a textured desk), fitted once for every cue that needs it
    plain = _pad_fit(cv2.GaussianBlur(lab, (0, 0), 1.5))
    found: list[tuple[float, bool, np.ndarray]] = []
    frame_area = small.shape[0] * small.shape[1]
    offset = max(4.0, 0.015 * small.shape[1])
    near = max(3.0, 0.006 * small.shape[1])
    tried: list[np.ndarray] = []

    def judged(quad: np.ndarray, search: float) -> tuple[float, np.ndarray] | None:
        """The outline refitted to the edges near `quad` and its score, or None."""
        quad = order_corners(quad)
        # the cues often agree: an outline tried already need not be refitted again
        if any(float(np.max(np.abs(quad - other))) < 2.0 for other in tried):
            return None
        tried.append(quad)
        # each side's own: a pale card on a white pad is lighter than the pad where the
        # lamp is weak and darker where it is strong
        polarity = [1.0 if step >= 0 else -1.0 for step in _border_steps(smooth, quad, offset)]
        refined = _refine(grad, quad, search, polarity, clear_edge, least_edge)
        if refined is None:
            return None
        corners, support = refined
        corners = order_corners(corners)
        area = cv2.contourArea(corners)
        if area < 0.04 * frame_area or area > 0.98 * frame_area:
            return None
        if not cv2.isContourConvex(corners.reshape(-1, 1, 2).astype(np.int32)):
            return None
        # a second, finer pass around the refitted sides
        again = _refine(grad, corners, search / 3, polarity, clear_edge, least_edge)
        if again is not None:
            corners, support = order_corners(again[0]), again[1]
        # refitted, the sides sit on the edge: the step is measured just past its blur,
        # before a card's printed ground or the lamp's fall-off blur it
        contrast = _border_contrast(smooth, corners, near, polarity, least_step)
        if contrast < least_step:
            return None
        # a step that grows away from the edge is soft: a shadow, a glare. Measured a margin's
        # width out (a paper's step stays within 1.25x there, a shadow's grows 1.5-7x): any
        # further and a card's photo box or printed bar along a side makes its step grow too
        if contrast < SHARP * _border_contrast(smooth, corners, offset, polarity, least_step):
            return None
        if min(polarity) < 0 and _print_inside(strokes, corners, offset):
            return None  # darker inside with print along its edge: a block of text, a table
        score = support * (area / frame_area) ** 0.5 * min(1.0, contrast / clear_step)
        if not _plausible(corners):
            score *= IMPLAUSIBLE
        return (score, corners) if score >= MIN_SCORE else None

    for quad, reach in _candidates(small, lab, plain):
        result = judged(quad, max(4.0, reach * small.shape[1]))
        if result is not None:
            found.append((result[0], reach == LINE_REACH, result[1]))
    if not found:
        return None
    best = _outermost(found, plain is not None)
    # a side that stopped at a card's photo box or a table's rule instead of the document's
    # fainter edge: the chosen outline with one side moved out to the next edge beyond, and
    # again from the new choice, since a photo box in a corner holds two sides (on a plain pad
    # only: a desk's grain and a mat's checks are edges beyond any side)
    for _ in range(WIDENED if plain else 0):
        for quad in _widened(grad, best[2], least_edge):
            result = judged(quad, max(4.0, LINE_REACH * small.shape[1]) / 2)
            if result is not None:
                found.append((result[0], True, result[1]))
        best = _outermost(found, plain is not None)
    corners = best[2] / scale
    corners[:, 0] = corners[:, 0].clip(0, width - 1)
    corners[:, 1] = corners[:, 1].clip(0, height - 1)
    return FoundDocument(corners.astype(np.float32), _kind(corners), min(1.0, best[0]))


def print_without_outline(image: np.ndarray, work_width: int = 320) -> bool:
    """Print lies on a light plain ground but no outline was found around it.

    White paper on a white pad under flat light: the lines of text show, the paper's edge
    does not, and no finder can see what is not in the picture. Print is thin dark strokes
    (a black-hat finds them; a hand or a shadow is too wide to count), on a ground that is
    light. Ask this only when `find_document` found nothing.
    """
    scale = min(1.0, work_width / image.shape[1])
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) \
        if scale < 1.0 else image
    grey = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY) if small.ndim == 3 else small
    if float(np.median(grey)) < LIGHT_GROUND:
        return False
    strokes = cv2.morphologyEx(grey, cv2.MORPH_BLACKHAT,
                               cv2.getStructuringElement(cv2.MORPH_RECT, (7, 7)))
    return float(np.mean(strokes > 40)) >= PRINT_SHARE


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
    target = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], dtype=np.float32)
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
