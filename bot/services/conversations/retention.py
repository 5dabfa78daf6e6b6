"""Conversations are not kept forever: each home says how long (``conversation_retention_days``).

A thread whose last sign of life — its newest message, its closing, its opening — is older than
the home's retention is deleted with its messages, the remembered relays (so a Telegram reply to
an old relay finds nothing) and the outbox rows about it. The daily job, like the photo updates'.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tortoise.expressions import Q
from tortoise.functions import Max
from tortoise.transactions import in_transaction

from bot import clock
from bot.models import Delivery, DeliveryState, Facility, Thread, ThreadMessage
from bot.services.accounts import audit
from bot.services.accounts.actors import Actor
from bot.services.conversations.closing import BUTTONS_GONE
from bot.services.conversations.conversations import (
    ANSWER,
    ESCALATION,
    RELAY,
    REMINDER,
)
from bot.services.conversations.setup import NOTICE
from bot.services.conversations.threads import outbox_about

SYSTEM = Actor(account=None, via="system")
PURPOSES = (RELAY, ANSWER, NOTICE, REMINDER, ESCALATION, BUTTONS_GONE)


async def _expired_threads(facility: Facility, cutoff: dt.datetime) -> list[int]:
    """Threads of the facility with no message, opening or closing after ``cutoff``."""
    quiet: list[Any] = await Thread.filter(
        Q(closed_at__isnull=True) | Q(closed_at__lte=cutoff),
        facility_id=facility.id, created_at__lte=cutoff, last_relative_message_at__lte=cutoff,
    ).values_list("id", flat=True)
    if not quiet:
        return []
    newest = await ThreadMessage.filter(thread_id__in=quiet).group_by("thread_id").annotate(
        newest=Max("created_at")).values_list("thread_id", "newest")
    recent = {thread_id for thread_id, at in newest if at is not None and at > cutoff}
    return [thread_id for thread_id in quiet if thread_id not in recent]


async def purge_old_conversations(now: dt.datetime | None = None) -> int:
    """Delete the threads past their facility's retention, with their messages, relays and
    outbox rows. Returns how many threads. The daily job; safe in several processes."""
    moment = now or clock.now()
    purged = 0
    for facility in await Facility.all().order_by("id"):
        cutoff = moment - dt.timedelta(days=facility.conversation_retention_days)
        expired = await _expired_threads(facility, cutoff)
        if not expired:
            continue
        async with in_transaction() as connection:
            message_ids: list[Any] = await ThreadMessage.filter(
                thread_id__in=expired).using_db(connection).values_list("id", flat=True)
            await Delivery.filter(outbox_about(expired, message_ids), purpose__in=PURPOSES).exclude(
                state=DeliveryState.SENDING  # the sender still writes it: gone tomorrow
            ).using_db(connection).delete()
            # Messages and remembered relays go with their thread (cascade).
            await Thread.filter(id__in=expired).using_db(connection).delete()
            await audit.record(
                SYSTEM, "conversation.purge", facility=facility,
                subject=f"facility:{facility.id}", count=len(expired),
                retention_days=facility.conversation_retention_days,
            )
        purged += len(expired)
    return purged
