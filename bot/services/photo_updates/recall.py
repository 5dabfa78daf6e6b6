"""Recalling an approved photo update: an admin takes it back from the families.

What has not gone out is cancelled; what went out less than 48 hours ago is deleted through the
outbox (older messages Telegram keeps); the author and the recalling admin are told, after the
deletions, in the same transaction as the change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tortoise.transactions import in_transaction

from bot import clock
from bot.delivery.outbox import Outgoing, Recipient, enqueue
from bot.domain.errors import InvalidInput
from bot.i18n import translator
from bot.models import Delivery, DeliveryState, PhotoUpdate, PhotoUpdateState, Role
from bot.services.accounts import audit
from bot.services.accounts.actors import Actor
from bot.services.photo_updates import relay as photo_relay
from bot.services.photo_updates.notes import enqueue_deletions, enqueue_note_edits
from bot.services.photo_updates.reading import audit_subject, update_in
from bot.services.photo_updates.texts import RECALL, recall_report

DELETABLE_FOR = dt.timedelta(hours=48)  # Telegram lets a bot delete its messages this long
RECALLED = "recalled"  # last_error of deliveries cancelled by a recall


@dataclass(frozen=True)
class Recall:
    """An update recalled: the messages to delete and what never went out.

    ``messages``: (chat_id, message_ids) sent less than 48 hours ago; ``skipped``: chats whose
    delivery was still waiting (cancelled); ``too_old``: chats whose messages are older than
    Telegram lets a bot delete; ``total``: the messages sent for the update in all.
    """

    update: PhotoUpdate
    messages: list[tuple[int, list[int]]]
    skipped: int
    too_old: int = 0
    total: int = 0  # every message that went out for it, deletable or not


async def recall(actor: Actor, update_id: int, locale: str | None = None) -> Recall:
    """An admin takes an approved update back from the families. Audited.

    Deliveries not yet sent are cancelled; the messages sent less than 48 hours ago are
    deleted (older ones Telegram keeps) and returned. The author is told, and the admin gets
    a report in ``locale`` (else their own or the facility's language) after the deletions.
    """
    await update_in(actor, update_id, Role.ADMIN)
    now = clock.now()
    async with in_transaction() as connection:
        recalled = await PhotoUpdate.filter(
            id=update_id, state=PhotoUpdateState.APPROVED
        ).using_db(connection).update(state=PhotoUpdateState.RECALLED, recalled_at=now)
        if not recalled:
            current = await PhotoUpdate.get(id=update_id, using_db=connection)
            raise InvalidInput("state", str(current.state))
        skipped = await photo_relay.skip_pending([update_id], RECALLED, connection)
        sent = await Delivery.filter(
            purpose=photo_relay.RELAY, state=DeliveryState.SENT,
            reference__in=[photo_relay.photos_reference(update_id),
                           photo_relay.note_reference(update_id)],
        ).using_db(connection).order_by("id")
        messages: dict[int, list[int]] = {}
        too_old: set[int] = set()
        for row in sent:
            if row.sent_at is not None and now - row.sent_at < DELETABLE_FOR:
                messages.setdefault(row.chat_id, []).extend(row.sent_message_ids)
            else:
                too_old.add(row.chat_id)
        deleting = await enqueue_deletions(update_id, list(messages.items()), connection)
        view = await photo_relay.shown(update_id, connection)
        await enqueue_note_edits(update_id, connection)
        await photo_relay.enqueue_author_text(
            view, connection, reference=f"{update_id}:recall"
        )
        if actor.account is not None:  # the recalling admin, in their language
            tr = translator(locale or photo_relay.reader_locale(actor.account, view.facility))
            report = recall_report(deleting, len(too_old - set(messages)), skipped, tr)
            await enqueue(
                [Recipient(actor.account.telegram_id)], Outgoing.text(report),
                purpose=RECALL, reference=f"{update_id}:report", urgent=True,
                using_db=connection,
            )
        await audit.record(
            actor, "photo.recall", facility=view.facility, subject=audit_subject(update_id),
            deleted_in=len(messages), too_old=len(too_old), cancelled=skipped,
        )
    total = sum(len(row.sent_message_ids) for row in sent)
    return Recall(
        view.update, list(messages.items()), skipped, len(too_old - set(messages)), total
    )
