"""Please call us: a staff member's urgent alert to one resident's emergency contacts.

Whether a relative is an emergency contact is a flag on their link
(``RelativeLink.emergency_contact``). An :class:`EmergencyCall` keeps everything the periodic
job needs to repeat the alert and to tell the sender when nobody answered: no process keeps it
in memory.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from bot.models.accounts import Account
from bot.models.facilities import Facility, Resident


class CallReason(StrEnum):
    """What the home asks of the family: no free text, nothing medical."""

    CALL = "call"  # please call the home
    COME = "come"  # please come to the home


class CallAnswer(StrEnum):
    """What the emergency contact who acknowledged will do."""

    CALL = "call"  # I will call
    COME = "come"  # I am coming


class EmergencyCall(Model):
    """One urgent alert about one resident, its repeats and its acknowledgement."""

    id = fields.IntField(primary_key=True)
    facility: fields.ForeignKeyRelation[Facility] = fields.ForeignKeyField(
        "heimbote.Facility", related_name="emergency_calls", on_delete=fields.CASCADE
    )
    facility_id: int  # set by Tortoise
    resident: fields.ForeignKeyRelation[Resident] = fields.ForeignKeyField(
        "heimbote.Resident", related_name="emergency_calls", on_delete=fields.CASCADE
    )
    resident_id: int  # set by Tortoise
    sender: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "heimbote.Account", null=True, on_delete=fields.SET_NULL, related_name=False
    )
    sender_id: int | None  # set by Tortoise
    reason = fields.CharEnumField(CallReason, max_length=8)
    created_at = fields.DatetimeField(db_index=True)
    # How often the alert went out so far, and when the next repeat is due (none: no more).
    sends = fields.IntField(default=0)
    next_send_at = fields.DatetimeField(null=True, db_index=True)
    acknowledged_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "heimbote.Account", null=True, on_delete=fields.SET_NULL, related_name=False
    )
    acknowledged_by_id: int | None  # set by Tortoise
    acknowledged_at = fields.DatetimeField(null=True)
    answer: CallAnswer | None = fields.CharEnumField(  # type: ignore[assignment]
        CallAnswer, null=True, max_length=8
    )  # nullable: Tortoise's typing cannot say so
    # When the sender was told to phone, nobody having answered within the hour.
    overdue_at = fields.DatetimeField(null=True)

    class Meta:
        table = "emergency_call"
