"""Voice questions: the bottom bar's 语音提问 as a large push-to-talk button.

Hold it and speak, or tap it and speak (listening ends when the person stops talking, or on
说完了). While listening an indicator says so; what was heard is shown, then answered on the
screen and by voice. On home, search and answer screens the question goes through the ask flow
(`flows.ask.Search`), so the answer is a screen with the button that opens the service. On any
other screen — elder mode offers voice everywhere — the person may be half-way through a form:
the answer comes in an overlay over their work and 继续当前办理 takes them back to it untouched.

Recognition is limited to the knowledge base's phrases (`KnowledgeBase.phrases`) when the
engine supports it (vosk with a small Mandarin model). What a person said is never logged.
"""

from __future__ import annotations

import asyncio
import html
import logging
import time
from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

from PySide6.QtWidgets import QLabel, QWidget

from devices.speech.asr import (
    VOICE_UNAVAILABLE,
    Availability,
    ListeningStarted,
    ListenResult,
    NothingHeard,
    SpeechEnded,
    SpeechStarted,
    Transcript,
    VoiceEvent,
    VoiceUnavailable,
)
from flows.ask import AnswerStep, Knowledge, Search, SearchStep, answer_step
from flows.steps import CALL_STAFF, HomeStep, Step
from ui.i18n import render, tr
from ui.screens.search import highlighted, rich_label
from ui.shell import Shell
from ui.widgets import button, label
from ui.window import message_overlay

log = logging.getLogger(__name__)

HOLD_S = 0.8  # held at least this long: letting go ends the question (push-to-talk)
ASKED_IN_THE_FLOW = (HomeStep, SearchStep, AnswerStep)  # where leaving the screen loses nothing


class VoiceInputPort(Protocol):
    """`devices.speech.asr.SpeechRecognizer`: the speech device's `voice`."""

    def availability(self) -> Availability: ...

    async def listen(self, phrases: Sequence[str] = ()) -> ListenResult: ...

    def release(self) -> None: ...

    def cancel(self) -> None: ...

    def on_event(self, listener: Callable[[VoiceEvent], None]) -> None: ...


@runtime_checkable
class PhraseSource(Protocol):
    """A knowledge base that lists its phrases (`KnowledgeBase.phrases`), for an engine that
    recognises only those."""

    def phrases(self) -> Sequence[str]: ...


