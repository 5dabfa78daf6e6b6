"""Events of a home (the summer party): who may come, how many places, who signed up.

``taken`` counts the places signed up for: one conditional update of it decides the last place.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from bot.domain.enums import EventAudience
from bot.models.accounts import Account
from bot.models.facilities import Facility


class Event(Model):
    """One event of a facility, with its places and sign-up deadline (times in UTC)."""

    id = fields.IntField(primary_key=True)
    facility: fields.ForeignKeyRelation[Facility] = fields.ForeignKeyField(
        "heimbote.Facility", related_name="events", on_delete=fields.CASCADE
    )
    facility_id: int  # set by Tortoise
    title = fields.CharField(max_length=200)
    description = fields.TextField(default="")
    starts_at = fields.DatetimeField(db_index=True)
    ends_at = fields.DatetimeField()
    place = fields.CharField(max_length=200, default="")
    audience = fields.CharEnumField(EventAudience, default=EventAudience.RELATIVES, max_length=16)
    capacity = fields.IntField()  # places for relatives and whom they bring
    taken = fields.IntField(default=0)  # places signed up for
    signup_until = fields.DatetimeField(null=True)
    public = fields.BooleanField(default=False)  # in the home's public calendar feed
    sequence = fields.IntField(default=0)  # raised with every change sent to calendars
    cancelled_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()
    changed_at = fields.DatetimeField()  # created, or last changed or cancelled
    signups: fields.ReverseRelation[EventSignup]  # set by Tortoise

    class Meta:
        table = "event"


class EventSignup(Model):
    """A relative signed up for an event, with how many people come in all (with them)."""

    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[Event] = fields.ForeignKeyField(
        "heimbote.Event", related_name="signups", on_delete=fields.CASCADE
    )
    event_id: int  # set by Tortoise
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "heimbote.Account", related_name="event_signups", on_delete=fields.CASCADE
    )
    account_id: int  # set by Tortoise
    people = fields.IntField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "event_signup"
        unique_together = (("event", "account"),)
