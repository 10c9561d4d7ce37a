"""Every screen, measured: in standard and elder mode, landscape 1920x1080 and portrait
1080x1920, on the 21.5" reference panel. Each test renders every screen once and fails naming
the screen, the mode, the orientation, the widget and what was measured; the table of screens
x checks is printed (pytest -s shows it)."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from central.certificates import CertificateOrder, DemoIssuer, new_code
from central.contract import Holder
from flows.certificate import STEPS, CertificatePreviewStep
from flows.steps import Progress
from tests.conftest import load_seed_catalog
from ui.fonts import kiosk_font_family
from ui.screen_audit import (
    DIAGONALS_IN,
    Display,
    ScreenRenderer,
    audit_screen,
    contrast,
    describe,
    run_audit,
    table,
    text_and_background,
)
from ui.screen_samples import Scene, all_scenes
from ui.screens import SCREENS
from ui.style import style_sheet
from ui.tokens import ELDER, STANDARD


@pytest.fixture(scope="module")
def catalog():
    return load_seed_catalog()


@pytest.fixture(scope="module")
def certificate_scene(catalog) -> Scene:
    """The preview of a real certificate from the platform's demo issuer."""
    service = catalog.service("SS-001")
    code = new_code()
    issued = DemoIssuer().issue(CertificateOrder(
        service=service, holder=Holder(name="张三", id_number="110101199003070011"),
        options={}, code=code, verify_url=f"http://127.0.0.1/verify/{code}",
        issued_at=datetime(2026, 11, 23, 10, 0)))
    return Scene("certificate-preview", CertificatePreviewStep(
        service.name, issued.title, "张*", code, issued.pdf, Progress(4, STEPS)))


def test_every_step_of_every_flow_has_a_sample_screen(catalog, certificate_scene):
    covered = {type(scene.step) for scene in all_scenes(catalog, [certificate_scene])}
    missing = sorted(step.__name__ for step in SCREENS if step not in covered)
    assert missing == [], f"steps with no screen in ui.screen_samples: {missing}"
    names = {scene.name for scene in all_scenes(catalog)}
    # what the screenshots used to leave out
    assert {"guide-start", "idle-countdown", "call-staff", "home-offline"} <= names


@pytest.fixture(scope="module")
def scenes(catalog, certificate_scene) -> list[Scene]:
    return all_scenes(catalog, [certificate_scene])


PARTS = 3  # each test renders a third of the screens: well under the time limit on a busy machine


@pytest.mark.parametrize("part", range(PARTS))
@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
def test_every_screen_passes_the_audit(qapp, scenes, elder, orientation, part, capsys):
    chosen = scenes[part::PARTS]
    results = run_audit(qapp, catalog=None, modes=(elder,), orientations=(orientation,),
                        scenes=chosen)
    with capsys.disabled():
        print(f"\n{table(results)}")
    breaches = [str(b) for r in results for b in r.breaches]
    assert breaches == [], "\n".join(breaches)
    # every screen of this part was measured, and the main checks measured something
    assert [r.scene for r in results] == [scene.name for scene in chosen]
    for check in ("target", "text contrast", "border", "clipped"):
        assert sum(r.measured[check] for r in results) > 0, check
    if elder:
        assert sum(r.measured["text size"] for r in results) > 0


# -- the measurements can fail ------------------------------------------------------------------

def test_pixel_pitch_follows_the_panel():
    assert Display(21.5, 1920, 1080).mm_per_px == pytest.approx(0.2479, abs=1e-4)
    assert Display(21.5, 1080, 1920).mm_per_px == Display(21.5, 1920, 1080).mm_per_px
    assert Display(43, 1920, 1080).mm_per_px == pytest.approx(2 * 0.2479, abs=1e-3)
    assert DIAGONALS_IN == (21.5, 27.0, 32.0, 43.0)


