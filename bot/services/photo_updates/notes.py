"""The messages about an update that are kept current, and what a recall takes back.

After every change (a decision, a corrected caption, a thank-you, a recall) each approver's
review note and the author's decision message are edited to show the update as it is now, so
that stale buttons disappear; a recall deletes what the families got where Telegram still
allows it. Both are outbox rows, written in the transaction of the change that causes them.
"""

from __future__ import annotations

import uuid
from typing import Any, NamedTuple

from tortoise.backends.base.client import BaseDBAsyncClient

from bot.delivery.outbox import MAX_DELETED_AT_ONCE, Outgoing, Recipient, enqueue
from bot.i18n import translator
from bot.models import Delivery, DeliveryState, PhotoUpdate, Role, StaffRole
from bot.services.photo_updates.texts import (
    DECISION,
    NOTE_EDIT,
    RECALL,
    REVIEW,
    author_text,
    note_buttons,
    review_text,
    shown,
)


class SentNote(NamedTuple):
    """A sent message about an update that is edited as things change."""

    chat_id: int
    message_id: int
    locale: str
    purpose: str  # REVIEW (an approver's note) or DECISION (the author's)
    admin: bool  # the reader is admin of the update's facility (may recall it)


async def sent_notes(
    update_id: int, using_db: BaseDBAsyncClient | None = None
) -> list[SentNote]:
    """The sent review notes and the author's decision message, saying who reads them."""
    rows = await Delivery.filter(
        purpose__in=(REVIEW, DECISION), reference=str(update_id), state=DeliveryState.SENT,
    ).using_db(using_db).order_by("id")
    update = await PhotoUpdate.get_or_none(id=update_id, using_db=using_db).prefetch_related(
        "facility"
    )
    if update is None:
        return []
    admins: set[Any] = set(  # the admins' account ids
        await StaffRole.filter(facility_id=update.facility.id, role=Role.ADMIN).using_db(
            using_db
        ).values_list("account_id", flat=True)
    )
    return [
        SentNote(
            row.chat_id, row.sent_message_ids[-1],
            row.content.get("locale", update.facility.default_locale), row.purpose,
            row.purpose == REVIEW and row.account_id in admins,
        )
        for row in rows
        if row.sent_message_ids
    ]


async def decision_messages(update_id: int) -> list[tuple[int, int, str]]:
    """(chat_id, message_id, locale) of the sent review notes and of the author's decision
    message; :func:`sent_notes` says which is which."""
    return [(note.chat_id, note.message_id, note.locale) for note in await sent_notes(update_id)]


async def enqueue_note_edits(update_id: int, using_db: BaseDBAsyncClient | None) -> int:
    """Edit every sent note about the update to show it as it is now; how many.

    An earlier edit of the same message that has not gone out yet is dropped: the newest one
    says everything.
    """
    view = await shown(update_id, using_db)
    notes = await sent_notes(update_id, using_db)
    for note in notes:
        tr = translator(note.locale)
        if note.purpose == REVIEW:
            buttons = note_buttons(update_id, view.update.state, note.admin, tr)
            edit = Outgoing.edit_text(note.message_id, review_text(view, tr), buttons=buttons)
        else:
            edit = Outgoing.edit_text(note.message_id, author_text(view, tr))
        same_message = f"{update_id}:edit:{note.message_id}:"
        await Delivery.filter(
            purpose=NOTE_EDIT, chat_id=note.chat_id, reference__startswith=same_message,
            state=DeliveryState.PENDING,
        ).using_db(using_db).update(state=DeliveryState.SKIPPED, last_error="superseded")
        await enqueue(
            [Recipient(note.chat_id)], edit, purpose=NOTE_EDIT,
            reference=same_message + uuid.uuid4().hex[:12], urgent=True, using_db=using_db,
        )
    return len(notes)


async def enqueue_deletions(
    update_id: int, messages: list[tuple[int, list[int]]], using_db: BaseDBAsyncClient
) -> int:
    """Delete the relayed messages, chat by chat (up to 100 at once); how many messages."""
    for chat_id, message_ids in messages:
        for start in range(0, len(message_ids), MAX_DELETED_AT_ONCE):
            chunk = message_ids[start : start + MAX_DELETED_AT_ONCE]
            await enqueue(
                [Recipient(chat_id)], Outgoing.delete(chunk), purpose=RECALL,
                reference=f"{update_id}:delete:{start}", urgent=True, using_db=using_db,
            )
    return sum(len(message_ids) for _, message_ids in messages)
