"""The screen audit: every screen (`ui.screen_samples`) rendered offscreen in standard and elder
mode, landscape 1920x1080 and portrait 1080x1920, and measured the way a person meets it.

For each screen it walks the widget tree and measures, in millimetres on the display it is set
for (`Display`: the panel's diagonal and resolution give the pixel pitch; 21.5", 27", 32" and
43" kiosks are common, `ui.screen_diagonal_in` in the configuration):

- **target**: every button and field at least 20 mm (elder) / 12 mm (standard) on its short side;
- **text size** (elder mode): at least 6 mm, measured as the drawn height of a full-size
  character in the widget's font: the ink height of 国 for Chinese text (a CJK ideograph fills
  its square, so this is what the eye reads as the character's size; the Latin x-height would
  be meaningless for it), and the cap height (ink of H) for text with no Chinese. Both come from
  the font's glyph outlines (QFontMetricsF.tightBoundingRect), not from the nominal pixel size,
  which includes the leading;
- **text contrast**: at least 7:1 (elder) / 4.5:1 (standard), WCAG 2.x relative luminance, from
  the rendered pixels: the widget's most common colour is its background, the most common
  other colour its text (anti-aliased edges spread over many colours, the glyphs' cores share
  one). Disabled controls are exempt, as WCAG 1.4.3 exempts inactive components;
- **border**: a control's boundary (its border, or its fill where that stands out on its own)
  at least 3:1 against what surrounds it (WCAG 1.4.11 non-text contrast), from pixels;
- **disabled**: a disabled control drawn again enabled must change its fill or its label by at
  least 1.5:1 in luminance, so it is told apart by more than its border's dashes (and by more
  than hue alone);
- **clipped**: a required field (a widget with the `required` property), the primary action
  (`#Primary`) and the step's text (titles, problems, errors, and every label outside a scroll
  area) must lie wholly inside the window and every parent, and a label's text must fit its
  box, as must every button's (Qt cuts a button's words without an ellipsis);
- **primary**: at most one primary button per screen (the bars and overlays aside), and it is
  where every screen keeps it: in the bottom right of the screen's area.

References: WCAG 2.2 1.4.3, 1.4.6, 1.4.11 and the relative-luminance definition
(https://www.w3.org/TR/WCAG22/#dfn-relative-luminance); ISO 9241-9 / EN 301 549 for touch
target sizes in millimetres; GB/T 37668-2019 (信息技术 互联网内容无障碍可访问性技术要求与测试
方法) follows WCAG 2.0 for contrast.

`python -m ui.screen_audit [--config FILE] [--diagonal 21.5] [--orientation both]
[--catalog FILE]` prints the table; `tests/ui/test_screen_audit.py` fails on any breach.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
from PySide6.QtCore import QRect
from PySide6.QtGui import QFont, QFontMetricsF, QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QScrollArea,
    QWidget,
)

from central.contract import Catalog
from kiosk.catalog_source import CatalogStatus
from ui.fonts import kiosk_font_family
from ui.screen_samples import Scene, all_scenes
from ui.shell import Shell
from ui.window import KioskWindow

DIAGONALS_IN = (21.5, 27.0, 32.0, 43.0)  # the panels kiosks are built with
LANDSCAPE = (1920, 1080)
PORTRAIT = (1080, 1920)
ORIENTATIONS = {"landscape": LANDSCAPE, "portrait": PORTRAIT}
CHECKS = ("target", "text size", "text contrast", "border", "disabled", "clipped", "primary")
UNITS = {"target": " mm", "text size": " mm", "text contrast": ":1", "border": ":1",
         "disabled": ":1"}
DISABLED_CHANGE = 1.5  # luminance ratio between a control's enabled and disabled drawing


@dataclass(frozen=True)
class Display:
    """A panel: its diagonal in inches and its resolution (either orientation)."""

    diagonal_in: float = 21.5
    width_px: int = 1920
    height_px: int = 1080

    @property
    def mm_per_px(self) -> float:
        return self.diagonal_in * 25.4 / math.hypot(self.width_px, self.height_px)


@dataclass(frozen=True)
class Limits:
    target_mm: float
    text_mm: float | None  # None: not checked
    text_contrast: float
    border_contrast: float = 3.0


LIMITS = {False: Limits(12.0, None, 4.5), True: Limits(20.0, 6.0, 7.0)}


@dataclass(frozen=True)
class Breach:
    scene: str
    mode: str
    orientation: str
    check: str
    widget: str
    measured: str
    limit: str

    def __str__(self) -> str:
        return (f"{self.scene} [{self.mode}, {self.orientation}] {self.check}: {self.widget} "
                f"measured {self.measured}, needs {self.limit}")


@dataclass
class SceneResult:
    scene: str
    mode: str
    orientation: str
    breaches: list[Breach] = field(default_factory=list)
    measured: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CHECKS, 0))
    smallest: dict[str, float] = field(default_factory=dict)  # the lowest figure per check

    def note(self, check: str, value: float) -> None:
        self.measured[check] += 1
        self.smallest[check] = min(self.smallest.get(check, value), value)


# -- colour ------------------------------------------------------------------------------------

def luminance(rgb: Sequence[float]) -> float:
    """WCAG relative luminance of an sRGB colour given as 0-255 channels."""
    def channel(c: float) -> float:
        c = c / 255.0
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: Sequence[float], b: Sequence[float]) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def pixels(image: QImage) -> np.ndarray:
    """The image as an (height, width, 3) RGB array."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    width, height = image.width(), image.height()
    data = np.frombuffer(image.constBits(), np.uint8, image.bytesPerLine() * height)
    bgra = data.reshape(height, image.bytesPerLine() // 4, 4)[:, :width]
    return bgra[:, :, 2::-1].astype(np.int32)


def colours(patch: np.ndarray) -> list[tuple[tuple[float, ...], int]]:
    """The patch's colours, most common first: (mean RGB, count), binned at 5 bits a channel."""
    flat = patch.reshape(-1, 3)
    if flat.size == 0:
        return []
    keys = (flat[:, 0] >> 3) * 1024 + (flat[:, 1] >> 3) * 32 + (flat[:, 2] >> 3)
    _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    sums = np.stack([np.bincount(inverse, weights=flat[:, c]) for c in range(3)], axis=1)
    order = np.argsort(-counts)
    return [(tuple(float(v) for v in sums[i] / counts[i]), int(counts[i])) for i in order]


def text_and_background(patch: np.ndarray) -> tuple[tuple[float, ...], tuple[float, ...]] | None:
    found = colours(patch)
    if len(found) < 2:
        return None
    background = found[0][0]
    # the glyphs' cores share one colour; anti-aliasing spreads the edges over many
    text = next((c for c, _ in found[1:] if contrast(c, background) > 1.05), None)
    return (text, background) if text is not None else None


# -- geometry ------------------------------------------------------------------------------------

def in_window(widget: QWidget, window: QWidget, rect: QRect | None = None) -> QRect:
    rect = rect if rect is not None else widget.rect()
    return QRect(widget.mapTo(window, rect.topLeft()), rect.size())


def visible_part(widget: QWidget, window: QWidget, screen: QRect | None = None) -> QRect:
    """What of the widget can be seen: clipped by every parent, the window and the screen."""
    shown = in_window(widget, window)
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        shown = shown.intersected(in_window(parent, window))
        parent = parent.parentWidget()
    return shown.intersected(window.rect()).intersected(screen or window.rect())


def inside_scroll_area(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def describe(widget: QWidget) -> str:
    text = ""
    if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
        text = widget.text() or (widget.placeholderText() if isinstance(widget, QLineEdit) else "")
    text = " ".join(text.split())
    name = widget.objectName()
    return (f"{type(widget).__name__}{'#' + name if name else ''}"
            f"{' “' + text[:24] + '”' if text else ''}")


def ink_height(widget: QWidget, text: str) -> float:
    """The drawn height, in px, of a full-size character of `text` in the widget's font: 国 for
    Chinese, H (cap height) for text without it."""
    sample = "国" if any("\u3400" <= ch <= "\u9fff" for ch in text) else "H"
    return QFontMetricsF(widget.font()).tightBoundingRect(sample).height()


def shown_text(widget: QWidget) -> str:
    if isinstance(widget, QLabel):
        return "" if widget.pixmap() is not None and not widget.pixmap().isNull() else widget.text()
    if isinstance(widget, QAbstractButton):
        return widget.text()
    if isinstance(widget, QLineEdit):
        return widget.text() or widget.placeholderText()
    return ""


def text_fits(widget: QWidget) -> bool:
    """Whether the widget's box is as large as its text needs."""
    if isinstance(widget, QLabel):
        if widget.wordWrap():
            return widget.heightForWidth(widget.width()) <= widget.height() + 1
        return widget.sizeHint().width() <= widget.width() + 1
    if isinstance(widget, QAbstractButton):
        hint = widget.sizeHint()
        return hint.width() <= widget.width() + 1 and hint.height() <= widget.height() + 1
    return True


# -- rendering ---------------------------------------------------------------------------------

class ScreenRenderer:
    """One kiosk window and shell that every scene is shown in, in turn."""

    def __init__(self, app: QApplication, hall: str = "朝阳区政务服务中心") -> None:
        self.app = app
        # the kiosk's font, as ui.app gives it to the whole app (the style sheet's sizes apply
        # to the application's font, not a window's); given back at close
        self._app_font = app.font()
        if (family := kiosk_font_family()) is not None:
            app.setFont(QFont(family))
        self.window = KioskWindow(hall)
        self.shell = Shell(app, self.window, "zh_CN")
        self.window.show()

    def show(self, scene: Scene, elder: bool, size: tuple[int, int]) -> None:
        shell, window = self.shell, self.window
        window.hide_overlay()
        if callable(hide_help := getattr(window, "hide_help", None)):
            hide_help()
        shell.show_catalog_status(CatalogStatus(
            online=True, updated_at=datetime(2026, 11, 23, 8, 30, tzinfo=UTC)))
        shell.set_elder_mode(elder)
        window.resize(*size)
        shell.show(scene.step)
        if scene.over is not None:
            scene.over(shell)
        screen = window.current_screen
        if (drawn := getattr(screen, "wait_until_drawn", None)) is not None:
            drawn()  # the certificate's pages are drawn in the background
        for _ in range(3):
            self.app.processEvents()
        # the full-screen kiosk window keeps the screen's size once a screen has laid itself
        # out for it (the form turns its keypad under the fields on an upright screen)
        window.resize(*size)
        for _ in range(2):
            self.app.processEvents()

    def grab(self) -> QImage:
        return self.window.grab().toImage()

    def close(self) -> None:
        self.window.hide_overlay()
        self.shell.set_elder_mode(False)
        self.window.close()
        self.window.deleteLater()
        self.app.setFont(self._app_font)


# -- measuring one screen ----------------------------------------------------------------------

def _controls(root: QWidget) -> Iterator[QWidget]:
    for widget in root.findChildren(QWidget):
        if isinstance(widget, QAbstractButton | QLineEdit):
            yield widget


def audit_screen(renderer: ScreenRenderer, scene: str, elder: bool, orientation: str,
                 display: Display) -> SceneResult:
    """Measures what `renderer` shows now."""
    window = renderer.window
    limits = LIMITS[elder]
    result = SceneResult(scene, "elder" if elder else "standard", orientation)
    image = pixels(renderer.grab())
    mm = display.mm_per_px
    # an overlay is what can be seen and tapped: what it dims is measured on its own screen
    layers = [getattr(window, "help_overlay", None), window.overlay]
    root = next((layer for layer in layers if layer is not None), window)
    bars = (window.findChild(QWidget, "TopBar"), window.findChild(QWidget, "BottomBar"))

    def breach(check: str, widget: QWidget, measured: str, limit: str) -> None:
        result.breaches.append(Breach(scene, result.mode, orientation, check, describe(widget),
                                      measured, limit))

    # a window that cannot shrink to the screen hides whatever lies beyond its edge
    screen = QRect(0, 0, display.width_px, display.height_px)
    if window.width() > screen.width() or window.height() > screen.height():
        need = window.minimumSizeHint()
        breach("clipped", window, f"a window of at least {need.width()}x{need.height()} px",
               f"{screen.width()}x{screen.height()} (the screen)")

    def in_bar(widget: QWidget) -> bool:
        return any(bar is not None and bar.isAncestorOf(widget) for bar in bars)

    # shown, though maybe scrolled out of view (which the clipping check is for)
    widgets = [w for w in root.findChildren(QWidget) if w.isVisibleTo(window)]
    for widget in widgets:
        text = shown_text(widget)
        shown = visible_part(widget, window, screen)
        control = isinstance(widget, QAbstractButton | QLineEdit)
        if control:  # target size
            short_mm = min(widget.width(), widget.height()) * mm
            result.note("target", short_mm)
            if short_mm < limits.target_mm - 1e-6:
                breach("target", widget, f"{short_mm:.1f} mm ({widget.width()}x"
                       f"{widget.height()} px)", f"{limits.target_mm:g} mm")
        if text.strip() and limits.text_mm is not None:
            size_mm = ink_height(widget, text) * mm
            result.note("text size", size_mm)
            if size_mm < limits.text_mm - 1e-6:
                breach("text size", widget, f"{size_mm:.1f} mm", f"{limits.text_mm:g} mm")
        if text.strip() and widget.isEnabled() and not shown.isEmpty():
            inset = 10 if control else 0
            box = in_window(widget, window, widget.contentsRect())
            box = box.adjusted(inset, inset // 2, -inset, -(inset // 2)).intersected(shown)
            found = text_and_background(
                image[box.top():box.bottom() + 1, box.left():box.right() + 1])
            if found is not None:
                ratio = contrast(*found)
                result.note("text contrast", ratio)
                if ratio < limits.text_contrast:
                    breach("text contrast", widget, f"{ratio:.2f}:1 ({_hex(found[0])} on "
                           f"{_hex(found[1])})", f"{limits.text_contrast:g}:1")
        if control and widget.isEnabled() and shown == in_window(widget, window):
            ratio = _boundary_contrast(image, shown)
            if ratio is not None:
                result.note("border", ratio)
                if ratio < limits.border_contrast:
                    breach("border", widget, f"{ratio:.2f}:1", f"{limits.border_contrast:g}:1")
        if isinstance(widget, QAbstractButton) and not widget.isEnabled():
            change = _disabled_change(widget)
            result.note("disabled", change)
            if change < DISABLED_CHANGE:
                breach("disabled", widget, f"{change:.2f}:1 change from enabled",
                       f"{DISABLED_CHANGE:g}:1 in fill or label")
        must_show = (widget.objectName() in ("Primary", "Title", "ToneTitle", "Problem", "Error",
                                             "StepCount")
                     or bool(widget.property("required"))
                     or (isinstance(widget, QLabel) and bool(text.strip())
                         and not inside_scroll_area(widget)))
        if must_show or (in_bar(widget) and text.strip()):
            whole = in_window(widget, window)
            result.note("clipped", 1.0)
            if shown != whole and not in_bar(widget):  # the bars' own size is the window's
                hidden = 100 * (1 - (shown.width() * shown.height())
                                / max(1, whole.width() * whole.height()))
                breach("clipped", widget, f"{hidden:.0f} % outside the visible area "
                       f"(shown {_rect(shown)} of {_rect(whole)})", "wholly visible")
            elif text.strip() and not text_fits(widget):
                need = widget.sizeHint()
                if isinstance(widget, QLabel) and widget.wordWrap():
                    need.setHeight(widget.heightForWidth(widget.width()))
                breach("clipped", widget, f"text needs {need.width()}x{need.height()} px, has "
                       f"{widget.width()}x{widget.height()}", "text that fits")
        elif isinstance(widget, QAbstractButton) and text.strip():
            # any button's words: they say what it does, and Qt cuts them without an ellipsis
            # (a button scrolled out of view is the scroll area's, not a breach)
            result.note("clipped", 1.0)
            if not text_fits(widget):
                need = widget.sizeHint()
                breach("clipped", widget, f"text needs {need.width()}x{need.height()} px, has "
                       f"{widget.width()}x{widget.height()}", "text that fits")
    # one primary action, where every screen keeps it
    primaries = [w for w in widgets if w.objectName() == "Primary" and not in_bar(w)]
    if primaries:
        result.note("primary", len(primaries))
    if len(primaries) > 1:
        breach("primary", primaries[1], f"{len(primaries)} primary buttons", "one")
    if primaries and root is window:
        area = in_window(window.content, window)
        place = in_window(primaries[0], window)
        if place.center().x() < area.center().x() or place.center().y() < area.center().y():
            breach("primary", primaries[0], f"at {_rect(place)} in {_rect(area)}",
                   "the bottom right of the screen")
    return result


def _rect(r: QRect) -> str:
    return f"{r.width()}x{r.height()}+{r.x()}+{r.y()}"


def _hex(rgb: Sequence[float]) -> str:
    return "#" + "".join(f"{round(c):02X}" for c in rgb)


def _mode(patch: np.ndarray) -> tuple[float, ...] | None:
    found = colours(patch)
    return found[0][0] if found else None


def _boundary_contrast(image: np.ndarray, box: QRect) -> float | None:
    """The contrast of a control's boundary with its surroundings: the better of its border
    (the two pixels inside its edges) and its fill, each against the ring outside it."""
    x0, y0, x1, y1 = box.left(), box.top(), box.right(), box.bottom()
    height, width = image.shape[:2]
    if x0 < 4 or y0 < 4 or x1 >= width - 4 or y1 >= height - 4 or box.width() < 24 \
            or box.height() < 24:
        return None
    mid_x = slice(x0 + box.width() // 4, x1 - box.width() // 4)
    mid_y = slice(y0 + box.height() // 4, y1 - box.height() // 4)
    outside = np.concatenate([image[y0 - 4:y0 - 2, mid_x].reshape(-1, 3),
                              image[y1 + 3:y1 + 5, mid_x].reshape(-1, 3),
                              image[mid_y, x0 - 4:x0 - 2].reshape(-1, 3),
                              image[mid_y, x1 + 3:x1 + 5].reshape(-1, 3)])
    border = np.concatenate([image[y0:y0 + 2, mid_x].reshape(-1, 3),
                             image[y1 - 1:y1 + 1, mid_x].reshape(-1, 3),
                             image[mid_y, x0:x0 + 2].reshape(-1, 3),
                             image[mid_y, x1 - 1:x1 + 1].reshape(-1, 3)])
    fill = _mode(image[y0 + box.height() // 4:y1 - box.height() // 4, x0 + 8:x0 + 16])
    around, edge = _mode(outside), _mode(border)
    if around is None or edge is None:
        return None
    return max(contrast(edge, around), contrast(fill, around) if fill is not None else 1.0)


def _drawn(widget: QWidget) -> tuple[tuple[float, ...], tuple[float, ...] | None]:
    """A control's fill and label colour, drawn on its own."""
    image = pixels(widget.grab().toImage())
    h, w = image.shape[:2]
    inner = image[h // 4: h - h // 4, 10: w - 10]
    found = colours(inner)
    fill = found[0][0] if found else (0.0, 0.0, 0.0)
    label = text_and_background(inner)
    return fill, (label[0] if label else None)


def _disabled_change(widget: QAbstractButton) -> float:
    off_fill, off_label = _drawn(widget)
    widget.setEnabled(True)
    try:
        on_fill, on_label = _drawn(widget)
    finally:
        widget.setEnabled(False)
    change = contrast(off_fill, on_fill)
    if off_label is not None and on_label is not None:
        change = max(change, contrast(off_label, on_label))
    return change


# -- the whole audit ---------------------------------------------------------------------------

def run_audit(app: QApplication, catalog: Catalog | None, *,
              modes: Iterable[bool] = (False, True),
              orientations: Iterable[str] = ("landscape", "portrait"), diagonal_in: float = 21.5,
              extra: Sequence[Scene] = (), scenes: Sequence[Scene] | None = None,
              progress: Callable[[SceneResult], None] | None = None) -> list[SceneResult]:
    """Every scene (`scenes`, or all of `catalog`'s and `extra`) measured in each mode and
    orientation: one render each."""
    if scenes is not None:
        chosen = list(scenes)
    elif catalog is not None:
        chosen = all_scenes(catalog, extra)
    else:
        raise ValueError("run_audit needs the scenes or a catalog to make them from")
    renderer = ScreenRenderer(app)
    results = []
    try:
        for orientation in orientations:
            size = ORIENTATIONS[orientation]
            display = Display(diagonal_in, *size)
            for elder in modes:
                for scene in chosen:
                    renderer.show(scene, elder, size)
                    result = audit_screen(renderer, scene.name, elder, orientation, display)
                    results.append(result)
                    if progress is not None:
                        progress(result)
    finally:
        renderer.close()
    return results


def table(results: Sequence[SceneResult]) -> str:
    """Screens x checks: 'ok' or the number of breaches, with how many were measured."""
    scenes = list(dict.fromkeys(r.scene for r in results))
    runs = list(dict.fromkeys((r.mode, r.orientation) for r in results))
    width = max(len(s) for s in scenes) + 2
    lines = [f"{'screen':<{width}}" + "".join(f"{c:>15}" for c in CHECKS)]
    for name in scenes:
        cells = []
        for check in CHECKS:
            found = [r for r in results if r.scene == name]
            bad = sum(1 for r in found for b in r.breaches if b.check == check)
            seen = sum(r.measured[check] for r in found)
            cells.append(f"{('ok' if not bad else f'{bad} FAIL') if seen else '-':>15}")
        lines.append(f"{name:<{width}}" + "".join(cells))
    lines.append(f"{'measured':<{width}}" + "".join(
        f"{sum(r.measured[c] for r in results):>15}" for c in CHECKS))
    for mode in dict.fromkeys(r.mode for r in results):
        worst = []
        for check in CHECKS:
            figures = [r.smallest[check] for r in results
                       if r.mode == mode and check in r.smallest]
            value = min(figures) if figures and check in UNITS else None  # the lowest figure
            worst.append("-" if value is None else f"{value:.2f}{UNITS[check]}")
        lines.append(f"{'worst ' + mode:<{width}}" + "".join(f"{w:>15}" for w in worst))
    total = sum(len(r.breaches) for r in results)
    lines.append(f"{len(scenes)} screens x {len(runs)} runs "
                 f"({', '.join(f'{m} {o}' for m, o in runs)}): "
                 f"{sum(sum(r.measured.values()) for r in results)} measurements, "
                 f"{total} breaches")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    import argparse
    import json
    import os
    from pathlib import Path

    parser = argparse.ArgumentParser(description="Measure every screen of the kiosk.")
    parser.add_argument("--config", type=Path, default=None,
                        help="a kiosk profile: its ui.screen_diagonal_in is the panel's size")
    parser.add_argument("--diagonal", type=float, default=None,
                        help="the panel's diagonal in inches (21.5, 27, 32, 43); default: "
                             "the profile's, else 21.5")
    parser.add_argument("--catalog", type=Path, default=Path(__file__).resolve().parent.parent
                        / "central" / "seed_data" / "services.json")
    parser.add_argument("--orientation", choices=("landscape", "portrait", "both"),
                        default="both")
    args = parser.parse_args(argv)
    diagonal = args.diagonal
    if diagonal is None:
        from kiosk.settings import load_settings

        diagonal = (load_settings(args.config).ui.screen_diagonal_in if args.config
                    else Display().diagonal_in)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from central.contract import Service

    raw = json.loads(args.catalog.read_text(encoding="utf-8"))
    services = [Service.model_validate(s) for s in raw["services"]]
    catalog = Catalog(version="audit", published_at=datetime(2026, 11, 1, tzinfo=UTC),
                      themes=list(dict.fromkeys(s.theme for s in services)), services=services)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    orientations = ("landscape", "portrait") if args.orientation == "both" \
        else (args.orientation,)
    results = run_audit(app, catalog, orientations=orientations, diagonal_in=diagonal)
    print(table(results))
    for result in results:
        for found in result.breaches:
            print(found)
    return 1 if any(r.breaches for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
