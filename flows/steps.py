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
from central.contract.payments import PaymentChannel
from common.i18n import Text, tr
from flows.guide import Guide


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
# the one help path's name, wherever it is offered or pointed at; a screen's own button for it
# is `Choice(CALL_STAFF_KEY, CALL_STAFF)`, answered by the shell as the bottom bar's button is
CALL_STAFF = tr("呼叫工作人员")
CALL_STAFF_KEY = "call-staff"
SKIP = "skip"  # EvaluationStep: 跳过


# -- browse → guide ----------------------------------------------------------------------------

@dataclass(frozen=True)
class ThemeTile:
    theme: str
    service_count: int


@dataclass(frozen=True)
class ServiceTile:
    """A service on 长辈模式's home (`flows.elder_home`): one large tile that opens its guide,
    or the progress lookup itself."""

    service_id: str
    name: str
    progress: bool = False  # answers `OpenProgress`, not `OpenService`
    queue: bool = False  # 取号: answers `OpenQueue` (flows.queue_ticket)


@dataclass(frozen=True)
class HomeStep(Step):
    """Home: the themes and the search (standard mode); in 长辈模式 the screen shows
    `services` instead, with 语音提问, 呼叫工作人员 and 更多事项 (`OpenThemes`)."""

    tiles: tuple[ThemeTile, ...]
    # why there are no tiles (no catalog at all); None when there are
    unavailable: Text | None = None
    # what the last person is reminded of ("请取走您的身份证"), shown once on the way home
    notice: Text | None = None
    services: tuple[ServiceTile, ...] = ()  # 长辈模式's tiles, at most six
    queue: bool = False  # 取号 is offered (flows.queue_ticket: answered `OpenQueue`)
    # 便民服务 is offered (flows.convenience: answered `OpenConvenience`)
    convenience: bool = False
    hall_map: bool = False  # 大厅导航 is offered (flows.directions: answered `OpenHallMap`)


@dataclass(frozen=True)
class ThemesStep(Step):
    """Every theme, as the standard home shows them: 长辈模式's 更多事项. Above them, what the
    standard home offers beside its themes and the elder home has no room for."""

    tiles: tuple[ThemeTile, ...]
    progress: bool = False  # 办件进度查询 (answered `OpenProgress`)
    convenience: bool = False  # 便民服务 (answered `OpenConvenience`)
    hall_map: bool = False  # 大厅导航 (answered `OpenHallMap`)


@dataclass(frozen=True)
class ThemeStep(Step):
    theme: str
    services: tuple[Service, ...]


@dataclass(frozen=True)
class GuideStep(Step):
    guide: Guide
    # what 开始办理 leads to; None: the guide only (no kiosk mode, or not possible right now)
    start: Choice | None = None
    # 去哪里办理 (flows.directions): where in the hall; None: the kiosk has no hall map
    directions: Choice | None = None


@dataclass(frozen=True)
class OpenTheme(Reply):
    theme: str


@dataclass(frozen=True)
class OpenService(Reply):
    service_id: str


@dataclass(frozen=True)
class OpenProgress(Reply):
    """进度查询 from home."""


@dataclass(frozen=True)
class OpenThemes(Reply):
    """更多事项 on 长辈模式's home: every theme."""


# -- generic screens ---------------------------------------------------------------------------

Tone = Literal["info", "warning", "error", "success"]  # a message's colour (ui/style.py)


@dataclass(frozen=True)
class MessageStep(Step):
    """A title, a few sentences and the choices: errors, "online only", "take your card"."""

    title: Text
    lines: tuple[Text | str, ...]
    choices: tuple[Choice, ...]
    tone: Tone = "info"
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
    # the fee: paid here (how much, how), or how to pay it later; None: no fee
    payment: Text | None = None


# -- paying a fee (收费, GB/T 40756 §9.8.5.5) ----------------------------------------------------

# keys of PaymentStep's choices: 扫付款码, 扫码支付 with WeChat or Alipay, 暂不缴费
PAY_CODE, PAY_LATER = "code", "later"
PAY_QR: dict[PaymentChannel, str] = {"wechat": "wechat", "alipay": "alipay"}


@dataclass(frozen=True)
class PaymentStep(Step):
    """The fee: how much and what for, and how to pay it: the person's pay code held to the
    scanner, a QR code on screen, or not now (暂不缴费). After an attempt that was not paid,
    `problem` says why in plain words and what to do."""

    service_name: str
    item: str  # what it pays for, as the platform names it: 港澳通行证再次签注费
    amount_fen: int
    choices: tuple[Choice, ...]  # keys PAY_CODE, PAY_QR's, PAY_LATER
    problem: Text | None = None
    progress: Progress | None = None


@dataclass(frozen=True)
class PayCodeStep(Step):
    """Hold the phone's pay code (付款码) to the scanner window; the code arrives from the
    scanner. 返回 goes back to the choice."""

    item: str
    amount_fen: int
    problem: Text | None = None  # a code that is not a pay code
    progress: Progress | None = None


@dataclass(frozen=True)
class PayQrStep(Step):
    """A QR code to scan with the phone's WeChat or Alipay; the flow follows the order and
    moves on. 返回 cancels it."""

    item: str
    amount_fen: int
    channel: PaymentChannel
    qr_content: str = field(repr=False)
    expires_at: str  # HH:MM, the hall's time
    progress: Progress | None = None


@dataclass(frozen=True)
class PayingStep(Step):
    """A charge is being decided: 请在手机上输入密码. 返回 (取消支付) asks the platform to
    reverse it."""

    item: str
    amount_fen: int
    # the person is confirming on the phone; False: the kiosk is finding out (a lost answer)
    on_phone: bool = True
    progress: Progress | None = None


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
    # how many digits the number has: the screen says "共 14 位数字，已输入 10 位" as the
    # person types and takes no more; 0: any length
    digits: int = 0


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
