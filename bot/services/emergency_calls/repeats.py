"""The periodic job of "please call us": repeat unanswered alerts, tell the sender after an hour.

An alert goes out again every 10 minutes, at most 6 times in all, until one emergency contact
answers. An hour after it was sent without an answer, its sender is told to phone the contacts
(named). Safe in several processes and after a crash: each step is claimed by a conditional
update of the alert's row, and the outbox drops a message it already has (purpose, reference).
Once the resident's stay has ended, their alert is neither repeated nor reported late.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tortoise.transactions import in_transaction

from bot import clock
from bot.delivery.outbox import FIRST, Outgoing, Recipient, enqueue
from bot.models import EmergencyCall, ResidentStatus
from bot.services.accounts import audit
from bot.services.conversations.setup import SYSTEM, setup_of
from bot.services.emergency_calls import texts
from bot.services.emergency_calls.calls import (
    ANSWER_WITHIN,
    MOST_SENDS,
    OVERDUE,
    REPEAT_EVERY,
    _locale,
    _recipient,
    send_alert,
)
from bot.services.emergency_calls.contacts import emergency_links


@dataclass(frozen=True)
class CallRun:
    """What one run did: the alerts repeated, and those whose sender was told to phone."""

    repeated: list[int]
    overdue: list[int]


async def run_calls(now: dt.datetime | None = None) -> CallRun:
    """Repeat the alerts that are due and tell the senders of those unanswered for an hour."""
    now = now or clock.now()
    run = CallRun([], [])
    due = await EmergencyCall.filter(
        acknowledged_at__isnull=True, next_send_at__lte=now, sends__lt=MOST_SENDS,
        resident__status=ResidentStatus.ACTIVE,
    ).prefetch_related("facility", "resident").order_by("id")
    for call in due:
        if await _repeat(call, now):
            run.repeated.append(call.id)
    late = await EmergencyCall.filter(
        acknowledged_at__isnull=True, overdue_at__isnull=True, created_at__lte=now - ANSWER_WITHIN,
        resident__status=ResidentStatus.ACTIVE,
    ).prefetch_related("facility", "resident", "sender").order_by("id")
    for call in late:
        if await _overdue(call, now):
            run.overdue.append(call.id)
    return run


async def _repeat(call: EmergencyCall, now: dt.datetime) -> bool:
    number = call.sends + 1
    # On the 10-minute beat; after the bot was down, not several repeats in a row.
    following = (max(call.created_at + REPEAT_EVERY * number, now + REPEAT_EVERY / 2)
                 if number < MOST_SENDS else None)
    async with in_transaction() as connection:
        claimed = await EmergencyCall.filter(
            id=call.id, sends=call.sends, acknowledged_at__isnull=True
        ).using_db(connection).update(sends=number, next_send_at=following)
        if not claimed:
            return False
        await send_alert(call, number, connection)
    return True


async def _overdue(call: EmergencyCall, now: dt.datetime) -> bool:
    facility = call.facility
    async with in_transaction() as connection:
        claimed = await EmergencyCall.filter(
            id=call.id, acknowledged_at__isnull=True, overdue_at__isnull=True
        ).using_db(connection).update(overdue_at=now, next_send_at=None)
        if not claimed:
            return False
        # Also those Telegram no longer reaches: a phone call reaches them.
        names = [link.account.first_name for link in await emergency_links(
            call.resident_id, connection, reachable_only=False)]
        chats: list[tuple[Recipient, str]] = []
        if call.sender is not None and not call.sender.unreachable:
            chats.append((_recipient(call.sender, facility), _locale(call.sender, facility)))
        else:  # the sender left: the staff group, if the home has one, phones instead
            setup = await setup_of(facility.id, connection)
            if setup.group_chat_id is not None:
                chats.append((Recipient(setup.group_chat_id), facility.default_locale))
        for recipient, locale in chats:
            await enqueue(
                [recipient],
                Outgoing.text(texts.overdue_text(
                    locale, resident=call.resident.display_name, names=names)),
                purpose=OVERDUE, reference=f"call:{call.id}", urgent=True, priority=FIRST,
                using_db=connection,
            )
        await audit.record(SYSTEM, "emergency_call.unanswered", facility=facility,
                           subject=f"resident:{call.resident_id}", call=call.id)
    return True
