"""The quality report's figures from visits (issue 17), and their lines in words.

Definitions (also in the README): a visit counts in the month in which it takes place (its
start, in the home's time zone), whether booked or cancelled; "held" are the visits not
cancelled, with how many people came; cancelled visits are told apart by who cancelled: the
family, or the home by closing the day. The section is left out for a home that never offered
visiting slots.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import Translator
from bot.models import VisitBooking, VisitSlot
from bot.services.report.period import Window


@dataclass(frozen=True)
class VisitFigures:
    """Visits in the month and per month over 12 months."""

    held: int  # booked and not cancelled
    people: int  # the people of those visits
    cancelled_by_family: int
    cancelled_by_home: int
    monthly_held: tuple[int, ...]


async def visit_figures(facility_id: int, window: Window) -> VisitFigures | None:
    """The month's visits and the 12 months' trend; ``None`` for a home without slots."""
    if not await VisitSlot.filter(facility_id=facility_id).exists():
        return None
    bookings = await VisitBooking.filter(
        occurrence__slot__facility_id=facility_id,
        occurrence__starts_at__gte=window.start, occurrence__starts_at__lt=window.end,
    ).prefetch_related("occurrence")
    last = len(window.months) - 1
    in_month = [b for b in bookings if window.index_of(b.occurrence.starts_at) == last]
    held = [b for b in in_month if b.cancelled_at is None]
    return VisitFigures(
        held=len(held), people=sum(b.people for b in held),
        cancelled_by_family=sum(1 for b in in_month if b.cancelled_because == "relative"),
        cancelled_by_home=sum(1 for b in in_month if b.cancelled_because == "closed"),
        monthly_held=window.count_by_month(
            b.occurrence.starts_at for b in bookings if b.cancelled_at is None),
    )


def visit_lines(tr: Translator, figures: VisitFigures | None) -> tuple[str, tuple[str, ...]] | None:
    """The section's heading and lines (for :mod:`bot.services.report.text`), or ``None``."""
    if figures is None:
        return None
    return tr._("Visits"), (
        tr._("Visits held: {held} · people: {people} · cancelled by families: {family} · "
             "by the home: {home}").format(
            held=tr.number(figures.held), people=tr.number(figures.people),
            family=tr.number(figures.cancelled_by_family),
            home=tr.number(figures.cancelled_by_home)),
        tr._("Last 12 months: {counts}").format(
            counts=" · ".join(tr.number(count) for count in figures.monthly_held)),
    )
