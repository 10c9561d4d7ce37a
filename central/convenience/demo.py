"""便民服务 in the demo: the simulated third parties on loopback behind the platform's desk,
and one tile of every kind and source for each demo hall that has none (SAMPLE data; a real
hall's manager sets up its own in the console)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from central.contract.convenience import Tile
from central.convenience import tiles
from central.convenience.desk import ConvenienceDesk, simulated
from central.convenience.simulator import ThirdPartySimulator

WEATHER_PLACE = "101010100"  # QWeather's LocationID of Beijing
DEEPLINK = "https://zwfw.example.gov.cn/mini/social-security?from=kiosk"


def sample_tiles(news_url: str) -> list[dict[str, str]]:
    """One tile of every kind and source, as the console's form would send them."""
    return [
        {"kind": "feed", "title": "天气预报", "source": "weather", "place": WEATHER_PLACE,
         "away_text": "天气信息暂时无法获取"},
        {"kind": "feed", "title": "通知公告", "source": "news", "place": news_url,
         "away_text": "请留意大厅公告栏"},
        {"kind": "lookup", "title": "违章查询", "source": "violation",
         "away_text": "请使用“交管12123”App 查询"},
        {"kind": "lookup", "title": "快递查询", "source": "express",
         "away_text": "请拨打快递公司客服电话查询"},
        {"kind": "lookup", "title": "企业信息", "source": "enterprise",
         "away_text": "请登录国家企业信用信息公示系统查询"},
        {"kind": "deeplink", "title": "社保手机办", "url": DEEPLINK,
         "away_text": "请用手机扫码办理"},
        {"kind": "print", "title": "办事指南", "document_title": "大厅办事指南",
         "document_text": "一楼：社保医保、户籍证照。\n二楼：不动产登记、综合受理。",
         "away_text": "请到服务台领取纸质指南"},
    ]


def set_up_tiles(sessions: sessionmaker[Session], hall: str, news_url: str,
                 now: datetime) -> dict[str, Tile]:
    """The sample tiles added to `hall`; returns the hall's tiles by title."""
    with sessions() as session:
        for fields in sample_tiles(news_url):
            tiles.add(session, hall, tiles.checked(fields, now), "demo")
        session.commit()
        return {tile.title: tile for tile in tiles.tiles_of(session, hall)}


def start_demo(sessions: sessionmaker[Session], halls: Iterable[str],
               now: datetime) -> tuple[ThirdPartySimulator, ConvenienceDesk]:
    """The simulator started (the caller stops it), its desk, and the halls' sample tiles."""
    simulator = ThirdPartySimulator().start()
    for hall in dict.fromkeys(halls):
        with sessions() as session:
            empty = not tiles.tiles_of(session, hall)
        if empty:
            set_up_tiles(sessions, hall, simulator.news_url, now)
    return simulator, simulated(simulator.base_url)
