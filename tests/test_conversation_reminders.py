"""Reminders and escalation of unanswered threads, each once, by daytime and by the clock."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.models import Account, Delivery, Facility, Resident, Role
from bot.services.accounts.actors import Actor
from bot.services.conversations import conversations, setup
from bot.services.conversations.reminders import ReminderRun, daytime_between, send_reminders
from tests import factories

pytestmark = pytest.mark.calendar  # run at every instant of tests.conftest.CLOCKS

BERLIN = ZoneInfo("Europe/Berlin")
GROUP = -100_700
NOTHING = ReminderRun(reminded=[], escalated=[])


def berlin(day: int, hour: int, minute: int = 0, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=BERLIN).astimezone(dt.UTC)


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        (berlin(23, 9), berlin(23, 13), 4),  # all daytime
        (berlin(23, 19), berlin(24, 11), 4),  # 19-20 and 08-11
        (berlin(23, 21), berlin(24, 7), 0),  # the night does not count
        (berlin(23, 6), berlin(23, 22), 12),
        (berlin(23, 10), berlin(25, 10), 24),  # 10-20, 08-20, 08-10
        (berlin(23, 13), berlin(23, 12), 0),
        # 29 March 2026: the clocks go forward at 02:00, daytime is still 08:00-20:00
        (berlin(28, 18, month=3), berlin(29, 10, month=3), 4),
    ],
)
def test_daytime_counts_only_08_to_20_facility_time(
    start: dt.datetime, end: dt.datetime, hours: int
) -> None:
    assert daytime_between(start, end, "Europe/Berlin") == dt.timedelta(hours=hours)


async def home() -> tuple[Facility, Account, Resident, Actor]:
    facility = await factories.home("linden")
    mother = await factories.resident(facility, "Frau M.")
    anna = await factories.relative("Anna", mother, telegram_id=11, locale="de")
    carla = await factories.staff("Carla", facility, Role.ADMIN, telegram_id=12, locale="en")
    return facility, anna, mother, Actor(account=carla)


async def test_an_unanswered_thread_reminds_the_team_once_then_tells_the_admins_once(
    db: str,
) -> None:
    facility, anna, mother, carla = await home()
    await setup.link_group(carla, facility.id, chat_id=GROUP, title="Team", is_forum=False)
    written = await conversations.relative_writes(
        anna, mother.id, "text", "Wann ist der Arzttermin?", now=berlin(23, 19))

    assert await send_reminders(now=berlin(23, 23)) == NOTHING  # one daytime hour so far
    assert await send_reminders(now=berlin(24, 10, 59)) == NOTHING
    assert (await send_reminders(now=berlin(24, 11))).reminded == [written.thread.id]
    assert (await send_reminders(now=berlin(24, 12))).reminded == []  # once

    (reminder,) = await Delivery.filter(purpose=conversations.REMINDER)
    assert reminder.chat_id == GROUP
    assert reminder.content["text"] == (
        "⏰ Nachricht #1 (Anna · Frau M.) wartet seit 4 Stunden (tagsüber gezählt) auf "
        "eine Antwort. Bitte antworten Sie darauf.")

    assert (await send_reminders(now=berlin(24, 18, 59))).escalated == []
    assert (await send_reminders(now=berlin(24, 19))).escalated == [written.thread.id]
    assert (await send_reminders(now=berlin(25, 19))).escalated == []  # once
    (escalation,) = await Delivery.filter(purpose=conversations.ESCALATION)
    assert carla.account is not None and escalation.chat_id == carla.account.telegram_id
    assert escalation.content["text"].startswith(
        "⚠️ Haus Linden: Anna wrote about Frau M. (#1) and has had no answer for 24 hours.")


async def test_an_answer_stops_the_reminder_and_a_new_question_waits_afresh(db: str) -> None:
    facility, anna, mother, carla = await home()
    await setup.update_settings(carla, facility.id, reminder_hours=2, escalation_hours=6)
    written = await conversations.relative_writes(anna, mother.id, "text", "Frage",
                                                  now=berlin(23, 9))
    await conversations.staff_replies(carla, written.thread.id, "Antwort", now=berlin(23, 10))
    assert await send_reminders(now=berlin(23, 17)) == NOTHING

    await conversations.relative_writes(anna, mother.id, "text", "Noch eine Frage",
                                        now=berlin(23, 12))
    run = await send_reminders(now=berlin(23, 14))
    assert run.reminded == [written.thread.id] and run.escalated == []
    assert (await send_reminders(now=berlin(23, 18))).escalated == [written.thread.id]
    # Without a group the reminder goes to the admins (and inbox staff) in private chat.
    (reminder,) = await Delivery.filter(purpose=conversations.REMINDER)
    assert carla.account is not None and reminder.chat_id == carla.account.telegram_id


async def test_closed_threads_are_not_reminded(db: str) -> None:
    _facility, anna, mother, _carla = await home()
    written = await conversations.relative_writes(anna, mother.id, "text", "Danke",
                                                  now=berlin(23, 9))
    await conversations.close(Actor(account=anna), written.thread.id)
    assert await send_reminders(now=berlin(26, 9)) == NOTHING
