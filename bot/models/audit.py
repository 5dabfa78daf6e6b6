"""The audit log of every administrative action."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from bot.models.accounts import Account
from bot.models.facilities import Facility


class AuditEntry(Model):
    """Who did what, when, in which facility. The actor is empty for the command line."""

    id = fields.IntField(primary_key=True)
    facility: fields.ForeignKeyNullableRelation[Facility] = fields.ForeignKeyField(
        "heimbote.Facility", null=True, on_delete=fields.SET_NULL, related_name="audit_entries"
    )
    facility_id: int | None  # set by Tortoise
    actor: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "heimbote.Account", null=True, on_delete=fields.SET_NULL, related_name=False
    )
    actor_id: int | None  # set by Tortoise
    via = fields.CharField(max_length=16, default="telegram")  # telegram, cli, system
    action = fields.CharField(max_length=64)
    subject = fields.CharField(max_length=64, default="")  # e.g. "resident:12"
    details: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "audit_entry"
