"""The Tortoise models. Every change here comes with a migration (``tortoise makemigrations``)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Account(Model):
    """A Telegram user who has talked to the bot."""

    id = fields.IntField(primary_key=True)
    telegram_id = fields.BigIntField(unique=True)
    first_name = fields.CharField(max_length=128, default="")
    locale = fields.CharField(max_length=16, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "account"


class ProcessedUpdate(Model):
    """A webhook update id already handled, pruned after a day: a redelivery runs once.

    (Tortoise copies model docstrings into table comments: no semicolons here.)
    """

    # A plain id as primary key: Tortoise's migration writer loses `generated=False` on a
    # BigIntField primary key and would then see a change on every `makemigrations`.
    id = fields.IntField(primary_key=True)
    update_id = fields.BigIntField(unique=True)
    processed_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "processed_update"
