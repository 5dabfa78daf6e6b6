"""Visits: the slots a home offers, its closures, and the relatives' bookings.

A :class:`VisitSlot` is a weekly rule ("Mondays 14:00-17:00, 30 minutes each, two visiting
parties at once"). One dated time of a rule becomes a :class:`VisitOccurrence` row when it is
first booked: its ``booked`` counter is raised by one conditional UPDATE, which is what keeps
the last place from being given twice. A :class:`VisitBooking` is one relative's visit.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from bot.models.accounts import Account
from bot.models.facilities import Facility, Resident, Unit

DEFAULT_DAY_LIST_AT = "07:30"


class VisitSetup(Model):
    """A home's visit settings: when the staff group gets the day's list."""

    id = fields.IntField(primary_key=True)
    facility: fields.OneToOneRelation[Facility] = fields.OneToOneField(
        "heimbote.Facility", related_name="visit_setup", on_delete=fields.CASCADE
    )
    facility_id: int  # set by Tortoise
    day_list_at = fields.CharField(max_length=5, default=DEFAULT_DAY_LIST_AT)  # "07:30", local

    class Meta:
        table = "visit_setup"


class VisitSlot(Model):
    """A weekly visiting time of a unit (or of the whole home, without a unit)."""

    id = fields.IntField(primary_key=True)
    facility: fields.ForeignKeyRelation[Facility] = fields.ForeignKeyField(
        "heimbote.Facility", related_name="visit_slots", on_delete=fields.CASCADE
    )
    facility_id: int  # set by Tortoise
    unit: fields.ForeignKeyNullableRelation[Unit] = fields.ForeignKeyField(
        "heimbote.Unit", related_name="visit_slots", null=True, on_delete=fields.CASCADE
    )
    unit_id: int | None  # set by Tortoise
    weekday = fields.IntField()  # 0 Monday … 6 Sunday
    starts = fields.CharField(max_length=5)  # "14:00", the home's wall clock
    ends = fields.CharField(max_length=5)  # "17:00"
    minutes = fields.IntField()  # the length of one visit
    parties = fields.IntField()  # visiting parties at once
    lead_hours = fields.IntField(default=24)  # booking and cancelling close this long before
    days_ahead = fields.IntField(default=14)  # how far ahead it may be booked
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "visit_slot"


class VisitClosure(Model):
    """Days without visits (both days included), with the reason families read."""

    id = fields.IntField(primary_key=True)
    facility: fields.ForeignKeyRelation[Facility] = fields.ForeignKeyField(
        "heimbote.Facility", related_name="visit_closures", on_delete=fields.CASCADE
    )
    facility_id: int  # set by Tortoise
    unit: fields.ForeignKeyNullableRelation[Unit] = fields.ForeignKeyField(
        "heimbote.Unit", related_name="visit_closures", null=True, on_delete=fields.CASCADE
    )
    unit_id: int | None  # set by Tortoise
    first_day = fields.DateField()
    last_day = fields.DateField()
    reason = fields.CharField(max_length=200)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "visit_closure"


class VisitOccurrence(Model):
    """One dated time of a slot, made when first booked: ``booked`` of ``parties`` taken."""

    id = fields.IntField(primary_key=True)
    slot: fields.ForeignKeyRelation[VisitSlot] = fields.ForeignKeyField(
        "heimbote.VisitSlot", related_name="occurrences", on_delete=fields.CASCADE
    )
    slot_id: int  # set by Tortoise
    starts_at = fields.DatetimeField(db_index=True)
    ends_at = fields.DatetimeField()
    parties = fields.IntField()
    booked = fields.IntField(default=0)

    class Meta:
        table = "visit_occurrence"
        unique_together = (("slot", "starts_at"),)


class VisitBooking(Model):
    """A relative's visit to a resident at one occurrence, cancelled ones kept and marked."""

    id = fields.IntField(primary_key=True)
    occurrence: fields.ForeignKeyRelation[VisitOccurrence] = fields.ForeignKeyField(
        "heimbote.VisitOccurrence", related_name="bookings", on_delete=fields.CASCADE
    )
    occurrence_id: int  # set by Tortoise
    relative: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "heimbote.Account", related_name="visit_bookings", on_delete=fields.CASCADE
    )
    relative_id: int  # set by Tortoise
    resident: fields.ForeignKeyRelation[Resident] = fields.ForeignKeyField(
        "heimbote.Resident", related_name="visit_bookings", on_delete=fields.CASCADE
    )
    resident_id: int  # set by Tortoise
    people = fields.IntField(default=1)
    created_at = fields.DatetimeField()
    cancelled_at = fields.DatetimeField(null=True)
    # "relative" (they cancelled) or "closed" (the home closed the day)
    cancelled_because = fields.CharField(max_length=16, default="")

    class Meta:
        table = "visit_booking"
