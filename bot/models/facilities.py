"""Facilities, their units and residents, relatives' links and staff roles."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from bot.domain.enums import ConsentGiver, PhotoConsent, ResidentStatus, Role
from bot.models.accounts import Account


class Facility(Model):
    """One care home: everything is scoped to one."""

    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=64, unique=True)
    name = fields.CharField(max_length=200)
    timezone = fields.CharField(max_length=64, default="Europe/Berlin")
    default_locale = fields.CharField(max_length=16, default="de")
    contact = fields.TextField(default="")
    relatives_may_invite = fields.BooleanField(default=False)
    max_relatives_per_resident = fields.IntField(default=5)
    # Photo updates: the author may not approve their own post (Vier-Augen-Prinzip).
    four_eyes = fields.BooleanField(default=True)
    # Photo updates older than this are deleted (with their tags and thanks).
    photo_retention_days = fields.IntField(default=180)
    # Conversations closed or quiet for longer than this are deleted with their messages.
    conversation_retention_days = fields.IntField(default=365)
    # Ratings: one per relative per interval, the complaint window, the first invitation.
    rating_interval_days = fields.IntField(default=90)
    complaint_window_hours = fields.IntField(default=72)
    rating_invite_after_days = fields.IntField(default=14)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "facility"


class Unit(Model):
    """A ward or floor (Wohnbereich), for targeting announcements."""

    id = fields.IntField(primary_key=True)
    facility: fields.ForeignKeyRelation[Facility] = fields.ForeignKeyField(
        "heimbote.Facility", related_name="units", on_delete=fields.CASCADE
    )
    facility_id: int  # set by Tortoise
    name = fields.CharField(max_length=100)

    class Meta:
        table = "unit"
        unique_together = (("facility", "name"),)


class Resident(Model):
    """The person cared for, with minimal data: display name, room, unit, photo consent."""

    id = fields.IntField(primary_key=True)
    facility: fields.ForeignKeyRelation[Facility] = fields.ForeignKeyField(
        "heimbote.Facility", related_name="residents", on_delete=fields.CASCADE
    )
    facility_id: int  # set by Tortoise
    unit: fields.ForeignKeyNullableRelation[Unit] = fields.ForeignKeyField(
        "heimbote.Unit", related_name="residents", null=True, on_delete=fields.SET_NULL
    )
    unit_id: int | None  # set by Tortoise
    display_name = fields.CharField(max_length=100)
    room = fields.CharField(max_length=32, default="")
    status = fields.CharEnumField(ResidentStatus, default=ResidentStatus.ACTIVE, max_length=16)
    photo_consent = fields.CharEnumField(PhotoConsent, default=PhotoConsent.NONE, max_length=16)
    consent_given_by: ConsentGiver | None = fields.CharEnumField(  # type: ignore[assignment]
        ConsentGiver, null=True, max_length=16
    )  # nullable: Tortoise's typing cannot say so
    consent_changed_at = fields.DatetimeField(null=True)
    consent_recorded_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "heimbote.Account", null=True, on_delete=fields.SET_NULL, related_name=False
    )
    consent_recorded_by_id: int | None  # set by Tortoise
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "resident"


class RelativeLink(Model):
    """A relative's account linked to one resident."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "heimbote.Account", related_name="relative_links", on_delete=fields.CASCADE
    )
    account_id: int  # set by Tortoise
    resident: fields.ForeignKeyRelation[Resident] = fields.ForeignKeyField(
        "heimbote.Resident", related_name="relative_links", on_delete=fields.CASCADE
    )
    resident_id: int  # set by Tortoise
    relation = fields.CharField(max_length=64, default="")
    photo_updates = fields.BooleanField(default=True)
    active = fields.BooleanField(default=True)
    # Receives the home's urgent "please call us" alerts about the resident (set by admins).
    emergency_contact = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "relative_link"
        unique_together = (("account", "resident"),)


class StaffRole(Model):
    """An account's role in one facility."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "heimbote.Account", related_name="staff_roles", on_delete=fields.CASCADE
    )
    account_id: int  # set by Tortoise
    facility: fields.ForeignKeyRelation[Facility] = fields.ForeignKeyField(
        "heimbote.Facility", related_name="staff_roles", on_delete=fields.CASCADE
    )
    facility_id: int  # set by Tortoise
    role = fields.CharEnumField(Role, max_length=16)
    # Receives relatives' messages in private chat while the facility has no staff group.
    inbox = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "staff_role"
        unique_together = (("account", "facility"),)
