"""A resident's fields as the rules allow them: name, room and unit, the same for adding,
editing and importing."""

from __future__ import annotations

from bot.domain.errors import InvalidInput
from bot.domain.text import clean
from bot.models import Unit
from bot.services.accounts.facilities import valid_name

NAME_MAX = 100
ROOM_MAX = 32
UNIT_MAX = 100


def valid_resident_name(name: str) -> str:
    """The name without surrounding spaces; :class:`InvalidInput` when empty or too long."""
    return valid_name(name, maximum=NAME_MAX)


def valid_room(room: str) -> str:
    """The room cleaned, without surrounding spaces; :class:`InvalidInput` when too long."""
    room = " ".join(clean(room, lines=False).split())
    if len(room) > ROOM_MAX:
        raise InvalidInput("room", f"must be at most {ROOM_MAX} characters")
    return room


def valid_unit(unit: str | None) -> str | None:
    """A unit name, or ``None`` for none (an empty name means none too)."""
    if unit is None or not clean(unit, lines=False).strip():
        return None
    return valid_name(unit, field="unit", maximum=UNIT_MAX)


async def unit_named(facility_id: int, name: str | None) -> Unit | None:
    """The facility's unit of this name, created when new; ``None`` for none."""
    if name is None:
        return None
    unit, _ = await Unit.get_or_create(facility_id=facility_id, name=name)
    return unit
