"""What a flow asks the person at the screen, and what the person can answer.

A step is a typed value the Qt shell renders as a screen (`ui.screens` keeps one screen per
step class); an answer is what the person chose. The same values drive the scripted UI in
tests. Every step derives from `Step` and every answer but the bottom bar's from `Reply`, so a
flow module may define its own without touching this file.

Text meant for the screen is a `Text` (translated when shown); values that come from the
platform or a card (service names, masked personal data) are plain `str` and shown as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Literal, Protocol

from central.contract import Service
from flows.guide import Guide
from kiosk.i18n import Text


class Step:
    """Base of every step."""


class Reply:
    """Base of every answer except the bottom bar's `Nav`."""


class Nav(Enum):
    """The bottom bar's buttons that every screen answers the same way."""

    BACK = "back"
    HOME = "home"


Answer = Nav | Reply


@dataclass(frozen=True)
class Progress:
    """"第 2 步，共 5 步" on the screens of a multi-step flow."""

    number: int
    total: int


# -- answers shared by many screens ----------------------------------------------------------

@dataclass(frozen=True)
class Choose(Reply):
    """One of the step's choices, by its key."""

    key: str


@dataclass(frozen=True)
class Choice:
    key: str
    label: Text | str
    primary: bool = False  # the one large blue button; the others are plain


# keys of the `Choose` answers that screens send for their own buttons
SCAN_RETAKE, SCAN_DONE, SCAN_SKIP = "retake", "done", "skip"  # ScanStep: 重拍, 完成, 容缺跳过
SUBMIT = "submit"  # ReviewStep: 确认提交
SKIP = "skip"  # EvaluationStep: 跳过


# -- browse → guide ----------------------------------------------------------------------------

@dataclass(frozen=True)
class ThemeTile:
    theme: str
    service_count: int


@dataclass(frozen=True)
class HomeStep(Step):
    tiles: tuple[ThemeTile, ...]
    # why there are no tiles (no catalog at all); None when there are
    unavailable: Text | None = None
    # what the last person is reminded of ("请取走您的身份证"), shown once on the way home
    notice: Text | None = None


@dataclass(frozen=True)
class ThemeStep(Step):
    theme: str
    services: tuple[Service, ...]


@dataclass(frozen=True)
class GuideStep(Step):
    guide: Guide
    # what 开始办理 leads to; None: the guide only (no kiosk mode, or not possible right now)
    start: Choice | None = None


@dataclass(frozen=True)
class OpenTheme(Reply):
    theme: str


@dataclass(frozen=True)
class OpenService(Reply):
    service_id: str


@dataclass(frozen=True)
class OpenProgress(Reply):
    """进度查询 from home."""


# -- generic screens ---------------------------------------------------------------------------

@dataclass(frozen=True)
class MessageStep(Step):
    """A title, a few sentences and the choices: errors, "online only", "take your card"."""

    title: Text
    lines: tuple[Text | str, ...]
    choices: tuple[Choice, ...]
    tone: Literal["info", "warning", "error", "success"] = "info"
    progress: Progress | None = None


@dataclass(frozen=True)
class BusyStep(Step):
    """Work in progress ("正在核验身份…"); answered only by the bottom bar while it runs."""

    message: Text
    progress: Progress | None = None


# -- identity (GB/T 40756 §9.8.5.2) ------------------------------------------------------------

IdentityMethod = Literal["id_card", "ss_card", "qr_code"]


@dataclass(frozen=True)
class IdentityStep(Step):
    """Waits for a card or a code; the person may also pick another method or call staff."""

    service_name: str
    methods: tuple[IdentityMethod, ...]
    problem: Text | None = None  # what went wrong with the last attempt
    progress: Progress | None = None


@dataclass(frozen=True)
class LiveFaceStep(Step):
    """Look at the camera; the flow captures in the background and moves on."""

    masked_name: str
    elderly: bool  # 60+: the face is captured, but a failed comparison does not stop them
    problem: Text | None = None  # the last capture's problem (too dark, no blink …)
    progress: Progress | None = None


# -- self-declaration (自助申报) ---------------------------------------------------------------

