"""Invites: how relatives and staff join a facility."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from bot.domain.enums import InviteKind, Role
from bot.models.accounts import Account
from bot.models.facilities import Facility, Resident


class Invite(Model):
    """An invitation code, stored only as its hash, for a relative or for a staff role."""

    id = fields.IntField(primary_key=True)
    code_hash = fields.CharField(max_length=64, unique=True)
    kind = fields.CharEnumField(InviteKind, max_length=16)
    facility: fields.ForeignKeyRelation[Facility] = fields.ForeignKeyField(
        "heimbote.Facility", related_name="invites", on_delete=fields.CASCADE
    )
    facility_id: int  # set by Tortoise
    resident: fields.ForeignKeyNullableRelation[Resident] = fields.ForeignKeyField(
        "heimbote.Resident", related_name="invites", null=True, on_delete=fields.CASCADE
    )
    resident_id: int | None  # set by Tortoise
    role = fields.CharEnumField(Role, null=True, max_length=16)
    max_uses = fields.IntField(default=1)
    uses = fields.IntField(default=0)
    expires_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)
    created_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "heimbote.Account", null=True, on_delete=fields.SET_NULL, related_name=False
    )
    created_by_id: int | None  # set by Tortoise
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "invite"


class FailedInviteAttempt(Model):
    """A wrong code typed by a Telegram user, kept an hour for the brute-force lock.

    Keyed by the Telegram id, not the account: erasing the account (/deleteme) must not reset
    the lock. The periodic job deletes attempts once they are out of the lock's window.
    """

    id = fields.IntField(primary_key=True)
    telegram_id = fields.BigIntField(db_index=True)
    attempted_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "failed_invite_attempt"
