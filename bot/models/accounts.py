"""Accounts: the Telegram users the bot knows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from bot.models.invites import Invite


class Account(Model):
    """A Telegram user who has talked to the bot."""

    id = fields.IntField(primary_key=True)
    telegram_id = fields.BigIntField(unique=True)
    first_name = fields.CharField(max_length=128, default="")
    locale = fields.CharField(max_length=16, null=True)
    # Quiet hours, in the facility's timezone: non-urgent messages wait until they end.
    quiet_from = fields.TimeField(null=True)
    quiet_until = fields.TimeField(null=True)
    # Blocked the bot or deleted their Telegram account (403): no more sending.
    unreachable = fields.BooleanField(default=False)
    privacy_accepted_at = fields.DatetimeField(null=True)
    # The invite being redeemed while the user picks a language and reads the privacy notice.
    pending_invite: fields.ForeignKeyNullableRelation[Invite] = fields.ForeignKeyField(
        "heimbote.Invite", null=True, on_delete=fields.SET_NULL, related_name=False
    )
    pending_invite_id: int | None  # set by Tortoise
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "account"


class ProcessedUpdate(Model):
    """A webhook update id already handled, pruned after a day: a redelivery runs once."""

    # A plain id as primary key: Tortoise's migration writer loses `generated=False` on a
    # BigIntField primary key and would then see a change on every `makemigrations`.
    id = fields.IntField(primary_key=True)
    update_id = fields.BigIntField(unique=True)
    processed_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "processed_update"


class AwaitedInput(Model):
    """What the bot waits for an account to type next (a resident's name, a comment…).

    Kept in the database, not in memory, so that a restart or another process continues the
    conversation where it was.
    """

    id = fields.IntField(primary_key=True)
    account: fields.OneToOneRelation[Account] = fields.OneToOneField(
        "heimbote.Account", related_name="awaited_input", on_delete=fields.CASCADE
    )
    account_id: int  # set by Tortoise
    kind = fields.CharField(max_length=32)
    payload: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "awaited_input"
