"""Wellbeing notes: staff's three-tap notes about a resident's day, and the families' consent.

A note never holds medical details: mood, appetite and an activity, plus an optional short text
screened before it is kept. Nothing is sent to a relative who has not opted in
(:class:`WellbeingConsent`, separate from photo consent), nor about a resident or through a link
the home switched off.
"""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from bot.models.accounts import Account
from bot.models.facilities import Facility, RelativeLink, Resident, Unit


class WellbeingSetup(Model):
    """A home's settings for wellbeing notes: on or off, and its list of activities."""

    id = fields.IntField(primary_key=True)
    facility: fields.OneToOneRelation[Facility] = fields.OneToOneField(
        "heimbote.Facility", related_name="wellbeing_setup", on_delete=fields.CASCADE
    )
    facility_id: int  # set by Tortoise
    notes_enabled = fields.BooleanField(default=True)
    # Keys of the built-in activities (translated) or a home's own words (shown as written).
    activities: fields.JSONField[list[Any]] = fields.JSONField(default=list)

    class Meta:
        table = "wellbeing_setup"


class WellbeingResident(Model):
    """A resident for whom the home switched wellbeing notes off."""

    id = fields.IntField(primary_key=True)
    resident: fields.OneToOneRelation[Resident] = fields.OneToOneField(
        "heimbote.Resident", related_name="wellbeing", on_delete=fields.CASCADE
    )
    resident_id: int  # set by Tortoise
    notes_enabled = fields.BooleanField(default=True)

    class Meta:
        table = "wellbeing_resident"


class WellbeingConsent(Model):
    """A relative's consent to receive wellbeing notes about one resident, and the home's switch.

    Recorded like photo consent: who gave or withdrew it (the relative), when, for whom (the
    link names the resident).
    """

    id = fields.IntField(primary_key=True)
    link: fields.OneToOneRelation[RelativeLink] = fields.OneToOneField(
        "heimbote.RelativeLink", related_name="wellbeing", on_delete=fields.CASCADE
    )
    link_id: int  # set by Tortoise
    opted_in = fields.BooleanField(default=False)
    changed_at = fields.DatetimeField(null=True)
    given_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "heimbote.Account", null=True, on_delete=fields.SET_NULL, related_name=False
    )
    given_by_id: int | None  # set by Tortoise
    # The home switched notes off for this link (the relative's consent stays as it is).
    home_enabled = fields.BooleanField(default=True)

    class Meta:
        table = "wellbeing_consent"


class WellbeingReader(Model):
    """When a relative wants the evening digest (the home's local time)."""

    id = fields.IntField(primary_key=True)
    account: fields.OneToOneRelation[Account] = fields.OneToOneField(
        "heimbote.Account", related_name="wellbeing_reader", on_delete=fields.CASCADE
    )
    account_id: int  # set by Tortoise
    digest_at = fields.TimeField()

    class Meta:
        table = "wellbeing_reader"


class WellbeingWriter(Model):
    """A staff member's own unit: its residents come first in their /today picker."""

    id = fields.IntField(primary_key=True)
    account: fields.OneToOneRelation[Account] = fields.OneToOneField(
        "heimbote.Account", related_name="wellbeing_writer", on_delete=fields.CASCADE
    )
    account_id: int  # set by Tortoise
    unit: fields.ForeignKeyNullableRelation[Unit] = fields.ForeignKeyField(
        "heimbote.Unit", null=True, on_delete=fields.SET_NULL, related_name=False
    )
    unit_id: int | None  # set by Tortoise

    class Meta:
        table = "wellbeing_writer"


class WellbeingNote(Model):
    """One staff member's note about a resident's day."""

    id = fields.IntField(primary_key=True)
    facility: fields.ForeignKeyRelation[Facility] = fields.ForeignKeyField(
        "heimbote.Facility", related_name="wellbeing_notes", on_delete=fields.CASCADE
    )
    facility_id: int  # set by Tortoise
    resident: fields.ForeignKeyRelation[Resident] = fields.ForeignKeyField(
        "heimbote.Resident", related_name="wellbeing_notes", on_delete=fields.CASCADE
    )
    resident_id: int  # set by Tortoise
    author: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "heimbote.Account", null=True, on_delete=fields.SET_NULL, related_name=False
    )
    author_id: int | None  # set by Tortoise
    author_role = fields.CharField(max_length=16, default="")
    mood = fields.CharField(max_length=8, default="")
    appetite = fields.CharField(max_length=8, default="")
    activity = fields.CharField(max_length=64, default="")
    text = fields.TextField(default="")
    text_locale = fields.CharField(max_length=16, default="")
    day = fields.DateField()  # the home's local date
    created_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "wellbeing_note"
        indexes = (("resident_id", "day"),)