@dataclass(frozen=True)
class SituationStep(Step):
    """One 情形 question; the answers decide which materials are needed."""

    service_name: str
    question: str
    options: tuple[str, ...]
    progress: Progress | None = None


@dataclass(frozen=True)
class ConsentItem:
    key: Literal["shared_data", "face", "materials"]
    what: Text  # what is shared
    why: Text  # and why


@dataclass(frozen=True)
class ConsentStep(Step):
    service_name: str
    items: tuple[ConsentItem, ...]
    progress: Progress | None = None


@dataclass(frozen=True)
class Consented(Reply):
    granted: frozenset[str]  # the keys of the items the person agreed to


FieldInput = Literal["text", "keypad", "date", "date_range", "radio", "checkbox", "select",
                     "image"]


@dataclass(frozen=True)
class FieldView:
    key: str
    label: str
    input: FieldInput  # keypad: numbers, phone and ID numbers on the on-screen keypad
    required: bool
    locked: bool  # shared from the card or the platform: shown, not editable
    options: tuple[str, ...] = ()
    value: str | tuple[str, ...] = ""  # the current value; masked when the field is locked
    error: Text | None = None


@dataclass(frozen=True)
class FormStep(Step):
    service_name: str
    fields: tuple[FieldView, ...]
    progress: Progress | None = None


@dataclass(frozen=True)
class FormFilled(Reply):
    """The editable fields' values by key (locked fields are not sent back)."""

    values: dict[str, str | tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class ScanStep(Step):
    """Place a material's page on the document camera; pages are captured automatically."""

    material: str
    pages: tuple[bytes, ...]  # JPEG thumbnails of the pages captured so far
    may_skip: bool  # 容缺受理: the material may be brought later
    problem: Text | None = None
    progress: Progress | None = None


@dataclass(frozen=True)
class SignatureStep(Step):
    service_name: str
    problem: Text | None = None
    progress: Progress | None = None


@dataclass(frozen=True)
class Signed(Reply):
    png: bytes = field(repr=False)


@dataclass(frozen=True)
class ReviewRow:
    label: str
    value: str  # masked where the field has a mask rule


@dataclass(frozen=True)
class ReviewStep(Step):
    service_name: str
    rows: tuple[ReviewRow, ...]
    materials: tuple[tuple[str, int], ...]  # (material, pages; 0 when 容缺)
    fee: Text | None  # None: free
    offline: bool  # will be queued: the receipt will say 待受理
    progress: Progress | None = None


@dataclass(frozen=True)
class ReceiptStep(Step):
    """What was printed, on screen too."""

    service_name: str
    masked_name: str
    number: str  # the acceptance number, or the local number while 待受理
    pending: bool  # queued offline: 待受理 · 网络恢复后自动提交
    at: str
    next_steps: Text | str
    qr_text: str | None  # the receipt code (None while pending)
    printed: bool
    print_problem: Text | None = None


# -- evaluation (好差评) and progress lookup -----------------------------------------------------

@dataclass(frozen=True)
class EvaluationStep(Step):
    service_name: str
    levels: tuple[tuple[int, Text], ...]  # (5, 非常满意) … (1, 非常不满意)
    reasons: tuple[Text, ...]  # offered for the two lowest levels


@dataclass(frozen=True)
class Rated(Reply):
    level: int
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class KeypadStep(Step):
    """A number typed on the on-screen keypad (an acceptance number, a phone number)."""

    title: Text
    hint: Text
    value: str = ""
    error: Text | None = None


@dataclass(frozen=True)
class Entered(Reply):
    text: str


@dataclass(frozen=True)
class TimelineEntry:
    status: str  # GB/T 40756 §9.4.6.5 words
    at: str
    note: str = ""


@dataclass(frozen=True)
class ApplicationView:
    number: str
    service_name: str
    masked_name: str
    status: str
    timeline: tuple[TimelineEntry, ...]
    documents: tuple[Choice, ...] = ()  # printable results; key = the document id


@dataclass(frozen=True)
class ProgressStep(Step):
    applications: tuple[ApplicationView, ...]  # one when looked up by number
    problem: Text | None = None


class Ui(Protocol):
    """The port a flow talks through: show a step, wait for the person's answer."""

    async def ask(self, step: Step) -> Answer: ...
