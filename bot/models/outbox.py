"""The outbox: every message the bot sends on its own initiative, written before it is sent."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from bot.domain.enums import DeliveryState
from bot.models.accounts import Account


class Delivery(Model):
    """One message to one chat. (purpose, reference, chat) is unique: enqueueing is idempotent."""

    id = fields.BigIntField(primary_key=True)
    chat_id = fields.BigIntField(db_index=True)
    account: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "heimbote.Account", null=True, on_delete=fields.CASCADE, related_name="deliveries"
    )
    account_id: int | None  # set by Tortoise
    purpose = fields.CharField(max_length=32)
    reference = fields.CharField(max_length=64)
    # text, photo, album, copy or document, with what Telegram needs to send it
    kind = fields.CharField(max_length=16)
    content: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    urgent = fields.BooleanField(default=False)
    # Rows with a higher priority are claimed first (an emergency alert before a broadcast); the
    # database default lets a process of the previous version go on enqueueing during an upgrade.
    priority = fields.SmallIntField(default=0, db_default=0)
    state = fields.CharEnumField(DeliveryState, default=DeliveryState.PENDING, max_length=16)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField(db_index=True)
    last_error = fields.TextField(default="")
    sent_message_ids: fields.JSONField[list[Any]] = fields.JSONField(default=list)
    created_at = fields.DatetimeField(auto_now_add=True)
    sent_at = fields.DatetimeField(null=True)

    class Meta:
        table = "delivery"
        unique_together = (("purpose", "reference", "chat_id"),)
