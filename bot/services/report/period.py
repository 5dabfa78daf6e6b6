"""The months a quality report covers, and the statistics it uses (median, percentile).

A report is about one calendar month in the facility's time zone, and shows the 12 months that
end with it (the month itself included) as the trend. Rows are read once for the whole window
and sorted into months here, in Python: a care home has hundreds of rows a year, not millions.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot import clock
from bot.domain.errors import InvalidInput

TREND_MONTHS = 12
_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


def parse_month(text: str) -> dt.date:
    """``"2026-03"`` → the first day of that month; :class:`InvalidInput` ("month", "format")."""
    found = _MONTH.match(text or "")
    if found is None or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 2000:
        raise InvalidInput("month", "format")
    return dt.date(int(found.group(1)), int(found.group(2)), 1)


def first_of_month(day: dt.date) -> dt.date:
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def add_months(month: dt.date, count: int) -> dt.date:
    """The first day of the month ``count`` months after (or before, negative) ``month``."""
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def this_month(timezone: str, now: dt.datetime | None = None) -> dt.date:
    """The current month in ``timezone``."""
    moment = now or clock.now()
    return first_of_month(moment.astimezone(ZoneInfo(timezone)).date())


@dataclass(frozen=True)
class Window:
    """The report's month and the 12 months ending with it, with their bounds in UTC."""

    timezone: str
    months: tuple[dt.date, ...]  # first days, oldest first; the last one is the report's month
    bounds: tuple[tuple[dt.datetime, dt.datetime], ...]  # [start, end) of each month, UTC

    @classmethod
    def ending_with(cls, month: dt.date, timezone: str) -> Window:
        """The window whose last month is ``month`` (local midnight to local midnight)."""
        zone = ZoneInfo(timezone)
        months = tuple(add_months(first_of_month(month), n) for n in range(1 - TREND_MONTHS, 1))

        def utc_midnight(day: dt.date) -> dt.datetime:
            return dt.datetime.combine(day, dt.time(), tzinfo=zone).astimezone(dt.UTC)

        bounds = tuple((utc_midnight(m), utc_midnight(add_months(m, 1))) for m in months)
        return cls(timezone=timezone, months=months, bounds=bounds)

    @property
    def month(self) -> dt.date:
        """The report's month."""
        return self.months[-1]

    @property
    def start(self) -> dt.datetime:
        """Where the window starts (UTC)."""
        return self.bounds[0][0]

    @property
    def end(self) -> dt.datetime:
        """Where the window (and the report's month) ends (UTC, exclusive)."""
        return self.bounds[-1][1]

    @property
    def month_start(self) -> dt.datetime:
        """Where the report's month starts (UTC)."""
        return self.bounds[-1][0]

    def index_of(self, moment: dt.datetime | None) -> int | None:
        """Which of the 12 months ``moment`` falls in (0 = oldest), or ``None``."""
        if moment is None or not self.start <= moment < self.end:
            return None
        for index, (start, end) in enumerate(self.bounds):
            if start <= moment < end:
                return index
        return None

    def count_by_month(self, moments: Iterable[dt.datetime | None]) -> tuple[int, ...]:
        """How many of ``moments`` fall in each month."""
        counts = [0] * len(self.months)
        for moment in moments:
            index = self.index_of(moment)
            if index is not None:
                counts[index] += 1
        return tuple(counts)


def median(values: Sequence[float]) -> float | None:
    """The median (mean of the middle two for an even count), ``None`` when empty."""
    return float(statistics.median(values)) if values else None


def percentile(values: Sequence[float], share: float) -> float | None:
    """Nearest-rank percentile: the smallest value with at least ``share`` of all at or below.

    ``percentile([1..10], 0.9) == 9``; ``None`` when empty.
    """
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return float(ordered[rank - 1])


def mean(values: Sequence[float]) -> float | None:
    """The arithmetic mean, ``None`` when empty."""
    return float(statistics.fmean(values)) if values else None
