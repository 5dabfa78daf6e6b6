"""Conversations: relatives write to the home, staff answer, the home sees how fast.

A :class:`Thread` is one relative's conversation with a facility about one resident. Its messages
are relayed to the facility's staff group (:class:`ConversationSetup`) or, without one, to the
staff with the inbox duty in private chat. :class:`RelayedMessage` remembers every message the
bot sent about a thread, so that a Telegram reply to it finds the thread again.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from bot.domain.enums import Direction, MessageKind, ThreadState
from bot.models.accounts import Account
from bot.models.facilities import Facility, Resident

DEFAULT_REMINDER_HOURS = 4
DEFAULT_ESCALATION_HOURS = 24


class ConversationSetup(Model):
    """How one facility receives relatives' messages: its staff group and reminder times.

    One staff group per facility, and a group serves one facility (the chat id is unique).
    """

    id = fields.IntField(primary_key=True)
    facility: fields.OneToOneRelation[Facility] = fields.OneToOneField(
        "heimbote.Facility", related_name="conversation_setup", on_delete=fields.CASCADE
    )
    facility_id: int  # set by Tortoise
    group_chat_id = fields.BigIntField(null=True, unique=True)
    group_title = fields.CharField(max_length=255, default="")
    group_is_forum = fields.BooleanField(default=False)
    group_linked_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "heimbote.Account", null=True, on_delete=fields.SET_NULL, related_name=False
    )
    group_linked_by_id: int | None  # set by Tortoise
    group_linked_at = fields.DatetimeField(null=True)
    # Hours of daytime (08:00-20:00 facility time) before the team is reminded.
    reminder_hours = fields.IntField(default=DEFAULT_REMINDER_HOURS)
    # Hours (around the clock) before the facility's admins are told.
    escalation_hours = fields.IntField(default=DEFAULT_ESCALATION_HOURS)

    class Meta:
        table = "conversation_setup"


class Thread(Model):
    """A relative's conversation with a facility about one resident."""

    id = fields.IntField(primary_key=True)
    facility: fields.ForeignKeyRelation[Facility] = fields.ForeignKeyField(
        "heimbote.Facility", related_name="threads", on_delete=fields.CASCADE
    )
    facility_id: int  # set by Tortoise
    number = fields.IntField()  # counts per facility: "#12"
    relative: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "heimbote.Account", related_name="threads", on_delete=fields.CASCADE
    )
    relative_id: int  # set by Tortoise
    resident: fields.ForeignKeyRelation[Resident] = fields.ForeignKeyField(
        "heimbote.Resident", related_name="threads", on_delete=fields.CASCADE
    )
    resident_id: int  # set by Tortoise
    state = fields.CharEnumField(ThreadState, default=ThreadState.OPEN, max_length=16)
    # The forum topic of this thread in the staff group, once the sender created it.
    forum_chat_id = fields.BigIntField(null=True)
    forum_topic_id = fields.BigIntField(null=True)
    created_at = fields.DatetimeField(db_index=True)
    first_response_at = fields.DatetimeField(null=True)
    last_relative_message_at = fields.DatetimeField()
    # Since when the relative waits for an answer (empty once staff answered).
    waiting_since = fields.DatetimeField(null=True, db_index=True)
    reminded_at = fields.DatetimeField(null=True)
    escalated_at = fields.DatetimeField(null=True)
    closed_at = fields.DatetimeField(null=True)
    closed_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "heimbote.Account", null=True, on_delete=fields.SET_NULL, related_name=False
    )
    closed_by_id: int | None  # set by Tortoise

    class Meta:
        table = "thread"
        unique_together = (("facility", "number"),)


class ThreadMessage(Model):
    """One message in a thread: from the relative (in) or from a staff member (out)."""

    id = fields.IntField(primary_key=True)
    thread: fields.ForeignKeyRelation[Thread] = fields.ForeignKeyField(
        "heimbote.Thread", related_name="messages", on_delete=fields.CASCADE
    )
    thread_id: int  # set by Tortoise
    direction = fields.CharEnumField(Direction, max_length=8)
    author: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "heimbote.Account", null=True, on_delete=fields.SET_NULL, related_name=False
    )
    author_id: int | None  # set by Tortoise
    kind = fields.CharEnumField(MessageKind, default=MessageKind.TEXT, max_length=8)
    text = fields.TextField(default="")
    file_id = fields.CharField(max_length=256, null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "thread_message"


class RelayedMessage(Model):
    """A message the bot sent about a thread, in some chat: a reply to it finds the thread.

    Relays of a relative's message to staff, answers to the relative, reminders and reply
    prompts. ``thread_message`` is the message it carried, if any.
    """

    id = fields.IntField(primary_key=True)
    thread: fields.ForeignKeyRelation[Thread] = fields.ForeignKeyField(
        "heimbote.Thread", related_name="relayed", on_delete=fields.CASCADE
    )
    thread_id: int  # set by Tortoise
    thread_message: fields.ForeignKeyNullableRelation[ThreadMessage] = fields.ForeignKeyField(
        "heimbote.ThreadMessage", null=True, related_name="relayed", on_delete=fields.CASCADE
    )
    thread_message_id: int | None  # set by Tortoise
    chat_id = fields.BigIntField()
    message_id = fields.BigIntField()

    class Meta:
        table = "relayed_message"
        unique_together = (("chat_id", "message_id"),)
