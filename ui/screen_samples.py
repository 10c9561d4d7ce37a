"""Every screen of the kiosk as a named scene: each step of each flow with made-up, masked sample
data (`ui.sample_steps`, `ui.payment_samples`, `ui.copy_samples`), the catalog's home, theme and
guide pages, asking, and what the shell puts over any screen (the offline banner, 呼叫工作人员,
"继续办理？", 暂停服务). The screen audit (`ui.screen_audit`) measures them and
`python main.py screenshot` photographs them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Literal

from central.contract import Catalog
from common.i18n import tr
from flows import steps
from flows.ask import AskDesk, Search, answer_step, search_step
from flows.browse import home_step
from flows.certificate import first_options, not_issued_step, options_step
from flows.directions import DIRECTIONS
from flows.guide import guide_for
from flows.steps import Choice, GuideStep, HomeStep, Step, ThemeStep
from kiosk.catalog_source import CatalogStatus
from kiosk.platform_client import CertificateNotIssued, PlatformErrorKind
from kiosk.session import CitizenSession
from ui.appointment_samples import appointment_steps
from ui.convenience_samples import convenience_steps
from ui.copy_samples import copy_steps
from ui.hall_map_samples import hall_map_steps
from ui.payment_samples import payment_steps
from ui.queue_samples import queue_steps
from ui.sample_steps import NAME, sample_steps
from ui.shell import Shell
from ui.sms_samples import sms_steps


@dataclass(frozen=True)
class Scene:
    name: str
    step: Step
    # what the shell puts over the step's screen once it is shown (an overlay, a banner)
    over: Callable[[Shell], object] | None = None


# -- asking: answers as the knowledge base gives them, without building one ----------------------

@dataclass(frozen=True)
class _Hit:
    service_id: str
    name: str
    score: float
    answer: str
    matched: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Result:
    hits: tuple[_Hit, ...]
    kind: Literal["answer", "clarify", "staff"]
    question: str


def _asking(catalog: Catalog) -> list[Scene]:
    desk = AskDesk(lambda: None, lambda: ("社保参保证明打印", "公积金提取（租房）", "居住证办理",
                                          "不动产登记信息查询"), CitizenSession())
    desk.remember("护照怎么办")
    services = catalog.services[:3]
    hits = tuple(_Hit(s.id, s.name, 9.0 - n, f"由{s.department}办理。",
                      (s.name[:2],)) for n, s in enumerate(services))
    return [
        Scene("search", search_step(desk, "社保")),
        Scene("answer", answer_step(_Result(hits[:1], "answer", "我要打个社保证明"),
                                    Search("我要打个社保证明", spoken=True))),
        Scene("answer-clarify", answer_step(_Result(hits, "clarify", "公积金"),
                                            Search("公积金"))),
        Scene("answer-staff", answer_step(_Result((), "staff", "今天晚饭吃什么好呢"),
                                          Search("今天晚饭吃什么好呢", spoken=True))),
    ]


# -- what the shell puts over any screen ---------------------------------------------------------

def _offline(shell: Shell) -> None:
    shell.show_catalog_status(CatalogStatus(online=False,
                                            updated_at=datetime(2026, 11, 23, 8, 30, tzinfo=UTC)))


def _continue_question(shell: Shell) -> None:
    shell.show_continue_question(20, lambda: None)


def _paused(shell: Shell) -> None:
    shell.show_maintenance(True)


def _more_themes(home: HomeStep) -> list[Scene]:
    """长辈模式's 更多事项: every theme, below 办件进度查询, 便民服务 and 大厅导航 (the catalog
    walk of `ui.screenshot` photographs it without them, as "themes")."""
    return [Scene("themes-entries", steps.ThemesStep(home.tiles, progress=True, convenience=True,
                                             hall_map=True))]


def _catalog_pages(catalog: Catalog) -> list[Scene]:
    home = home_step(catalog)
    theme = max(catalog.themes, key=lambda t: len(catalog.services_in(t)))
    service = catalog.service("SS-001") or catalog.services[0]
    scenes = [
        Scene("home", home),
        # 取号, 便民服务 and 大厅导航 beside 进度查询; in elder mode 取号 is the first tile
        Scene("home-entries", home_step(catalog, queue=True, convenience=True, hall_map=True)),
        Scene("home-offline", home, _offline),
        Scene("call-staff", home, Shell.show_call_staff),
        Scene("idle-countdown", home, _continue_question),
        Scene("maintenance", home, _paused),
        Scene("theme", ThemeStep(theme, tuple(catalog.services_in(theme)))),
        *_more_themes(home),
        Scene("guide", GuideStep(guide_for(service, offline=False))),
        Scene("guide-start", GuideStep(guide_for(service, offline=False),
                                       Choice("declare", tr("开始办理"), primary=True))),
        Scene("guide-offline", GuideStep(guide_for(service, offline=True)), _offline),
        Scene("guide-directions", GuideStep(  # 去哪里办理 (flows.directions) beside 开始办理
            guide_for(service, offline=False), Choice("declare", tr("开始办理"), primary=True),
            Choice(DIRECTIONS, tr("去哪里办理")))),
        Scene("form-offline", dict(sample_steps())["form"], _offline),
    ]
    if service.id == "SS-001":  # the certificate's options and a refusal
        values = first_options(service, {"name": NAME, "id_no": "110***********123X"},
                               date(2026, 11, 23))
        refusal = CertificateNotIssued(
            PlatformErrorKind.CLIENT_ERROR, "NO_RECORDS", 422, reason="没有查询到您的参保记录。",
            advice="如您刚参加社会保险，记录可能尚未归集，请到社保经办窗口咨询或拨打 12333。")
        scenes += [Scene("certificate-options", options_step(service, values)),
                   Scene("certificate-refused", not_issued_step(service, refusal))]
    return scenes


def all_scenes(catalog: Catalog, extra: Sequence[Scene] = ()) -> list[Scene]:
    """Every screen once: the catalog's pages, asking, every flow step's sample, and `extra`
    (the certificate preview, which needs a certificate from the platform)."""
    steps = [*sample_steps(), *payment_steps(), *copy_steps(), *queue_steps()]
    steps += [*hall_map_steps(), *sms_steps()]  # 大厅导航, 发送到手机
    steps += appointment_steps()  # 预约, 签到
    steps += convenience_steps()  # 便民服务
    return [*_catalog_pages(catalog), *_asking(catalog),
            *(Scene(name, step) for name, step in steps), *extra]


async def photograph_scenes(shell: Shell, scenes: Sequence[Scene],
                            save: Callable[[str], None], status: CatalogStatus | None,
                            suffix: str = "") -> None:
    """Each scene in standard and elder mode, saved as `<name><suffix>` and
    `<name>-elder<suffix>` by `save(name)`, which photographs the window as it is; `status`
    is the catalog's, shown again after a scene that showed the offline banner."""
    for scene in scenes:
        for elder in (False, True):
            shell.window.hide_overlay()
            if callable(hide_help := getattr(shell.window, "hide_help", None)):
                hide_help()
            shell.show_catalog_status(status)
            shell.set_elder_mode(elder)
            shell.show(scene.step)
            if scene.over is not None:
                scene.over(shell)
            save(f"{scene.name}{'-elder' if elder else ''}{suffix}")
    shell.window.hide_overlay()
    shell.show_catalog_status(status)
    shell.set_elder_mode(False)