class VoiceQuestions:
    def __init__(self, shell: Shell, voice: VoiceInputPort | None,
                 knowledge: Callable[[], Knowledge | None],
                 say: Callable[[str], None]) -> None:
        self.shell = shell
        self.voice = voice
        self.knowledge = knowledge
        self.say = say
        self.step: Step | None = None
        self.heard: str | None = None  # the last question, while it is on screen
        self._listening: asyncio.Task[None] | None = None
        self._pressed_at = 0.0
        self._status: QLabel | None = None
        self._phrases: tuple[int, list[str]] = (0, [])
        self.button = shell.window.voice_button
        self.button.pressed.connect(self._pressed)
        self.button.released.connect(self._released)
        shell.screen_shown.append(self._screen_shown)
        if voice is not None:
            voice.on_event(self._event)

    @property
    def listening(self) -> bool:
        return self._listening is not None and not self._listening.done()

    def _screen_shown(self, step: Step, _screen: QWidget) -> None:
        if self.listening and step is not self.step:
            assert self.voice is not None, "only a voice listens"
            self.voice.cancel()  # the screen moved on (idle timeout, session end)
        self.step = step
        self.button.setEnabled(self.voice is not None and (
            self.shell.elder_mode or isinstance(step, ASKED_IN_THE_FLOW)))

    # -- push-to-talk ------------------------------------------------------------------------

    def _pressed(self) -> None:
        self._pressed_at = time.monotonic()
        if not self.listening and self.voice is not None and not self.shell.paused:  # 暂停服务
            self._listening = asyncio.ensure_future(self._listen(self.voice))

    def _released(self) -> None:
        if self.listening and time.monotonic() - self._pressed_at >= HOLD_S:
            assert self.voice is not None, "only a voice listens"
            self.voice.release()

    async def _listen(self, voice: VoiceInputPort) -> None:
        self._show_listening(voice)
        try:
            result = await voice.listen(self._phrase_list())
        except Exception:
            log.exception("voice input failed")
            result = VoiceUnavailable(VOICE_UNAVAILABLE, "failed")
        self._status = None
        if isinstance(result, Transcript):
            self._answer("".join(result.text.split()) if _cjk(result.text) else result.text)
        elif isinstance(result, NothingHeard):
            if result.reason == "cancelled":
                self.shell.window.hide_overlay()
            else:
                self._show_message(tr("没有听清"), tr("请靠近一些，按住“语音提问”再说一次。"))
        else:
            log.warning("voice input unavailable: %s", result.detail)
            # the port's message is a marked source string (QT_TR_NOOP): translated here
            self._show_message(tr("语音提问"), tr(result.message))

    def _phrase_list(self) -> list[str]:
        knowledge = self.knowledge()
        if not isinstance(knowledge, PhraseSource):
            return []
        if self._phrases[0] != id(knowledge):  # built once per knowledge base
            self._phrases = (id(knowledge), list(knowledge.phrases()))
        return self._phrases[1]

    def _event(self, event: VoiceEvent) -> None:
        if self._status is None:
            return
        if isinstance(event, ListeningStarted):
            self._status.setText(tr("正在听，请说…"))
        elif isinstance(event, SpeechStarted):
            self._status.setText(tr("正在听您说…"))
        elif isinstance(event, SpeechEnded):
            self._status.setText(tr("正在识别…"))

    # -- what is shown -----------------------------------------------------------------------

    def _show_listening(self, voice: VoiceInputPort) -> None:
        status = label(tr("正在打开麦克风…"), "Title")
        self._status = status
        self.shell.window.show_overlay(message_overlay(
            tr("请说出您要办理的事项"),
            [status, label(tr("例如：“我要打社保证明”“公积金怎么提取”"), "Muted")],
            [button(tr("说完了"), voice.release, "Primary"),
             button(tr("取消"), voice.cancel)],
        ))

    def _show_message(self, title: str, text: str) -> None:
        self.shell.window.show_overlay(message_overlay(
            title, [label(text)], [button(tr("知道了"), self.shell.window.hide_overlay,
                                          "Primary")]))
        self.say(text)

    def _answer(self, question: str) -> None:
        self.heard = question
        if isinstance(self.step, ASKED_IN_THE_FLOW) and self.shell.waiting:
            self.shell.window.hide_overlay()
            self.shell.answer(Search(question, spoken=True))
            return
        knowledge = self.knowledge()
        if knowledge is None:
            self._show_message(tr("语音提问"), tr("智能问答暂不可用，请按主题查找或呼叫工作人员。"))
            return
        self._show_answer_over_work(answer_step(knowledge.ask(question),
                                                Search(question, spoken=True)))

    def _show_answer_over_work(self, step: AnswerStep) -> None:
        """The answer without leaving the screen the person is working on."""
        colour = self.shell.tokens.primary
        lines: list[QLabel] = [rich_label(
            html.escape(tr("您说的是：")) + highlighted(step.question, step.marks, colour))]
        if step.kind == "answer":
            lines += [label(str(step.choices[0].label), "SectionTitle"), label(step.answer)]
        elif step.kind == "clarify":
            lines.append(label("、".join(str(choice.label) for choice in step.choices)))
        else:
            lines.append(label(tr("请点屏幕下方的“{staff}”，工作人员会帮您。",
                                  staff=render(CALL_STAFF))))
        lines.append(label(tr("如需办理该事项，请先完成或退出当前办理，再到首页搜索。"), "Muted"))
        self.shell.window.show_overlay(message_overlay(
            render(step.heading), lines,
            [button(tr("继续当前办理"), self.shell.window.hide_overlay, "Primary")]))
        self.say(render(step.spoken_text()))


def _cjk(text: str) -> bool:
    return any("\u3400" <= char <= "\u9fff" for char in text)
