"""The quality report's figures from ratings and complaints (the ``Review`` model of issue 6).

Definitions (also in the README):

- a rating counts when its state is published, private, awaiting the home's response or
  retracted (the author erased their data, the stars stay); ratings held for moderation (not
  decided yet) and rejected by moderation do not count. A rating belongs to the month in which
  it was given (``created_at``);
- a category's mean is over the ratings that rated it; its change is this month's mean minus
  the mean of all ratings of the 11 months before (``None`` when either has none);
- a complaint is a rating with a complaint state (overall ≤ 2); it is opened in the month it
  was given and resolved in the month of ``complaint_resolved_at``; the time to resolution is
  from the rating to its resolution, the median over those resolved in the month.
- the public page counts differently: a rating in the month it was *published*, and only
  published ones (not those sent to the home only, awaiting the home's response or held).
  The report states both counts and the reasons when they differ.

"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from bot.models import Review
from bot.services.report.period import Window, mean, median

CATEGORIES = ("overall", "care", "staff", "food", "activities", "communication")
# Review states whose stars count (see the module docstring).
COUNTED_STATES = ("published", "private", "awaiting_response", "retracted")
# What the public page counts (bot.services.reviews.public): published, then maybe retracted.
PUBLIC_STATES = ("published", "retracted")


@dataclass(frozen=True)
class CategoryFigures:
    """One rating category (``overall``, ``care``, …) in the month and over 12 months."""

    category: str
    count: int
    mean: float | None
    change: float | None  # this month's mean − the mean of the 11 months before
    monthly_means: tuple[float | None, ...]  # 12 months, oldest first
    monthly_counts: tuple[int, ...]


@dataclass(frozen=True)
class RatingFigures:
    """Ratings per category."""

    categories: tuple[CategoryFigures, ...]
    # How the month's count compares with the public page (which counts a rating in the
    # month it was published, and only published ones): see :func:`public_comparison`.
    published_in_month: int = 0  # published (or later retracted) within the month
    private: int = 0  # given this month, sent to the home only
    awaiting_response: int = 0  # given this month, a complaint the home may still answer
    held: int = 0  # given this month, held for moderation (not counted here either)

    def of(self, category: str) -> CategoryFigures:
        """The figures of one category."""
        return next(c for c in self.categories if c.category == category)

    @property
    def count(self) -> int:
        """Ratings given in the month."""
        return self.of("overall").count


@dataclass(frozen=True)
class ComplaintFigures:
    """Complaints opened and resolved, and how long a resolution took."""

    opened: int
    resolved: int
    open_at_end: int  # not resolved when the month ended
    median_resolution_hours: float | None  # of those resolved in the month
    monthly_opened: tuple[int, ...]
    monthly_resolved: tuple[int, ...]


def _category(window: Window, rows: list[dict[str, Any]], category: str) -> CategoryFigures:
    by_month: list[list[float]] = [[] for _ in window.months]
    for row in rows:
        index = window.index_of(row["created_at"])
        if index is not None and row[category] is not None:
            by_month[index].append(float(row[category]))
    this, before = by_month[-1], [stars for month in by_month[:-1] for stars in month]
    this_mean, before_mean = mean(this), mean(before)
    change = None if this_mean is None or before_mean is None else this_mean - before_mean
    return CategoryFigures(
        category=category,
        count=len(this),
        mean=this_mean,
        change=change,
        monthly_means=tuple(mean(month) for month in by_month),
        monthly_counts=tuple(len(month) for month in by_month),
    )


async def rating_figures(facility_id: int, window: Window) -> RatingFigures:
    """Count and mean per category for the month, and the 12-month series."""
    rows = await Review.filter(
        facility_id=facility_id, state__in=COUNTED_STATES,
        created_at__gte=window.start, created_at__lt=window.end,
    ).values("created_at", *CATEGORIES)
    given: list[str] = [str(row["state"]) for row in await Review.filter(
        facility_id=facility_id, created_at__gte=window.month_start, created_at__lt=window.end,
    ).values("state")]
    published = await Review.filter(
        facility_id=facility_id, state__in=PUBLIC_STATES,
        published_at__gte=window.month_start, published_at__lt=window.end,
    ).count()
    return RatingFigures(
        tuple(_category(window, rows, name) for name in CATEGORIES),
        published_in_month=published,
        private=sum(1 for state in given if state == "private"),
        awaiting_response=sum(1 for state in given if state == "awaiting_response"),
        held=sum(1 for state in given if state == "held"),
    )


def _hours(delta: dt.timedelta) -> float:
    return delta.total_seconds() / 3600


async def complaint_figures(facility_id: int, window: Window) -> ComplaintFigures:
    """Complaints opened and resolved in the month, still open at its end, time to resolve."""
    rows = await Review.filter(
        facility_id=facility_id, complaint_state__isnull=False, created_at__lt=window.end
    ).values("created_at", "complaint_resolved_at")
    month = len(window.months) - 1
    resolved_in_month = [
        row for row in rows if window.index_of(row["complaint_resolved_at"]) == month
    ]
    open_at_end = sum(
        1 for row in rows
        if row["complaint_resolved_at"] is None or row["complaint_resolved_at"] >= window.end
    )
    opened = window.count_by_month(row["created_at"] for row in rows)
    resolved = window.count_by_month(row["complaint_resolved_at"] for row in rows)
    return ComplaintFigures(
        opened=opened[-1],
        resolved=resolved[-1],
        open_at_end=open_at_end,
        median_resolution_hours=median([
            _hours(row["complaint_resolved_at"] - row["created_at"]) for row in resolved_in_month
        ]),
        monthly_opened=opened,
        monthly_resolved=resolved,
    )
