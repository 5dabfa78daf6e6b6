"""The monthly quality report a home's management reads: every figure, computed in one place.

:func:`quality_report` gathers the sections (ratings, complaints, conversations, photo updates,
relatives) for one month and the 12 months ending with it; rendering (charts, PDF, HTML) is in
:mod:`bot.services.report.render` and never computes a figure itself. The definitions of the
figures are in :mod:`bot.services.report.figures` and :mod:`bot.services.report.activity`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from bot import clock
from bot.domain.errors import InvalidInput, NotFound
from bot.models import Facility, Role
from bot.services.accounts.actors import Actor, require_role
from bot.services.accounts.facilities import facilities_for
from bot.services.report.activity import (
    ConversationFigures,
    PhotoFigures,
    RelativeFigures,
    conversation_figures,
    photo_figures,
    relative_figures,
)
from bot.services.report.emergency_calls import EmergencyCallFigures, emergency_call_figures
from bot.services.report.events import EventFigures, event_figures
from bot.services.report.figures import (
    ComplaintFigures,
    RatingFigures,
    complaint_figures,
    rating_figures,
)
from bot.services.report.period import (
    Window,
    add_months,
    first_of_month,
    parse_month,
    this_month,
)
from bot.services.report.visits import VisitFigures, visit_figures

__all__ = ["QualityReport", "parse_month", "quality_report", "report_facilities", "to_json"]


@dataclass(frozen=True)
class QualityReport:
    """One facility's figures for one month; a section is ``None`` where its data is missing."""

    facility_name: str
    facility_slug: str
    timezone: str
    default_locale: str
    month: dt.date
    months: tuple[dt.date, ...]  # the 12 months of the trend, oldest first, ``month`` last
    generated_at: dt.datetime
    ratings: RatingFigures | None
    complaints: ComplaintFigures | None
    conversations: ConversationFigures | None
    photos: PhotoFigures | None
    relatives: RelativeFigures
    emergency_calls: EmergencyCallFigures | None = None  # none sent this month: no section
    visits: VisitFigures | None = None  # issue 17: only for homes that offer visiting slots
    events: EventFigures | None = None  # bot.services.report.events


async def report_facilities(actor: Actor) -> list[Facility]:
    """The facilities whose report the actor may read (admin; every one for platform admins)."""
    return await facilities_for(actor, Role.ADMIN)


def recent_months(timezone: str, now: dt.datetime | None = None) -> tuple[dt.date, dt.date]:
    """This month and last month in the facility's time zone (the two offered as buttons)."""
    current = this_month(timezone, now)
    return current, add_months(current, -1)


async def quality_report(
    actor: Actor, facility_id: int, month: dt.date, *, now: dt.datetime | None = None
) -> QualityReport:
    """The quality report of ``month`` (any day in it) for a facility's admins.

    :class:`NotAllowed` below the admin role, :class:`NotFound` for an unknown facility,
    ``InvalidInput("month", "future")`` for a month that has not begun.
    """
    facility = await Facility.get_or_none(id=facility_id)
    if facility is None:
        raise NotFound(f"no facility {facility_id}")
    await require_role(actor, facility.id, Role.ADMIN)
    generated_at = now or clock.now()
    # Before the window: a month like 9999-12 has no month after it to end the window with.
    if first_of_month(month) > this_month(facility.timezone, generated_at):
        raise InvalidInput("month", "future")
    window = Window.ending_with(month, facility.timezone)
    return QualityReport(
        facility_name=facility.name,
        facility_slug=facility.slug,
        timezone=facility.timezone,
        default_locale=facility.default_locale,
        month=window.month,
        months=window.months,
        generated_at=generated_at,
        ratings=await rating_figures(facility.id, window),
        complaints=await complaint_figures(facility.id, window),
        conversations=await conversation_figures(facility.id, window),
        photos=await photo_figures(facility.id, window),
        relatives=await relative_figures(facility.id, window),
        emergency_calls=await emergency_call_figures(facility.id, window),
        visits=await visit_figures(facility.id, window),
        events=await event_figures(facility.id, window),
    )


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m")
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def to_json(report: QualityReport) -> dict[str, Any]:
    """The figures as plain JSON types (months as ``YYYY-MM``, floats rounded to 4 places)."""
    data = _plain(dataclasses.asdict(report))
    assert isinstance(data, dict)
    return data
