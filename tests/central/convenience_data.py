"""The 便民服务 tiles the platform tests and the kiosk's flow tests set up over the simulated
third parties: the demo's sample tiles (`central.convenience.demo`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from central.contract.convenience import Tile
from central.convenience import demo
from central.convenience.simulator import ThirdPartySimulator

DEEPLINK = demo.DEEPLINK


def set_up_tiles(sessions: sessionmaker[Session], hall: str, simulator: ThirdPartySimulator,
                 now: datetime) -> dict[str, Tile]:
    """The hall's tiles, by title."""
    return demo.set_up_tiles(sessions, hall, simulator.news_url, now)