def test_contrast_is_wcag_relative_luminance():
    assert contrast((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast((0x76, 0x76, 0x76), (255, 255, 255)) == pytest.approx(4.54, abs=0.01)


def test_text_colour_is_read_from_the_pixels():
    import numpy as np

    patch = np.full((20, 60, 3), 255, dtype=np.int32)
    patch[8:12, 5:55] = (0x99, 0x99, 0x99)  # grey strokes on white
    patch[7, 5:55] = (0xCC, 0xCC, 0xCC)  # an anti-aliased edge
    text, background = text_and_background(patch)
    assert background == (255, 255, 255) and text == (0x99, 0x99, 0x99)


@pytest.fixture
def renderer(qapp):
    shown = ScreenRenderer(qapp)
    yield shown
    shown.close()


def _screen_with(renderer: ScreenRenderer, *widgets: QWidget) -> None:
    """`widgets` as the whole screen, in the window at the landscape size."""
    screen = QWidget()
    column = QVBoxLayout(screen)
    for widget in widgets:
        column.addWidget(widget)
    column.addStretch(1)
    renderer.window.resize(1920, 1080)
    renderer.window.show_screen(screen)
    for _ in range(3):
        renderer.app.processEvents()


def test_the_audit_names_a_small_target_pale_text_and_a_faint_border(renderer, qapp):
    qapp.setStyleSheet(style_sheet(STANDARD))
    small = QPushButton("小")
    small.setStyleSheet("min-height: 20px; max-height: 20px; min-width: 20px; max-width: 20px;")
    pale = QLabel("浅灰色的说明文字")
    pale.setStyleSheet("color: #B0B0B0; font-size: 22px;")
    faint = QPushButton("边框太浅")
    faint.setStyleSheet("border: 2px solid #E0E6EE; background: #EEF2F7;")
    _screen_with(renderer, small, pale, faint)
    result = audit_screen(renderer, "sample", False, "landscape", Display())
    found = {(b.check, b.widget.split(" ")[-1]) for b in result.breaches}
    assert ("target", "“小”") in found
    assert ("text contrast", "“浅灰色的说明文字”") in found
    assert ("border", "“边框太浅”") in found
    target = next(b for b in result.breaches if b.check == "target")
    assert target.scene == "sample" and target.mode == "standard" and "mm" in target.measured


def test_the_audit_names_small_elder_text_a_dashed_only_disabled_button_and_a_cut_title(
        renderer, qapp):
    qapp.setStyleSheet(style_sheet(ELDER))
    small_text = QLabel("小字说明")
    small_text.setStyleSheet("font-size: 16px;")
    dashed = QPushButton("只有虚线")
    dashed.setStyleSheet("QPushButton:disabled { border-style: dashed; background: #FFFFFF; "
                         "color: #000000; }")
    dashed.setEnabled(False)
    title = QLabel("一个很长很长的标题" * 20)
    title.setObjectName("Title")
    title.setWordWrap(False)
    title.setMinimumWidth(2400)  # wider than the window
    _screen_with(renderer, small_text, dashed, title)
    result = audit_screen(renderer, "sample", True, "landscape", Display())
    checks = {b.check: b for b in result.breaches}
    assert "text size" in checks and "disabled" in checks and "clipped" in checks
    assert checks["disabled"].widget.endswith("“只有虚线”")


def test_any_button_whose_words_are_cut_is_a_breach(renderer, qapp):
    """Qt cuts a button's words without an ellipsis: 支付宝扫码支付 read as 支付宝扫码 in a card
    a third of an upright screen wide, which the audit let through before it checked every
    button (not only the primary one)."""
    qapp.setStyleSheet(style_sheet(STANDARD))
    row = QWidget()
    buttons_row = QHBoxLayout(row)
    cut = QPushButton("支付宝扫码支付")
    cut.setMaximumWidth(90)
    whole = QPushButton("微信")
    buttons_row.addWidget(cut)
    buttons_row.addWidget(whole)
    _screen_with(renderer, row)
    result = audit_screen(renderer, "sample", False, "landscape", Display())
    clipped = [b.widget for b in result.breaches if b.check == "clipped"]
    assert clipped == [describe(cut)]


def test_two_primary_buttons_and_a_primary_at_the_top_left_are_breaches(renderer, qapp):
    qapp.setStyleSheet(style_sheet(STANDARD))
    first, second = QPushButton("确定"), QPushButton("也确定")
    for widget in (first, second):
        widget.setObjectName("Primary")
    _screen_with(renderer, first, second)
    result = audit_screen(renderer, "sample", False, "landscape", Display())
    primary = [b for b in result.breaches if b.check == "primary"]
    assert {b.measured for b in primary} >= {"2 primary buttons"}
    assert any("bottom right" in b.limit for b in primary)


def test_the_table_counts_breaches_per_screen_and_check(renderer, qapp):
    qapp.setStyleSheet(style_sheet(STANDARD))
    small = QPushButton("小")
    small.setStyleSheet("min-height: 20px; max-height: 20px; min-width: 20px; max-width: 20px;")
    _screen_with(renderer, small)
    printed = table([audit_screen(renderer, "sample", False, "landscape", Display())])
    row = next(line for line in printed.splitlines() if line.startswith("sample"))
    assert "1 FAIL" in row and "breaches" in printed.splitlines()[-1]



# -- leaving while work is under way --------------------------------------------------------------

@pytest.mark.parametrize("name", ["printing", "busy", "payment-paying"])
def test_back_and_home_are_off_with_a_reason_while_work_is_under_way(renderer, catalog, name):
    scenes = {scene.name: scene for scene in all_scenes(catalog)}
    window = renderer.window
    renderer.show(scenes[name], False, (1920, 1080))
    assert not window.back_button.isEnabled() and not window.home_button.isEnabled()
    assert window.leave_reason.isVisible() and "才能返回" in window.leave_reason.text()
    renderer.show(scenes["form"], False, (1920, 1080))  # the next screen lets the person go
    assert window.back_button.isEnabled() and window.home_button.isEnabled()
    assert not window.leave_reason.isVisible()


def test_the_audit_measures_the_kiosks_font(renderer):
    """The kiosk sets its CJK font for Latin text too (ui.app); measured in Qt's default font,
    a button's words could fit in the audit and not on the kiosk."""
    family = kiosk_font_family()
    assert family is not None, "setup.sh installs fonts-wqy-microhei"
    label = QLabel("第 2 步")
    renderer.window.show_screen(label)
    assert label.fontInfo().family() == family
