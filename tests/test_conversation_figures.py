"""Figures for the quality report, checked against hand-made threads."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.models import Facility, Thread
from bot.services.conversations.figures import (
    MonthCount,
    ResponseFigures,
    month_bounds,
    nearest_rank,
    response_figures,
    threads_per_month,
    usual_response_time,
)
from tests import factories

pytestmark = pytest.mark.calendar  # run at every instant of tests.conftest.CLOCKS

BERLIN = ZoneInfo("Europe/Berlin")
HOUR = dt.timedelta(hours=1)


def berlin(month: int, day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=BERLIN).astimezone(dt.UTC)


async def thread(facility: Facility, created: dt.datetime, answered_after: dt.timedelta | None
                 ) -> Thread:
    number = await Thread.filter(facility_id=facility.id).count() + 1
    relative = await factories.account(f"R{number}")
    resident = await factories.resident(facility, f"Frau {number}")
    return await Thread.create(
        facility=facility, number=number, relative=relative, resident=resident,
        created_at=created, last_relative_message_at=created,
        first_response_at=created + answered_after if answered_after is not None else None,
    )


async def month_figures(facility_id: int, year: int, month: int) -> ResponseFigures:
    """First-response figures of the threads begun in one calendar month (facility time)."""
    facility = await Facility.get(id=facility_id)
    return await response_figures(facility_id, *month_bounds(year, month, facility.timezone))


def test_nearest_rank_percentile() -> None:
    values = [dt.timedelta(minutes=m) for m in (50, 10, 40, 30, 20)]
    assert nearest_rank(values, 90) == dt.timedelta(minutes=50)
    assert nearest_rank(values, 50) == dt.timedelta(minutes=30)
    assert nearest_rank(values, 20) == dt.timedelta(minutes=10)
    assert nearest_rank([], 90) is None


def test_month_bounds_follow_the_facility_calendar() -> None:
    start, end = month_bounds(2026, 12, "Europe/Berlin")
    assert start == dt.datetime(2026, 11, 30, 23, 0, tzinfo=dt.UTC)
    assert end == dt.datetime(2026, 12, 31, 23, 0, tzinfo=dt.UTC)


async def test_a_months_figures(db: str) -> None:
    facility = await factories.home("linden")
    other = await factories.home("eiche")
    # November: ten threads, eight answered after 1, 2, 3, 3, 4, 5, 10 and 30 hours.
    for day, hours in enumerate([1, 2, 3, 3, 4, 5, 10, 30, None, None], start=1):
        await thread(facility, berlin(11, day), hours * HOUR if hours else None)
    await thread(facility, berlin(10, 31, 23), HOUR)  # October, by Berlin time
    await thread(facility, berlin(12, 1, 0), HOUR)  # December, by Berlin time
    await thread(other, berlin(11, 5), 100 * HOUR)  # another home

    figures = await month_figures(facility.id, 2026, 11)
    assert (figures.threads, figures.answered) == (10, 8)
    assert figures.median == 3.5 * HOUR  # between 3 and 4 hours
    assert figures.p90 == 30 * HOUR  # ceil(0.9 * 8) = 8th of 8
    assert figures.answered_within_4h == 5  # 1, 2, 3, 3 and 4 hours
    assert figures.share_within_4h == 0.5  # of all ten threads

    empty = await response_figures(facility.id, berlin(1, 1), berlin(2, 1))
    assert (empty.threads, empty.median, empty.p90, empty.share_within_4h) == (0, None, None, None)


async def test_threads_per_month_for_a_year(db: str) -> None:
    facility = await factories.home("linden")
    for month, day in [(1, 5), (1, 31), (3, 1), (11, 30)]:
        await thread(facility, berlin(month, day, 23), None)
    counts = await threads_per_month(facility.id, 2026, 11, months=12)
    assert counts[0] == MonthCount(2025, 12, 0)
    assert counts[-1] == MonthCount(2026, 11, 1)
    assert [c.threads for c in counts] == [0, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]


async def test_the_usual_response_time_is_the_median_of_the_last_30_days(db: str) -> None:
    facility = await factories.home("linden")
    now = berlin(11, 30)
    assert await usual_response_time(facility.id, now) is None
    await thread(facility, now - 40 * 24 * HOUR, 50 * HOUR)  # too long ago
    await thread(facility, now - 2 * 24 * HOUR, 1 * HOUR)
    await thread(facility, now - 3 * 24 * HOUR, 3 * HOUR)
    await thread(facility, now - 4 * HOUR, None)  # not answered yet
    assert await usual_response_time(facility.id, now) == 2 * HOUR
