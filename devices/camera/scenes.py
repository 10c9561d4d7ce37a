"""Photographs of a page or a card on a desk, made from a seed, with the true corners known.

For the document simulator, the corner-accuracy test and the benches: the same seed gives the
same scene. A scene has what makes finding a page hard: a textured desk (wood grain, fabric,
a patterned mat), the page turned and tilted, light brighter on one side, a soft shadow,
sensor noise and a little blur.

`surface` picks what the document lies on. "desk" is the textured desk above (the default,
unchanged). The pads are what a document camera (高拍仪) ships with and stands on: a plain
matte base, light grey, white or pale blue on most models, dark on some (`PAD_SURFACES`).
There the hard part is low contrast, so those scenes add what real use brings to it: pale
paper (white, cream, recycled grey) and pale cards, the page's own thin shadow on the pad on
the side away from the light, the camera's LEDs brighter in the middle, a glare hot spot, the
soft shadow of a hand or of the camera arm, and fingers or a thumb holding the page down at an
edge. A page on a white pad differs from it by a few grey levels at least (paper and plastic
are never the same white under one light) or shows its edge shadow; `make_blank_on_white_scene`
is the case where neither holds, which no finder can see.
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
                        kind: str | None = None, surface: str = "desk") -> DocumentScene:
    """A page or a card photographed from above at an angle, from `seed`, on `surface`."""
    if surface != "desk":
        return _pad_scene(seed, width, height, kind, surface)
    rng = np.random.default_rng(seed)
    if kind is None:
        kind = "page" if rng.random() < 0.6 else "card"
    flat = sample_page(seed=seed) if kind == "page" else sample_card(seed=seed)
    corners = _lay(rng, kind, flat.shape[:2], width, height)
    img = _desk(rng, width, height)
    img = _put_down(img, flat, corners)
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
    img = _light_and_sensor(rng, img, light)
    return DocumentScene(img, corners, kind, flat)


def _lay(rng: np.random.Generator, kind: str, flat_shape: tuple[int, ...], width: int,
         height: int) -> np.ndarray:
    """Where the document's corners fall in the photograph: turned, tilted, in the frame."""
    fh, fw = flat_shape[:2]
    # how big it appears: a page fills much of a document camera's view, a card less
    target = rng.uniform(0.6, 0.85) * height if kind == "page" else rng.uniform(0.35, 0.6) * width
    scale = target / (fh if kind == "page" else fw)
    w, h = fw * scale, fh * scale
    centre = np.array([width / 2 + rng.uniform(-0.1, 0.1) * width,
                       height / 2 + rng.uniform(-0.08, 0.08) * height], dtype=np.float32)
    angle = np.deg2rad(rng.uniform(-25, 25))
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]],
                   dtype=np.float32)
    corners = np.array([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]],
                       dtype=np.float32)
    corners = corners @ rot.T
    # the camera not straight above: each corner pulled a little, one side nearer
    corners += (rng.uniform(-0.06, 0.06, (4, 2)).astype(np.float32)
                * np.array([w, h], dtype=np.float32))
    corners += centre
    # keep it in the frame: turned and pulled, a large page can come out taller than the frame,
    # and then no shift fits it (a corner outside the picture, which no finder can see): it is
    # shrunk about its centre to fit first
    low, high = corners.min(axis=0), corners.max(axis=0)
    room = np.array([width - 24, height - 24], dtype=np.float32) / np.maximum(high - low, 1.0)
    corners = centre + (corners - centre) * min(1.0, float(room.min()))
    low, high = corners.min(axis=0), corners.max(axis=0)
    shift = (np.maximum(0, 12 - low)
             - np.maximum(0, high - np.array([width - 12, height - 12], dtype=np.float32)))
    corners += shift
    return corners.astype(np.float32)


