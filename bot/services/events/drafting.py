"""A new event typed step by step in Telegram: each answer checked here, kept in the awaited
input's payload, and the event made from it at the end (:func:`create_from_draft`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from bot import clock
from bot.domain.enums import EventAudience
from bot.domain.errors import InvalidInput
from bot.models import Facility
from bot.services.accounts.actors import Actor
from bot.services.events.manage import (
    DESCRIPTION_LIMIT,
    MAX_CAPACITY,
    PLACE_LIMIT,
    TITLE_LIMIT,
    NewEvent,
    checked_text,
    create_event,
    parse_when,
)
from bot.services.events.views import EventView

STEPS = ("title", "description", "when", "place", "capacity", "deadline")
SKIP = "-"  # typed for "none" where a step may stay empty


def next_step(draft: Mapping[str, Any]) -> str | None:
    """The first step not answered yet, or ``None`` when only the audience is left."""
    return next((step for step in STEPS if step not in draft), None)


def answer_step(
    draft: Mapping[str, Any], text: str, timezone: str, *, now: dt.datetime | None = None
) -> dict[str, Any]:
    """The draft with the answer to its next step; :class:`InvalidInput` names what is wrong."""
    now = now or clock.now()
    step = next_step(draft)
    if step is None:
        raise InvalidInput("step", "nothing more to type")
    skipped = text.strip() == SKIP
    value: Any
    if step == "title":
        value = checked_text(text, "title", TITLE_LIMIT, required=True)
    elif step == "description":
        value = "" if skipped else checked_text(text, "description", DESCRIPTION_LIMIT,
                                         required=False, lines=True)
    elif step == "place":
        value = "" if skipped else checked_text(text, "place", PLACE_LIMIT, required=False)
    elif step == "when":
        start, end = parse_when(text, timezone)
        if start <= now:
            raise InvalidInput("when", "past")
        value = [start.isoformat(), end.isoformat()]
    elif step == "capacity":
        raw = text.strip()
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_CAPACITY:
            raise InvalidInput("capacity", f"1-{MAX_CAPACITY}")
        value = int(raw)
    else:
        value = None
        if not skipped:
            until, _ = parse_when(text, timezone)
            if until <= now or until > dt.datetime.fromisoformat(draft["when"][0]):
                raise InvalidInput("signup_until", "between now and the start")
            value = until.isoformat()
    return {**draft, step: value}


async def create_from_draft(
    actor: Actor, facility_id: int, draft: Mapping[str, Any], audience: EventAudience,
    *, now: dt.datetime | None = None,
) -> EventView:
    """The event the admin typed, for ``audience``; checked again as a whole."""
    if next_step(draft) is not None:
        raise InvalidInput("step", "not finished")
    await Facility.get(id=facility_id)
    start, end = (dt.datetime.fromisoformat(value) for value in draft["when"])
    deadline = draft.get("deadline")
    return await create_event(actor, facility_id, NewEvent(
        title=str(draft["title"]), description=str(draft["description"]), starts_at=start,
        ends_at=end, place=str(draft["place"]), capacity=int(draft["capacity"]),
        audience=audience,
        signup_until=dt.datetime.fromisoformat(deadline) if deadline else None,
    ), now=now)
