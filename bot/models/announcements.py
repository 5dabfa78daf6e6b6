"""Announcements (Rundschreiben): broadcasts from a facility to its relatives or staff."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from bot.domain.enums import AnnouncementState, Audience
from bot.models.accounts import Account
from bot.models.facilities import Facility, Unit


class Announcement(Model):
    """One broadcast: its texts per language, audience, urgency and time."""

    id = fields.IntField(primary_key=True)
    facility: fields.ForeignKeyRelation[Facility] = fields.ForeignKeyField(
        "heimbote.Facility", related_name="announcements", on_delete=fields.CASCADE
    )
    facility_id: int  # set by Tortoise
    author: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "heimbote.Account", null=True, on_delete=fields.SET_NULL, related_name=False
    )
    author_id: int | None  # set by Tortoise
    audience = fields.CharEnumField(Audience, default=Audience.RELATIVES, max_length=16)
    unit: fields.ForeignKeyNullableRelation[Unit] = fields.ForeignKeyField(
        "heimbote.Unit", null=True, on_delete=fields.SET_NULL, related_name=False
    )
    unit_id: int | None  # set by Tortoise
    # {"de": {"text": "...", "entities": [...]}, "en": {...}}: the first is the default version
    texts: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    default_locale = fields.CharField(max_length=16, default="de")
    photo_file_id = fields.CharField(max_length=256, null=True)
    urgent = fields.BooleanField(default=False)
    send_at = fields.DatetimeField(null=True)
    state = fields.CharEnumField(
        AnnouncementState, default=AnnouncementState.DRAFT, max_length=16
    )
    recipients = fields.IntField(default=0)
    # where the author watches the progress: chat and message id of the progress message
    progress_chat_id = fields.BigIntField(null=True)
    progress_message_id = fields.BigIntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    confirmed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "announcement"
