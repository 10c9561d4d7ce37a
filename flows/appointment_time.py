"""An appointment's day and time as the person reads them: 12月8日 星期二, 2026年12月8日 星期二
09:00-10:00 (`flows.appointment`, `flows.appointment_checkin`)."""

from __future__ import annotations

from datetime import date
from typing import Final

from common.i18n import Text, tr

WEEKDAYS: Final = (tr("星期一"), tr("星期二"), tr("星期三"), tr("星期四"), tr("星期五"),
                   tr("星期六"), tr("星期日"))


def day_words(day: date) -> Text:
    return tr("{month}月{day}日 {weekday}", month=day.month, day=day.day,
              weekday=WEEKDAYS[day.weekday()])


def when_words(day: date, start: str, end: str) -> Text:
    return tr("{year}年{day} {start}-{end}", year=day.year, day=day_words(day), start=start,
              end=end)
