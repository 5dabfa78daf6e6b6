"""The quality report: each section's figures against hand-made data, then the rendered files."""

from __future__ import annotations

import datetime as dt
import json
from io import BytesIO

import pytest
from PIL import Image
from pypdf import PdfReader

from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.i18n import translator
from bot.services.accounts.actors import Actor
from bot.services.report.activity import (
    conversation_figures,
    photo_figures,
    relative_figures,
)
from bot.services.report.figures import complaint_figures, rating_figures
from bot.services.report.period import Window, parse_month, percentile
from bot.services.report.render import html_document, pdf_document, png_charts
from bot.services.report.report import QualityReport, quality_report, recent_months, to_json
from bot.services.report.text import summary, title
from tests.report_data import (
    MARCH,
    NOW,
    linden,
    person,
    photo_update,
    relatives,
    review,
    thanks,
    thread,
)

pytestmark = pytest.mark.calendar  # run at every instant of tests.conftest.CLOCKS

CLI = Actor.cli()
H = dt.timedelta(hours=1)


def march() -> Window:
    return Window.ending_with(MARCH, "Europe/Berlin")


# --- months and statistics ------------------------------------------------------------------


def test_a_month_is_typed_as_year_and_month() -> None:
    assert parse_month("2026-03") == dt.date(2026, 3, 1)
    assert parse_month(" 2026-3 ") == dt.date(2026, 3, 1)
    for bad in ("2026-13", "03/2026", "März", "", "2026-00"):
        with pytest.raises(InvalidInput):
            parse_month(bad)


def test_the_window_is_twelve_local_months_ending_with_the_report_month() -> None:
    window = march()
    assert window.months[0] == dt.date(2025, 4, 1) and window.months[-1] == MARCH
    assert len(window.months) == 12
    # midnight in Berlin: CET in March (UTC+1), CEST from 29 March (April starts at UTC+2)
    assert window.month_start == dt.datetime(2026, 2, 28, 23, 0, tzinfo=dt.UTC)
    assert window.end == dt.datetime(2026, 3, 31, 22, 0, tzinfo=dt.UTC)


def test_the_90th_percentile_is_the_nearest_rank() -> None:
    assert percentile([float(n) for n in range(1, 11)], 0.9) == 9.0
    assert percentile([0.5, 2, 3, 5, 10], 0.9) == 10.0
    assert percentile([], 0.9) is None


def test_this_month_and_last_month_are_local() -> None:
    just_after_midnight = dt.datetime(2026, 2, 28, 23, 30, tzinfo=dt.UTC)  # 1 March in Berlin
    assert recent_months("Europe/Berlin", just_after_midnight) == (MARCH, dt.date(2026, 2, 1))


# --- sections -------------------------------------------------------------------------------


async def test_relatives_linked_new_and_unreachable(db: str) -> None:
    facility, _ = await linden()
    await relatives(facility)
    figures = await relative_figures(facility.id, march())
    assert (figures.linked, figures.new, figures.unreachable) == (4, 2, 1)
    assert figures.monthly_linked[-2:] == (2, 4)  # February: Anna and Emil


async def test_active_relatives_did_something_themselves_in_the_month(db: str) -> None:
    facility, carla = await linden()
    people = await relatives(facility)
    update = await photo_update(facility, carla, "approved", "2026-03-02 09:00",
                                "2026-03-02 10:00")
    await thanks(update, people["Anna"], "2026-03-03 08:00")  # active
    await thanks(update, people["Dora"], "2026-03-03 08:00")  # not linked in March
    await thanks(update, people["Gerda"], "2026-02-20 08:00")  # February
    figures = await relative_figures(facility.id, march())
    assert figures.active == 1
    assert figures.monthly_active[-2:] == (0, 1)  # Gerda was not linked yet in February


async def test_writing_to_the_home_makes_a_relative_active(db: str) -> None:
    from bot.models import ThreadMessage

    facility, _ = await linden()
    people = await relatives(facility)
    older = await thread(facility, people["Anna"], "2026-02-20 08:00", H)  # February
    await ThreadMessage.create(thread=older, direction="in", author=people["Anna"],
                               text="Danke!", created_at=_at("2026-03-02 08:00"))
    await thread(facility, people["Emil"], "2026-03-05 08:00", None)
    await thread(facility, people["Dora"], "2026-03-05 08:00", None)  # not linked in March
    figures = await relative_figures(facility.id, march())
    assert figures.active == 2  # Anna (in her February thread) and Emil
    assert figures.monthly_active[-2:] == (1, 2)


