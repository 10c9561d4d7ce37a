"""Asking's screens for `python main.py screenshot`: the search screen with the pinyin
keyboard up and suggestions for what was typed, an answer, a "which one?", 人工帮办 for what it
cannot answer, and a voice question being listened to, each in standard and elder mode."""

from __future__ import annotations

from collections.abc import Callable

from flows.ask import AskDesk, Search, answer_step, search_step
from kiosk.session import CitizenSession
from ui.app import Kiosk
from ui.screenshot_waits import until

KEYBOARD_WAIT_S = 10.0  # the keyboard's QML compiles in the background the first time


def _knowledge(kiosk: Kiosk):
    if (served := kiosk.runtime.knowledge()) is not None:
        return served
    from kiosk.knowledge import KnowledgeBase

    catalog = kiosk.terminal.catalog.catalog
    return KnowledgeBase.from_catalog(catalog) if catalog is not None else None


async def photograph_search_screens(kiosk: Kiosk, save: Callable[[str], None]) -> None:
    """`save(name)` photographs the window as it is."""
    knowledge = _knowledge(kiosk)
    if knowledge is None:
        return
    shell, window = kiosk.shell, kiosk.window
    session = CitizenSession()
    desk = AskDesk(lambda: knowledge, lambda: kiosk.runtime.hot_searches() or [
        "社保参保证明打印", "公积金提取（租房）", "居住证办理", "不动产登记信息查询"], session)
    desk.remember("护照怎么办")
    window.activateWindow()
    for elder in (False, True):
        shell.set_elder_mode(elder)
        suffix = "-elder" if elder else ""
        shell.show(search_step(desk, "社保"))
        await until(lambda: window.keyboard.ready or window.keyboard.problem, KEYBOARD_WAIT_S)
        save(f"search{suffix}")
        for name, question in (("answer", "我要打个社保证明"), ("answer-clarify", "公积金"),
                               ("answer-staff", "今天晚饭吃什么好呢")):
            shell.show(answer_step(knowledge.ask(question), Search(question, spoken=True)))
            save(f"{name}{suffix}")
        if (voice := kiosk.voice.voice) is not None:
            kiosk.voice._show_listening(voice)
            save(f"voice-listening{suffix}")
            window.hide_overlay()
    session.wipe()
    shell.set_elder_mode(False)
