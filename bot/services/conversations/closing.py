"""A closed conversation leaves no Reply/Close behind: the buttons under what was sent about it
(the relays to the team, reminders, escalations and the team's answers) go.

The purposes of those deliveries are declared here, so the close can find them.
"""

from __future__ import annotations

from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q

from bot.delivery.outbox import Outgoing, Recipient, enqueue
from bot.models import Delivery, DeliveryState, ThreadMessage

RELAY = "conversation.relay"  # a relative's message to staff
ANSWER = "conversation.answer"  # a staff member's answer to the relative
REMINDER = "conversation.reminder"  # to staff: a thread waits
ESCALATION = "conversation.escalation"  # to the admins: a thread waits too long
BUTTONS_GONE = "conversation.buttons"  # the buttons of a closed thread's messages go


async def enqueue_buttons_gone(
    thread_id: int, reference: str, using_db: BaseDBAsyncClient
) -> int:
    """Take the buttons away from every message sent with them about the thread; how many.

    Inside the close's transaction. A message whose buttons are gone already changes nothing.
    Each edit is the account's, like the message it edits (it goes with the account), and is
    about the thread (``closed:<thread>:``), so it goes with the thread too.
    """
    ids: list[Any] = await ThreadMessage.filter(thread_id=thread_id).using_db(
        using_db
    ).values_list("id", flat=True)
    sent = await Delivery.filter(
        Q(reference__in=[f"msg:{number}" for number in ids])
        | Q(reference__startswith=f"thread:{thread_id}:"),
        purpose__in=(RELAY, ANSWER, REMINDER, ESCALATION), state=DeliveryState.SENT,
    ).using_db(using_db).prefetch_related("account")
    count = 0
    for row in sent:
        for message_id in row.sent_message_ids:
            count += await enqueue(
                [Recipient(row.chat_id, row.account)], Outgoing.edit_markup(int(message_id)),
                purpose=BUTTONS_GONE, reference=f"{reference}:{message_id}", urgent=True,
                using_db=using_db,
            )
    return count
