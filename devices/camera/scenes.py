"""Photographs of a page or a card on a desk, made from a seed, with the true corners known.

For the document simulator, the corner-accuracy test and the benches: the same seed gives the
same scene. A scene has what makes finding a page hard: a textured desk (wood grain, fabric,
a patterned mat), the page turned and tilted, light brighter on one side, a soft shadow,
sensor noise and a little blur.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

A4_MM = (210.0, 297.0)
ID_CARD_MM = (85.6, 54.0)  # ISO/IEC 7810 ID-1, the resident identity card's size


@dataclass(frozen=True)
class DocumentScene:
    image: np.ndarray = field(repr=False)  # BGR
    corners: np.ndarray  # 4x2 float32, clockwise from the top-left of the page as read
    kind: str  # "page" or "card"
    flat: np.ndarray = field(repr=False)  # the document before it was photographed


def sample_page(width: int = 840, seed: int = 7) -> np.ndarray:
    """An A4 form: a title bar, text lines, a table and a stamp, black on off-white."""
    rng = np.random.default_rng(seed)
    height = int(width * A4_MM[1] / A4_MM[0])
    page = np.full((height, width, 3), (246, 248, 250), np.uint8)
    margin = width // 12
    cv2.rectangle(page, (margin, margin), (width - margin, margin + height // 22), (40, 40, 40),
                  -1)
    y = margin + height // 12
    while y < height * 0.55:
        length = int(rng.uniform(0.4, 1.0) * (width - 2 * margin))
        x = margin
        while x < margin + length:  # words: short dark strokes of varying length
            word = int(rng.integers(width // 60, width // 12))
            cv2.rectangle(page, (x, y), (min(x + word, width - margin), y + height // 140),
                          (60, 60, 60), -1)
            x += word + width // 80
        y += height // 40
    top = int(height * 0.6)
    rows, cols = 6, 3
    for r in range(rows + 1):
        yy = top + r * height // 30
        cv2.line(page, (margin, yy), (width - margin, yy), (50, 50, 50), 2)
    for c in range(cols + 1):
        xx = margin + c * (width - 2 * margin) // cols
        cv2.line(page, (xx, top), (xx, top + rows * height // 30), (50, 50, 50), 2)
    centre = (int(width * 0.7), int(height * 0.88))
    cv2.circle(page, centre, width // 12, (40, 40, 210), 4)  # the red seal of a 证明
    return page


def sample_card(width: int = 856, side: str = "front", seed: int = 3) -> np.ndarray:
    """An ID-card-sized card: pale patterned ground, a photo box and text lines."""
    rng = np.random.default_rng(seed)
    height = int(width * ID_CARD_MM[1] / ID_CARD_MM[0])
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    ground = 225 + 12 * np.sin(xx / 23.0) * np.cos(yy / 31.0)
    card = np.stack([ground + 8, ground + 2, ground - 10], axis=-1).clip(0, 255).astype(np.uint8)
    if side == "front":
        cv2.rectangle(card, (int(width * 0.66), int(height * 0.15)),
                      (int(width * 0.92), int(height * 0.75)), (150, 160, 170), -1)
        for i in range(5):
            y = int(height * (0.15 + 0.13 * i))
            cv2.rectangle(card, (int(width * 0.08), y),
                          (int(width * (0.25 + 0.3 * rng.random())), y + height // 30),
                          (50, 50, 50), -1)
        cv2.rectangle(card, (int(width * 0.3), int(height * 0.82)),
                      (int(width * 0.9), int(height * 0.87)), (40, 40, 40), -1)
    else:
        cv2.circle(card, (int(width * 0.15), int(height * 0.25)), height // 7, (40, 40, 200), 3)
        for i in range(2):
            y = int(height * (0.7 + 0.1 * i))
            cv2.rectangle(card, (int(width * 0.35), y), (int(width * 0.85), y + height // 30),
                          (50, 50, 50), -1)
    return card


def _desk(rng: np.random.Generator, full_width: int, full_height: int) -> np.ndarray:
    """A textured background: wood grain, woven fabric, a checked mat or speckled stone.

    Made at half size and enlarged: quicker, and a camera's optics soften it the same way.
    """
    width, height = full_width // 2, full_height // 2
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    style = int(rng.integers(0, 4))
    base = rng.uniform(40, 185, 3).astype(np.float32)
    if style == 0:  # wood grain
        wave = np.sin((yy + 12 * np.sin(xx / 45.0)) / rng.uniform(2, 4.5))
        texture = 18 * wave + 8 * np.sin(xx / 18.0)
    elif style == 1:  # fabric
        texture = 14 * np.sin(xx / 1.25) * np.sin(yy / 1.25) + 6 * np.sin(xx / 5.5)
    elif style == 2:  # checked mat
        cell = int(rng.integers(15, 40))
        texture = 30 * (((xx // cell) + (yy // cell)) % 2) - 15
    else:  # speckled stone
        noise = rng.normal(0, 1, (height // 4 + 1, width // 4 + 1)).astype(np.float32)
        texture = 25 * cv2.resize(noise, (width, height), interpolation=cv2.INTER_CUBIC)
    img = np.clip(base[None, None, :] + texture[..., None], 0, 255).astype(np.uint8)
    return cv2.resize(img, (full_width, full_height), interpolation=cv2.INTER_LINEAR)


def make_document_scene(seed: int, width: int = 1280, height: int = 960,
                        kind: str | None = None) -> DocumentScene:
    """A page or a card photographed from above at an angle, from `seed`."""
    rng = np.random.default_rng(seed)
    if kind is None:
        kind = "page" if rng.random() < 0.6 else "card"
    flat = sample_page(seed=seed) if kind == "page" else sample_card(seed=seed)
    fh, fw = flat.shape[:2]
    # how big it appears: a page fills much of a document camera's view, a card less
    target = rng.uniform(0.6, 0.85) * height if kind == "page" else rng.uniform(0.35, 0.6) * width
    scale = target / (fh if kind == "page" else fw)
    w, h = fw * scale, fh * scale
    centre = np.float32([width / 2 + rng.uniform(-0.1, 0.1) * width,
                         height / 2 + rng.uniform(-0.08, 0.08) * height])
    angle = np.deg2rad(rng.uniform(-25, 25))
    rot = np.float32([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    corners = np.float32([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]])
    corners = corners @ rot.T
    # the camera not straight above: each corner pulled a little, one side nearer
    corners += rng.uniform(-0.06, 0.06, (4, 2)).astype(np.float32) * np.float32([w, h])
    corners += centre
    # keep it in the frame
    low, high = corners.min(axis=0), corners.max(axis=0)
    shift = np.maximum(0, 12 - low) - np.maximum(0, high - np.float32([width - 12, height - 12]))
    corners += shift
    img = _desk(rng, width, height)
    src = np.float32([[0, 0], [fw, 0], [fw, fh], [0, fh]])
    matrix = cv2.getPerspectiveTransform(src, corners)
    warped = cv2.warpPerspective(flat, matrix, (width, height), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.full((fh, fw), 255, np.uint8), matrix, (width, height))
    alpha = cv2.merge([mask, mask, mask])
    # blend along the anti-aliased edge (OpenCV ops: several times faster than numpy here)
    img = cv2.add(cv2.multiply(warped, alpha, scale=1 / 255),
                  cv2.multiply(img, cv2.bitwise_not(alpha), scale=1 / 255))
    # uneven light: brighter towards one side, and a soft shadow of the camera arm; worked
    # out at an eighth of the size (it is smooth) and enlarged
    lw, lh = width // 8, height // 8
    yy, xx = np.mgrid[0:lh, 0:lw].astype(np.float32)
    direction = rng.uniform(0, 2 * np.pi)
    ramp = (np.cos(direction) * (xx / lw - 0.5) + np.sin(direction) * (yy / lh - 0.5))
    light = 1.0 + rng.uniform(0.2, 0.5) * ramp
    if rng.random() < 0.6:
        shadow = np.zeros((lh, lw), np.float32)
        p1 = (int(rng.uniform(0, lw)), 0)
        p2 = (int(rng.uniform(0, lw)), lh)
        cv2.line(shadow, p1, p2, 1.0, max(1, int(rng.uniform(60, 200) / 8)))
        shadow = cv2.GaussianBlur(shadow, (0, 0), 5)
        light *= 1.0 - rng.uniform(0.15, 0.35) * shadow
    light = cv2.resize(light.astype(np.float32), (width, height),
                       interpolation=cv2.INTER_LINEAR)
    img = cv2.multiply(img, cv2.merge([light, light, light]), dtype=cv2.CV_8U)
    noise = rng.standard_normal((height // 2, width // 2, 3), dtype=np.float32)
    noise = cv2.resize(noise * np.float32(rng.uniform(2, 7)), (width, height),
                       interpolation=cv2.INTER_NEAREST)  # sensor noise in 2x2 blocks, as JPEG
    img = cv2.add(img, noise, dtype=cv2.CV_8U)
    if rng.random() < 0.5:
        img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.5, 1.3))
    return DocumentScene(img, corners.astype(np.float32), kind, flat)
