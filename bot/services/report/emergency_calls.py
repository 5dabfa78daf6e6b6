"""The quality report's figures of "please call us": the month's urgent alerts and how fast
the families answered.

Alerts are counted in the month they were sent (by the home's calendar); the time to answer
is the median over the month's alerts that were answered, from sending to the first answer.
A month without an alert has no section.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from bot.i18n import Translator
from bot.models import EmergencyCall
from bot.services.report.period import Window


@dataclass(frozen=True)
class EmergencyCallFigures:
    """The month's alerts, how many were answered, and the median minutes to the answer."""

    alerts: int
    answered: int
    median_minutes_to_answer: float | None


async def emergency_call_figures(facility_id: int, window: Window) -> EmergencyCallFigures | None:
    """The figures of the report's month, or ``None`` when no alert was sent in it."""
    calls = await EmergencyCall.filter(
        facility_id=facility_id, created_at__gte=window.month_start, created_at__lt=window.end,
    ).only("id", "created_at", "acknowledged_at")
    if not calls:
        return None
    waits = [(call.acknowledged_at - call.created_at) / dt.timedelta(minutes=1)
             for call in calls if call.acknowledged_at is not None]
    return EmergencyCallFigures(
        alerts=len(calls), answered=len(waits),
        median_minutes_to_answer=statistics.median(waits) if waits else None,
    )


def emergency_call_lines(
    tr: Translator, figures: EmergencyCallFigures | None
) -> tuple[str, tuple[str, ...]] | None:
    """The section's heading and sentences (for :mod:`bot.services.report.text`)."""
    if figures is None:
        return None
    lines = [tr._("Urgent alerts sent: {alerts} · answered: {answered}").format(
        alerts=tr.number(figures.alerts), answered=tr.number(figures.answered))]
    if figures.median_minutes_to_answer is not None:
        lines.append(tr._("Median time to the first answer: {minutes} min").format(
            minutes=tr.number(round(figures.median_minutes_to_answer))))
    return tr._("Please call us"), tuple(lines)
