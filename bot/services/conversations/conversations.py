"""Relatives write to the home, staff answer: a thread's life from its first message to erasure.

A relative's message opens a thread about one resident (or continues the one still open) and is
relayed through the outbox, in the same transaction, to the staff group or the inbox staff. A
staff member's answer goes back through the outbox to that relative only, signed with the staff
member's first name and role. Every function checks from the database who may see the thread:
its relative, and the staff of its facility; nobody else (:mod:`.threads`). The residents a
relative may write about are in :mod:`.residents`; how a Telegram reply finds its thread, in
:mod:`.replies`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from bot import clock
from bot.delivery.outbox import Outgoing, Recipient, enqueue
from bot.domain.errors import InvalidInput
from bot.domain.text import clean
from bot.models import (
    Account,
    Delivery,
    Direction,
    Facility,
    MessageKind,
    Resident,
    Role,
    Thread,
    ThreadMessage,
    ThreadState,
)
from bot.services.accounts.actors import Actor, require_role, role_in
from bot.services.conversations import texts
from bot.services.conversations.closing import ANSWER as ANSWER  # the purposes live there
from bot.services.conversations.closing import BUTTONS_GONE, enqueue_buttons_gone
from bot.services.conversations.closing import ESCALATION as ESCALATION
from bot.services.conversations.closing import RELAY as RELAY
from bot.services.conversations.closing import REMINDER as REMINDER
from bot.services.conversations.residents import linked_resident
from bot.services.conversations.setup import NOTICE, StaffChat, staff_chats
from bot.services.conversations.threads import (
    ThreadView,
    load_thread,
    loaded_view,
    outbox_about,
    staff_thread,
    view_of,
)

TEXT_LIMIT = 3500  # leaves room for the header within Telegram's 4096
CAPTION_LIMIT = 800  # leaves room for the header within Telegram's 1024


@dataclass(frozen=True)
class Written:
    """A relative's message, stored and on its way to staff."""

    thread: ThreadView
    new_thread: bool


def _valid_message(kind: str, text: str, file_id: str | None) -> tuple[MessageKind, str]:
    try:
        chosen = MessageKind(kind)
    except ValueError:
        raise InvalidInput("kind", "text, photo or voice") from None
    text = clean(text).strip()
    if chosen == MessageKind.TEXT and not text:
        raise InvalidInput("text", "empty")
    if chosen != MessageKind.TEXT and not file_id:
        raise InvalidInput("file", "missing")
    limit = TEXT_LIMIT if chosen == MessageKind.TEXT else CAPTION_LIMIT
    if len(text) > limit:
        raise InvalidInput("text", f"longer than {limit}")
    return chosen, text


async def _open_thread(
    account: Account, resident: Resident, now: dt.datetime, connection: BaseDBAsyncClient
) -> tuple[Thread, bool]:
    """The relative's thread about the resident that is not closed, or a new one."""
    facility_id = resident.facility.id
    # Locks the facility (PostgreSQL): numbers and open threads are made one at a time.
    await Facility.filter(id=facility_id).select_for_update().using_db(connection).get()
    thread = await Thread.filter(
        relative_id=account.id, resident_id=resident.id, state__not=ThreadState.CLOSED
    ).order_by("-id").using_db(connection).first()
    if thread is not None:
        return thread, False
    last = await Thread.filter(facility_id=facility_id).order_by("-number").using_db(
        connection).first()
    thread = await Thread.create(
        facility_id=facility_id, number=(last.number + 1) if last else 1,
        relative_id=account.id, resident_id=resident.id, created_at=now,
        last_relative_message_at=now, using_db=connection,
    )
    return thread, True


