"""End to end through the Qt kiosk, offscreen, as a citizen does it: 社保 → 社保参保证明打印 →
开具并打印 → ID card and face (the simulator panel) → the options as offered → the preview with
the certificate's pages → 打印证明 → the A4 printer and the slip; then the code printed on it
opens the platform's page, which says 真实有效."""

from __future__ import annotations

import io
import re

import pdfplumber
import pytest
import requests

from tests.ui.conftest import buttons, texts, until, while_running
from tests.ui.e2e import DEVICE_S, button_on, kiosk_at, on, tap, tapped
from ui.screens.certificate import CertificateScreen
from ui.screens.face import FaceScreen
from ui.screens.form import FormScreen
from ui.screens.guide import GuideScreen
from ui.screens.home import HomeScreen
from ui.screens.identity import IdentityScreen
from ui.screens.message import MessageScreen
from ui.screens.theme import ThemeScreen


@pytest.fixture
def kiosk(qapp, qtbot, platform, tmp_path, loop):
    kiosk = kiosk_at(qapp, qtbot, platform, tmp_path / "kiosk")
    yield kiosk
    qapp.removeEventFilter(kiosk.activity)


def test_an_ss001_certificate_from_the_guide_to_paper_and_its_verify_page(loop, kiosk, qtbot):
    window, panel = kiosk.window, kiosk.test_panel
    devices = kiosk.terminal.devices.by_family
    a4, slips = devices["a4_printer"], devices["receipt_printer"]

    async def scenario() -> tuple[str, bytes]:
        await until(lambda: on(kiosk, HomeScreen) and kiosk.shell.step.tiles, 30)
        while not any(t.startswith("社保") for t in buttons(window.current_screen)):
            await tapped(qtbot, buttons(window.current_screen)["下一页"])
        await tapped(qtbot, next(b for t, b in buttons(window.current_screen).items()
                                 if t.startswith("社保")))
        await until(lambda: on(kiosk, ThemeScreen))
        await tapped(qtbot, next(b for t, b in buttons(window.current_screen).items()
                                 if t.startswith("社保参保证明打印")))
        await until(lambda: on(kiosk, GuideScreen))
        assert window.current_screen.start_button.text() == "开具并打印"
        await tapped(qtbot, window.current_screen.start_button)

        await until(lambda: on(kiosk, IdentityScreen), 30)
        tap(qtbot, button_on(panel, "出现人脸"))
        tap(qtbot, button_on(panel, "放身份证（张三）"))
        await until(lambda: on(kiosk, FaceScreen), DEVICE_S)
        await until(lambda: on(kiosk, FormScreen), DEVICE_S)
        form = texts(window.current_screen)
        assert "张*" in form and "110***********0011" in form and "张三" not in form
        await tapped(qtbot, window.current_screen.next_button)  # the last 12 months, every type

        await until(lambda: on(kiosk, CertificateScreen) and window.current_screen.pages, DEVICE_S)
        preview = window.current_screen
        shown = texts(preview)
        code = re.search(r"[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){3}", shown).group(0)
        assert "社会保险个人参保证明" in shown and "张*" in shown
        assert not a4.previews and not slips.previews  # nothing printed before 打印证明
        await tapped(qtbot, buttons(preview)["打印证明"])

        await until(lambda: on(kiosk, MessageScreen)
                    and "证明已打印" in texts(window.current_screen), DEVICE_S)
        assert code in texts(window.current_screen)
        await until(lambda: len(slips.previews) == 1, DEVICE_S)
        await tapped(qtbot, buttons(window.current_screen)["返回首页"])
        tap(qtbot, button_on(panel, "取走证件"))
        await until(lambda: on(kiosk, HomeScreen))
        return code, a4.previews[-1].preview

    code, printed = while_running(loop, kiosk, scenario)
    with pdfplumber.open(io.BytesIO(printed)) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "张*" in text and code in text and "张三" not in text
    url = re.search(r"https?://\S+/verify/" + re.escape(code), text).group(0)
    page = requests.get(url, timeout=10)
    assert "真实有效" in page.text and "社会保险个人参保证明" in page.text
