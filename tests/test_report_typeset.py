"""Issue 14: the quality report's PDF as a quality manager reads it (typst, pypdf-checked)."""

from __future__ import annotations

import datetime as dt
import re
from io import BytesIO

from pypdf import PdfReader

from bot.i18n import translator
from bot.models import EmergencyCall, Resident
from bot.models.emergency_calls import CallReason
from bot.services.accounts.actors import Actor
from bot.services.report.charts import charts, complaints_chart, response_chart
from bot.services.report.overview import overview
from bot.services.report.render import html_document, pdf_document, png_charts
from bot.services.report.report import QualityReport, quality_report
from bot.services.report.text import duration, public_comparison
from tests import factories
from tests.report_data import MARCH, NOW, at, linden, relatives, review, thread

CLI = Actor.cli()


def pages_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]


async def march_report(facility_id: int) -> QualityReport:
    return await quality_report(CLI, facility_id, MARCH, now=NOW)


async def test_every_page_names_the_home_and_month_and_is_numbered(db: str) -> None:
    facility, _ = await linden()
    people = await relatives(facility)
    await review(facility, people["Anna"], "2026-03-03 10:00", 5, care=4)
    await thread(facility, people["Ben"], "2026-03-04 10:00", dt.timedelta(minutes=20))
    for locale, period, page_word in (("en", "March 2026", "Page {} of {}"),
                                      ("de", "März 2026", "Seite {} von {}")):
        report = await march_report(facility.id)
        pages = pages_of(pdf_document(translator(locale), report))
        assert len(pages) >= 2
        for number, text in enumerate(pages, start=1):
            assert "Haus Linden" in text and period in text, (locale, number)
            assert page_word.format(number, len(pages)) in text, (locale, number)


async def test_the_first_page_has_the_key_figures_against_last_month_and_the_year(
    db: str,
) -> None:
    facility, _ = await linden()
    people = await relatives(facility)
    await review(facility, people["Anna"], "2026-02-03 10:00", 3)
    for day in (3, 10, 17):
        await review(facility, people["Ben"], f"2026-03-{day:02} 10:00", 4 if day < 17 else 5)
    report = await march_report(facility.id)
    rows = {row.label: row for row in overview(translator("en"), report)}
    given = rows["Ratings given"]
    # 3 this month, 1 the month before, 4 in 12 months: a mean of 0.3 a month
    assert (given.this_month, given.previous, given.change, given.mean) == ("3", "1", "+2", "0.3")
    stars = rows["Mean stars"]  # 4.33 now, 3.0 before, (3 + 4 + 4 + 5) / 4 = 4.0 over the year
    assert (stars.this_month, stars.previous, stars.change, stars.mean) == (
        "4.3", "3.0", "+1.3", "4.0")
    assert rows["Complaints opened"].change == "±0"
    first = pages_of(pdf_document(translator("en"), report))[0]
    for words in ("The month at a glance", "Key figure", "This month", "Previous month",
                  "Change", "12-month mean", "Ratings given", "Mean stars", "Relatives linked",
                  "Ratings relatives gave in the month"):
        assert words in first, words
    german = pages_of(pdf_document(translator("de"), report))[0]
    assert "Vormonat" in german and "4,3" in german


async def test_each_section_is_explained_and_empty_ones_say_so_in_words(db: str) -> None:
    facility, _ = await linden()
    report = await march_report(facility.id)  # a home with nothing yet
    assert png_charts(translator("en"), report) == []
    text = "\n".join(pages_of(pdf_document(translator("en"), report)))
    for words in ("No ratings in the 12 months up to this month.",
                  "No complaints in the 12 months up to this month.",
                  "No conversations in the 12 months up to this month.",
                  "No relatives linked in the 12 months up to this month.",
                  "A complaint is a rating of one or two stars.",
                  "A conversation starts with a relative's message."):
        assert words in re.sub(r"\s+", " ", text), words
    html = html_document(translator("en"), report)
    assert "No complaints in the 12 months up to this month." in html and "<svg" not in html


