"""Hall hours: when the kiosk serves, the screen off outside them, the attract loop on an idle
home, the nightly restart, and the hall manager's override from the console.

`HallHours` is the timetable (`[hours]` in the profile: a range per weekday, holidays). A
`HallKeeper` runs beside the sessions (`KioskRuntime.run` starts it) and decides, by its clock,
what the runtime and the `HallScreen` do:

- out of hours (or 立即闭厅 from the console) the hall is closed: the runtime pauses as for
  maintenance (after the person at the screen, if any) and the keeper shows a black screen with
  the backlight off (`kiosk.backlight`); a touch lights it with the hours for `WOKEN_S`, then it
  goes dark again. 始终开放 serves whatever the hours say. The override is state the platform
  gives in every heartbeat answer, so it survives a restart of the kiosk.
- an untouched home for `ui.attract_after_s` shows the attract loop until the next touch.
- at `hours.nightly_restart` the kiosk restarts through the runtime's restart, which waits for
  the person at the screen to leave.

All times come from a `HallClock`, so tests step it (the pattern of
`devices/idcard/poll_clock.py`). Qt-free.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Protocol

from central.contract import HoursOverride
from common.i18n import Text, tr
from kiosk.backlight import Backlight
from kiosk.settings import WEEKDAYS, HoursSettings, Settings
from offline_cache.wakeup import Wakeup, end_if_cancelled

log = logging.getLogger(__name__)

WOKEN_S = 60  # a touch on the dark screen shows the hours this long
LOOK_AHEAD_DAYS = 14  # the next opening is looked for this far (a fortnight of holidays)
# the longest wait between passes: a wall clock set by NTP or a change of summer time is
# noticed within this
LONGEST_WAIT_S = 60.0


class HallClock(Protocol):
    def now(self) -> datetime:
        """The local wall time (naive), by which the hall's hours are read."""
        ...

    async def wait(self, wake: Wakeup, seconds: float) -> bool:
        """Wait `seconds` or until `wake` rings; True when rung."""
        ...


class SystemHallClock:
    def now(self) -> datetime:
        return datetime.now()

    async def wait(self, wake: Wakeup, seconds: float) -> bool:
        return await wake.wait(max(0.0, seconds))


SYSTEM_HALL_CLOCK = SystemHallClock()


class HallScreen(Protocol):
    """What the keeper shows; the Qt shell implements it, tests record it."""

    def show_attract(self, on: bool, /) -> None:
        """The attract loop over home (only ever after a session was wiped), or not."""
        ...

    def show_closed(self, hours: Text | None, /) -> None:
        """Closed, as 暂停服务 is (`Screen.paused`): a black screen (`hours` None), or the
        hours after a touch."""
        ...

    def end_closed(self) -> None:
        """The closed screen goes (then `Screen.show_maintenance(False)` or a step follows)."""
        ...


@dataclass(frozen=True)
class Opening:
    start: time
    end: time  # 24:00 is time.max

    def text(self) -> str:
        end = "24:00" if self.end == time.max else f"{self.end:%H:%M}"
        return f"{self.start:%H:%M}-{end}"


def _clock_time(text: str) -> time:
    return time.max if text == "24:00" else time.fromisoformat(text)


