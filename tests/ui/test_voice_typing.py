"""说话输入 on every text field: the simulated microphone "hears" a sentence and the field has
it; without speech recognition the tap says so and the field is untouched."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit

from flows.ask import AskDesk, search_step
from flows.steps import FieldView, FormStep
from kiosk.session import CitizenSession
from tests.ui.conftest import buttons, tap, until
from tests.ui.test_voice import kiosk as kiosk  # the fixtures
from tests.ui.test_voice import overlay_text, said
from tests.ui.test_voice import speech as speech
from ui.voice_typing import voice_button_of

FORM = FormStep("居住证办理", (
    FieldView("address", "居住地址", "text", True, False),
    FieldView("employer", "工作单位", "text", False, False),
    FieldView("phone", "联系电话", "keypad", True, False),
))


def typed_fields(window) -> list[QLineEdit]:
    return [field for field in window.current_screen.findChildren(QLineEdit)
            if not field.isReadOnly()]


def test_every_text_field_has_voice_input_and_what_is_heard_fills_it(loop, kiosk, qtbot,
                                                                      speech):
    window = kiosk.window

    async def scenario():
        kiosk.shell.set_elder_mode(True)
        kiosk.shell.show(FORM)
        fields = typed_fields(window)
        assert len(fields) == 2, "the two text fields (the phone number has its keypad)"
        offered = [voice_button_of(field) for field in fields]
        assert all(b is not None and b.isVisible() and b.text() == "说话输入" for b in offered)
        address, employer = fields
        employer.setText("示范")

        tap(qtbot, voice_button_of(address))
        await until(lambda: speech.voice.listening)
        assert "请说出要填写的内容" in overlay_text(window)
        speech.voice.hear("幸福路八号")
        await until(lambda: address.text() == "幸福路八号")
        assert window.overlay is None
        assert employer.text() == "示范", "only the field whose button was tapped"
        await until(lambda: "已填入：幸福路八号" in said(speech))

        tap(qtbot, voice_button_of(employer))
        await until(lambda: speech.voice.listening)
        speech.voice.hear("建设 集团")  # the recogniser's spaces between Chinese words go
        await until(lambda: employer.text() == "示范建设集团")

        desk = AskDesk(lambda: None, lambda: [], CitizenSession())
        kiosk.shell.show(search_step(desk, ""))
        (search_field,) = typed_fields(window)
        assert voice_button_of(search_field) is not None, "the search box too"

    loop.run_until_complete(scenario())


def test_without_speech_recognition_the_button_says_so_and_the_keyboard_stays(
        loop, kiosk, qtbot, speech):
    window = kiosk.window
    speech.set_voice_available(False)

    async def scenario():
        kiosk.shell.show(FORM)
        address = typed_fields(window)[0]
        tap(qtbot, voice_button_of(address))
        await until(lambda: window.overlay is not None)
        assert "本机没有配置语音识别" in overlay_text(window)
        assert not speech.voice.listening and address.text() == ""
        tap(qtbot, buttons(window.overlay)["知道了"])
        assert window.overlay is None

    loop.run_until_complete(scenario())
