"""The demo home's visiting slots: the Rosengarten unit every afternoon, the whole home on
Sunday mornings, so that Anna always finds a free time today or tomorrow."""

from __future__ import annotations

from bot.models import Facility
from bot.services.accounts.actors import Actor
from bot.services.visits import add_slot, set_day_list_at

OPERATOR = Actor.cli()


async def seed_visits(facility: Facility) -> None:
    """Afternoons 14:00-18:00 in the Rosengarten (Frau M.'s unit), Sundays 10:00-12:00 for all."""
    for weekday in range(7):
        await add_slot(OPERATOR, facility.id, weekday=weekday, starts="14:00", ends="18:00",
                       minutes=30, parties=2, lead_hours=1, days_ahead=14, unit="Rosengarten")
    await add_slot(OPERATOR, facility.id, weekday=6, starts="10:00", ends="12:00", minutes=60,
                   parties=3, lead_hours=1, days_ahead=14)
    await set_day_list_at(OPERATOR, facility.id, "07:30")
