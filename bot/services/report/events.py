"""The quality report's events with their attendance (figures and their words).

Definitions (also in the README): an event counts in the month it starts (the home's time zone);
held means not cancelled; attendance is the places signed up for (relatives with the people
they bring), of the places offered; events for residents only have no sign-up and count as held
without attendance.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from babel.dates import format_date

from bot.domain.enums import EventAudience
from bot.i18n import Translator
from bot.models import Event
from bot.services.report.period import Window


@dataclass(frozen=True)
class EventAttendance:
    """One event of the month and how many places were signed up for."""

    title: str
    starts_at: dt.datetime
    cancelled: bool
    residents_only: bool
    taken: int
    capacity: int
    signups: int  # relatives who signed up


@dataclass(frozen=True)
class EventFigures:
    """The events of the month, and those of each of the 12 months."""

    held: int
    cancelled: int
    people: int  # places signed up for at the events held
    events: tuple[EventAttendance, ...]
    monthly_held: tuple[int, ...]
    monthly_people: tuple[int, ...]


async def event_figures(facility_id: int, window: Window) -> EventFigures | None:
    """The figures, or ``None`` when the home had no event in the 12 months."""
    events = await Event.filter(
        facility_id=facility_id, starts_at__gte=window.start, starts_at__lt=window.end,
    ).order_by("starts_at", "id").prefetch_related("signups")
    if not events:
        return None
    held = [event for event in events if event.cancelled_at is None]
    monthly_people = [0] * len(window.months)
    for event in held:
        index = window.index_of(event.starts_at)
        if index is not None:
            monthly_people[index] += event.taken
    month_start = window.month_start
    this_month = [event for event in events if event.starts_at >= month_start]
    return EventFigures(
        held=sum(1 for event in this_month if event.cancelled_at is None),
        cancelled=sum(1 for event in this_month if event.cancelled_at is not None),
        people=sum(event.taken for event in this_month if event.cancelled_at is None),
        events=tuple(EventAttendance(
            title=event.title, starts_at=event.starts_at,
            cancelled=event.cancelled_at is not None,
            residents_only=event.audience == EventAudience.RESIDENTS, taken=event.taken,
            capacity=event.capacity, signups=len(event.signups),
        ) for event in this_month),
        monthly_held=window.count_by_month(event.starts_at for event in held),
        monthly_people=tuple(monthly_people),
    )


def event_lines(
    tr: Translator, figures: EventFigures | None, timezone: str
) -> tuple[str, tuple[str, ...]] | None:
    """The report's section on events: a heading and its sentences (``None`` without events)."""
    if figures is None:
        return None
    lines = [tr._("Held: {held} · cancelled: {cancelled} · places signed up for: {people}")
             .format(held=tr.number(figures.held), cancelled=tr.number(figures.cancelled),
                     people=tr.number(figures.people))]
    for event in figures.events:
        day = format_date(event.starts_at.astimezone(ZoneInfo(timezone)).date(), "medium",
                          locale=tr.locale)
        if event.cancelled:
            attendance = tr._("cancelled")
        elif event.residents_only:
            attendance = tr._("for residents only")
        else:
            attendance = tr._("{taken} of {capacity} places").format(
                taken=tr.number(event.taken), capacity=tr.number(event.capacity))
        lines.append(f"{day} {event.title}: {attendance}")
    return tr._("Events"), tuple(lines)
