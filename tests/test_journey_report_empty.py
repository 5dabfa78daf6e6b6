"""Journey: the admin of a brand-new home asks for its report: no empty charts, words instead."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from io import BytesIO

import pytest
from babel.dates import format_date
from pypdf import PdfReader

from bot.app import Heimbote
from bot.models import Role
from bot.services.report.period import add_months, this_month
from tests import factories
from tests.fakes import FakeTelegram

pytestmark = pytest.mark.calendar  # run at every instant of tests.conftest.CLOCKS

StartBot = Callable[..., Awaitable[Heimbote]]
RENDERING = 60.0  # seconds: drawing the PDF on a busy test machine


async def test_a_new_home_gets_summary_and_pdf_without_an_empty_album(
    telegram: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    facility = await factories.home("linden")
    last = add_months(this_month(facility.timezone), -1)
    month = format_date(last, "LLLL yyyy", locale="en")
    carla = await factories.team_member(telegram, facility, "Carla", Role.ADMIN, anytime=False)

    await carla.send("/report")
    await carla.wait_for("Quality report for Haus Linden: which month?")
    await carla.press(f"Last month ({month})")
    pdf = await carla.wait_for(lambda m: m.document is not None, timeout=RENDERING)
    assert pdf.caption == f"Quality report · Haus Linden · {month}"
    assert not [m for m in carla.messages if m.photo]  # no chart had anything to show
    assert any(m.text.startswith("Quality report ·") for m in carla.messages)
    document = next(u for u in telegram.uploads if u.method == "sendDocument")
    pages = [page.extract_text() for page in PdfReader(BytesIO(document.content)).pages]
    text = " ".join(" ".join(pages).split())
    assert "No relatives linked in the 12 months up to this month." in text
    assert "No complaints in the 12 months up to this month." in text
    assert all(f"Page {n} of {len(pages)}" in page for n, page in enumerate(pages, start=1))
