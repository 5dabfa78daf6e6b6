"""The quality report's figures from conversations, photo updates and relatives.

Definitions (also in the README):

- conversations: the figures of :mod:`bot.services.conversations.figures` (a thread belongs to
  the month in which the relative wrote its first message; first-response time by the clock;
  median and nearest-rank 90th percentile over the answered threads; the share answered within
  4 hours over all the month's threads);
- a photo update is posted in the month it was submitted for approval, approved or rejected in
  the month of the decision (recalled updates count as approved: they were); thanks count in
  the month they were given;
- relatives linked: accounts with an active link to a resident of the home, made before the end
  of the month; new: the first such link was made in the month; active: a linked relative who
  rated the home, thanked for a photo update or wrote to the home in the month; unreachable: a
  linked relative who blocked the bot (as known today).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bot.models import PhotoThanks, PhotoUpdate, RelativeLink, Review, ThreadMessage
from bot.services.conversations.figures import response_figures
from bot.services.report.period import Window

APPROVED_STATES = ("approved", "recalled")


@dataclass(frozen=True)
class ConversationFigures:
    """Threads opened in the month and how fast the home first answered."""

    count: int
    answered: int
    median_first_response_hours: float | None
    p90_first_response_hours: float | None
    share_within_4h: float | None  # 0…1 of all threads opened; None without threads
    monthly_counts: tuple[int, ...]
    monthly_median_hours: tuple[float | None, ...]
    monthly_p90_hours: tuple[float | None, ...]
    monthly_share_within_4h: tuple[float | None, ...]


@dataclass(frozen=True)
class PhotoFigures:
    """Photo updates posted, approved and rejected, and thanks received."""

    posted: int
    approved: int
    rejected: int
    thanks: int
    monthly_posted: tuple[int, ...]
    monthly_approved: tuple[int, ...]
    monthly_rejected: tuple[int, ...]
    monthly_thanks: tuple[int, ...]


@dataclass(frozen=True)
class RelativeFigures:
    """The families the home reaches."""

    linked: int
    new: int
    active: int
    unreachable: int
    monthly_linked: tuple[int, ...]
    monthly_active: tuple[int, ...]


def _hours(time: dt.timedelta | None) -> float | None:
    return None if time is None else time.total_seconds() / 3600


async def conversation_figures(facility_id: int, window: Window) -> ConversationFigures:
    """Count, median and 90th-percentile first response, share answered within 4 hours.

    The figures of each month come from the conversations capability's own
    ``response_figures`` (one definition for the report and for what relatives are told).
    """
    monthly = [await response_figures(facility_id, start, end) for start, end in window.bounds]
    this = monthly[-1]
    return ConversationFigures(
        count=this.threads,
        answered=this.answered,
        median_first_response_hours=_hours(this.median),
        p90_first_response_hours=_hours(this.p90),
        share_within_4h=this.share_within_4h,
        monthly_counts=tuple(month.threads for month in monthly),
        monthly_median_hours=tuple(_hours(month.median) for month in monthly),
        monthly_p90_hours=tuple(_hours(month.p90) for month in monthly),
        monthly_share_within_4h=tuple(month.share_within_4h for month in monthly),
    )


async def photo_figures(facility_id: int, window: Window) -> PhotoFigures:
    """Photo updates posted, approved, rejected and thanks, in the month and over 12 months."""
    in_window = {"facility_id": facility_id}
    # values_list(flat=True) is typed as rows of tuples: these are moments.
    submitted: list[Any] = await PhotoUpdate.filter(
        **in_window, submitted_at__gte=window.start, submitted_at__lt=window.end
    ).values_list("submitted_at", flat=True)
    decided = await PhotoUpdate.filter(
        **in_window, decided_at__gte=window.start, decided_at__lt=window.end
    ).values_list("decided_at", "state")
    given: list[Any] = await PhotoThanks.filter(
        update__facility_id=facility_id, created_at__gte=window.start, created_at__lt=window.end
    ).values_list("created_at", flat=True)
    posted = window.count_by_month(submitted)
    approved = window.count_by_month(at for at, state in decided if state in APPROVED_STATES)
    rejected = window.count_by_month(at for at, state in decided if state == "rejected")
    thanked = window.count_by_month(given)
    return PhotoFigures(
        posted=posted[-1], approved=approved[-1], rejected=rejected[-1], thanks=thanked[-1],
        monthly_posted=posted, monthly_approved=approved, monthly_rejected=rejected,
        monthly_thanks=thanked,
    )


async def _acting_relatives(
    facility_id: int, window: Window
) -> list[tuple[int | None, dt.datetime]]:
    """(account id, when) of everything relatives did themselves in the window."""
    acts: list[tuple[int | None, dt.datetime]] = []
    span = {"created_at__gte": window.start, "created_at__lt": window.end}
    acts += await Review.filter(facility_id=facility_id, **span).values_list(
        "author_id", "created_at")
    acts += await PhotoThanks.filter(update__facility_id=facility_id, **span).values_list(
        "account_id", "created_at")
    # every message a relative wrote, also in an older thread
    acts += await ThreadMessage.filter(
        thread__facility_id=facility_id, direction="in", **span
    ).values_list("thread__relative_id", "created_at")
    return acts


def _linked_by(
    first_links: dict[int, dt.datetime], end: dt.datetime
) -> set[int]:
    return {account for account, since in first_links.items() if since < end}


async def relative_figures(facility_id: int, window: Window) -> RelativeFigures:
    """Relatives linked (and new), active and unreachable."""
    links = await RelativeLink.filter(
        resident__facility_id=facility_id, active=True
    ).values_list("account_id", "created_at", "account__unreachable")
    first_links: dict[int, dt.datetime] = {}
    unreachable: set[int] = set()
    for account, created_at, blocked in links:
        if account not in first_links or created_at < first_links[account]:
            first_links[account] = created_at
        if blocked:
            unreachable.add(account)
    acting: list[set[int]] = [set() for _ in window.months]
    for account, at in await _acting_relatives(facility_id, window):
        index = window.index_of(at)
        if account is not None and index is not None:
            acting[index].add(account)
    month = len(window.months) - 1
    linked_at_end = [_linked_by(first_links, end) for _, end in window.bounds]
    linked = linked_at_end[-1]
    return RelativeFigures(
        linked=len(linked),
        new=sum(1 for since in first_links.values() if window.index_of(since) == month),
        active=len(acting[-1] & linked),
        unreachable=len(unreachable & linked),
        monthly_linked=tuple(len(accounts) for accounts in linked_at_end),
        monthly_active=_sizes(acting[i] & linked_at_end[i] for i in range(len(window.months))),
    )


def _sizes(sets: Iterable[set[int]]) -> tuple[int, ...]:
    return tuple(len(accounts) for accounts in sets)
