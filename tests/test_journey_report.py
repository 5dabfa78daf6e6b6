"""Journey: Carla, the home's admin, reads last month's quality report in Telegram."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from io import BytesIO

import pytest
from babel.dates import format_date
from pypdf import PdfReader

from bot.app import Heimbote
from bot.models import Role
from bot.services.report.period import add_months, this_month
from tests import factories
from tests.fakes import FakeTelegram, FakeUser
from tests.report_data import backdate, review

pytestmark = pytest.mark.calendar  # run at every instant of tests.conftest.CLOCKS

StartBot = Callable[..., Awaitable[Heimbote]]
RENDERING = 60.0  # seconds: drawing the charts and the PDF on a busy test machine


async def linden_last_month(telegram: FakeTelegram) -> tuple[FakeUser, FakeUser, dt.date]:
    """Haus Linden: Carla (admin) and Anna, linked last month (and a rating, where they exist)."""
    facility = await factories.home("linden")
    last = add_months(this_month(facility.timezone), -1)
    carla = await factories.team_member(telegram, facility, "Carla", Role.ADMIN, anytime=False)
    anna, anna_account = await factories.person(telegram, "Anna", anytime=False)
    mother = await factories.resident(facility, "Frau M.")
    linked = await factories.link(anna_account, mother)
    in_last_month = dt.datetime.combine(last.replace(day=10), dt.time(12), tzinfo=dt.UTC)
    await backdate(linked, created_at=in_last_month)
    await review(facility, anna_account, f"{in_last_month:%Y-%m-%d %H:%M}", 4, care=5)
    return carla, anna, last


# ratings and relatives; complaints, conversations and photo updates had none in the 12
# months: the PDF says so in words instead of an empty chart (issue 14)
CHARTS = 2


async def test_carla_gets_last_months_report_as_album_summary_and_pdf(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    carla, _, last = await linden_last_month(telegram)
    month = format_date(last, "LLLL yyyy", locale="en")

    await carla.send("/report")
    await carla.wait_for("Quality report for Haus Linden: which month?")
    await carla.press(f"Last month ({month})")
    pdf = await carla.wait_for(lambda m: m.document is not None, timeout=RENDERING)
    assert pdf.caption == f"Quality report · Haus Linden · {month}"
    summary = next(m for m in carla.messages if m.text.startswith("Quality report ·"))
    assert "Linked: 1 (1 new)" in summary.text
    assert "1 rating, on average 4.0 of 5 stars." in summary.text

    # what reached Carla's chat (a send refused with 429 and retried is uploaded twice)
    shown = {m.photo[-1]["file_id"] for m in carla.messages if m.photo}
    shown |= {m.document["file_id"] for m in carla.messages if m.document}
    sent = [u for u in telegram.uploads if u.file_id in shown]
    images = [u for u in sent if u.method in ("sendMediaGroup", "sendPhoto")]
    assert len(images) == CHARTS
    assert all(u.content.startswith(b"\x89PNG") for u in images)
    if len(images) > 1:  # one album
        assert {u.method for u in images} == {"sendMediaGroup"}
        assert len({m.media_group_id for m in carla.messages if m.photo}) == 1
    documents = [u for u in sent if u.method == "sendDocument"]
    assert len(documents) == 1
    assert documents[0].filename == f"report-linden-{last:%Y-%m}.pdf"
    pages = PdfReader(BytesIO(documents[0].content)).pages
    assert all("Haus Linden" in page.extract_text() and month in page.extract_text()
               for page in pages)
    assert "The month at a glance" in pages[0].extract_text()
    text = "\n".join(page.extract_text() for page in pages)
    assert "Linked: 1 (1 new)" in text and "No complaints in the 12 months" in text


async def test_a_typed_month_and_the_refusals(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    carla, anna, last = await linden_last_month(telegram)

    await anna.send("/report")
    await anna.wait_for("Only the admins of a care home can read its quality report.")

    await carla.send("/report")
    question = await carla.wait_for("which month?")
    await carla.send("next March")
    await carla.wait_for("Please type the month like this: 2026-03")
    await carla.send(f"{add_months(last, 2):%Y-%m}")
    await carla.wait_for("This month has not begun yet.")
    assert question.button_texts  # refused: the month buttons still work
    await carla.send(f"{last:%Y-%m}")
    await carla.wait_for(lambda m: m.document is not None, timeout=RENDERING)
    assert question.button_texts == []  # typed instead of pressed: no dead month buttons
    assert not [m for m in anna.messages if m.document or m.photo]


async def test_months_out_of_the_calendar_are_refused_like_any_bad_month(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    heimbote = await start_bot()
    carla, _, _ = await linden_last_month(telegram)

    await carla.send("/report")
    await carla.wait_for("which month?")
    await carla.send("9999-12")
    await carla.wait_for("This month has not begun yet. Please choose an earlier one.")
    for typed in ("0000-01", "2026-13"):
        await carla.send(typed)
        await carla.wait_for("Please type the month like this: 2026-03")

    assert not [m for m in carla.messages if m.document or m.photo or "Preparing" in m.text]
    assert heimbote.metrics.handler_errors._value.get() == 0
    assert not telegram.unanswered_callbacks
