"""便民服务: the hall's tiles from home, each kind on a screen of its own.

    the tiles (large buttons)       → as the hall's manager set them up in the console; the
                                      kiosk's copy, with its age, when the platform is away
    feed      (天气、通知公告)        → the lines with how old they are; the platform's or the
                                      kiosk's copy when the third party or the platform is
                                      away, said so, or the tile's away text when there is none
    lookup    (违章、快递、企业信息)  → the fields (keyboard, keypad or choices) checked as the
                                      platform checks them, then the answer, personal data
                                      masked; a lookup needs the network and says so plainly
    deeplink  (手机办理)             → the QR code of the official mobile service: works offline
    print     (办事指南 …)           → the hall's document printed in colour on the A4 printer
                                      (the kiosk's copy when offline), printer faults told

Each tile's `away_text` (what the hall wants said when it cannot be had) follows the reason.
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, TypeVar

from central.contract.convenience import (
    EXPRESS_COMPANIES,
    LOOKUP_FIELDS,
    LOOKUP_SOURCES,
    FeedAnswer,
    LookupAnswer,
    LookupSource,
    ThirdParty,
    Tile,
    field_ok,
)
from common.citizen_services import ServiceUnavailable
from common.convenience_service import ConvenienceService, Kept
from common.i18n import Text, tr
from devices.printer.a4 import PlatformPdf
from flows.context import FlowContext
from flows.printing import print_a4
from flows.steps import (
    BusyStep,
    Choice,
    Choose,
    FieldView,
    FormFilled,
    FormStep,
    MessageStep,
    Nav,
    Reply,
    Step,
    Tone,
)
from flows.waiting import ask_while

T = TypeVar("T")
DONE, AGAIN, PRINT = "done", "again", "print"
NEEDS_NETWORK = tr("查询需要联网，本机现在连不上政务服务平台，请稍后再试。")
PLATFORM_AWAY = tr("本机现在连不上政务服务平台。")
# how the third party failed, in a few words (the tile's own away text follows)
THIRD_PARTY_WORDS: Final[dict[ThirdParty, Text]] = {
    "up": tr("服务正常。"),
    "slow": tr("对方服务响应太慢，暂时查不到。"),
    "down": tr("对方服务暂时无法使用。"),
    "nonsense": tr("对方服务返回的信息无法识别，暂时查不到。"),
}
FIELD_LABELS: Final[dict[str, Text]] = {
    "plate": tr("车牌号码"), "vin_tail": tr("车辆识别代号后 6 位"), "company": tr("快递公司"),
    "number": tr("快递单号"), "keyword": tr("企业名称或统一社会信用代码")}
FIELD_ERRORS: Final[dict[str, Text]] = {
    "plate": tr("请输入完整的车牌号码，如 京A12345。"),
    "vin_tail": tr("请输入行驶证上车辆识别代号的最后 6 位（字母或数字）。"),
    "company": tr("请选择快递公司。"),
    "number": tr("请输入 8 到 30 位的快递单号（字母或数字）。"),
    "keyword": tr("请输入完整的企业名称，或 18 位统一社会信用代码（请核对最后一位）。"),
}


@dataclass(frozen=True)
class OpenConvenience(Reply):
    """便民服务 from home."""


@dataclass(frozen=True)
class ConvenienceGridStep(Step):
    """The hall's tiles as large buttons (`Choose(str(tile_id))`)."""

    tiles: tuple[Choice, ...]
    note: Text | None = None  # the tiles are the kiosk's copy: how old


@dataclass(frozen=True)
class ConvenienceInfoStep(Step):
    """A feed's lines or a lookup's answer: label and value rows, how old, whose data."""

    title: str
    summary: Text | str | None
    rows: tuple[tuple[str, str], ...]
    age: Text | None = None  # 10 分钟前更新 (a feed)
    warning: Text | str | None = None  # why it is not fresh, and what to do
    attribution: str = ""
    sample: bool = False  # 示例数据: not a real service's answer
    choices: tuple[Choice, ...] = ()


@dataclass(frozen=True)
class DeeplinkStep(Step):
    """A QR code to the official mobile service, for the person's phone."""

    title: str
    url: str


