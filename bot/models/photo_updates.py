"""Photo updates (Fotogrüße): photos of residents posted by staff, approved before relay."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from bot.domain.enums import PhotoUpdateState, RejectReason
from bot.models.accounts import Account
from bot.models.facilities import Facility, Resident


class PhotoUpdate(Model):
    """One to ten photos with a caption about residents of one facility.

    The photos are kept as Telegram file ids only: the bot never downloads them.
    """

    id = fields.IntField(primary_key=True)
    facility: fields.ForeignKeyRelation[Facility] = fields.ForeignKeyField(
        "heimbote.Facility", related_name="photo_updates", on_delete=fields.CASCADE
    )
    facility_id: int  # set by Tortoise
    author: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "heimbote.Account", null=True, on_delete=fields.SET_NULL, related_name=False
    )
    author_id: int | None  # set by Tortoise
    state = fields.CharEnumField(
        PhotoUpdateState, default=PhotoUpdateState.DRAFT, max_length=16, db_index=True
    )
    file_ids: fields.JSONField[list[Any]] = fields.JSONField(default=list)
    media_group_id = fields.CharField(max_length=64, null=True)
    caption = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    submitted_at = fields.DatetimeField(null=True)
    decided_at = fields.DatetimeField(null=True)
    decided_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "heimbote.Account", null=True, on_delete=fields.SET_NULL, related_name=False
    )
    decided_by_id: int | None  # set by Tortoise
    tags: fields.ReverseRelation[PhotoTag]
    thanks: fields.ReverseRelation[PhotoThanks]
    reject_reason = fields.CharEnumField(RejectReason, null=True, max_length=16)
    reject_note = fields.TextField(default="")
    recalled_at = fields.DatetimeField(null=True)

    class Meta:
        table = "photo_update"


class PhotoTag(Model):
    """A resident who is in a photo update."""

    id = fields.IntField(primary_key=True)
    update: fields.ForeignKeyRelation[PhotoUpdate] = fields.ForeignKeyField(
        "heimbote.PhotoUpdate", related_name="tags", on_delete=fields.CASCADE
    )
    update_id: int  # set by Tortoise
    resident: fields.ForeignKeyRelation[Resident] = fields.ForeignKeyField(
        "heimbote.Resident", related_name="photo_tags", on_delete=fields.CASCADE
    )
    resident_id: int  # set by Tortoise

    class Meta:
        table = "photo_tag"
        unique_together = (("update", "resident"),)


class PhotoThanks(Model):
    """A relative's thank-you for a photo update, one per relative."""

    id = fields.IntField(primary_key=True)
    update: fields.ForeignKeyRelation[PhotoUpdate] = fields.ForeignKeyField(
        "heimbote.PhotoUpdate", related_name="thanks", on_delete=fields.CASCADE
    )
    update_id: int  # set by Tortoise
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "heimbote.Account", related_name="photo_thanks", on_delete=fields.CASCADE
    )
    account_id: int  # set by Tortoise
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "photo_thanks"
        unique_together = (("update", "account"),)
