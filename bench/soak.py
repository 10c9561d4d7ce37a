"""A kiosk runs for weeks: 1,000 citizens through the real flows, and what the process keeps.

    .venv/bin/python bench/soak.py [--sessions 1000] [--every 100] [--mix browse=3,declaration=1]
                                   [--seed 13] [--data DIR]

The demo as `main.py` runs it — the reference platform embedded on loopback with its sample
catalog, every device simulated, the simulator panel, logging to a file, Python's collector on
the GUI thread — but offscreen, with short idle timeouts, and driven by this script: each
citizen taps what a person taps (the widgets themselves, through QTest), the simulators are
steered as a demo operator does from the panel, and then the person walks away, so that every
session ends as it does in a hall: idle, "继续办理？" unanswered, wiped, home.

Kinds of citizen (`--mix`, weights; a bare name runs only that kind):

  browse       tiles, a theme, one or two guides (sometimes in elder mode or in English)
  search       pinyin typed on the on-screen keyboard, a suggestion or 搜索, the answer, a guide
  voice        语音提问 on home, a sentence heard, the answer, sometimes its guide
  certificate  社保参保证明打印: card and face, the options, the preview, A4 and the slip
  declaration  居住证申领 (SS-015): card and face, 情形, consent, the form, two scanned pages,
               the signature, submit, the receipt, a rating; every other one then looks up its
               progress by holding the printed receipt up to the scanner
  walk_away    居住证申领 up to the form, a few digits typed, then gone (the card left behind,
               which staff then take off the reader)
  card_pulled  居住证申领 or a certificate, the card taken off the reader mid-flow

A person still there taps 继续办理 when "继续办理？" comes up during a device's wait (the idle
timeout here is a couple of seconds, shorter than a face check on a busy machine).

Before the first person and then every `--every` sessions (100; a fifth of `--sessions`
under 500) one line, taken at home between two people: sessions done, RSS of this process
(kiosk and embedded platform) and of its child processes (MB), open descriptors, threads, child
processes, elapsed time. Descriptors, threads and children are the least of five readings over
a second, so an HTTP connection or a detector process that is there for a moment is not counted
as kept. At the end the time each kind of session took and the growth per 100 sessions from
the first line after the start to the last (RSS MB, descriptors, threads, children). Figures,
never assertions; a session that went wrong is counted and printed (with what was on screen in
the log), and the soak goes on after the person walked away. Exit status 1 if more than 5 % of
sessions went wrong.

`--data DIR` keeps the kiosk's data folder; its `logs/kiosk.log` has a line for every wait.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import random
import statistics
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if os.environ["QT_QPA_PLATFORM"] == "offscreen":
    # the offscreen screen is 800x800 unless told: taps beyond it on a 1920x1080 kiosk window
    # would be dropped
    os.environ["QT_QPA_PLATFORM"] = (
        f"offscreen:configfile={ROOT / 'tests' / 'ui' / 'kiosk_screen.json'}")

import qasync  # noqa: E402
from PySide6.QtCore import QPoint, QPointF, Qt, QtMsgType, qInstallMessageHandler  # noqa: E402
from PySide6.QtGui import QInputMethodEvent  # noqa: E402
from PySide6.QtQuick import QQuickItem  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication,
    QLabel,
    QPushButton,
    QScrollArea,
    QWidget,
)

from kiosk.logging_setup import configure_logging  # noqa: E402
from kiosk.settings import load_settings  # noqa: E402
from kiosk.terminal import build_terminal  # noqa: E402
from main import platform_url  # noqa: E402  (the demo's embedded platform, as main.py runs it)
from ui.app import Kiosk, application  # noqa: E402
from ui.gui_gc import GuiThreadCollector  # noqa: E402
from ui.screens.certificate import CertificateScreen  # noqa: E402
from ui.screens.consent import ConsentScreen  # noqa: E402
from ui.screens.evaluation import EvaluationScreen  # noqa: E402
from ui.screens.face import FaceScreen  # noqa: E402
from ui.screens.form import FormScreen  # noqa: E402
from ui.screens.guide import GuideScreen  # noqa: E402
from ui.screens.home import HomeScreen  # noqa: E402
from ui.screens.identity import IdentityScreen  # noqa: E402
from ui.screens.message import MessageScreen  # noqa: E402
from ui.screens.progress import ProgressScreen  # noqa: E402
from ui.screens.receipt import ReceiptScreen  # noqa: E402
from ui.screens.review import ReviewScreen  # noqa: E402
from ui.screens.scan import ScanScreen  # noqa: E402
from ui.screens.search import AnswerScreen, SearchScreen  # noqa: E402
from ui.screens.signature import SignatureScreen  # noqa: E402
from ui.screens.situation import SituationScreen  # noqa: E402
from ui.screens.theme import ThemeScreen  # noqa: E402

KINDS = ("browse", "search", "voice", "certificate", "declaration", "walk_away", "card_pulled")
DEFAULT_MIX = "browse=30,search=12,voice=12,certificate=14,declaration=12,walk_away=10," \
              "card_pulled=10"
IDLE_S, ELDER_IDLE_S, COUNTDOWN_S = 2.0, 2.0, 1.0  # the demo's are 90, 180 and 20
DEVICE_S = 60.0  # a card read, a live face with a blink, a still page: on a busy 2-core PC
SCREEN_S = 20.0  # a screen after a tap
SESSION_LIMIT_S = 180.0  # one citizen, whatever happens
ENDED_S = IDLE_S + ELDER_IDLE_S + COUNTDOWN_S + 30.0  # walking away, on a busy machine
SEARCHES = (("shebao", "社保"), ("gongjijin", "公积金"), ("hukou", "户口"), ("yibao", "医保"))
SENTENCES = ("我要打个社保证明，买房子用", "公基金怎么取", "护照怎么办", "今天天气怎么样",
             "居住证怎么办", "我想查一下我的养老保险交了多少年")
LOG = logging.getLogger("soak")
QT_LOG = logging.getLogger("qt")
SEARCH_ENTRY = "搜索：输入要办的事或拼音，也可点下方“语音提问”直接说"


class SessionFailed(Exception):
    pass


# -- what the process holds --------------------------------------------------------------

def _status(pid: int) -> dict[str, str]:
    with open(f"/proc/{pid}/status") as status:
        return dict(line.rstrip("\n").split(":\t", 1) for line in status if ":\t" in line)


def _descendants(pid: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                # the command name may hold spaces and parentheses: fields follow the last ')'
                ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
        parents.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _rss_mb(pid: int) -> float:
    try:
        return int(_status(pid).get("VmRSS", "0 kB").split()[0]) / 1024
    except (OSError, ValueError):
        return 0.0


@dataclass(frozen=True)
class Sample:
    sessions: int
    rss_mb: float
    children_rss_mb: float
    fds: int
    threads: int
    children: int
    elapsed_s: float

    @classmethod
    def now(cls, sessions: int, started: float) -> Sample:
        me = os.getpid()
        children = _descendants(me)
        return cls(sessions, _rss_mb(me), sum(_rss_mb(child) for child in children),
                   len(os.listdir("/proc/self/fd")), int(_status(me)["Threads"]),
                   len(children), time.monotonic() - started)

    @classmethod
    async def settled(cls, sessions: int, started: float) -> Sample:
        """The least of five readings over a second at home: an HTTP connection, a SQLite
        connection or a worker process that is there for a moment between two people is not
        something the kiosk keeps."""
        readings = []
        for _ in range(5):
            readings.append(cls.now(sessions, started))
            await asyncio.sleep(0.25)
        fewest = min(readings, key=lambda r: (r.children, r.children_rss_mb))
        return cls(sessions, readings[-1].rss_mb, fewest.children_rss_mb,
                   min(r.fds for r in readings), min(r.threads for r in readings),
                   fewest.children, readings[0].elapsed_s)

    def line(self) -> str:
        minutes, seconds = divmod(int(self.elapsed_s), 60)
        return (f"{self.sessions:>6} sessions  rss {self.rss_mb:7.1f} MB  children rss "
                f"{self.children_rss_mb:6.1f} MB  fds {self.fds:4}  threads {self.threads:3}  "
                f"children {self.children:2}  {minutes:3}:{seconds:02}")


def growth(first: Sample, last: Sample) -> str:
    per = 100 / (last.sessions - first.sessions)

    def g(a: float, b: float, fmt: str) -> str:
        return format((b - a) * per, fmt)

    return (f"growth per 100 sessions after the first {first.sessions} "
            f"({first.sessions}→{last.sessions}): rss {g(first.rss_mb, last.rss_mb, '+.2f')} MB, "
            f"children rss {g(first.children_rss_mb, last.children_rss_mb, '+.2f')} MB, "
            f"fds {g(first.fds, last.fds, '+.1f')}, "
            f"threads {g(first.threads, last.threads, '+.1f')}, "
            f"children {g(first.children, last.children, '+.1f')}")


# -- a finger on the kiosk -----------------------------------------------------------------

def _in_scroll(widget: QWidget) -> QScrollArea | None:
    parent = widget.parent()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parent()
    return parent


def _buttons(widget: QWidget) -> dict[str, QPushButton]:
    return {b.text(): b for b in widget.findChildren(QPushButton) if b.isVisible()}


def _texts(widget: QWidget) -> str:
    return "\n".join(label.text() for label in widget.findChildren(QLabel) if label.isVisible())


def _quick_items(item: QQuickItem):
    for child in item.childItems():
        yield child
        yield from _quick_items(child)


class Citizen:
    """Taps as a person does and waits for what the person waits for, with a deadline."""

    def __init__(self, kiosk: Kiosk, rng: random.Random) -> None:
        self.kiosk = kiosk
        self.window = kiosk.window
        self.panel = kiosk.panel
        self.devices = kiosk.terminal.devices.by_family
        self.rng = rng
        self.present = True  # taps 继续办理 when asked; False once walking away
        self.kept_going = 0  # times "继续办理？" was answered

    @property
    def screen(self) -> QWidget:
        return self.window.current_screen

    def on(self, kind: type) -> bool:
        return isinstance(self.window.current_screen, kind)

    async def _still_here(self) -> None:
        overlay = self.window.overlay
        if self.present and overlay is not None:
            keep = _buttons(overlay).get("继续办理")
            if keep is not None:
                QTest.mouseClick(keep, Qt.MouseButton.LeftButton)
                self.kept_going += 1
                await asyncio.sleep(0.05)

    async def until(self, condition: Callable[[], object], timeout_s: float = SCREEN_S,
                    what: str = "") -> None:
        deadline = time.monotonic() + timeout_s
        if what:
            LOG.info("waiting for %s", what)
        while not condition():
            await self._still_here()
            if time.monotonic() > deadline:
                raise SessionFailed(f"waited {timeout_s:.0f} s for {what or 'the screen'}")
            await asyncio.sleep(0.01)

    async def tap(self, widget: QWidget) -> None:
        await self._still_here()
        area = _in_scroll(widget)
        if area is not None:  # flicked into view first; the scroller holds a press a moment
            area.ensureWidgetVisible(widget)
            # (not processEvents(): inside a task it would run other tasks' steps, which
            # asyncio refuses, and the task whose wake-up was lost would wait for ever)
            await asyncio.sleep(0.05)
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton)
        await asyncio.sleep(0.4 if area is not None else 0.05)

    async def tap_text(self, text: str, on: QWidget | None = None) -> None:
        found = _buttons(on or self.screen).get(text)
        if found is None:
            raise SessionFailed(f"no button {text!r} on {type(on or self.screen).__name__}")
        await self.tap(found)

    async def tap_starting(self, prefix: str) -> None:
        found = [b for t, b in _buttons(self.screen).items() if t.startswith(prefix)]
        if not found:
            raise SessionFailed(f"no button {prefix!r}… on {type(self.screen).__name__}")
        await self.tap(found[0])

    def panel_button(self, text: str) -> None:
        """What a demo operator does on the panel (it is not the kiosk's screen)."""
        assert self.panel is not None
        (found,) = [b for b in self.panel.findChildren(QPushButton)
                    if b.text() == text and b.isVisible()]
        QTest.mouseClick(found, Qt.MouseButton.LeftButton)

    # -- common paths ----------------------------------------------------------------------

    async def home(self) -> None:
        """Home with a flow waiting for a tap: just after a session ends, the last person's
        home is still on screen for a moment and a tap on it goes nowhere."""
        shell = self.kiosk.shell
        await self.until(lambda: self.on(HomeScreen) and shell.step.tiles and shell.waiting, 30,
                         "home")

    async def open_theme(self, prefix: str) -> None:
        while not any(t.startswith(prefix) for t in _buttons(self.screen)):
            await self.tap_text("下一页")
        await self.tap_starting(prefix)
        await self.until(lambda: self.on(ThemeScreen), what="the theme")

    async def open_service(self, theme: str, service: str) -> None:
        await self.open_theme(theme)
        await self.tap_starting(service)
        await self.until(lambda: self.on(GuideScreen), what="the guide")

    async def show_card_and_face(self) -> None:
        await self.until(lambda: self.on(IdentityScreen), 30, "identity")
        self.panel_button("出现人脸")
        self.panel_button("放身份证（张三）")
        await self.until(lambda: self.on(FaceScreen), DEVICE_S, "the face check")

    async def to_residence_form(self) -> None:
        await self.open_service("流动人口", "居住证申领")
        await self.tap(self.screen.start_button)
        await self.show_card_and_face()
        await self.until(lambda: self.on(SituationScreen), DEVICE_S, "情形")
        await self.tap_text(self.rng.choice(["合法稳定就业证明", "合法稳定住所证明",
                                             "连续就读证明"]))
        await self.until(lambda: self.on(ConsentScreen), what="consent")
        for toggle in self.screen.toggles.values():
            await self.tap(toggle)
        await self.tap_text("确认并继续")
        await self.until(lambda: self.on(FormScreen), what="the form")

    async def fill_residence_form(self) -> None:
        form = self.screen
        for digit in "138" + "".join(self.rng.choice("0123456789") for _ in range(8)):
            await self.tap(form.keypad.keys[digit])
        address = form.inputs["address"]
        await self.tap(address)
        typed = QInputMethodEvent()  # what the pinyin keyboard commits
        typed.setCommitString(f"北京市朝阳区幸福路{self.rng.randint(1, 99)}号")
        QApplication.sendEvent(address, typed)
        delivery = next(b for b in form.findChildren(QPushButton)
                        if b.property("option") == "窗口领取")
        await self.tap(delivery)
        await self.tap(form.next_button)

    # -- the keyboard ----------------------------------------------------------------------

    def _keyboard_root(self) -> QQuickItem:
        return self.window.keyboard.quick.rootObject()

    def _keys(self) -> dict[str, QQuickItem]:
        keys: dict[str, QQuickItem] = {}
        for item in _quick_items(self._keyboard_root()):
            meta = item.metaObject()
            if (meta.indexOfProperty("key") >= 0 and meta.indexOfProperty("text") >= 0
                    and item.isVisible() and item.property("text")):
                keys.setdefault(item.property("text"), item)
        return keys

    def _candidates(self) -> dict[str, QQuickItem]:
        found: dict[str, QQuickItem] = {}
        for item in _quick_items(self._keyboard_root()):
            if item.objectName() == "wordCandidateView":
                for entry in _quick_items(item):
                    if "SelectionListItem" in entry.metaObject().className() and entry.isVisible():
                        words = [c.property("text") for c in entry.childItems()
                                 if c.metaObject().indexOfProperty("text") >= 0]
                        if words and words[0]:
                            found.setdefault(words[0], entry)
        return found

    async def touch_key(self, item: QQuickItem) -> None:
        await self._still_here()
        centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2)).toPoint()
        QTest.mouseClick(self.window.keyboard.quick, Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.NoModifier, centre)
        await asyncio.sleep(0.02)

    # -- the citizens ----------------------------------------------------------------------

    async def browse(self) -> None:
        if self.rng.random() < 0.2:
            await self.tap(self.window.elder_button)
        elif self.rng.random() < 0.1:
            await self.tap(self.window.language_button)
        pages = self.rng.randint(0, 1)
        for _ in range(pages):
            if "下一页" in _buttons(self.screen) or "Next" in _buttons(self.screen):
                await self.tap(_buttons(self.screen).get("下一页") or _buttons(self.screen)["Next"])
        tiles = [b for b in _buttons(self.screen).values() if "\n" in b.text()]
        await self.tap(self.rng.choice(tiles))
        await self.until(lambda: self.on(ThemeScreen), what="the theme")
        for guide in range(self.rng.randint(1, 2)):
            services = [b for t, b in _buttons(self.screen).items() if t.endswith("    ›")]
            await self.tap(self.rng.choice(services))
            await self.until(lambda: self.on(GuideScreen), what="the guide")
            if guide == 0:
                await self.tap(self.window.back_button)
                await self.until(lambda: self.on(ThemeScreen), what="the theme again")
        if self.rng.random() < 0.5:
            await self.tap(self.window.home_button)
            await self.until(lambda: self.on(HomeScreen), what="home")

    async def search(self) -> None:
        await self.tap_text(SEARCH_ENTRY)
        await self.until(lambda: self.on(SearchScreen), what="search")
        screen = self.screen
        keyboard = self.window.keyboard
        await self.until(lambda: keyboard.ready or keyboard.problem, 30, "the keyboard")
        pinyin, word = self.rng.choice(SEARCHES)
        if keyboard.available:
            for letter in pinyin:
                await self.touch_key(await self._key(letter))
            await self.pick_candidate(word, screen.field)
        else:  # no pinyin engine here: what it would have committed
            typed = QInputMethodEvent()
            typed.setCommitString(word)
            QApplication.sendEvent(screen.field, typed)
        await self.until(lambda: screen.field.text() == word, what="the typed word")
        rows = [b for b in screen.suggestions_card.findChildren(QPushButton) if b.isVisible()]
        if rows and self.rng.random() < 0.5:
            await self.tap(self.rng.choice(rows))
        else:
            await self.tap(screen.search_button)
        await self.until(lambda: self.on(AnswerScreen), what="the answer")
        await self.open_from_answer()

    async def pick_candidate(self, word: str, field) -> None:
        """The word among the candidates once the list has come to rest (a touch on a list
        still moving can miss), again if the touch did not take."""
        for _attempt in range(3):
            await self.until(lambda: word in self._candidates(), what=f"the candidate {word}")
            places: list[tuple[float, float]] = []
            while len(places) < 3 or len(set(places[-3:])) > 1:
                item = self._candidates().get(word)
                if item is None:
                    break
                place = item.mapToScene(QPointF(0, 0))
                places.append((place.x(), place.y()))
                await asyncio.sleep(0.02)
            if (item := self._candidates().get(word)) is not None:
                await self.touch_key(item)
            with contextlib.suppress(SessionFailed):
                await self.until(lambda: field.text() == word, 3.0)
                return

    async def _key(self, letter: str) -> QQuickItem:
        await self.until(lambda: letter in self._keys(), what=f"the key {letter}")
        return self._keys()[letter]

    async def open_from_answer(self) -> None:
        opens = [b for t, b in _buttons(self.screen).items()
                 if t.startswith("查看办事指南") or t.endswith("    ›")]
        if opens and self.rng.random() < 0.7:
            await self.tap(self.rng.choice(opens))
            await self.until(lambda: self.on(GuideScreen), what="the guide")

    async def voice(self) -> None:
        voice = self.devices["speech"].voice
        await self.tap(self.window.voice_button)
        await self.until(lambda: voice.listening, what="listening")
        voice.hear(self.rng.choice(SENTENCES))
        await self.until(lambda: self.on(AnswerScreen), what="the answer")
        await self.open_from_answer()

    async def certificate(self, pull_card: bool = False) -> None:
        slips = self.devices["receipt_printer"]
        await self.open_service("社保", "社保参保证明打印")
        await self.tap(self.screen.start_button)
        await self.show_card_and_face()
        await self.until(lambda: self.on(FormScreen), DEVICE_S, "the options")
        if pull_card:
            self.panel_button("取走证件")
            await self.until(lambda: self.on(HomeScreen), what="home after the card left")
            return
        await self.tap(self.screen.next_button)
        await self.until(lambda: self.on(CertificateScreen) and self.screen.pages, DEVICE_S,
                         "the preview")
        printed = len(slips.previews), slips.previews[-1] if slips.previews else None
        await self.tap_text("打印证明")
        await self.until(lambda: self.on(MessageScreen) and "证明已打印" in _texts(self.screen),
                         DEVICE_S, "the certificate printed")
        await self.until(lambda: (len(slips.previews), slips.previews[-1] if slips.previews
                                  else None) != printed, DEVICE_S, "the slip")
        await self.tap_text("返回首页")
        self.panel_button("取走证件")
        await self.until(lambda: self.on(HomeScreen), what="home")

    async def declaration(self) -> None:
        devices = self.devices
        await self.to_residence_form()
        await self.fill_residence_form()
        for seed in (24, 7):  # two different pages (the same page lying still is no new one)
            await self.until(lambda: self.on(ScanScreen) and not self.screen.thumbnails,
                             DEVICE_S, "the scan screen")
            devices["document_camera"].place_page(seed)
            await self.until(lambda: self.on(ScanScreen) and len(self.screen.thumbnails) == 1,
                             DEVICE_S, "the page scanned")
            await self.tap_text("完成，下一步")
            devices["document_camera"].take_away()
        await self.until(lambda: self.on(SignatureScreen), DEVICE_S, "the signature pad")
        pad = self.screen.pad
        QTest.mousePress(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         QPoint(200, 150))
        for x in range(210, 600, 15):
            QTest.mouseMove(pad, QPoint(x, 150 + (x // 15) % 4 * 20))
        QTest.mouseRelease(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                           QPoint(600, 160))
        await self.tap(self.screen.confirm_button)
        await self.until(lambda: self.on(ReviewScreen), what="the review")
        await self.tap_text("确认提交")
        await self.until(lambda: self.on(ReceiptScreen), DEVICE_S, "the receipt")
        if "回执已打印" not in _texts(self.screen):
            raise SessionFailed("the receipt was not printed")
        await self.tap_text("完成")
        await self.until(lambda: self.on(EvaluationScreen), what="the rating")
        if self.rng.random() < 0.8:  # one tap on a face; 跳过 otherwise
            await self.tap(self.rng.choice([choice for level, choice in
                                            self.screen.levels.items() if level > 2]))
        else:
            await self.tap_text("跳过")
        await self.until(lambda: self.on(MessageScreen), what="the reminder")
        await self.tap_text("返回首页")
        self.panel_button("取走证件")
        await self.until(lambda: self.on(HomeScreen), what="home")
        if self.rng.random() < 0.5:  # the printed receipt held up to the scanner
            await self.tap(self.screen.progress_button)
            await self.until(lambda: self.on(MessageScreen)
                             and "办件进度查询" in _texts(self.screen), what="progress")
            self.panel_button("扫最近打印的回执")
            await self.until(lambda: self.on(ProgressScreen), DEVICE_S, "the progress")
            devices["qr_scanner"].show_nothing()
            await self.tap(self.window.home_button)
            await self.until(lambda: self.on(HomeScreen), what="home")

    async def walk_away(self) -> None:
        await self.to_residence_form()
        for digit in "139"[: self.rng.randint(1, 3)]:
            await self.tap(self.screen.keypad.keys[digit])

    async def card_pulled(self) -> None:
        if self.rng.random() < 0.5:
            await self.certificate(pull_card=True)
            return
        await self.to_residence_form()
        if self.rng.random() < 0.5:
            await self.fill_residence_form()
            await self.until(lambda: self.on(ScanScreen), DEVICE_S, "the scan screen")
        self.panel_button("取走证件")
        await self.until(lambda: self.on(HomeScreen), what="home after the card left")

    def tidy_up(self) -> None:
        """Between two people: the card left behind taken off, nothing before the cameras."""
        if self.devices["idcard"].card is not None:
            self.devices["idcard"].remove()
        self.devices["face_camera"].show_nobody()
        self.devices["document_camera"].take_away()
        self.devices["qr_scanner"].show_nothing()


def _qt_message(kind: QtMsgType, _context, message: str) -> None:
    """What Qt says goes to the kiosk's log file; only its criticals to stderr as well (its
    warnings here are QML's and the offscreen platform's, several a session)."""
    if message == "This plugin does not support propagateSizeHints()":
        return  # offscreen, on every resize
    serious = kind in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg)
    QT_LOG.log(logging.ERROR if serious else logging.INFO, "%s", message)


def parse_mix(text: str) -> dict[str, float]:
    mix: dict[str, float] = {}
    for part in text.split(","):
        name, _, weight = part.strip().partition("=")
        if name not in KINDS:
            raise SystemExit(f"--mix: unknown kind {name!r}; kinds: {', '.join(KINDS)}")
        mix[name] = float(weight or 1)
    if not any(mix.values()):
        raise SystemExit("--mix: every weight is zero")
    return mix


async def soak(kiosk: Kiosk, sessions: int, every: int, mix: dict[str, float], seed: int,
               ended: list[int]) -> int:
    rng = random.Random(seed)
    citizen = Citizen(kiosk, rng)
    kinds, weights = list(mix), list(mix.values())
    took: dict[str, list[float]] = {kind: [] for kind in kinds}  # first tap to home again
    failures: list[str] = []
    samples: list[Sample] = []
    started = time.monotonic()
    await citizen.home()
    # search answers once the knowledge base has loaded, a moment after the catalog
    await citizen.until(lambda: kiosk.runtime.knowledge() is not None, 60, "the knowledge base")
    print((await Sample.settled(0, started)).line(), flush=True)  # before anyone came
    for number in range(1, sessions + 1):
        kind = rng.choices(kinds, weights)[0]
        citizen.present = True
        before = ended[0]
        LOG.info("session %d: %s", number, kind)
        began = time.monotonic()
        try:
            async with asyncio.timeout(SESSION_LIMIT_S):
                await getattr(citizen, kind)()
        except Exception as exc:  # counted and printed; the soak goes on
            where = type(citizen.screen).__name__
            detail = str(exc) or type(exc).__name__
            failures.append(f"session {number} ({kind}) on {where}: {detail}")
            field = getattr(citizen.screen, "field", None)
            LOG.warning("%s; buttons %s; overlay %s; field %r", failures[-1],
                        list(_buttons(citizen.screen)), citizen.window.overlay is not None,
                        field.text() if field is not None else None)
            print(f"  ! {failures[-1]}", flush=True)
            if not isinstance(exc, SessionFailed | TimeoutError):
                traceback.print_exc()
        citizen.present = False  # gone: "继续办理？" goes unanswered
        try:
            await citizen.until(lambda before=before: ended[0] > before, ENDED_S,
                                "the session to end")
            citizen.tidy_up()
            await citizen.home()
        except SessionFailed as exc:
            raise SystemExit(f"session {number} ({kind}) never ended: {exc}") from None
        took[kind].append(time.monotonic() - began)
        if number % every == 0 or number == sessions:
            samples.append(await Sample.settled(number, started))
            print(samples[-1].line(), flush=True)
    print("sessions (count, mean s each, walking away included): " + ", ".join(
        f"{kind} {len(took[kind])} × {statistics.mean(took[kind]):.1f}"
        for kind in KINDS if took.get(kind))
        + f"; 继续办理 tapped {citizen.kept_going} times; {len(failures)} went wrong")
    whole = [s for s in samples if s.sessions % every == 0]
    if len(whole) >= 2:
        print(growth(whole[0], whole[-1]))
    return 1 if len(failures) > sessions * 0.05 else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--every", type=int,
                        help="a line every N sessions (default: 100, or a fifth of --sessions "
                             "under 500)")
    parser.add_argument("--mix", default=DEFAULT_MIX,
                        help=f"kind=weight,… of {', '.join(KINDS)} (default: {DEFAULT_MIX})")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--data", type=Path,
                        help="the kiosk's data folder, kept (default: a temporary one); its "
                             "logs/kiosk.log says what each session did")
    args = parser.parse_args()
    mix = parse_mix(args.mix)
    every = args.every or (100 if args.sessions >= 500 else max(1, args.sessions // 5))

    with contextlib.ExitStack() as stack:
        folder = args.data or Path(stack.enter_context(
            tempfile.TemporaryDirectory(prefix="kiosk-soak-")))
        settings = load_settings()  # the demo: every device simulated, the platform embedded
        # model_copy skips validation: idle timeouts shorter than an installer may configure
        settings = settings.model_copy(update={
            "data": settings.data.model_copy(update={"dir": folder}),
            "ui": settings.ui.model_copy(update={
                "idle_timeout_s": IDLE_S, "elder_idle_timeout_s": ELDER_IDLE_S,
                "idle_countdown_s": COUNTDOWN_S, "fullscreen": False, "simulator_panel": True}),
        })
        configure_logging(settings.data_dir, "INFO")
        for handler in logging.getLogger().handlers:  # the file gets it all; here, problems
            if isinstance(handler, logging.StreamHandler) and handler.stream is sys.stderr:
                handler.setLevel(logging.WARNING)
        qInstallMessageHandler(_qt_message)
        app = application()
        collector = GuiThreadCollector(parent=app)  # noqa: F841 (as ui.app.run does)
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        with platform_url(settings) as url, loop:
            kiosk = Kiosk(build_terminal(settings, url), app)
            assert kiosk.panel is not None
            kiosk.panel.show()
            kiosk.window.resize(1920, 1080)
            kiosk.window.show()
            kiosk.window.activateWindow()  # the search box takes the focus, the keyboard with it
            ended = [0]
            end_session = kiosk.shell.end_session

            def session_ended(session) -> None:
                end_session(session)
                ended[0] += 1

            kiosk.shell.end_session = session_ended  # type: ignore[method-assign]
            print(f"soak: {args.sessions} sessions, mix {args.mix}, seed {args.seed}, idle "
                  f"{IDLE_S} s + {COUNTDOWN_S} s countdown, {os.cpu_count()} cores", flush=True)

            async def run() -> int:
                running = asyncio.ensure_future(kiosk.runtime.run())
                try:
                    return await soak(kiosk, args.sessions, every, mix, args.seed, ended)
                finally:
                    running.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await running

            return loop.run_until_complete(run())


if __name__ == "__main__":
    sys.exit(main())