async def open_convenience(ctx: FlowContext) -> Text | None:
    """Runs until the person goes home; returns what home reminds them of (nothing)."""
    service = ctx.convenience
    if service is None:
        return None
    kept = await _asked(ctx, tr("正在打开便民服务…"), service.tiles())
    if isinstance(kept, Nav):
        return None
    if kept is None:
        await _tell(ctx, tr("便民服务暂时无法使用"), (PLATFORM_AWAY,))
        return None
    tiles = {str(tile.tile_id): tile for tile in kept.value}
    note = (tr("网络中断，显示的是本机保存的服务列表（{age}）。", age=age_words(ctx.now(),
                                                                 kept.saved_at))
            if kept.offline else None)
    step = ConvenienceGridStep(tuple(Choice(key, tile.title) for key, tile in tiles.items()),
                               note)
    while True:
        got = await ctx.ui.ask(step)
        if isinstance(got, Nav):
            return None
        if (isinstance(got, Choose) and got.key in tiles
                and await _open_tile(ctx, service, tiles[got.key]) is Nav.HOME):
            return None


async def _open_tile(ctx: FlowContext, service: ConvenienceService, tile: Tile) -> Nav:
    """One tile's screens; returns how the person left them (back to the grid, or home)."""
    ctx.count("services")
    if tile.kind == "feed":
        return await _feed(ctx, service, tile)
    if tile.kind == "lookup" and tile.source in LOOKUP_SOURCES:
        return await _lookup(ctx, service, tile, tile.source)
    if tile.kind == "deeplink" and tile.url:
        got = await ctx.ui.ask(DeeplinkStep(tile.title, tile.url))
        return Nav.HOME if got == Nav.HOME else Nav.BACK
    if tile.kind == "print":
        return await _print(ctx, service, tile)
    return Nav.BACK


# -- feed ------------------------------------------------------------------------------------

async def _feed(ctx: FlowContext, service: ConvenienceService, tile: Tile) -> Nav:
    kept = await _asked(ctx, tr("正在获取{title}…", title=tile.title), service.feed(tile))
    if isinstance(kept, Nav):
        return kept
    if kept is None or not kept.value.lines:
        reason = PLATFORM_AWAY if kept is None else THIRD_PARTY_WORDS[kept.value.third_party]
        return await _tell(ctx, tr("暂时无法获取{title}", title=tile.title),
                           (reason, *_away(tile)))
    answer = kept.value
    got = await ctx.ui.ask(ConvenienceInfoStep(
        tile.title, None, tuple((line.label, line.value) for line in answer.lines),
        age=age_words(ctx.now(), answer.fetched_at or kept.saved_at),
        warning=_feed_warning(tile, kept), attribution=answer.attribution,
        sample=answer.sample))
    return Nav.HOME if got == Nav.HOME else Nav.BACK


def _feed_warning(tile: Tile, kept: Kept[FeedAnswer]) -> Text | str | None:
    if kept.offline:
        return tr("网络中断，显示的是本机保存的信息，可能不是最新的。")
    if kept.value.third_party != "up":
        return tr("信息暂时无法更新，显示的是最近一次获取的信息。{away}",
                  away=tile.away_text)
    return None


# -- lookup ----------------------------------------------------------------------------------

async def _lookup(ctx: FlowContext, service: ConvenienceService, tile: Tile,
                  source: LookupSource) -> Nav:
    values: dict[str, str] = {}
    while True:
        typed = await _ask_fields(ctx, tile, source, values)
        if isinstance(typed, Nav):
            return typed
        values = typed
        answer = await _asked(ctx, tr("正在查询…"), service.lookup(tile, values))
        if isinstance(answer, Nav):
            return answer
        if answer is None:
            return await _tell(ctx, tr("暂时无法查询"), (NEEDS_NETWORK, *_away(tile)))
        got = await ctx.ui.ask(_answer_step(tile, answer))
        if got != Choose(AGAIN):
            return Nav.HOME if got == Nav.HOME else Nav.BACK


async def _ask_fields(ctx: FlowContext, tile: Tile, source: LookupSource,
                      values: dict[str, str]) -> dict[str, str] | Nav:
    """The lookup's fields until each passes its check (the platform's own checks)."""
    errors: dict[str, Text] = {}
    while True:
        fields = tuple(_field_view(source, f.key, f.input, values.get(f.key, ""),
                                   errors.get(f.key))
                       for f in LOOKUP_FIELDS[source])
        got = await ctx.ui.ask(FormStep(tile.title, fields))
        if isinstance(got, Nav):
            return got
        if not isinstance(got, FormFilled):
            continue
        values = {f.key: _normalised(f.key, got.values.get(f.key, ""))
                  for f in LOOKUP_FIELDS[source]}
        errors = {key: FIELD_ERRORS[key] for key, value in values.items()
                  if not field_ok(source, key, value)}
        if not errors:
            return values


