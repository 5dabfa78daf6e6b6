"""Reminders: a relative's message left unanswered reminds the team, later tells the admins.

"Daytime" is 08:00 to 20:00 by the wall clock of the facility's time zone, every day of the
week, weekends and holidays included. The reminder counts only daytime: a message that arrives
at 19:00 with ``reminder_hours = 4`` has waited one daytime hour at 20:00 and reminds the team
at 11:00 the next morning. The escalation to the admins counts every hour, day and night
(``escalation_hours``, 24 by default). Each is sent at most once while the relative waits:
once staff answer, the thread starts afresh with the relative's next message.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from bot import clock
from bot.delivery.outbox import Outgoing, enqueue
from bot.models import ConversationSetup, Thread, ThreadState
from bot.services.conversations import texts
from bot.services.conversations.conversations import ESCALATION, REMINDER
from bot.services.conversations.setup import admin_chats, setup_of, staff_chats

DAY_STARTS = dt.time(8, 0)
DAY_ENDS = dt.time(20, 0)


@dataclass(frozen=True)
class ReminderRun:
    """What one run did: thread ids reminded and escalated."""

    reminded: list[int]
    escalated: list[int]


def daytime_between(start: dt.datetime, end: dt.datetime, timezone: str) -> dt.timedelta:
    """How much of ``start``–``end`` falls between 08:00 and 20:00 in ``timezone``.

    Days are taken by the local calendar, so a day when the clocks change still has its
    daytime from 08:00 to 20:00 local time.
    """
    if end <= start:
        return dt.timedelta(0)
    zone = ZoneInfo(timezone)
    day = start.astimezone(zone).date()
    last = end.astimezone(zone).date()
    total = dt.timedelta(0)
    while day <= last:
        opens = dt.datetime.combine(day, DAY_STARTS, zone)
        closes = dt.datetime.combine(day, DAY_ENDS, zone)
        overlap = min(end, closes) - max(start, opens)
        if overlap > dt.timedelta(0):
            total += overlap
        day += dt.timedelta(days=1)
    return total


async def send_reminders(now: dt.datetime | None = None) -> ReminderRun:
    """Remind the team of threads waiting ``reminder_hours`` of daytime, and tell the admins of
    threads waiting ``escalation_hours``. Safe to run in several processes at once."""
    now = now or clock.now()
    waiting = await Thread.filter(
        Q(reminded_at__isnull=True) | Q(escalated_at__isnull=True),
        state=ThreadState.OPEN, waiting_since__not_isnull=True,
    ).prefetch_related("facility", "relative", "resident").order_by("id")
    setups: dict[int, ConversationSetup] = {}
    run = ReminderRun([], [])
    for thread in waiting:
        facility = thread.facility
        if facility.id not in setups:
            setups[facility.id] = await setup_of(facility.id)
        setup = setups[facility.id]
        assert thread.waiting_since is not None
        daytime = daytime_between(thread.waiting_since, now, facility.timezone)
        if thread.reminded_at is None and daytime >= dt.timedelta(hours=setup.reminder_hours):
            if await _remind(thread, setup.reminder_hours, now):
                run.reminded.append(thread.id)
        waited = now - thread.waiting_since
        if thread.escalated_at is None and waited >= dt.timedelta(hours=setup.escalation_hours):
            if await _escalate(thread, setup.escalation_hours, now):
                run.escalated.append(thread.id)
    return run


def _unclaimed(thread: Thread, stamp: str) -> Q:
    """The thread, still waiting since the same moment and without ``stamp``: only the process
    that sets the stamp first sends (the others update nothing)."""
    conditions: dict[str, Any] = {
        "id": thread.id, "waiting_since": thread.waiting_since, f"{stamp}__isnull": True}
    return Q(**conditions)


async def _remind(thread: Thread, hours: int, now: dt.datetime) -> bool:
    async with in_transaction() as connection:
        claimed = await Thread.filter(_unclaimed(thread, "reminded_at")).using_db(
            connection).update(reminded_at=now)
        if not claimed:
            return False
        for chat in await staff_chats(thread.facility, connection):
            outgoing = Outgoing.text(
                texts.reminder_text(chat.locale, number=thread.number,
                                    relative=thread.relative.first_name,
                                    resident=thread.resident.display_name, hours=hours),
                buttons=texts.staff_buttons(chat.locale, thread.id),
            )
            if chat.in_topic and thread.forum_topic_id is not None:
                outgoing.content["message_thread_id"] = thread.forum_topic_id
            await enqueue([chat.recipient], outgoing, purpose=REMINDER,
                          reference=_reference(thread), using_db=connection)
    return True


async def _escalate(thread: Thread, hours: int, now: dt.datetime) -> bool:
    async with in_transaction() as connection:
        claimed = await Thread.filter(_unclaimed(thread, "escalated_at")).using_db(
            connection).update(escalated_at=now)
        if not claimed:
            return False
        for chat in await admin_chats(thread.facility, connection):
            await enqueue(
                [chat.recipient],
                Outgoing.text(
                    texts.escalation_text(chat.locale, facility=thread.facility.name,
                                          number=thread.number,
                                          relative=thread.relative.first_name,
                                          resident=thread.resident.display_name, hours=hours),
                    buttons=texts.staff_buttons(chat.locale, thread.id),
                ),
                purpose=ESCALATION, reference=_reference(thread), using_db=connection,
            )
    return True


def _reference(thread: Thread) -> str:
    """One per thread and waiting period: ``thread:<id>:<waiting since>``."""
    assert thread.waiting_since is not None
    return f"thread:{thread.id}:{int(thread.waiting_since.timestamp())}"
