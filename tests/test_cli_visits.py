"""``heimbote visits``: the operator offers slots, closes days and reads who comes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.db import database
from bot.models import AuditEntry, Delivery, Facility, Resident, Unit, VisitBooking, VisitSlot
from bot.services import visits
from tests import factories
from tests.test_cli_admin import heimbote

pytestmark = pytest.mark.calendar  # run at every instant of tests.conftest.CLOCKS
BERLIN = ZoneInfo("Europe/Berlin")


async def test_the_operator_manages_slots_closes_a_day_and_lists_visits(
    tmp_path: Path, database_url: str
) -> None:
    url = database_url
    env = {"HEIMBOTE_DATABASE_URL": url}
    assert (await heimbote(tmp_path, "facility", "add", "--slug", "linden",
                           "--name", "Haus Linden", **env)).returncode == 0
    async with database(url):
        home = await Facility.get(slug="linden")
        garden = await Unit.create(facility=home, name="Garten")
        mother = await Resident.create(facility=home, display_name="Frau M.", unit=garden)
    day = dt.datetime.now(BERLIN).date() + dt.timedelta(days=2)
    weekday = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[day.weekday()]

    added = (await heimbote(tmp_path, "visits", "slots", "add", "--facility", "linden",
                            "--weekday", weekday, "--from", "14:00", "--until", "16:00",
                            "--minutes", "60", "--parties", "2", "--unit", "Garten", "--json",
                            **env)).json()
    assert isinstance(added, dict)
    assert added == {"id": added["id"], "weekday": weekday, "from": "14:00", "until": "16:00",
                     "minutes": 60, "parties": 2, "lead_hours": 24, "days_ahead": 14,
                     "unit": "Garten"}
    listed = (await heimbote(tmp_path, "visits", "slots", "list", "--facility", "linden",
                             "--json", **env)).json()
    assert listed == [added]
    wrong = await heimbote(tmp_path, "visits", "slots", "add", "--facility", "linden",
                           "--weekday", "Someday", "--from", "14:00", "--until", "16:00",
                           "--minutes", "60", "--parties", "2", **env)
    assert wrong.returncode == 2
    too_long = await heimbote(tmp_path, "visits", "slots", "add", "--facility", "linden",
                              "--weekday", weekday, "--from", "14:00", "--until", "16:00",
                              "--minutes", "600", "--parties", "2", **env)
    assert too_long.returncode == 1 and len(too_long.error_lines) == 1

    async with database(url):
        anna = await factories.relative("Anna", mother, anytime=True)
        starts = dt.datetime.combine(day, dt.time(14), BERLIN)
        await visits.book(anna, mother.id, added["id"], starts, 2, now=dt.datetime.now(dt.UTC))
    shown = (await heimbote(tmp_path, "visits", "list", "--facility", "linden", "--day",
                            day.isoformat(), "--json", **env)).json()
    assert shown == [{"id": 1, "starts_at": starts.astimezone(dt.UTC).isoformat(),
                      "ends_at": (starts + dt.timedelta(hours=1)).astimezone(dt.UTC).isoformat(),
                      "unit": "Garten", "resident": "Frau M.", "relative": "Anna", "people": 2}]
    readable = await heimbote(tmp_path, "visits", "list", "--facility", "linden", "--day",
                              day.isoformat(), **env)
    assert "Frau M. – Anna, 2 people" in readable.stdout

    closed = (await heimbote(tmp_path, "visits", "close", "--facility", "linden", "--from",
                             day.isoformat(), "--until", day.isoformat(), "--reason",
                             "Grippewelle", "--json", **env)).json()
    assert isinstance(closed, dict) and closed["cancelled"] == 1
    backwards = await heimbote(tmp_path, "visits", "close", "--facility", "linden", "--from",
                               day.isoformat(), "--until", "2000-01-01", "--reason", "x", **env)
    assert backwards.returncode == 2

    settings = (await heimbote(tmp_path, "visits", "settings", "--facility", "linden",
                               "--day-list-at", "06:45", "--json", **env)).json()
    assert settings == {"facility": "linden", "day_list_at": "06:45"}
    removed = await heimbote(tmp_path, "visits", "slots", "remove", "--facility", "linden",
                             "--id", str(added["id"]), **env)
    assert removed.returncode == 0
    async with database(url):
        assert not (await VisitSlot.get()).active
        assert (await VisitBooking.get()).cancelled_because == "closed"
        assert await Delivery.filter(purpose="visit_closed").count() == 1
        actions = sorted(await AuditEntry.filter(via="cli").values_list("action", flat=True))
    assert actions == ["facility.create", "visits.close", "visits.day_list_at",
                       "visits.slot_add", "visits.slot_remove"]
