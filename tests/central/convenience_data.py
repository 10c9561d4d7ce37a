"""The 便民服务 tiles the platform tests and the kiosk's flow tests set up over the simulated
third parties: the demo's sample tiles (`central.convenience.demo`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from central.contract.convenience import Tile
from central.convenience import demo
from central.convenience.desk import ConvenienceDesk
from central.convenience.simulator import Service, ThirdParty, ThirdPartySimulator

DEEPLINK = demo.DEEPLINK
# how long the platform waits for a simulated third party: long, so that a busy machine never
# makes an answer late, but short for one that is slow on purpose (it holds its answer 30 s)
ANSWER_DEADLINE_S, SLOW_DEADLINE_S = 30.0, 0.5


def third_party(simulator: ThirdPartySimulator, desk: ConvenienceDesk, service: Service,
                mode: ThirdParty) -> None:
    """`service` answers in `mode`; the desk gives up quickly only on a slow one."""
    simulator.set(service, mode)
    desk.timeout_s = SLOW_DEADLINE_S if mode == "slow" else ANSWER_DEADLINE_S


def set_up_tiles(sessions: sessionmaker[Session], hall: str, simulator: ThirdPartySimulator,
                 now: datetime) -> dict[str, Tile]:
    """The hall's tiles, by title."""
    return demo.set_up_tiles(sessions, hall, simulator.news_url, now)
