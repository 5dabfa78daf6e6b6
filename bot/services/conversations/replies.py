"""Which thread a Telegram reply belongs to: the bot remembers every message it sent about one.

Staff answer a relative by replying to the relayed message (or a reminder, a notice, an answer
prompt); a relative continues by replying to the team's answer. The sender runs
:data:`AFTER_SENT` once such a message is out, with the message ids Telegram gave it.
"""

from __future__ import annotations

from bot.delivery.outbox import SentHook
from bot.models import Delivery, RelayedMessage, ThreadMessage
from bot.services.conversations.conversations import ANSWER, ESCALATION, RELAY, REMINDER
from bot.services.conversations.threads import ThreadView, load_thread, loaded_view


async def thread_replied_to(chat_id: int, message_id: int) -> ThreadView | None:
    """The thread a message the bot sent in ``chat_id`` was about (for a Telegram reply)."""
    relayed = await RelayedMessage.get_or_none(chat_id=chat_id, message_id=message_id)
    if relayed is None:
        return None
    return loaded_view(await load_thread(relayed.thread_id))


async def remember_prompt(thread_id: int, chat_id: int, message_id: int) -> None:
    """A message the handler sent about a thread (an answer prompt): a reply to it answers."""
    await RelayedMessage.bulk_create(
        [RelayedMessage(thread_id=thread_id, chat_id=chat_id, message_id=message_id)],
        ignore_conflicts=True,
    )


async def remember_relayed(row: Delivery) -> None:
    """After sending: remember the message ids, so that a Telegram reply finds the thread.

    References are ``msg:<thread message id>`` or ``thread:<thread id>:…``.
    """
    kind, _, rest = row.reference.partition(":")
    number = int(rest.split(":", 1)[0])
    if kind == "msg":
        message = await ThreadMessage.get_or_none(id=number)
        if message is None:
            return
        thread_id, message_id = message.thread_id, message.id
    else:
        thread_id, message_id = number, None
    await RelayedMessage.bulk_create(
        [RelayedMessage(thread_id=thread_id, thread_message_id=message_id, chat_id=row.chat_id,
                        message_id=sent) for sent in row.sent_message_ids],
        ignore_conflicts=True,
    )


# What the sender runs after a delivery of these purposes was sent (passed to it in bot.app).
AFTER_SENT: dict[str, SentHook] = {
    purpose: remember_relayed for purpose in (RELAY, ANSWER, REMINDER, ESCALATION)
}
