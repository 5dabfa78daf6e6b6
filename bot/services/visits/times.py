"""Visit times: the dated times a weekly slot offers, in the home's time zone.

A slot "Mondays 14:00-17:00, 30 minutes" offers 14:00, 14:30 … 16:30 on every Monday. Times are
aware datetimes in the home's zone; what is stored (``VisitOccurrence.starts_at``) is the same
instant, which the database keeps in UTC.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from bot.domain.errors import InvalidInput
from bot.models import VisitClosure, VisitSlot

CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def wall_clock(text: str, field: str = "time") -> dt.time:
    """``"14:00"`` as a time; :class:`InvalidInput` for anything else."""
    match = CLOCK.match(text.strip())
    if match is None:
        raise InvalidInput(field, "not a time")
    return dt.time(int(match.group(1)), int(match.group(2)))


def local_day(moment: dt.datetime, timezone: str) -> dt.date:
    """The home's calendar day of ``moment``."""
    return moment.astimezone(ZoneInfo(timezone)).date()


def day_bounds(first: dt.date, last: dt.date, timezone: str) -> tuple[dt.datetime, dt.datetime]:
    """From the start of ``first`` to the start of the day after ``last``, in the home's zone
    (as UTC: the database compares instants in UTC)."""
    zone = ZoneInfo(timezone)
    return (dt.datetime.combine(first, dt.time(0), zone).astimezone(dt.UTC),
            dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), zone).astimezone(dt.UTC))


def times_on(slot: VisitSlot, day: dt.date, timezone: str) -> list[tuple[dt.datetime, dt.datetime]]:
    """The visits (start, end) ``slot`` offers on ``day``: none on another weekday."""
    if day.weekday() != slot.weekday:
        return []
    zone = ZoneInfo(timezone)
    start = dt.datetime.combine(day, wall_clock(slot.starts), zone)
    end_of_slot = dt.datetime.combine(day, wall_clock(slot.ends), zone)
    length = dt.timedelta(minutes=slot.minutes)
    found = []
    while start + length <= end_of_slot:
        found.append((start, start + length))
        start += length
    return found


def closed_on(closures: list[VisitClosure], slot: VisitSlot, day: dt.date) -> VisitClosure | None:
    """The closure covering ``slot`` on ``day``: one of the whole home or of the slot's unit."""
    for closure in closures:
        if closure.first_day <= day <= closure.last_day and closure.unit_id in (None, slot.unit_id):
            return closure
    return None


def before_lead(slot: VisitSlot, starts_at: dt.datetime, now: dt.datetime) -> bool:
    """Whether ``now`` is within the slot's lead time of ``starts_at``: real hours, counted in
    UTC (on a day the clocks change, wall-clock arithmetic would give 23 or 25 hours)."""
    return starts_at.astimezone(dt.UTC) - dt.timedelta(hours=slot.lead_hours) < now


def bookable(slot: VisitSlot, starts_at: dt.datetime, now: dt.datetime, timezone: str) -> bool:
    """Whether ``starts_at`` is past the lead time and within how far ahead the slot goes."""
    if before_lead(slot, starts_at, now):
        return False
    horizon = local_day(now, timezone) + dt.timedelta(days=slot.days_ahead)
    return local_day(starts_at, timezone) <= horizon


def reminder_time(starts_at: dt.datetime, timezone: str) -> dt.datetime:
    """18:00 the evening before the visit, home time."""
    day = local_day(starts_at, timezone) - dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(18, 0), ZoneInfo(timezone))