class HallHours:
    """The hall's timetable; with no day's hours set, the hall never closes."""

    def __init__(self, week: tuple[Opening | None, ...], holidays: frozenset[date]) -> None:
        assert len(week) == 7
        self.week = week
        self.holidays = holidays

    @classmethod
    def from_settings(cls, hours: HoursSettings) -> HallHours:
        week = []
        for day in WEEKDAYS:
            text: str = getattr(hours, day)
            start, _, end = text.partition("-")
            week.append(Opening(_clock_time(start), _clock_time(end)) if text else None)
        return cls(tuple(week), frozenset(hours.holidays))

    @property
    def always_open(self) -> bool:
        return all(day is None for day in self.week)

    def opening_on(self, day: date) -> Opening | None:
        return None if day in self.holidays else self.week[day.weekday()]

    def is_open(self, at: datetime) -> bool:
        if self.always_open:
            return True
        opening = self.opening_on(at.date())
        return opening is not None and opening.start <= at.time() < opening.end

    def next_opening(self, at: datetime) -> datetime | None:
        """The next time the hall opens after `at`; None: not within `LOOK_AHEAD_DAYS`."""
        for ahead in range(LOOK_AHEAD_DAYS + 1):
            day = at.date() + timedelta(days=ahead)
            opening = self.opening_on(day)
            if opening is not None and datetime.combine(day, opening.start) > at:
                return datetime.combine(day, opening.start)
        return None

    def next_change(self, at: datetime) -> datetime | None:
        """The next opening or closing after `at` (None: none in sight)."""
        if self.always_open:
            return None
        times = []
        for ahead in range(LOOK_AHEAD_DAYS + 1):
            day = at.date() + timedelta(days=ahead)
            if (opening := self.opening_on(day)) is not None:
                end = (datetime.combine(day + timedelta(days=1), time()) if opening.end == time.max
                       else datetime.combine(day, opening.end))
                times += [datetime.combine(day, opening.start), end]
        return min((t for t in times if t > at), default=None)

    def closed_text(self, at: datetime, override: HoursOverride | None) -> Text:
        """What a touch on the dark screen shows: today's hours and the next opening."""
        today = self.opening_on(at.date())
        upcoming = None if override == "closed" else self.next_opening(at)
        when = _when(at, upcoming) if upcoming is not None else None
        if today is None:
            return (tr("当前非服务时间，今日不开放，下次开放：{next}", next=when) if when
                    else tr("当前非服务时间，今日不开放"))
        if when is None:
            return tr("当前非服务时间，服务时间：今日 {range}", range=today.text())
        return tr("当前非服务时间，服务时间：今日 {range}，下次开放：{next}", range=today.text(),
                  next=when)


def _when(at: datetime, upcoming: datetime) -> Text:
    clock = f"{upcoming:%H:%M}"
    if upcoming.date() == at.date():
        return tr("今天 {time}", time=clock)
    if upcoming.date() == at.date() + timedelta(days=1):
        return tr("明天 {time}", time=clock)
    return tr("{month}月{day}日 {time}", month=upcoming.month, day=upcoming.day, time=clock)


def next_daily(at: datetime, clock_time: time) -> datetime:
    """The first `clock_time` after `at`."""
    candidate = datetime.combine(at.date(), clock_time)
    return candidate if candidate > at else candidate + timedelta(days=1)