async def relative_writes(
    account: Account,
    resident_id: int,
    kind: str,
    text: str = "",
    file_id: str | None = None,
    *,
    now: dt.datetime | None = None,
) -> Written:
    """A relative's text, photo or voice message to the home about one of their residents.

    Opens a thread (or continues the one not closed) and relays the message to the staff,
    at once (urgent), in the same transaction. :class:`NotFound` when the account is not
    linked with the resident; :class:`InvalidInput` for an empty or overlong message.
    """
    now = now or clock.now()
    chosen, text = _valid_message(kind, text, file_id)
    resident = await linked_resident(account, resident_id)
    async with in_transaction() as connection:
        thread, new = await _open_thread(account, resident, now, connection)
        message = await ThreadMessage.create(
            thread=thread, direction=Direction.IN, author=account, kind=chosen, text=text,
            file_id=file_id, created_at=now, using_db=connection,
        )
        thread.state = ThreadState.OPEN
        thread.last_relative_message_at = now
        thread.waiting_since = thread.waiting_since or now
        await thread.save(using_db=connection, update_fields=[
            "state", "last_relative_message_at", "waiting_since"])
        for chat in await staff_chats(resident.facility, connection):
            await enqueue(
                [chat.recipient], _relay(chat, thread, message, account, resident),
                purpose=RELAY, reference=f"msg:{message.id}", urgent=True, using_db=connection,
            )
    return Written(view_of(thread, account, resident, resident.facility), new)


def _relay(
    chat: StaffChat, thread: Thread, message: ThreadMessage, relative: Account,
    resident: Resident,
) -> Outgoing:
    body = texts.relay_text(
        chat.locale, number=thread.number, relative=relative.first_name,
        resident=resident.display_name, body=message.text,
    )
    buttons = texts.staff_buttons(chat.locale, thread.id)
    if message.kind == MessageKind.TEXT:
        outgoing = Outgoing.text(body, buttons=buttons)
    else:
        assert message.file_id is not None
        media = Outgoing.photo if message.kind == MessageKind.PHOTO else Outgoing.voice
        outgoing = media(message.file_id, body)
        outgoing.content["buttons"] = buttons
    if chat.in_topic:
        outgoing.content["topic"] = {
            "thread": thread.id,
            "name": texts.topic_name(thread.number, relative.first_name, resident.display_name),
        }
    return outgoing


async def staff_replies(
    actor: Actor, thread_id: int, text: str, *, now: dt.datetime | None = None
) -> ThreadView:
    """A staff member's answer: to the relative through the outbox, signed "Ben (Pflege): …".

    Staff of the thread's facility only. The first answer records the first-response time;
    the thread becomes answered (a closed one is open again). Quiet hours of the relative
    apply: an answer can wait until morning. Returns the thread as it now is.
    """
    now = now or clock.now()
    thread = await staff_thread(actor, thread_id)
    role = await role_in(actor, thread.facility.id)
    assert role is not None and actor.account is not None
    _, text = _valid_message(MessageKind.TEXT, text, None)
    relative, facility = thread.relative, thread.facility
    async with in_transaction() as connection:
        message = await ThreadMessage.create(
            thread=thread, direction=Direction.OUT, author=actor.account, text=text,
            created_at=now, using_db=connection,
        )
        thread.first_response_at = thread.first_response_at or now
        thread.state = ThreadState.ANSWERED
        thread.waiting_since = thread.reminded_at = thread.escalated_at = None
        thread.closed_at = None
        thread.closed_by_id = None
        await thread.save(using_db=connection)
        locale = relative.locale or facility.default_locale
        author = actor.account.first_name
        await enqueue(
            [Recipient(relative.telegram_id, relative, facility.timezone)],
            Outgoing.text(texts.answer_text(locale, author=author, role=role, body=text),
                          buttons=texts.relative_buttons(locale, thread.id)),
            purpose=ANSWER, reference=f"msg:{message.id}", using_db=connection,
        )
        others = [c for c in await staff_chats(facility, connection)
                  if c.recipient.account is not None
                  and c.recipient.account.id != actor.account.id]
        for chat in others:  # the other inbox staff: so that nobody answers twice
            await enqueue(
                [chat.recipient],
                Outgoing.text(texts.answered_elsewhere_text(
                    chat.locale, author=author, number=thread.number,
                    relative=relative.first_name)),
                purpose=NOTICE, reference=f"answered:{message.id}", using_db=connection,
            )
    return loaded_view(thread)


