"""Places still held by a slot the home removed: an "edited" slot is removed and added again.

The new slot's times are new rows, so the visits booked under the old slot would not count
against them and the same hour could be given out twice. These helpers count, for a time of an
active slot, the visits still booked on overlapping times of the removed slots of the same unit
(or of the whole home). Removed slots take no bookings, so that count can only fall: using it as
a constant in the conditional write stays safe.
"""

from __future__ import annotations

import datetime as dt

from bot.models import VisitOccurrence, VisitSlot


async def removed_held(
    slots: list[VisitSlot], start: dt.datetime, end: dt.datetime
) -> list[tuple[int | None, dt.datetime, dt.datetime, int]]:
    """(unit, start, end, booked) of the removed slots' times between ``start`` and ``end``."""
    if not slots:
        return []
    facility_id = slots[0].facility_id
    rows = await VisitOccurrence.filter(
        slot__facility_id=facility_id, slot__active=False, booked__gt=0,
        starts_at__lt=end, ends_at__gt=start,
    ).prefetch_related("slot")
    return [(row.slot.unit_id, row.starts_at, row.ends_at, row.booked) for row in rows]


def held_at(held: list[tuple[int | None, dt.datetime, dt.datetime, int]], slot: VisitSlot,
            starts_at: dt.datetime, ends_at: dt.datetime) -> int:
    """How many places of ``slot``'s time are still held under removed slots."""
    return sum(booked for unit_id, start, end, booked in held
               if unit_id == slot.unit_id and start < ends_at and end > starts_at)
