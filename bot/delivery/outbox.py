"""Writing to the outbox and claiming from it. No Telegram types here: services enqueue.

A capability enqueues its messages in the same transaction as the change that causes them
(pass the transaction's connection as ``using_db``); the sender delivers them afterwards.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from bot import clock
from bot.models import Account, Delivery, DeliveryState

DEFAULT_QUIET_HOURS = (dt.time(21, 0), dt.time(8, 0))
FIRST = 10  # a priority: sent before everything else that is due (emergency alerts)
MAX_DELETED_AT_ONCE = 100  # deleteMessages' limit
MAX_DOCUMENT_BYTES = 64 * 1024  # a file kept in an outbox row (Outgoing.document)


@dataclass(frozen=True)
class Outgoing:
    """What to send, in the shape the sender turns into one Bot API call."""

    kind: str
    content: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def text(
        cls,
        text: str,
        *,
        entities: Sequence[dict[str, Any]] | None = None,
        parse_mode: str | None = None,
        buttons: Sequence[Sequence[dict[str, str]]] | None = None,
    ) -> Outgoing:
        """A text message; ``entities`` keep formatting, ``buttons`` are inline keyboard rows."""
        content: dict[str, Any] = {"text": text}
        if entities:
            content["entities"] = list(entities)
        if parse_mode:
            content["parse_mode"] = parse_mode
        if buttons:
            content["buttons"] = [list(row) for row in buttons]
        return cls("text", content)

    @classmethod
    def photo(
        cls,
        file_id: str,
        caption: str = "",
        *,
        buttons: Sequence[Sequence[dict[str, str]]] | None = None,
    ) -> Outgoing:
        """A photo already on Telegram's servers, re-sent by ``file_id``, with inline buttons.

        An album cannot carry buttons (Telegram's limit): send them in a message after it.
        """
        content: dict[str, Any] = {"file_id": file_id, "caption": caption}
        if buttons:
            content["buttons"] = [list(row) for row in buttons]
        return cls("photo", content)

    @classmethod
    def album(cls, file_ids: Sequence[str], caption: str = "") -> Outgoing:
        """2–10 photos sent together (sendMediaGroup), the caption under the first."""
        return cls("album", {"file_ids": list(file_ids), "caption": caption})

    @classmethod
    def voice(cls, file_id: str, caption: str = "") -> Outgoing:
        """A voice message already on Telegram's servers, re-sent by ``file_id``."""
        return cls("voice", {"file_id": file_id, "caption": caption})

    @classmethod
    def document(
        cls,
        file_name: str,
        data: bytes,
        caption: str = "",
        *,
        buttons: Sequence[Sequence[dict[str, str]]] | None = None,
    ) -> Outgoing:
        """A small file made by the bot (a calendar entry, say), uploaded with the message.

        The bytes are kept in the row (base64) until it is sent: for files of a few kilobytes.
        """
        if len(data) > MAX_DOCUMENT_BYTES:
            raise ValueError(f"a document of {len(data)} bytes is too big for the outbox")
        content: dict[str, Any] = {
            "file_name": file_name, "data": base64.b64encode(data).decode(), "caption": caption,
        }
        if buttons:
            content["buttons"] = [list(row) for row in buttons]
        return cls("document", content)

    @classmethod
    def copy(cls, from_chat_id: int, message_id: int) -> Outgoing:
        """A copy of a message someone sent to the bot (copyMessage)."""
        return cls("copy", {"from_chat_id": from_chat_id, "message_id": message_id})

    @classmethod
    def edit_text(
        cls,
        message_id: int,
        text: str,
        *,
        buttons: Sequence[Sequence[dict[str, str]]] | None = None,
    ) -> Outgoing:
        """New text for a message the bot sent (its buttons: ``buttons``, else none)."""
        content: dict[str, Any] = {"message_id": message_id, "text": text}
        if buttons:
            content["buttons"] = [list(row) for row in buttons]
        return cls("edit_text", content)

    @classmethod
    def edit_markup(
        cls, message_id: int, buttons: Sequence[Sequence[dict[str, str]]] | None = None
    ) -> Outgoing:
        """New buttons (or none) under a message the bot sent."""
        content: dict[str, Any] = {"message_id": message_id}
        if buttons:
            content["buttons"] = [list(row) for row in buttons]
        return cls("edit_markup", content)

    @classmethod
    def delete(cls, message_ids: Sequence[int]) -> Outgoing:
        """Delete up to 100 messages of one chat (deleteMessages: Telegram skips what it may
        no longer delete, after 48 hours)."""
        if not 1 <= len(message_ids) <= MAX_DELETED_AT_ONCE:
            raise ValueError(f"deleting {len(message_ids)} messages at once")
        return cls("delete", {"message_ids": list(message_ids)})


SentHook = Callable[[Delivery], Awaitable[None]]
"""Runs once a delivery was sent, with ``sent_message_ids`` filled in (e.g. to remember which
message a later Telegram reply refers to). It may run twice for one row after a crash: it must
be idempotent. A capability names its hooks by purpose; whoever builds the sender passes them."""


@dataclass(frozen=True)
class Recipient:
    """A chat to deliver to; with an account and timezone, its quiet hours are kept."""

    chat_id: int
    account: Account | None = None
    timezone: str = "Europe/Berlin"


def quiet_hours(account: Account | None) -> tuple[dt.time, dt.time] | None:
    """The account's quiet hours: unset means 21:00–08:00, equal times mean none."""
    if account is None:
        return None
    # Stored as the facility's local clock times (Tortoise attaches UTC to them: drop it).
    start = _local(account.quiet_from) or DEFAULT_QUIET_HOURS[0]
    end = _local(account.quiet_until) or DEFAULT_QUIET_HOURS[1]
    if account.quiet_from is not None and start == end:
        return None
    return start, end


def _local(wall: dt.time | None) -> dt.time | None:
    return wall.replace(tzinfo=None) if wall is not None else None


def earliest_delivery(
    recipient: Recipient, *, urgent: bool, now: dt.datetime
) -> dt.datetime:
    """``now``, or the end of the recipient's quiet hours (in the facility's timezone)."""
    window = None if urgent else quiet_hours(recipient.account)
    if window is None:
        return now
    start, end = window
    local = now.astimezone(ZoneInfo(recipient.timezone))
    wall = local.time()
    inside = (start <= wall or wall < end) if start > end else (start <= wall < end)
    if not inside:
        return now
    wake = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if wake <= local:
        wake += dt.timedelta(days=1)
    return wake.astimezone(dt.UTC)


async def enqueue(
    recipients: Iterable[Recipient],
    outgoing: Outgoing,
    *,
    purpose: str,
    reference: str,
    urgent: bool = False,
    not_before: dt.datetime | None = None,
    using_db: BaseDBAsyncClient | None = None,
    priority: int = 0,
) -> int:
    """Write one delivery per recipient; rows that already exist are left as they are.

    ``urgent`` rows ignore quiet hours; due rows of a higher ``priority`` are sent before the
    others (:data:`FIRST`: an emergency alert before a waiting broadcast). Returns how many
    recipients were given (idempotent: enqueueing twice sends once).
    """
    now = clock.now()
    start = max(now, not_before or now)
    rows = [
        Delivery(
            chat_id=recipient.chat_id,
            account=recipient.account,
            purpose=purpose,
            reference=reference,
            kind=outgoing.kind,
            content=outgoing.content,
            urgent=urgent,
            priority=priority,
            next_attempt_at=earliest_delivery(recipient, urgent=urgent, now=start),
        )
        for recipient in recipients
    ]
    if rows:
        await Delivery.bulk_create(rows, batch_size=500, ignore_conflicts=True, using_db=using_db)
    return len(rows)


async def claim_due(limit: int, now: dt.datetime | None = None) -> list[Delivery]:
    """Take up to ``limit`` due rows, the highest priority first, then the oldest, marking them
    as being sent.

    On PostgreSQL the rows are locked with ``FOR UPDATE SKIP LOCKED`` while they are claimed.
    """
    moment = now or clock.now()
    async with in_transaction() as connection:
        rows = (
            await Delivery.filter(state=DeliveryState.PENDING, next_attempt_at__lte=moment)
            .order_by("-priority", "id")
            .limit(limit)
            .select_for_update(skip_locked=True)
            .using_db(connection)
        )
        if rows:
            await Delivery.filter(id__in=[row.id for row in rows]).using_db(connection).update(
                state=DeliveryState.SENDING
            )
    return rows


async def release_in_flight() -> int:
    """After a crash: rows marked as being sent go back to the queue (they may go twice)."""
    return await Delivery.filter(state=DeliveryState.SENDING).update(state=DeliveryState.PENDING)


async def next_due_at() -> dt.datetime | None:
    """When the next pending row becomes due, if any."""
    row = (
        await Delivery.filter(state=DeliveryState.PENDING)
        .order_by("next_attempt_at")
        .first()
        .only("id", "next_attempt_at")
    )
    return row.next_attempt_at if row else None


async def progress(purpose: str, reference: str) -> dict[str, int]:
    """How many deliveries of one thing are in each state."""
    counts = {state.value: 0 for state in DeliveryState}
    rows = await Delivery.filter(purpose=purpose, reference=reference).values_list(
        "state", flat=True
    )
    for state in rows:
        counts[str(state)] += 1
    return counts


CONTENT_KEPT = dt.timedelta(days=30)
BLANKED: dict[str, Any] = {"blanked": True}  # what a finished row's content becomes
FINISHED = (DeliveryState.SENT, DeliveryState.SKIPPED, DeliveryState.FAILED)


async def blank_old_content(now: dt.datetime | None = None) -> int:
    """Forget what finished rows older than 30 days said (texts, captions, file ids, buttons).

    Kind, state, recipient and times stay for the figures and the audit; the content becomes
    :data:`BLANKED`. Pending rows keep theirs: they are yet to be sent. Returns how many rows
    were blanked. A daily job.
    """
    cutoff = (now or clock.now()) - CONTENT_KEPT
    return await Delivery.filter(state__in=FINISHED, created_at__lte=cutoff).exclude(
        content=BLANKED
    ).update(content=BLANKED)