async def test_ratings_per_category_with_trend(db: str) -> None:
    facility, _ = await linden()
    people = await relatives(facility)
    anna, ben, emil = people["Anna"], people["Ben"], people["Emil"]
    await review(facility, anna, "2026-03-03 10:00", 5, care=4)
    await review(facility, ben, "2026-03-10 10:00", 4, "private", care=5, food=3)
    await review(facility, emil, "2026-03-20 10:00", 2, "awaiting_response",
                 complaint_state="open")
    await review(facility, None, "2026-03-25 10:00", 3, "retracted")  # the stars stay
    await review(facility, anna, "2026-03-12 10:00", 1, "held")  # not decided: not counted
    await review(facility, ben, "2026-03-13 10:00", 1, "rejected")  # refused: not counted
    await review(facility, anna, "2026-02-10 10:00", 3, care=3)
    await review(facility, anna, "2025-04-15 10:00", 5)  # first month of the window
    await review(facility, anna, "2025-03-20 10:00", 1)  # before the window
    other, _ = await linden("birken", "Haus Birken")
    await review(other, anna, "2026-03-03 10:00", 1)

    figures = await rating_figures(facility.id, march())
    assert figures is not None
    overall = figures.of("overall")
    assert (overall.count, overall.mean, overall.change) == (4, 3.5, -0.5)
    assert overall.monthly_counts == (1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 4)
    assert overall.monthly_means[0] == 5.0 and overall.monthly_means[1] is None
    care = figures.of("care")
    assert (care.count, care.mean, care.change) == (2, 4.5, 1.5)
    assert (figures.of("food").count, figures.of("food").mean, figures.of("food").change) == (
        1, 3.0, None)
    assert (figures.of("staff").count, figures.of("staff").mean) == (0, None)


async def test_complaints_opened_resolved_and_time_to_resolution(db: str) -> None:
    facility, _ = await linden()
    anna = await person("Anna")
    # resolved in March after 240 h, opened in February
    await review(facility, anna, "2026-02-20 08:00", 1, complaint_state="resolved",
                 complaint_resolved_at=_at("2026-03-02 08:00"))
    # opened and resolved in March, 12 h
    await review(facility, anna, "2026-03-05 12:00", 2, complaint_state="resolved",
                 complaint_resolved_at=_at("2026-03-06 00:00"))
    await review(facility, anna, "2026-03-20 10:00", 2, "awaiting_response",
                 complaint_state="open")
    await review(facility, anna, "2026-03-28 10:00", 2, complaint_state="resolved",
                 complaint_resolved_at=_at("2026-04-02 10:00"))  # open when March ended
    await review(facility, anna, "2026-01-05 10:00", 1, complaint_state="resolved",
                 complaint_resolved_at=_at("2026-01-06 10:00"))
    await review(facility, anna, "2026-03-07 10:00", 4)  # a rating, not a complaint

    figures = await complaint_figures(facility.id, march())
    assert figures is not None
    assert (figures.opened, figures.resolved, figures.open_at_end) == (3, 2, 2)
    assert figures.median_resolution_hours == 126.0
    assert figures.monthly_opened[-3:] == (1, 1, 3)
    assert figures.monthly_resolved[-3:] == (1, 0, 2)


def _at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


async def test_conversations_first_response_times(db: str) -> None:
    facility, _ = await linden()
    people = await relatives(facility)
    anna = people["Anna"]
    for day, wait in ((2, 0.5 * H), (4, 2 * H), (6, 3 * H), (9, 5 * H), (12, 10 * H),
                      (20, None)):
        await thread(facility, anna, f"2026-03-{day:02d} 08:00", wait)
    await thread(facility, anna, "2026-02-10 08:00", H)
    await thread(facility, anna, "2026-03-31 22:30", H)  # 00:30 on 1 April in Berlin

    figures = await conversation_figures(facility.id, march())
    assert figures is not None
    assert (figures.count, figures.answered) == (6, 5)
    assert figures.median_first_response_hours == 3.0
    assert figures.p90_first_response_hours == 10.0
    assert figures.share_within_4h == 0.5
    assert figures.monthly_counts[-2:] == (1, 6)
    assert figures.monthly_median_hours[-2] == 1.0


async def test_photo_updates_posted_decided_and_thanked(db: str) -> None:
    facility, carla = await linden()
    people = await relatives(facility)
    first = await photo_update(facility, carla, "approved", "2026-03-02 09:00",
                               "2026-03-03 09:00")
    await photo_update(facility, carla, "rejected", "2026-03-05 09:00", "2026-03-05 10:00")
    february = await photo_update(facility, carla, "approved", "2026-02-27 09:00",
                                  "2026-03-01 10:00")
    await photo_update(facility, carla, "pending", "2026-03-30 09:00")
    await photo_update(facility, carla, "recalled", "2026-03-10 09:00", "2026-03-11 09:00")
    await photo_update(facility, carla, "draft", None)
    other, _ = await linden("birken", "Haus Birken")
    elsewhere = await photo_update(other, carla, "approved", "2026-03-02 09:00",
                                   "2026-03-02 10:00")
    await thanks(first, people["Anna"], "2026-03-04 08:00")
    await thanks(first, people["Ben"], "2026-03-04 09:00")
    await thanks(february, people["Anna"], "2026-02-28 08:00")
    await thanks(elsewhere, people["Anna"], "2026-03-04 08:00")

    figures = await photo_figures(facility.id, march())
    assert figures is not None
    assert (figures.posted, figures.approved, figures.rejected, figures.thanks) == (4, 3, 1, 2)
    assert figures.monthly_posted[-2:] == (1, 4)
    assert figures.monthly_thanks[-2:] == (1, 2)


