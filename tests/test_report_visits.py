"""The quality report's visits: held, with how many people, cancelled by whom, per month."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import translator
from bot.models import VisitBooking, VisitOccurrence, VisitSlot
from bot.services.accounts.actors import Actor
from bot.services.report import quality_report
from bot.services.report.text import summary
from tests import factories

pytestmark = pytest.mark.calendar  # run at every instant of tests.conftest.CLOCKS
BERLIN = ZoneInfo("Europe/Berlin")


async def test_visits_per_month_in_the_report(db: str) -> None:
    home = await factories.home("linden")
    other = await factories.home("eiche")
    mother = await factories.resident(home, "Frau M.")
    anna = await factories.relative("Anna", mother)
    month = dt.datetime.now(BERLIN).date().replace(day=1)
    slot = await VisitSlot.create(facility=home, weekday=0, starts="14:00", ends="16:00",
                                  minutes=60, parties=5)
    await VisitSlot.create(facility=other, weekday=0, starts="14:00", ends="16:00", minutes=60,
                           parties=5)
    last_month = (month - dt.timedelta(days=1)).replace(day=10)
    for day, people, because in ((month.replace(day=10), 2, ""), (month.replace(day=11), 3, ""),
                                 (month.replace(day=12), 1, "relative"),
                                 (month.replace(day=13), 4, "closed"), (last_month, 1, "")):
        starts = dt.datetime.combine(day, dt.time(14), BERLIN)
        occurrence = await VisitOccurrence.create(
            slot=slot, starts_at=starts, ends_at=starts + dt.timedelta(hours=1), parties=5)
        await VisitBooking.create(
            occurrence=occurrence, relative=anna, resident=mother, people=people,
            created_at=starts - dt.timedelta(days=3),
            cancelled_at=starts - dt.timedelta(days=1) if because else None,
            cancelled_because=because)

    report = await quality_report(Actor.cli(), home.id, month)
    assert report.visits is not None
    assert (report.visits.held, report.visits.people) == (2, 5)
    assert (report.visits.cancelled_by_family, report.visits.cancelled_by_home) == (1, 1)
    assert report.visits.monthly_held[-2:] == (1, 2) and sum(report.visits.monthly_held) == 3
    text = summary(translator("de"), report)
    assert ("Besuche\nBesuche: 2 · Personen: 5 · von Familien abgesagt: 1 · vom Heim "
            "abgesagt: 1\nLetzte 12 Monate: ") in text

    without = await quality_report(Actor.cli(), (await factories.home("ahorn")).id, month)
    assert without.visits is None
    assert "Besuche" not in summary(translator("de"), without)
