"""Figures about conversations, for the quality report and for relatives' expectations.

Definitions (the report states them the same way):

- a thread belongs to the month (by the facility's calendar) in which the relative wrote its
  first message;
- its first-response time runs from that first message to the first staff answer, by the
  clock (nights and weekends count);
- the median is the middle value (the mean of the two middle values for an even count); the
  90th percentile is the nearest-rank value: the smallest time within which at least 90 % of
  the answered threads got their first answer;
- the share answered within 4 hours counts every thread of the period, answered or not.

These functions read figures only; the caller checks who may see them.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot import clock
from bot.models import Facility, Thread

WITHIN = dt.timedelta(hours=4)
USUAL_RESPONSE_DAYS = 30


@dataclass(frozen=True)
class ResponseFigures:
    """How a facility answered the threads of one period."""

    threads: int
    answered: int
    median: dt.timedelta | None  # first-response time; None when nothing was answered
    p90: dt.timedelta | None
    answered_within_4h: int

    @property
    def share_within_4h(self) -> float | None:
        """Answered within 4 hours, as a share of all threads (None without threads)."""
        return self.answered_within_4h / self.threads if self.threads else None


@dataclass(frozen=True)
class MonthCount:
    """Threads begun in one month."""

    year: int
    month: int
    threads: int


def month_bounds(year: int, month: int, timezone: str) -> tuple[dt.datetime, dt.datetime]:
    """The first moment of the month and of the next, in ``timezone``, as UTC."""
    zone = ZoneInfo(timezone)
    start = dt.datetime(year, month, 1, tzinfo=zone)
    following = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)
    return start.astimezone(dt.UTC), following.astimezone(dt.UTC)


def nearest_rank(values: Sequence[dt.timedelta], percent: float) -> dt.timedelta | None:
    """The nearest-rank percentile: the smallest value with ``percent`` % of values at or
    below it (None for no values)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(percent / 100 * len(ordered)))
    return ordered[rank - 1]


def median(values: Sequence[dt.timedelta]) -> dt.timedelta | None:
    """The middle value, or the mean of the two middle ones (None for no values)."""
    if not values:
        return None
    return dt.timedelta(seconds=statistics.median(v.total_seconds() for v in values))


async def response_figures(
    facility_id: int, start: dt.datetime, end: dt.datetime
) -> ResponseFigures:
    """First-response figures of the threads begun in ``start`` ≤ t < ``end``."""
    threads = await Thread.filter(
        facility_id=facility_id, created_at__gte=start, created_at__lt=end
    ).values_list("created_at", "first_response_at")
    times = [answered - created for created, answered in threads if answered is not None]
    return ResponseFigures(
        threads=len(threads),
        answered=len(times),
        median=median(times),
        p90=nearest_rank(times, 90),
        answered_within_4h=sum(1 for time in times if time <= WITHIN),
    )


async def threads_per_month(facility_id: int, year: int, month: int, months: int = 12
                            ) -> list[MonthCount]:
    """Threads begun per month: the ``months`` months up to and including ``year``-``month``,
    oldest first (facility time)."""
    facility = await Facility.get(id=facility_id)
    counts = []
    for back in range(months - 1, -1, -1):
        index = year * 12 + (month - 1) - back
        y, m = divmod(index, 12)
        start, end = month_bounds(y, m + 1, facility.timezone)
        count = await Thread.filter(
            facility_id=facility_id, created_at__gte=start, created_at__lt=end
        ).count()
        counts.append(MonthCount(y, m + 1, count))
    return counts


async def usual_response_time(
    facility_id: int, now: dt.datetime | None = None
) -> dt.timedelta | None:
    """The median first-response time of the last 30 days' answered threads, if any."""
    now = now or clock.now()
    figures = await response_figures(
        facility_id, now - dt.timedelta(days=USUAL_RESPONSE_DAYS), now
    )
    return figures.median
