"""The quality report's events with their attendance: figures, words, HTML and PDF."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from pypdf import PdfReader

from bot.domain.enums import EventAudience
from bot.i18n import translator
from bot.models import Event, EventSignup, Facility
from bot.services.accounts.actors import Actor
from bot.services.report.render import html_document, pdf_document
from bot.services.report.report import quality_report, to_json
from bot.services.report.text import summary
from tests.report_data import MARCH, NOW, at, linden, person

pytestmark = pytest.mark.calendar

CLI = Actor.cli()


async def event(
    facility: Facility, title: str, starts: str, *, taken: int = 0, capacity: int = 40,
    cancelled: bool = False, audience: EventAudience = EventAudience.RELATIVES,
) -> Event:
    start = at(starts)
    made = await Event.create(
        facility=facility, title=title, starts_at=start, ends_at=start + dt.timedelta(hours=2),
        capacity=capacity, taken=taken, audience=audience, created_at=start, changed_at=start,
        cancelled_at=start if cancelled else None,
    )
    for n in range(taken // 2):
        await EventSignup.create(event=made, account=await person(f"R{title}{n}"), people=2,
                                 created_at=start)
    return made


async def test_the_report_lists_the_months_events_with_their_attendance(db: str) -> None:
    facility, _ = await linden()
    await event(facility, "Frühlingsfest", "2026-03-21 14:00", taken=34)
    await event(facility, "Hauskonzert", "2026-03-08 15:00",
                audience=EventAudience.RESIDENTS)
    await event(facility, "Ausflug", "2026-03-28 09:00", taken=4, cancelled=True)
    await event(facility, "Fasching", "2026-02-17 15:00", taken=20)  # the month before
    await event(facility, "Maifest", "2026-04-01 14:00", taken=2)  # not yet
    await event(await Facility.create(slug="eiche", name="Haus Eiche"), "Grillfest",
                "2026-03-21 14:00", taken=6)  # another home's

    report = await quality_report(CLI, facility.id, MARCH, now=NOW)
    figures = report.events
    assert figures is not None
    assert (figures.held, figures.cancelled, figures.people) == (2, 1, 34)
    assert [e.title for e in figures.events] == ["Hauskonzert", "Frühlingsfest", "Ausflug"]
    assert figures.events[1].signups == 17
    assert figures.monthly_held[-2:] == (1, 2) and figures.monthly_people[-2:] == (20, 34)
    assert to_json(report)["events"]["people"] == 34

    text = summary(translator("en"), report)
    assert "Events\nHeld: 2 · cancelled: 1 · places signed up for: 34" in text
    assert "Mar 21, 2026 Frühlingsfest: 34 of 40 places" in text
    assert "Mar 8, 2026 Hauskonzert: for residents only" in text
    assert "Mar 28, 2026 Ausflug: cancelled" in text
    german = summary(translator("de"), report)
    assert "Frühlingsfest: 34 von 40 Plätzen" in german

    html = html_document(translator("en"), report)
    assert "Frühlingsfest: 34 of 40 places" in html
    pages = PdfReader(BytesIO(pdf_document(translator("en"), report))).pages
    assert "places signed up for: 34" in "\n".join(page.extract_text() for page in pages)
    assert "Events held" in pages[0].extract_text()  # a key figure of the first page


async def test_a_home_without_events_has_no_events_section(db: str) -> None:
    facility, _ = await linden()
    report = await quality_report(CLI, facility.id, MARCH, now=NOW)
    assert report.events is None
    assert "Events" not in summary(translator("en"), report)