async def close(
    actor: Actor, thread_id: int, *, now: dt.datetime | None = None
) -> ThreadView:
    """Close a thread: its relative or a staff member of its facility. The other side is told.

    Closing a closed thread changes nothing. Returns the thread as it now is.
    """
    now = now or clock.now()
    thread = await load_thread(thread_id)
    by_relative = actor.account is not None and actor.account.id == thread.relative.id
    role = None if by_relative else await require_role(actor, thread.facility.id, Role.STAFF)
    if thread.state == ThreadState.CLOSED:
        return loaded_view(thread)
    relative, facility = thread.relative, thread.facility
    async with in_transaction() as connection:
        thread.state = ThreadState.CLOSED
        thread.closed_at = now
        thread.closed_by_id = actor.account.id if actor.account else None
        thread.waiting_since = None
        await thread.save(using_db=connection)
        reference = f"closed:{thread.id}:{int(now.timestamp())}"
        await enqueue_buttons_gone(thread.id, reference, connection)
        if by_relative:
            for chat in await staff_chats(facility, connection):
                outgoing = Outgoing.text(texts.closed_by_relative_text(
                    chat.locale, relative=relative.first_name, number=thread.number))
                if chat.in_topic and thread.forum_topic_id is not None:
                    outgoing.content["message_thread_id"] = thread.forum_topic_id
                await enqueue([chat.recipient], outgoing, purpose=NOTICE, reference=reference,
                              using_db=connection)
        else:
            assert role is not None and actor.account is not None
            locale = relative.locale or facility.default_locale
            await enqueue(
                [Recipient(relative.telegram_id, relative, facility.timezone)],
                Outgoing.text(texts.closed_by_staff_text(
                    locale, author=actor.account.first_name, role=role)),
                purpose=NOTICE, reference=reference, using_db=connection,
            )
    return loaded_view(thread)


async def export_of(account: Account) -> list[dict[str, object]]:
    """The relative's conversations with the homes, for ``/mydata`` (Art. 15/20 GDPR).

    Each thread with its messages in both directions; staff appear by role, not by name.
    """
    threads = await Thread.filter(relative_id=account.id).order_by("id").prefetch_related(
        "facility", "resident"
    )
    exported: list[dict[str, object]] = []
    for thread in threads:
        messages = await ThreadMessage.filter(thread_id=thread.id).order_by("created_at", "id")
        exported.append({
            "home": thread.facility.name,
            "about": thread.resident.display_name,
            "number": thread.number,
            "state": str(thread.state),
            "opened_at": thread.created_at.isoformat(),
            "messages": [
                {
                    "from": "you" if message.direction == Direction.IN else "the home",
                    "kind": str(message.kind),
                    "text": message.text,
                    "at": message.created_at.isoformat(),
                }
                for message in messages
            ],
        })
    return exported


async def erase_messages_of(account: Account, using_db: BaseDBAsyncClient) -> int:
    """Before ``/deleteme``: remove what the outbox holds about the relative's conversations.

    Relays to the team, notices, reminders and escalations name the relative; their threads and
    messages go with the account (cascade), these rows must go too. Returns how many.
    """
    thread_ids: list[Any] = await Thread.filter(relative_id=account.id).using_db(
        using_db).values_list("id", flat=True)  # flat: the ids (Tortoise types them as rows)
    if not thread_ids:
        return 0
    message_ids: list[Any] = await ThreadMessage.filter(thread_id__in=thread_ids).using_db(
        using_db
    ).values_list("id", flat=True)
    purposes = (RELAY, NOTICE, REMINDER, ESCALATION, BUTTONS_GONE)
    return await Delivery.filter(
        outbox_about(thread_ids, message_ids), purpose__in=purposes
    ).using_db(using_db).delete()
