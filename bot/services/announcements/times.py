"""When an announcement goes out: the choices offered as buttons, or a time typed by an admin."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from bot import clock
from bot.domain.errors import InvalidInput

# The time choices offered as buttons; anything else is a typed time.
NOW, IN_ONE_HOUR, TODAY_EVENING, TOMORROW_MORNING = "now", "in_1h", "today_18", "tomorrow_09"
EVENING_AT, MORNING_AT = dt.time(18, 0), dt.time(9, 0)  # the two offered wall-clock times
_TYPED_TIME = re.compile(r"^(?:(\d{4}-\d{2}-\d{2})\s+)?(\d{1,2})[:.](\d{2})$")


def send_time(when: str, timezone: str, now: dt.datetime | None = None) -> dt.datetime:
    """The moment ``when`` names, in UTC: a choice (:data:`NOW`, …) or a typed local time.

    Typed: ``HH:MM`` (today) or ``YYYY-MM-DD HH:MM``, in the facility's ``timezone``.
    A time in the past is :class:`InvalidInput`.
    """
    moment = now or clock.now()
    local = moment.astimezone(ZoneInfo(timezone))
    if when == NOW:
        return moment
    if when == IN_ONE_HOUR:
        return moment + dt.timedelta(hours=1)
    if when in (TODAY_EVENING, TOMORROW_MORNING):
        day = local.date() + dt.timedelta(days=0 if when == TODAY_EVENING else 1)
        wall = EVENING_AT if when == TODAY_EVENING else MORNING_AT
    else:
        match = _TYPED_TIME.match(when.strip())
        if match is None:
            raise InvalidInput("time", "not HH:MM or YYYY-MM-DD HH:MM")
        try:
            day = dt.date.fromisoformat(match[1]) if match[1] else local.date()
            wall = dt.time(int(match[2]), int(match[3]))
        except ValueError as error:
            raise InvalidInput("time", "no such date or time") from error
    chosen = dt.datetime.combine(day, wall, tzinfo=ZoneInfo(timezone)).astimezone(dt.UTC)
    if chosen < moment - dt.timedelta(minutes=1):
        raise InvalidInput("time", "in the past")
    return chosen