async def test_axes_count_in_whole_numbers(db: str) -> None:
    facility, _ = await linden()
    people = await relatives(facility)
    await review(facility, people["Anna"], "2026-03-03 10:00", 2, complaint_state="open")
    for minutes in (1, 3, 4):  # quick answers: minutes, not "0.0 0.0 0.0" hours
        await thread(facility, people["Ben"], f"2026-03-0{minutes} 10:00",
                     dt.timedelta(minutes=minutes))
    report = await march_report(facility.id)
    tr = translator("en")
    drawn = {chart.name: chart for chart in charts(tr, report)}
    assert {"complaints", "responses"} <= set(drawn)
    for chart in (complaints_chart(tr, report), response_chart(tr, report)):
        assert chart is not None
        axes = chart.figure.axes[0]
        ticks = axes.get_yticks()
        low, high = axes.get_ylim()
        shown = [t for t in ticks if low <= t <= high]
        assert shown and all(float(t).is_integer() for t in shown), (chart.name, ticks)
        assert low == 0 and high >= 1
    assert response_chart(tr, report).figure.axes[0].get_ylabel() == "minutes"  # type: ignore[union-attr]
    assert duration(tr, 10 / 3600) == "under 1 min"
    assert duration(tr, 0.5) == "30 min"


async def test_the_report_explains_why_the_public_page_counts_fewer(db: str) -> None:
    facility, _ = await linden()
    people = await relatives(facility)
    await review(facility, people["Anna"], "2026-03-03 10:00", 5,
                 published_at=at("2026-03-03 10:00"))
    await review(facility, people["Ben"], "2026-03-04 10:00", 4, state="private")
    await review(facility, people["Emil"], "2026-03-05 10:00", 4, state="private")
    await review(facility, people["Gerda"], "2026-03-30 10:00", 1, state="awaiting_response",
                 complaint_state="open")
    await review(facility, people["Dora"], "2026-03-06 10:00", 5, state="held")
    report = await march_report(facility.id)
    assert report.ratings is not None and report.ratings.count == 4
    assert (report.ratings.published_in_month, report.ratings.private,
            report.ratings.awaiting_response, report.ratings.held) == (1, 2, 1, 1)
    note = public_comparison(translator("en"), report)
    assert note is not None
    assert note.startswith("The public page shows 1 rating for March 2026, this report 4.")
    assert "sent to the home only (2 this month)" in note and "still answer (1)" in note
    text = re.sub(r"\s+", " ", "\n".join(pages_of(pdf_document(translator("en"), report))))
    assert "The public page shows 1 rating for March 2026" in text
    assert "Die öffentliche Seite zeigt" in html_document(translator("de"), report)


async def test_equal_counts_need_no_explanation(db: str) -> None:
    facility, _ = await linden()
    people = await relatives(facility)
    await review(facility, people["Anna"], "2026-03-03 10:00", 5,
                 published_at=at("2026-03-03 10:00"))
    assert public_comparison(translator("en"), await march_report(facility.id)) is None


async def test_please_call_us_visits_and_events_have_their_sections(db: str) -> None:
    facility, _ = await linden()
    await relatives(facility)
    resident = await Resident.filter(facility=facility).first()
    assert resident is not None
    await EmergencyCall.create(facility=facility, resident=resident, reason=CallReason.CALL,
                               created_at=at("2026-03-12 10:00"),
                               acknowledged_at=at("2026-03-12 10:06"))
    await factories.home("eiche")
    report = await march_report(facility.id)
    text = re.sub(r"\s+", " ", "\n".join(pages_of(pdf_document(translator("en"), report))))
    assert "Please call us" in text and "Urgent alerts sent: 1 · answered: 1" in text
    assert "alerts staff sent to a resident's emergency contacts" in text