# --- the whole report -----------------------------------------------------------------------


async def seeded_report() -> tuple[QualityReport, dict[str, object]]:
    facility, carla = await linden()
    people = await relatives(facility)
    await review(facility, people["Anna"], "2026-03-03 10:00", 5, care=4)
    await review(facility, people["Ben"], "2026-03-10 10:00", 4, care=5)
    report = await quality_report(Actor.of(carla, frozenset()), facility.id, MARCH, now=NOW)
    return report, {"facility": facility, "carla": carla, **people}


async def test_only_admins_read_the_report(db: str) -> None:
    facility, _ = await linden()
    nurse = await person("Ben")
    with pytest.raises(NotAllowed):
        await quality_report(Actor.of(nurse, frozenset()), facility.id, MARCH, now=NOW)
    with pytest.raises(NotFound):
        await quality_report(CLI, facility.id + 99, MARCH, now=NOW)
    with pytest.raises(InvalidInput):
        await quality_report(CLI, facility.id, dt.date(2026, 5, 1), now=NOW)


async def test_the_report_gathers_every_section(db: str) -> None:
    report, _ = await seeded_report()
    assert report.facility_name == "Haus Linden" and report.month == MARCH
    assert report.relatives.linked == 4
    assert report.ratings is not None and report.ratings.count == 2
    assert report.conversations is not None and report.conversations.count == 0
    assert report.photos is not None and report.photos.posted == 0
    data = json.loads(json.dumps(to_json(report)))
    assert data["month"] == "2026-03" and data["relatives"]["linked"] == 4
    assert data["months"][0] == "2025-04"


async def test_summary_says_the_key_figures_in_words(db: str) -> None:
    report, _ = await seeded_report()
    text = summary(translator("en"), report)
    assert text.startswith("Quality report · Haus Linden · March 2026")
    # Anna and Ben rated in March: active
    assert "Linked: 4 (2 new) · active: 2 · unreachable: 1" in text
    assert "2 ratings, on average 4.5 of 5 stars." in text
    assert "4,5" in summary(translator("de"), report)  # German decimal comma


async def test_charts_are_png_images(db: str) -> None:
    report, _ = await seeded_report()
    images = png_charts(translator("en"), report)
    names = [name for name, _ in images]
    assert names[-1] == "relatives" and len(names) == len(set(names))
    assert "ratings" in names
    for _, content in images:
        assert content.startswith(b"\x89PNG\r\n\x1a\n")
        with Image.open(BytesIO(content)) as image:
            image.verify()
            assert image.size == (1200, 675)


async def test_the_pdf_has_its_text_extractable(db: str) -> None:
    report, _ = await seeded_report()
    reader = PdfReader(BytesIO(pdf_document(translator("en"), report)))
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) >= 2  # the key figures, then the sections with their charts
    for number, text in enumerate(pages, start=1):  # name, month and number on every page
        assert "Haus Linden" in text and "March 2026" in text
        assert f"Page {number} of {len(pages)}" in text
    assert "Quality report" in pages[0] and "The month at a glance" in pages[0]
    everything = "\n".join(pages)
    for expected in ("Linked: 4 (2 new)", "unreachable: 1",
                     "2 ratings, on average 4.5 of 5 stars."):
        assert expected in everything
    assert "linked" in pages[-1] and "active" in pages[-1]  # the charts' text too
    assert reader.metadata is not None and reader.metadata.title == title(translator("en"), report)
    german = PdfReader(BytesIO(pdf_document(translator("de"), report)))
    assert "März 2026" in german.pages[0].extract_text()


async def test_the_html_is_self_contained_and_has_the_figures(db: str) -> None:
    report, _ = await seeded_report()
    html = html_document(translator("en"), report)
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en">' in html
    assert "Haus Linden" in html and "March 2026" in html
    assert "Linked: 4 (2 new) · active: " in html and "unreachable: 1" in html
    assert html.count("<svg") == len(png_charts(translator("en"), report))
    assert "@media print" in html
    for external in ("<script", "<link", 'src="http', "url(http", "<img"):
        assert external not in html
    assert "<td>4.5</td>" in html


async def test_names_are_escaped_in_the_html(db: str) -> None:
    facility, _ = await linden("tags", "Haus <b>Linden</b>")
    report = await quality_report(CLI, facility.id, MARCH, now=NOW)
    html = html_document(translator("en"), report)
    assert "Haus &lt;b&gt;Linden&lt;/b&gt;" in html and "<b>Linden" not in html
