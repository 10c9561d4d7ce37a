"""便民服务's screens with made-up data, for the screen audit and `python main.py screenshot`."""

from __future__ import annotations

from datetime import UTC, datetime

from common.i18n import tr
from flows.convenience import (
    AGAIN,
    DONE,
    THIRD_PARTY_WORDS,
    ConvenienceGridStep,
    ConvenienceInfoStep,
    DeeplinkStep,
    age_words,
)
from flows.steps import Choice, FieldView, FormStep, Step

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
FETCHED = datetime(2026, 11, 23, 9, 35, tzinfo=UTC)
TILES = tuple(Choice(str(k), name) for k, name in enumerate(
    ("天气预报", "通知公告", "违章查询", "快递查询", "企业信息", "社保手机办", "办事指南"), 1))
ANSWERED = (Choice(AGAIN, tr("再查一次")), Choice(DONE, tr("完成"), primary=True))


def convenience_steps() -> list[tuple[str, Step]]:
    weather = (("天气", "晴"), ("气温", "3°C（体感 -1°C）"), ("风力", "西北风 3 级"),
               ("湿度", "28%"), ("观测时间", "09:30"))
    return [
        ("convenience-grid", ConvenienceGridStep(TILES)),
        ("convenience-grid-offline", ConvenienceGridStep(TILES, tr(
            "网络中断，显示的是本机保存的服务列表（{age}）。", age=age_words(NOW, FETCHED)))),
        ("convenience-weather", ConvenienceInfoStep(
            "天气预报", None, weather, age=age_words(NOW, FETCHED), attribution="和风天气")),
        ("convenience-weather-stale", ConvenienceInfoStep(
            "天气预报", None, weather, age=age_words(NOW, FETCHED),
            warning=tr("网络中断，显示的是本机保存的信息，可能不是最新的。"),
            attribution="和风天气")),
        ("convenience-express-form", FormStep("快递查询", (
            FieldView("company", tr("快递公司").render(), "select", True, False,
                      ("中通快递", "圆通速递", "韵达快递", "申通快递", "EMS", "京东物流"),
                      "圆通速递"),
            FieldView("number", tr("快递单号").render(), "text", True, False, (), "YT12345",
                      tr("请输入 8 到 30 位的快递单号（字母或数字）。"))))),
        ("convenience-express", ConvenienceInfoStep(
            "快递查询", "圆通速递 YT1234567890123：已签收",
            (("12-06 15:20", "【北京市】已签收，签收人：本人"),
             ("12-06 08:02", "【北京市】派件中，快递员正在派送"),
             ("12-05 22:10", "【北京转运中心】已发出")), attribution="快递100",
            choices=ANSWERED)),
        ("convenience-violations", ConvenienceInfoStep(
            "违章查询", "京A1**45 有 1 条未处理的违法记录",
            (("2026-11-20 08:15", "东直门外大街，违反禁止标线指示，记 3 分，罚款 200 元"),),
            attribution="示例数据", sample=True, choices=ANSWERED)),
        ("convenience-lookup-slow", ConvenienceInfoStep(
            "企业信息", THIRD_PARTY_WORDS["slow"], (),
            warning="请登录国家企业信用信息公示系统查询", choices=ANSWERED)),
        ("convenience-deeplink", DeeplinkStep(
            "社保手机办", "https://zwfw.example.gov.cn/mini/social-security?from=kiosk")),
    ]