def _field_view(source: LookupSource, key: str, kind: str, value: str,
                error: Text | None) -> FieldView:
    if kind == "choice":
        options = tuple(name for _code, name in next(
            f.choices for f in LOOKUP_FIELDS[source] if f.key == key))
        return FieldView(key, FIELD_LABELS[key].render(), "select", True, False, options,
                         EXPRESS_COMPANIES.get(value, ""), error)
    return FieldView(key, FIELD_LABELS[key].render(), "text", True, False, (), value, error)


def _normalised(key: str, value: str | tuple[str, ...]) -> str:
    text = value if isinstance(value, str) else ""
    if key == "company":  # the choice's label back to 快递100's code
        return next((code for code, name in EXPRESS_COMPANIES.items() if name == text), "")
    text = "".join(text.split())[:60]
    return text if key == "keyword" and not text.isascii() else text.upper()


def _answer_step(tile: Tile, answer: LookupAnswer) -> ConvenienceInfoStep:
    again = Choice(AGAIN, tr("再查一次"))
    done = Choice(DONE, tr("完成"), primary=True)
    if answer.third_party != "up":
        return ConvenienceInfoStep(tile.title, THIRD_PARTY_WORDS[answer.third_party], (),
                                   warning=_away_text(tile), attribution=answer.attribution,
                                   choices=(again, done))
    summary = answer.summary or (tr("已查询到结果。") if answer.found else tr("未查询到结果。"))
    return ConvenienceInfoStep(tile.title, summary,
                               tuple((row.label, row.value) for row in answer.rows),
                               attribution=answer.attribution, sample=answer.sample,
                               choices=(again, done))


# -- print -----------------------------------------------------------------------------------

async def _print(ctx: FlowContext, service: ConvenienceService, tile: Tile) -> Nav:
    document = tile.document_title or tile.title
    got = await ctx.ui.ask(MessageStep(
        tr("打印{title}", title=tile.title),
        (tr("《{document}》，A4 彩色打印。", document=document),
         tr("打印免费，请在打印完成后取走。")),
        (Choice("back", tr("返回")), Choice(PRINT, tr("打印"), primary=True))))
    if got != Choose(PRINT):
        return Nav.HOME if got == Nav.HOME else Nav.BACK
    pdf = await _asked(ctx, tr("正在准备资料…"), service.document(tile))
    if isinstance(pdf, Nav):
        return pdf
    if pdf is None:
        return await _tell(ctx, tr("暂时无法打印"), (PLATFORM_AWAY, *_away(tile)))
    if await print_a4(ctx, PlatformPdf(pdf), title=tr("正在彩色打印，请稍候…")):
        return await _tell(ctx, tr("打印完成"), (tr("请取走打印好的资料。"),), tone="success")
    return Nav.HOME  # print_a4 told the person what happened, offering 返回首页


# -- shared ----------------------------------------------------------------------------------

async def _asked(ctx: FlowContext, busy: Text, question: Awaitable[T]) -> T | Nav | None:
    """The answer; None once it could not be had; Nav when the person left while waiting."""
    try:
        got = await ask_while(ctx.ui, BusyStep(busy), question)
    except ServiceUnavailable:
        return None
    if isinstance(got, Nav):
        return got
    if isinstance(got, Reply):  # nothing else answers a BusyStep; taken as 返回
        return Nav.BACK
    return got


async def _tell(ctx: FlowContext, title: Text, lines: tuple[Text | str, ...],
                tone: Tone = "warning") -> Nav:
    got = await ctx.ui.ask(MessageStep(title, lines, (Choice(DONE, tr("返回"), primary=True),),
                                       tone=tone))
    return Nav.HOME if got == Nav.HOME else Nav.BACK


def _away(tile: Tile) -> tuple[str, ...]:
    return (tile.away_text,) if tile.away_text else ()


def _away_text(tile: Tile) -> str | None:
    return tile.away_text or None


def age_words(now: datetime, then: datetime) -> Text:
    """How long ago `then` was, as a person says it (`now` naive: the kiosk's local time)."""
    seconds = ((now if now.tzinfo else now.astimezone()) - then).total_seconds()
    minutes = max(0, int(seconds // 60))
    at = then.astimezone(now.tzinfo if now.tzinfo else None).strftime("%m-%d %H:%M")
    if minutes < 1:
        return tr("刚刚更新（{at}）", at=at)
    if minutes < 60:
        return tr("{minutes} 分钟前更新（{at}）", minutes=minutes, at=at)
    if seconds < timedelta(days=2).total_seconds():
        return tr("{hours} 小时前更新（{at}）", hours=minutes // 60, at=at)
    return tr("{days} 天前更新（{at}）", days=minutes // 1440, at=at)
