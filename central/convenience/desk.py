"""The desk between terminals and the third parties: feeds cached with their time, lookups
timed out and bounded.

A feed is asked of its third party at most every `fresh_for` (weather changes slowly; the
terminals of a hall share one answer), and after a failure not again for `pause_after_fault`,
so thirty kiosks do not hammer a service that is down. Between, the last good lines are
served with the time they were fetched and how the third party answered last. A lookup goes
to its third party every time (it is one person's question) and is never cached.

`ThirdParties` says where each third party is and with which credentials; the reference
platform without any configured says every feed and lookup is down (the tiles still show
their `away_text`), and tests and the demo point it at `simulator.ThirdPartySimulator`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol, cast

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from central.contract.convenience import (
    FeedAnswer,
    InfoLine,
    LookupAnswer,
    LookupSource,
    ThirdParty,
    Tile,
)
from central.convenience.express import Kuaidi100
from central.convenience.news import RssNews
from central.convenience.reference import SampleEnterprises, SampleViolations
from central.convenience.third_party import ThirdPartyFault
from central.convenience.weather import QWeatherNow
from central.db import ConvenienceFeedRecord

log = logging.getLogger(__name__)
KUAIDI100_URL = "https://poll.kuaidi100.com"  # its real-time query API's host


class FeedPort(Protocol):
    attribution: str

    def lines(self, place: str, timeout_s: float) -> list[InfoLine]: ...


class LookupPort(Protocol):
    attribution: str

    def look_up(self, tile_id: int, values: dict[str, str], timeout_s: float
                ) -> LookupAnswer: ...


@dataclass(frozen=True)
class ThirdParties:
    """Where the third parties are; None: not configured (said to be down)."""

    weather_url: str | None = None
    weather_key: str = ""
    express_url: str | None = None
    express_customer: str = ""
    express_key: str = ""
    reference_url: str | None = None  # the sample 企业信息 and 违章 services
    news_prefixes: tuple[str, ...] = ("https://",)  # where feeds of news may be read
    sample: bool = False  # every answer is sample data (the simulator)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> ThirdParties:
        """`main.py central`'s third parties: CENTRAL_QWEATHER_URL (the account's API host)
        and CENTRAL_QWEATHER_KEY; CENTRAL_KUAIDI100_CUSTOMER and CENTRAL_KUAIDI100_KEY (at
        CENTRAL_KUAIDI100_URL, by default 快递100's own); CENTRAL_NEWS_PREFIXES, the addresses
        news feeds may be read from, space-separated (any public https address unless set)."""
        express_customer = environ.get("CENTRAL_KUAIDI100_CUSTOMER", "")
        prefixes = tuple(environ.get("CENTRAL_NEWS_PREFIXES", "").split()) or ("https://",)
        return cls(weather_url=environ.get("CENTRAL_QWEATHER_URL") or None,
                   weather_key=environ.get("CENTRAL_QWEATHER_KEY", ""),
                   express_url=(environ.get("CENTRAL_KUAIDI100_URL") or KUAIDI100_URL
                                if express_customer else None),
                   express_customer=express_customer,
                   express_key=environ.get("CENTRAL_KUAIDI100_KEY", ""),
                   news_prefixes=prefixes)


class ConvenienceDesk:
    def __init__(self, parties: ThirdParties | None = None, *, timeout_s: float = 5.0,
                 fresh_for: timedelta = timedelta(minutes=10),
                 pause_after_fault: timedelta = timedelta(minutes=1)) -> None:
        parties = parties or ThirdParties()
        self.parties = parties
        self.timeout_s = timeout_s
        self.fresh_for, self.pause_after_fault = fresh_for, pause_after_fault
        self._feeds: dict[str, FeedPort] = {"news": RssNews(parties.news_prefixes)}
        if parties.weather_url:
            self._feeds["weather"] = QWeatherNow(parties.weather_url, parties.weather_key)
        self._lookups: dict[str, LookupPort] = {}
        if parties.express_url:
            self._lookups["express"] = Kuaidi100(parties.express_url, parties.express_customer,
                                                 parties.express_key)
        if parties.reference_url:
            self._lookups["enterprise"] = SampleEnterprises(parties.reference_url)
            self._lookups["violation"] = SampleViolations(parties.reference_url)

    def feed(self, session: Session, tile: Tile, now: datetime,
             writing: Callable[[Session], AbstractContextManager[Session]]) -> FeedAnswer:
        """The feed's lines, fresh or cached; `writing` is the platform's write turn."""
        source = tile.source or ""
        record = session.scalars(select(ConvenienceFeedRecord).where(
            ConvenienceFeedRecord.source == source,
            ConvenienceFeedRecord.place == tile.place)).first()
        if record is not None and not self._due(record, now):
            return self._answer(tile, record)
        port = self._feeds.get(source)
        lines: list[InfoLine] | None = None
        third_party: ThirdParty = "down"
        if port is not None:
            try:
                lines, third_party = port.lines(tile.place, self.timeout_s), "up"
            except ThirdPartyFault as exc:
                log.warning("feed %s of tile %d: %s", source, tile.tile_id, exc)
                third_party = exc.fault
        session.rollback()  # the read's transaction ends before the write turn
        try:
            with writing(session):
                record = self._remember(session, source, tile.place, lines, third_party, now)
        except IntegrityError:  # another platform process cached the same feed first
            record = ConvenienceFeedRecord(lines=[line.model_dump() for line in lines or []],
                                           fetched_at=now if lines is not None else None,
                                           third_party=third_party)
        return self._answer(tile, record)

    @staticmethod
    def _remember(session: Session, source: str, place: str, lines: list[InfoLine] | None,
                  third_party: ThirdParty, now: datetime) -> ConvenienceFeedRecord:
        record = session.scalars(select(ConvenienceFeedRecord).where(
            ConvenienceFeedRecord.source == source,
            ConvenienceFeedRecord.place == place)).first()
        if record is None:
            record = ConvenienceFeedRecord(source=source, place=place, lines=[], fetched_at=None)
            session.add(record)
        record.asked_at, record.third_party = now, third_party
        if lines is not None:
            record.lines = [line.model_dump() for line in lines]
            record.fetched_at = now
        return record

    def _due(self, record: ConvenienceFeedRecord, now: datetime) -> bool:
        if record.third_party != "up":
            return now - record.asked_at >= self.pause_after_fault
        return record.fetched_at is None or now - record.fetched_at >= self.fresh_for

    def _answer(self, tile: Tile, record: ConvenienceFeedRecord) -> FeedAnswer:
        try:
            lines = [InfoLine.model_validate(line) for line in record.lines]
        except (ValidationError, TypeError):
            lines = []
        port = self._feeds.get(tile.source or "")
        return FeedAnswer(tile_id=tile.tile_id, lines=lines, fetched_at=record.fetched_at,
                          third_party=cast(ThirdParty, record.third_party),
                          attribution=port.attribution if port else "",
                          sample=self.parties.sample)

    def lookup(self, tile: Tile, values: dict[str, str]) -> LookupAnswer:
        port = self._lookups.get(cast(LookupSource, tile.source))
        if port is None:
            return LookupAnswer(tile_id=tile.tile_id, third_party="down")
        try:
            answer = port.look_up(tile.tile_id, values, self.timeout_s)
        except ThirdPartyFault as exc:
            log.warning("lookup %s of tile %d: %s", tile.source, tile.tile_id, exc)
            return LookupAnswer(tile_id=tile.tile_id, third_party=exc.fault,
                                attribution=port.attribution)
        return answer.model_copy(update={"sample": answer.sample or self.parties.sample})


def simulated(base_url: str, timeout_s: float = 5.0) -> ConvenienceDesk:
    """A desk over `simulator.ThirdPartySimulator` at `base_url` (sample data)."""
    from central.convenience.simulator import EXPRESS_CUSTOMER, EXPRESS_KEY, WEATHER_KEY

    parties = ThirdParties(weather_url=base_url, weather_key=WEATHER_KEY, express_url=base_url,
                           express_customer=EXPRESS_CUSTOMER, express_key=EXPRESS_KEY,
                           reference_url=base_url, news_prefixes=(base_url + "/",),
                           sample=True)
    return ConvenienceDesk(parties, timeout_s=timeout_s)