def _put_down(background: np.ndarray, flat: np.ndarray, corners: np.ndarray) -> np.ndarray:
    height, width = background.shape[:2]
    fh, fw = flat.shape[:2]
    src = np.array([[0, 0], [fw, 0], [fw, fh], [0, fh]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(src, corners)
    warped = cv2.warpPerspective(flat, matrix, (width, height), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.full((fh, fw), 255, np.uint8), matrix, (width, height))
    alpha = cv2.merge([mask, mask, mask])
    # blend along the anti-aliased edge (OpenCV ops: several times faster than numpy here)
    return cv2.add(cv2.multiply(warped, alpha, scale=1 / 255),
                   cv2.multiply(background, cv2.bitwise_not(alpha), scale=1 / 255))


def _light_and_sensor(rng: np.random.Generator, img: np.ndarray, light: np.ndarray,
                      glare: np.ndarray | None = None) -> np.ndarray:
    """The light field (worked out small) applied, a glare added, then sensor noise and
    sometimes blur."""
    height, width = img.shape[:2]
    light = cv2.resize(light.astype(np.float32), (width, height),
                       interpolation=cv2.INTER_LINEAR)
    img = cv2.multiply(img, cv2.merge([light, light, light]), dtype=cv2.CV_8U)
    if glare is not None:
        glare = cv2.resize(glare.astype(np.float32), (width, height),
                           interpolation=cv2.INTER_LINEAR)
        img = cv2.add(img, cv2.merge([glare, glare, glare]), dtype=cv2.CV_8U)
    noise = rng.standard_normal((height // 2, width // 2, 3), dtype=np.float32)
    noise = cv2.resize(noise * np.float32(rng.uniform(2, 7)), (width, height),
                       interpolation=cv2.INTER_NEAREST)  # sensor noise in 2x2 blocks, as JPEG
    img = cv2.add(img, noise, dtype=cv2.CV_8U)
    if rng.random() < 0.5:
        img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.5, 1.3))
    return img


# ------------------------------------------------------------------ on a document camera's pad

PAD_SURFACES = ("dark_pad", "light_grey_pad", "white_pad", "pale_blue_pad")
LIGHT_PADS = ("light_grey_pad", "white_pad", "pale_blue_pad")
SURFACES = ("desk", *PAD_SURFACES)

# paper as it comes (BGR): bright white with optical brighteners, cream, recycled grey
_PAPERS = ((250, 248, 246), (246, 248, 249), (226, 238, 245), (229, 231, 231))


def _pad_colour(rng: np.random.Generator, surface: str, document_grey: float,
                lighter: bool) -> np.ndarray:
    """The pad's colour (BGR); on a white pad, set from the document's own lightness."""
    tint = rng.uniform(-3, 3, 3)
    if surface == "dark_pad":  # black, dark grey, dark green or navy mats
        return np.clip(rng.uniform(25, 70) + rng.uniform(-12, 12, 3), 10, 90)
    if surface == "light_grey_pad":
        return np.clip(rng.uniform(188, 215) + tint, 0, 255)
    if surface == "pale_blue_pad":
        return np.array([rng.uniform(226, 240), rng.uniform(212, 226), rng.uniform(188, 206)])
    # white: a few grey levels off the paper at least (lighter or darker, a card may be either)
    step = rng.uniform(8, 22)
    return np.clip(document_grey + (-step if lighter else step) + tint, 0, 250)


def _pale_document(rng: np.random.Generator, kind: str, seed: int) -> np.ndarray:
    if kind == "page":
        page = sample_page(seed=seed).astype(np.float32)
        paper = np.array(_PAPERS[int(rng.integers(0, len(_PAPERS)))], np.float32)
        paper += rng.uniform(-3, 3, 3).astype(np.float32)
        page *= paper / np.array([246, 248, 250], np.float32)
        return np.clip(page, 0, 255).astype(np.uint8)
    card = sample_card(seed=seed).astype(np.float32)
    # pale cards: the printed ground washed out towards white
    return np.clip(255 - (255 - card) * rng.uniform(0.35, 1.0), 0, 255).astype(np.uint8)


def _matte(rng: np.random.Generator, colour: np.ndarray, width: int, height: int
           ) -> np.ndarray:
    """A plain matte pad: its colour with a faint mottle."""
    mottle = rng.normal(0, 1, (height // 32 + 1, width // 32 + 1)).astype(np.float32)
    mottle = cv2.resize(mottle, (width, height), interpolation=cv2.INTER_CUBIC)
    pad = colour.astype(np.float32)[None, None, :] + rng.uniform(1, 3) * mottle[..., None]
    return np.clip(pad, 0, 255).astype(np.uint8)


def _edge_shadow(rng: np.random.Generator, img: np.ndarray, corners: np.ndarray,
                 towards: np.ndarray) -> np.ndarray:
    """The page's own thin shadow on the pad, on the side away from the light."""
    strength = 0.0 if rng.random() < 0.3 else rng.uniform(0.04, 0.2)
    if strength == 0.0:
        return img
    height, width = img.shape[:2]
    mask = np.zeros((height, width), np.float32)
    cv2.fillConvexPoly(mask, np.round(corners).astype(np.int32), 1.0)
    shift = towards * rng.uniform(1.5, 5.0)
    moved = cv2.warpAffine(mask, np.array([[1, 0, shift[0]], [0, 1, shift[1]]], np.float32),
                           (width, height))
    moved = cv2.GaussianBlur(moved, (0, 0), rng.uniform(1.0, 3.0))
    shade = 1.0 - strength * np.clip(moved - mask, 0, 1)
    return cv2.multiply(img, cv2.merge([shade, shade, shade]), dtype=cv2.CV_8U)


def _fingers(rng: np.random.Generator, img: np.ndarray, corners: np.ndarray) -> np.ndarray:
    """A thumb or two fingers holding the document down at an edge, the hand beyond."""
    height, width = img.shape[:2]
    skin = np.array([rng.uniform(105, 150), rng.uniform(135, 175), rng.uniform(180, 225)])
    shadow = np.zeros((height, width), np.float32)
    hand = np.zeros((height, width), np.float32)
    side = int(rng.integers(0, 4))
    p0, p1 = corners[side], corners[(side + 1) % 4]
    along = (p1 - p0) / max(float(np.hypot(*(p1 - p0))), 1.0)
    outward = np.array([along[1], -along[0]], np.float32)  # clockwise corners
    base = p0 + (p1 - p0) * rng.uniform(0.25, 0.75)
    reach = 0.0
    for _ in range(int(rng.integers(1, 3))):
        length, thick = rng.uniform(90, 150), rng.uniform(34, 48)
        reach = max(reach, length)
        overlap = rng.uniform(10, 35)
        tip = base + along * rng.uniform(-40, 40) - outward * overlap
        turn = rng.uniform(-0.35, 0.35)
        axis = outward * np.cos(turn) + along * np.sin(turn)
        centre = tip + axis * length / 2
        angle = float(np.degrees(np.arctan2(axis[1], axis[0])))
        cv2.ellipse(hand, (int(centre[0]), int(centre[1])), (int(length / 2), int(thick / 2)),
                    angle, 0, 360, 1.0, -1)
    palm = base + outward * (reach + rng.uniform(40, 70))  # the hand the fingers belong to
    cv2.ellipse(hand, (int(palm[0]), int(palm[1])), (int(rng.uniform(90, 130)),
                int(rng.uniform(70, 100))), float(np.degrees(np.arctan2(outward[1],
                                                                         outward[0]))),
                0, 360, 1.0, -1)
    shadow = cv2.GaussianBlur(cv2.warpAffine(hand, np.array([[1, 0, 6], [0, 1, 8]], np.float32),
                                             (width, height)), (0, 0), 6)
    img = cv2.multiply(img, cv2.merge([1 - 0.3 * shadow] * 3), dtype=cv2.CV_8U)
    hand = cv2.GaussianBlur(hand, (0, 0), 1.5)
    # rounded: darker towards the rim, as a lit finger is
    shading = 0.75 + 0.25 * cv2.GaussianBlur(hand, (0, 0), 8)
    skin_img = (skin[None, None, :] * shading[..., None]).astype(np.float32)
    alpha = hand[..., None]
    return np.clip(img * (1 - alpha) + skin_img * alpha, 0, 255).astype(np.uint8)


def _pad_light(rng: np.random.Generator, width: int, height: int,
               corners: np.ndarray) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
    """The light field and the glare (both an eighth size), and the direction it comes from."""
    lw, lh = width // 8, height // 8
    yy, xx = np.mgrid[0:lh, 0:lw].astype(np.float32)
    direction = rng.uniform(0, 2 * np.pi)
    ramp = (np.cos(direction) * (xx / lw - 0.5) + np.sin(direction) * (yy / lh - 0.5))
    radius = ((xx / lw - 0.5) ** 2 + (yy / lh - 0.5) ** 2)
    # the camera's own LEDs: brighter under the lamp, one side nearer the window
    light = (1.0 + rng.uniform(0.1, 0.35) * ramp) * (1.0 - rng.uniform(0.0, 0.5) * radius)
    light *= rng.uniform(0.95, 1.05)
    if rng.random() < 0.45:  # a hand or the camera arm between lamp and pad
        blob = np.zeros((lh, lw), np.float32)
        centre = (int(rng.uniform(0, lw)), int(rng.uniform(0, lh)))
        cv2.ellipse(blob, centre, (int(rng.uniform(8, 25)), int(rng.uniform(15, 40))),
                    rng.uniform(0, 180), 0, 360, 1.0, -1)
        blob = cv2.GaussianBlur(blob, (0, 0), rng.uniform(2, 5))
        light *= 1.0 - rng.uniform(0.12, 0.3) * blob
    glare = None
    if rng.random() < 0.5:  # the lamp's reflection off paper or a laminated card
        glare = np.zeros((lh, lw), np.float32)
        # anywhere between the middle and just past a corner: on the page, on its edge
        middle = corners.mean(axis=0)
        spot = middle + (corners[int(rng.integers(0, 4))] - middle) * rng.uniform(0.2, 1.1)
        cv2.circle(glare, (int(spot[0] / 8), int(spot[1] / 8)), 1, 1.0, -1)
        glare = cv2.GaussianBlur(glare, (0, 0), rng.uniform(3, 10))
        glare *= rng.uniform(40, 140) / max(float(glare.max()), 1e-6)
    towards = -np.array([np.cos(direction), np.sin(direction)], np.float32)
    return light, glare, towards


def _pad_scene(seed: int, width: int, height: int, kind: str | None,
               surface: str, laid: bool = True) -> DocumentScene:
    if surface not in PAD_SURFACES:
        raise ValueError(f"unknown surface {surface!r}")
    rng = np.random.default_rng([seed, 1 + PAD_SURFACES.index(surface)])
    if kind is None:
        kind = "page" if rng.random() < 0.6 else "card"
    flat = _pale_document(rng, kind, seed)
    corners = _lay(rng, kind, flat.shape[:2], width, height)
    document_grey = float(np.median(cv2.cvtColor(flat, cv2.COLOR_BGR2GRAY)))
    lighter = kind == "page" or rng.random() < 0.5
    pad = _pad_colour(rng, surface, document_grey, lighter)
    img = _matte(rng, pad, width, height)
    if laid:
        img = _put_down(img, flat, corners)
    light, glare, towards = _pad_light(rng, width, height, corners)
    shadowed = _edge_shadow(rng, img, corners, towards)
    img = shadowed if laid else img
    if rng.random() < 0.5:
        img = _fingers(rng, img, corners)
    img = _light_and_sensor(rng, img, light, glare)
    return DocumentScene(img, corners, kind, flat)


def make_empty_pad(seed: int, surface: str, width: int = 1280, height: int = 960
                   ) -> np.ndarray:
    """The pad of `make_document_scene(seed, surface=surface)` with nothing laid on it: the
    same light, glare, shadows and hand."""
    return _pad_scene(seed, width, height, None, surface, laid=False).image


def make_blank_on_white_scene(seed: int, width: int = 1280, height: int = 960
                              ) -> DocumentScene:
    """White paper on a white pad of the same white, flat light, no edge shadow: no outline
    to be seen, only the print."""
    rng = np.random.default_rng([seed, 99])
    flat = sample_page(seed=seed)
    corners = _lay(rng, "page", flat.shape[:2], width, height)
    pad = np.array([246, 248, 250], np.float32) + rng.uniform(-1, 1, 3)
    img = _put_down(_matte(rng, pad, width, height), flat, corners)
    light = np.full((height // 8, width // 8), rng.uniform(0.93, 1.0), np.float32)
    return DocumentScene(_light_and_sensor(rng, img, light), corners, "page", flat)