class HallKeeper:
    """Decides, by its clock, whether the hall is closed, when the screen is dark or shows the
    hours, when the attract loop is on, and when the nightly restart is due.

    The runtime tells it about touches (`touched`), a fresh home (`home_shown`) and whether
    the closed screen is up (`darken`); it tells the runtime `closed` through `on_change`.
    """

    def __init__(self, hours: HallHours, screen: HallScreen, backlight: Backlight, *,
                 attract_after_s: float, nightly_restart: time | None,
                 clock: HallClock = SYSTEM_HALL_CLOCK,
                 on_change: Callable[[], None] = lambda: None,
                 restart: Callable[[], None] = lambda: None) -> None:
        self.hours = hours
        self._screen = screen
        self._backlight = backlight
        self._attract_after_s = attract_after_s
        self._clock = clock
        self._on_change = on_change
        self._restart = restart
        self.override: HoursOverride | None = None
        self.closed = not hours.is_open(clock.now())
        self._closed_shown = False  # the runtime shows the closed screen (it paused for it)
        self._woken_until: datetime | None = None  # the hours are shown after a touch
        self._woken_shown: bool | None = None  # what the closed screen shows: the hours or not
        self._dark: bool | None = None  # None: the backlight's state is not known yet
        self._home_since: datetime | None = None  # an untouched home since
        self._attract = False
        self._restart_at = (next_daily(clock.now(), nightly_restart)
                            if nightly_restart is not None else None)
        self._wake = Wakeup()

    # -- told by the runtime and the console ------------------------------------------------

    def set_override(self, override: HoursOverride | None) -> None:
        """始终开放, 立即闭厅, or the hall's hours again (from the heartbeat answer)."""
        log.info("hall hours override from the platform: %s", override or "none")
        self.override = override
        self._wake.ring()

    def touched(self) -> None:
        self._home_since = None
        if self._closed_shown:
            self._woken_until = self._clock.now() + timedelta(seconds=WOKEN_S)
        self._wake.ring()

    def home_shown(self) -> None:
        """A new session's home is up, nobody has touched it yet."""
        self._home_since = self._clock.now()
        self._wake.ring()

    def darken(self, closed_shown: bool) -> None:
        """The runtime shows the closed screen (True) or something else (False)."""
        was_shown, self._closed_shown = self._closed_shown, closed_shown
        if not closed_shown:
            self._woken_until = None
            self._set_dark(False)
            if was_shown:
                self._screen.end_closed()
        else:
            self._home_since = None
            self._show_attract(False)
            self._woken_shown = None  # shown afresh
            self._show_closed_screen(self._clock.now())

    # -- the loop ----------------------------------------------------------------------------

    async def run(self) -> None:
        """Until cancelled."""
        self._wake.bind()
        if not self._closed_shown:
            self._set_dark(False)  # a kiosk restarted while dark lights its screen
        while True:
            end_if_cancelled()
            self._wake.clear()
            now = self._clock.now()
            self._pass(now)
            await self._clock.wait(self._wake, self._next_wait(now))

    def _pass(self, now: datetime) -> None:
        closed = self._closed_at(now)
        if closed != self.closed:
            log.info("the hall is %s", "closed: the screen goes off" if closed else "open")
            self.closed = closed
            self._on_change()
        if self._restart_at is not None and now >= self._restart_at:
            log.info("nightly restart due (%s)", f"{self._restart_at:%H:%M}")
            self._restart_at = None  # once; the restarted kiosk sets the next
            self._restart()
        if self._woken_until is not None and now >= self._woken_until:
            self._woken_until = None
        if self._closed_shown:
            self._show_closed_screen(now)
        else:
            self._show_attract(self._attract_due(now))

    def _closed_at(self, now: datetime) -> bool:
        if self.override is not None:
            return self.override == "closed"
        return not self.hours.is_open(now)

    def _attract_due(self, now: datetime) -> bool:
        if self._attract_after_s <= 0 or self._home_since is None:
            return False
        return (now - self._home_since).total_seconds() >= self._attract_after_s

    def _next_wait(self, now: datetime) -> float:
        deadlines = [self._restart_at, self._woken_until]
        if self.override is None:
            deadlines.append(self.hours.next_change(now))
        if self._home_since is not None and self._attract_after_s > 0 and not self._attract:
            deadlines.append(self._home_since + timedelta(seconds=self._attract_after_s))
        seconds = [(d - now).total_seconds() for d in deadlines if d is not None]
        return max(0.0, min([LONGEST_WAIT_S, *seconds]))

    # -- the screen ---------------------------------------------------------------------------

    def _show_closed_screen(self, now: datetime) -> None:
        woken = self._woken_until is not None
        if woken == self._woken_shown:
            return
        self._woken_shown = woken
        self._screen.show_closed(self.hours.closed_text(now, self.override) if woken else None)
        self._set_dark(not woken)

    def _show_attract(self, on: bool) -> None:
        if on != self._attract:
            self._attract = on
            self._screen.show_attract(on)

    def _set_dark(self, dark: bool) -> None:
        if dark != self._dark:
            self._dark = dark
            self._backlight.set_power(not dark)


class NoHallScreen:
    """For a runtime whose screen shows neither the attract loop nor the closed screen."""

    def show_attract(self, on: bool, /) -> None:
        return None

    def show_closed(self, hours: Text | None, /) -> None:
        return None

    def end_closed(self) -> None:
        return None


def hall_keeper(settings: Settings, screen: HallScreen, clock: HallClock, *,
                on_change: Callable[[], None], restart: Callable[[], None]) -> HallKeeper:
    """The keeper of a terminal's profile (`[hours]`, `ui.attract_after_s`)."""
    hours = settings.hours
    return HallKeeper(
        HallHours.from_settings(hours), screen,
        Backlight(Path(hours.backlight) if hours.backlight else None),
        attract_after_s=settings.ui.attract_after_s,
        nightly_restart=time.fromisoformat(hours.nightly_restart) if hours.nightly_restart
        else None, clock=clock, on_change=on_change, restart=restart)
