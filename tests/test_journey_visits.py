"""Journey: Anna books a visit to her mother, Haus Linden's team sees who comes, the home closes
a day.

Carla (admin) offers visiting slots for the garden unit, where Frau M. lives. Anna books one with
/visit, gets the confirmation with a calendar file and a reminder the evening before, and can
cancel until the lead time. Ben (staff) sees today's and tomorrow's visits with /visits; the
team's group gets the day's list each morning. When Carla closes a day, Anna's visit is
cancelled and she is told, with a button to book another time. Many relatives pressing for the
last place at once: one gets it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from bot.app import Heimbote
from bot.domain.errors import InvalidInput
from bot.models import (
    Account,
    Delivery,
    DeliveryState,
    Facility,
    Resident,
    Role,
    Unit,
    VisitBooking,
    VisitClosure,
    VisitOccurrence,
    VisitSlot,
)
from bot.services import visits
from bot.services.accounts.actors import Actor
from bot.services.privacy import erase_account, export_account
from tests import factories
from tests.fakes import FakeGroup, FakeTelegram, FakeUser
from tests.test_journey_bad_input import forge_press

StartBot = Callable[..., Awaitable[Heimbote]]
pytestmark = pytest.mark.calendar  # run at every instant of tests.conftest.CLOCKS
BERLIN = ZoneInfo("Europe/Berlin")
CLI = Actor.cli()
SP = "\N{NARROW NO-BREAK SPACE}"  # Babel's English short time: "2:00 PM"


@dataclass
class Cast:
    home: Facility
    mother: Resident  # Frau M., garden unit
    anna: FakeUser  # her daughter, German
    ben: FakeUser  # care staff
    carla: FakeUser  # admin
    visit_day: dt.date  # the day after tomorrow, with a garden slot 14:00-15:00


def local_today() -> dt.date:
    return dt.datetime.now(BERLIN).date()


async def garden_slot(home: Facility, day: dt.date, *, parties: int = 1,
                      lead_hours: int = 2) -> VisitSlot:
    return await visits.add_slot(CLI, home.id, weekday=day.weekday(), starts="14:00",
                                 ends="15:00", minutes=30, parties=parties,
                                 lead_hours=lead_hours, unit="Garten")


@pytest.fixture
async def cast(telegram: FakeTelegram, start_bot: StartBot) -> Cast:
    await start_bot()
    home = await factories.home("linden")
    garden = await Unit.create(facility=home, name="Garten")
    mother = await factories.resident(home, "Frau M.", unit=garden)
    anna = await factories.family_member(telegram, "Anna", mother, locale="de")
    ben = await factories.team_member(telegram, home, "Ben", Role.STAFF)
    carla = await factories.team_member(telegram, home, "Carla", Role.ADMIN)
    day = local_today() + dt.timedelta(days=2)
    await garden_slot(home, day)
    return Cast(home, mother, anna, ben, carla, day)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), BERLIN)


def clock(day: dt.date, hour: int, minute: int = 0) -> str:
    """A time as Ben (English) reads it."""
    return visits.time_text("en", at(day, hour, minute), "Europe/Berlin")


async def anna_books(cast: Cast, *, people: str = "2") -> FakeUser:
    anna = cast.anna
    await anna.send("/visit")
    await anna.wait_for("Besuch: Frau M. – wann möchten Sie kommen?")
    await anna.press(visits.day_text("de", cast.visit_day))
    times = await anna.wait_for("Um wie viel Uhr möchten Sie kommen?")
    assert times.button_texts == ["14:00", "14:30", "◀ Andere Tage"]
    await anna.press("14:00")
    await anna.wait_for("Wie viele Personen kommen?")
    await anna.press(people)
    confirm = await anna.wait_for("Besuch: Frau M. in Haus Linden")
    assert "14:00" in confirm.text
    await anna.press("✅ Buchen")
    booked = await anna.wait_for("Gebucht! Ihre Bestätigung mit der Kalenderdatei folgt.")
    assert booked.message_id == confirm.message_id and booked.button_texts == []  # no pickers
    return anna


async def test_anna_books_a_visit_with_a_calendar_file_and_a_reminder(
    telegram: FakeTelegram, cast: Cast
) -> None:
    # Anna keeps quiet hours until 19:00: the 18:00 reminder waits for their end.
    await Account.filter(first_name="Anna").update(quiet_from=dt.time(17, 0, tzinfo=dt.UTC),
                                                   quiet_until=dt.time(19, 0, tzinfo=dt.UTC))
    await anna_books(cast)
    confirmation = await cast.anna.wait_for(lambda m: m.document is not None)
    assert confirmation.caption.startswith("✅ Ihr Besuch ist gebucht: Frau M. in Haus Linden")
    assert "2 Personen" in confirmation.caption
    assert confirmation.button_texts == ["✖ Diesen Besuch absagen"]
    assert confirmation.document is not None
    ics = telegram.file_bytes(confirmation.document["file_id"]).decode()
    assert "BEGIN:VCALENDAR" in ics and "TZID:Europe/Berlin" in ics
    assert f"DTSTART;TZID=Europe/Berlin:{cast.visit_day:%Y%m%d}T140000" in ics
    assert "Besuch: Frau M. (Haus Linden)" in ics

    reminder = await Delivery.get(purpose="visit_reminder")
    evening = at(cast.visit_day - dt.timedelta(days=1), 19)  # 18:00, out of the quiet hours
    assert reminder.next_attempt_at == evening
    assert reminder.content["text"].startswith("🔔 Erinnerung an Ihren Besuch morgen: Frau M.")
    occurrence = await VisitOccurrence.get()
    assert (occurrence.booked, occurrence.parties) == (1, 1)

    # The place is taken: 14:00 is no longer offered.
    await cast.anna.send("/visit")
    await cast.anna.wait_for("Besuch: Frau M. – wann möchten Sie kommen?")
    await cast.anna.press(visits.day_text("de", cast.visit_day))
    times = await cast.anna.wait_for("Um wie viel Uhr möchten Sie kommen?")
    assert times.button_texts == ["14:30", "◀ Andere Tage"]


async def test_anna_cancels_with_one_tap_until_the_lead_time(
    telegram: FakeTelegram, cast: Cast
) -> None:
    await anna_books(cast)
    confirmation = await cast.anna.wait_for(lambda m: m.document is not None)

    cancel = confirmation.callback_data("✖ Diesen Besuch absagen")
    assert cancel is not None
    await cast.anna.press("✖ Diesen Besuch absagen", message=confirmation)
    await cast.anna.wait_for("Sie haben diesen Besuch abgesagt.")
    removal = await cast.anna.wait_for(lambda m: m.document is not None
                                       and m.message_id != confirmation.message_id)
    assert removal.caption.startswith("Ihr Besuch (Frau M., ")
    assert removal.document is not None
    assert "STATUS:CANCELLED" in telegram.file_bytes(removal.document["file_id"]).decode()
    booking = await VisitBooking.get()
    assert booking.cancelled_at is not None and booking.cancelled_because == "relative"
    assert (await VisitOccurrence.get()).booked == 0
    reminder = await Delivery.get(purpose="visit_reminder")
    assert reminder.state == DeliveryState.SKIPPED
    answer = await forge_press(telegram, cast.anna, confirmation, cancel)  # an old copy
    assert answer.text == "Dieser Besuch ist schon abgesagt."

    # Booked again, and now within the lead time (the home wants two days' notice).
    await anna_books(cast)
    second = await cast.anna.wait_for(lambda m: m.document is not None)
    await VisitSlot.all().update(lead_hours=96)
    answer = await cast.anna.press("✖ Diesen Besuch absagen", message=second)
    assert answer.text == "Für eine Absage hier ist es zu spät. Bitte rufen Sie im Heim an."
    assert await VisitBooking.filter(cancelled_at__isnull=True).count() == 1


async def test_the_team_sees_todays_and_tomorrows_visits(cast: Cast) -> None:
    today, tomorrow = local_today(), local_today() + dt.timedelta(days=1)
    uncle = await factories.resident(cast.home, "Herr K.")  # no unit: the whole home's slot
    otto = await factories.relative("Otto", uncle, anytime=True)
    anna = await Account.get(first_name="Anna")
    await garden_slot(cast.home, today)
    await visits.add_slot(CLI, cast.home.id, weekday=tomorrow.weekday(), starts="10:00",
                          ends="11:00", minutes=60, parties=3, lead_hours=0)
    early = at(today, 0, 1)  # booked in the night before
    slots = {slot.weekday: slot.id for slot in await VisitSlot.all()}
    await visits.book(anna, cast.mother.id, slots[today.weekday()], at(today, 14, 30), 2,
                      now=early)
    await visits.book(otto, uncle.id, slots[tomorrow.weekday()], at(tomorrow, 10), 1,
                      now=early)

    await cast.ben.send("/visits")
    shown = await cast.ben.wait_for("Visits at Haus Linden")
    lines = shown.text.splitlines()
    assert "Garten:" in lines
    anna_line = f"  {clock(today, 14, 30)}–{clock(today, 15)} Frau M. – Anna, 2 people"
    otto_line = f"{clock(tomorrow, 10)}–{clock(tomorrow, 11)} Herr K. – Otto, 1 person"
    assert anna_line in lines and otto_line in lines
    assert lines.index("Garten:") < lines.index(anna_line) < lines.index(otto_line)

    await cast.anna.send("/visits")  # a relative: not the team
    await cast.anna.wait_for("Nur das Team eines Pflegeheims sieht dessen Besuche.")


async def linked_group(telegram: FakeTelegram, cast: Cast) -> FakeGroup:
    group = telegram.group("Team Linden", members=[cast.ben])
    group.add(cast.carla, admin=True)
    await group.send(cast.carla, "/linkgroup")
    await group.wait_for("This group is now the team group of Haus Linden.")
    return group


async def test_the_team_group_gets_the_days_list_once_each_morning(
    telegram: FakeTelegram, cast: Cast
) -> None:
    group = await linked_group(telegram, cast)
    today = local_today()
    await garden_slot(cast.home, today)
    slot = await VisitSlot.get(weekday=today.weekday(), unit__name="Garten",
                               starts="14:00", id__gt=1)
    anna = await Account.get(first_name="Anna")
    await visits.book(anna, cast.mother.id, slot.id, at(today, 14), 2, now=at(today, 0, 1))
    await visits.set_day_list_at(CLI, cast.home.id, "07:30")

    assert await visits.send_day_lists(now=at(today, 7, 0)) == 0  # not yet
    assert await visits.send_day_lists(now=at(today, 7, 45)) == 1
    assert await visits.send_day_lists(now=at(today, 9, 0)) == 1  # the same row: once a day
    listed = await group.wait_for("Besuche heute in Haus Linden")
    assert listed.text.splitlines()[1:] == ["Garten:", "  14:00–14:30 Frau M. – Anna, 2 Personen"]
    assert await Delivery.filter(purpose="visit_day_list").count() == 1


async def test_closing_a_day_cancels_its_visits_and_tells_the_family(cast: Cast) -> None:
    await anna_books(cast)
    await cast.anna.wait_for(lambda m: m.document is not None)

    await cast.carla.send("/facility")
    await cast.carla.wait_for("Settings of Haus Linden")
    await cast.carla.press("🗓 Visits")
    screen = await cast.carla.wait_for("Visits – Haus Linden")
    assert f"2:00{SP}PM–3:00{SP}PM, 30 min, 1 at once" in screen.text
    await cast.carla.press("🚫 Close days")
    which = await cast.carla.wait_for("Close visits for the whole home or for one unit?")
    assert which.button_texts == ["🏠 Whole home", "Garten", "◀ Back"]
    await cast.carla.press("Garten")
    await cast.carla.wait_for("Please type the first day, the last day and the reason")
    await cast.carla.send("übermorgen")  # not a day: asked again, nothing closed
    await cast.carla.wait_for("Please type the first day, the last day and the reason, for "
                              "example “2026-12-24 2026-12-26 Christmas”.")
    await cast.carla.send(f"{cast.visit_day}")  # no reason
    await cast.carla.wait_for("Please give a reason of up to 200 characters.")
    assert await VisitBooking.filter(cancelled_at__isnull=True).count() == 1
    await cast.carla.send(f"{cast.visit_day} Magen-Darm-Infekt")
    await cast.carla.wait_for("Closed. 1 booked visit was cancelled and its family told.")

    notice = await cast.anna.wait_for("Magen-Darm-Infekt")
    assert notice.caption.startswith("❗ Haus Linden hat an diesem Tag keine Besuchszeiten")
    assert notice.document is not None  # the calendar entry, cancelled
    booking = await VisitBooking.get()
    assert booking.cancelled_because == "closed"
    assert (await Delivery.get(purpose="visit_closed")).urgent  # past any quiet hours
    closure = await VisitClosure.get()
    assert (closure.unit_id, closure.reason) == (cast.mother.unit_id, "Magen-Darm-Infekt")
    assert (await VisitOccurrence.get()).booked == 0
    await cast.anna.press("📅 Anderen Termin buchen", message=notice)
    days = await cast.anna.wait_for("Besuch: Frau M. – wann möchten Sie kommen?")
    assert days.button_texts == [visits.day_text("de", cast.visit_day + dt.timedelta(days=7))]
    assert "Magen-Darm-Infekt" in notice.caption  # the notice stays


async def test_carla_adds_and_removes_slots_in_telegram(cast: Cast) -> None:
    carla = cast.carla
    await carla.send("/facility")
    await carla.wait_for("Settings of Haus Linden")
    await carla.press("🗓 Visits")
    await carla.wait_for("Visits – Haus Linden")
    await carla.press("➕ Add a slot")
    await carla.wait_for("Please type the new slot as")
    await carla.send("Montag abends")
    await carla.wait_for("Please type the slot as: weekday start-end minutes parties")
    await carla.send("Sun 10:00-12:00 600 2")
    await carla.wait_for("visits of 10–240 minutes")
    assert await VisitSlot.filter(active=True).count() == 1
    await carla.send("Sun 10:00-12:00 60 2 48 21 Garten")
    screen = await carla.wait_for(f"Sun 10:00{SP}AM–12:00{SP}PM, 60 min, 2 at once, "
                                  "book up to 48 h before, 21 days ahead (Garten)")
    await carla.press("+ list later", message=screen)
    await carla.wait_for(f"The staff group gets the day's list at 8:00{SP}AM.")
    await carla.press(f"✖ Sun 10:00{SP}AM (Garten)")
    await carla.wait_for(lambda m: "Sun 10:00" not in m.text and "Visits –" in m.text)
    assert await VisitSlot.filter(active=True).count() == 1


async def test_only_the_admin_changes_slots(telegram: FakeTelegram, cast: Cast) -> None:
    slot = await VisitSlot.get()
    await cast.ben.send("/visits")
    shown = await cast.ben.wait_for("Visits at Haus Linden")
    for data in (f"vis:1:rm:{cast.home.id}:{slot.id}", f"vis:1:list:{cast.home.id}:0600",
                 f"vis:1:add:{cast.home.id}", f"vis:1:adm:{cast.home.id}"):
        answer = await forge_press(telegram, cast.ben, shown, data)
        assert answer.text == "Sorry, you may not do this here. Nothing was changed."
    assert (await VisitSlot.get()).active


async def test_mydata_lists_bookings_and_deleteme_frees_the_place(cast: Cast) -> None:
    await anna_books(cast)
    anna = await Account.get(first_name="Anna")
    exported = await export_account(anna)
    assert exported["visits"] == [{
        "resident": "Frau M.", "facility": "Haus Linden",
        "starts_at": at(cast.visit_day, 14).astimezone(dt.UTC).isoformat(),
        "ends_at": at(cast.visit_day, 14, 30).astimezone(dt.UTC).isoformat(),
        "people": 2, "booked_at": exported["visits"][0]["booked_at"], "cancelled_at": None,
        "cancelled_because": None,
    }]
    await erase_account(anna)
    assert await VisitBooking.all().count() == 0
    assert (await VisitOccurrence.get()).booked == 0


@pytest.mark.parametrize("relatives", [12])
async def test_the_last_place_goes_to_exactly_one_of_many_at_once(
    db: str, relatives: int
) -> None:
    home = await factories.home("linden")
    mother = await factories.resident(home, "Frau M.")
    day = local_today() + dt.timedelta(days=2)
    slot = await visits.add_slot(CLI, home.id, weekday=day.weekday(), starts="14:00",
                                 ends="14:30", minutes=30, parties=2, lead_hours=0)
    family = [await factories.relative(f"R{i}", mother) for i in range(relatives)]
    now = dt.datetime.now(dt.UTC)
    first = await visits.book(family[0], mother.id, slot.id, at(day, 14), 1, now=now)
    assert first.id

    results = await asyncio.gather(
        *(visits.book(someone, mother.id, slot.id, at(day, 14), 1, now=now)
          for someone in family[1:]),
        return_exceptions=True,
    )
    booked = [r for r in results if isinstance(r, VisitBooking)]
    refused = [r for r in results if isinstance(r, InvalidInput)]
    assert len(booked) == 1, results
    assert len(refused) == relatives - 2 and {r.reason for r in refused} == {"full"}
    occurrence = await VisitOccurrence.get()
    assert (occurrence.booked, occurrence.parties) == (2, 2)
    assert await VisitBooking.filter(cancelled_at__isnull=True).count() == 2
    assert await Delivery.filter(purpose="visit_booked").count() == 2


async def test_with_two_residents_anna_first_chooses_whom_to_visit(
    telegram: FakeTelegram, cast: Cast
) -> None:
    father = await factories.resident(cast.home, "Herr M.")  # no unit, and no slot for all
    await factories.link(await Account.get(first_name="Anna"), father)
    await cast.anna.send("/visit")
    whom = await cast.anna.wait_for("Wen möchten Sie besuchen?")
    assert whom.button_texts == ["Frau M.", "Herr M."]
    await cast.anna.press("Herr M.")
    await cast.anna.wait_for("Herr M.: In den nächsten Tagen gibt es keine freien Besuchszeiten.")
    await cast.anna.send("/visit")
    await cast.anna.wait_for("Wen möchten Sie besuchen?")
    await cast.anna.press("Frau M.")
    await cast.anna.wait_for("Besuch: Frau M. – wann möchten Sie kommen?")
