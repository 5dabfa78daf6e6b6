"""Staff write wellbeing notes: pick a resident, tap mood, appetite and activity, maybe a line.

The note being written is the author's awaited input (kind :data:`NOTE`): its taps are kept
there, and text typed meanwhile becomes the note's line. A note is kept when saved, without
approval; every step re-checks the author's role in the resident's home.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from bot import clock
from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.domain.text import clean, visible
from bot.models import (
    Account,
    AwaitedInput,
    Facility,
    Resident,
    ResidentStatus,
    Role,
    StaffRole,
    Unit,
    WellbeingNote,
    WellbeingResident,
    WellbeingWriter,
)
from bot.services.accounts.actors import Actor, require_role
from bot.services.accounts.awaiting import await_input, awaited_input
from bot.services.accounts.facilities import facilities_for
from bot.services.wellbeing.screening import screen_note
from bot.services.wellbeing.settings import (
    activities_of,
    resident_notes_enabled,
    setup_of,
)

PICK = "wb_pick"  # the picker is open: typed text searches
NOTE = "wb_note"  # a note is being written: typed text is its line
MOODS = ("good", "ok", "low")
APPETITES = ("well", "little", "hardly")
FIELDS = ("mood", "appetite", "activity")


@dataclass(frozen=True)
class ResidentChoice:
    """A resident in the picker."""

    id: int
    name: str
    room: str
    unit: str


@dataclass(frozen=True)
class NoteDraft:
    """The note being written, as its screen shows it."""

    resident_id: int
    resident_name: str
    mood: str
    appetite: str
    activity: str
    text: str
    activities: tuple[str, ...]

    @property
    def empty(self) -> bool:
        """Nothing tapped or typed yet."""
        return not (self.mood or self.appetite or self.activity or self.text)


def author_of(actor: Actor) -> Account:
    """Notes are written from Telegram, by an account."""
    if actor.account is None:
        raise NotAllowed("notes are written by an account")
    return actor.account


async def writing_facilities(actor: Actor) -> list[Facility]:
    """The homes where the actor may write notes (staff or more, notes switched on)."""
    homes = await facilities_for(actor, Role.STAFF)
    return [home for home in homes if (await setup_of(home.id)).notes_enabled]


async def on_a_team(actor: Actor) -> bool:
    """Whether the actor is on the team of any home (also one with notes switched off)."""
    return bool(await facilities_for(actor, Role.STAFF))


async def resident_choices(
    actor: Actor, search: str = "", offset: int = 0, limit: int = 8
) -> tuple[list[ResidentChoice], int]:
    """One page of the residents the actor may write about and the total: those of the actor's
    own unit first, then by unit and name.

    ``search`` matches part of the name or the room, ignoring case.
    """
    homes = [home.id for home in await writing_facilities(actor)]
    if not homes:
        raise NotAllowed("not on the team of a home that writes notes")
    off: list[Any] = await WellbeingResident.filter(
        notes_enabled=False, resident__facility_id__in=homes
    ).values_list("resident_id", flat=True)
    residents = Resident.filter(facility_id__in=homes, status=ResidentStatus.ACTIVE).exclude(
        id__in=[int(r) for r in off]
    )
    search = search.strip()
    if search:
        residents = residents.filter(Q(display_name__icontains=search) | Q(room__icontains=search))
    # A home's residents fit in memory; the own unit first is simpler sorted here than in SQL.
    rows = await residents.values("id", "display_name", "room", "unit_id", "unit__name")
    mine = await my_unit(actor)
    rows.sort(key=lambda row: (row["unit_id"] != mine if mine else False,
                               row["unit__name"] or "\uffff", row["display_name"], row["id"]))
    page = rows[max(offset, 0):max(offset, 0) + max(limit, 1)]
    return [
        ResidentChoice(row["id"], row["display_name"], row["room"], row["unit__name"] or "")
        for row in page
    ], len(rows)


@dataclass(frozen=True)
class UnitChoice:
    """A unit (Wohnbereich) of the actor's homes, and whether it is the actor's own."""

    id: int
    name: str
    mine: bool


async def my_unit(actor: Actor) -> int | None:
    """The id of the unit the actor chose as their own, if any."""
    if actor.account is None:
        return None
    row = await WellbeingWriter.get_or_none(account_id=actor.account.id)
    return row.unit_id if row else None


async def unit_choices(actor: Actor) -> list[UnitChoice]:
    """The units of the homes where the actor writes notes, by name (none: no units)."""
    homes = [home.id for home in await writing_facilities(actor)]
    mine = await my_unit(actor)
    units = await Unit.filter(facility_id__in=homes).order_by("name", "id")
    return [UnitChoice(unit.id, unit.name, unit.id == mine) for unit in units]


async def set_my_unit(actor: Actor, unit_id: int) -> None:
    """Choose one's own unit (0: none); only a unit of a home where one is on the team."""
    account = author_of(actor)
    if unit_id:
        unit = await Unit.get_or_none(id=unit_id)
        if unit is None:
            raise NotFound(f"unit {unit_id}")
        await require_role(actor, unit.facility_id, Role.STAFF)
    await WellbeingWriter.update_or_create(
        defaults={"unit_id": unit_id or None}, account_id=account.id
    )


async def _writable(actor: Actor, resident_id: int) -> Resident:
    resident = await Resident.get_or_none(id=resident_id, status=ResidentStatus.ACTIVE)
    if resident is None:
        raise NotFound(f"resident {resident_id}")
    await require_role(actor, resident.facility_id, Role.STAFF)
    if not (await setup_of(resident.facility_id)).notes_enabled or not (
        await resident_notes_enabled(resident.id)
    ):
        raise InvalidInput("notes", "switched off")
    return resident


async def _draft(resident: Resident, payload: dict[str, Any]) -> NoteDraft:
    setup = await setup_of(resident.facility_id)
    return NoteDraft(
        resident_id=resident.id, resident_name=resident.display_name,
        mood=str(payload.get("mood", "")), appetite=str(payload.get("appetite", "")),
        activity=str(payload.get("activity", "")), text=str(payload.get("text", "")),
        activities=activities_of(setup),
    )


async def _payload(account: Account, resident_id: int) -> dict[str, Any]:
    awaited = await awaited_input(account)
    if awaited is None or awaited.kind != NOTE or awaited.payload.get("resident") != resident_id:
        raise NotFound("no note being written about this resident")
    return dict(awaited.payload)


async def start_note(actor: Actor, resident_id: int) -> NoteDraft:
    """Start a note about a resident (forgetting any other unsaved note)."""
    resident = await _writable(actor, resident_id)
    await await_input(author_of(actor), NOTE, resident=resident.id)
    return await _draft(resident, {})


async def open_note(actor: Actor, resident_id: int) -> NoteDraft:
    """The note being written about this resident (:class:`NotFound` when there is none)."""
    resident = await _writable(actor, resident_id)
    return await _draft(resident, await _payload(author_of(actor), resident.id))


async def choose(actor: Actor, resident_id: int, field: str, value: str) -> NoteDraft:
    """One tap: mood, appetite or activity (tapping the chosen one again clears it)."""
    resident = await _writable(actor, resident_id)
    account = author_of(actor)
    payload = await _payload(account, resident.id)
    allowed = {"mood": MOODS, "appetite": APPETITES,
               "activity": activities_of(await setup_of(resident.facility_id))}
    if field not in allowed or value not in allowed[field]:
        raise InvalidInput(field, "not offered")
    payload[field] = "" if payload.get(field) == value else value
    await await_input(account, NOTE, **payload)
    return await _draft(resident, payload)


async def set_text(actor: Actor, text: str) -> NoteDraft:
    """The line typed while a note is open, after screening (:class:`NoteHeld`)."""
    account = author_of(actor)
    awaited = await awaited_input(account)
    if awaited is None or awaited.kind != NOTE:
        raise NotFound("no note being written")
    resident = await _writable(actor, int(awaited.payload["resident"]))
    text = " ".join(clean(text, lines=False).split())
    if not visible(text):
        raise InvalidInput("text", "nothing visible")
    await screen_note(resident.facility_id, resident.id, text)
    payload = {**awaited.payload, "text": text}
    await await_input(account, NOTE, **payload)
    return await _draft(resident, payload)


async def save_note(actor: Actor, resident_id: int, *, now: dt.datetime | None = None) -> str:
    """Keep the note (no approval); returns the resident's name. Empty notes are refused."""
    resident = await _writable(actor, resident_id)
    account = author_of(actor)
    draft = await _draft(resident, await _payload(account, resident.id))
    if draft.empty:
        raise InvalidInput("note", "empty")
    facility = await Facility.get(id=resident.facility_id)
    moment = now or clock.now()
    role = await StaffRole.get_or_none(account_id=account.id, facility_id=facility.id)
    async with in_transaction() as connection:
        # The draft is taken by exactly one save: a double tap (or two processes) keeps one
        # note, and a crash keeps either both the note and no draft, or neither.
        taken = await AwaitedInput.filter(account_id=account.id, kind=NOTE).using_db(
            connection
        ).delete()
        if not taken:
            raise NotFound("no note being written about this resident")
        await WellbeingNote.create(
            facility_id=facility.id, resident_id=resident.id, author=account,
            author_role=role.role.value if role else Role.ADMIN.value,
            mood=draft.mood, appetite=draft.appetite, activity=draft.activity, text=draft.text,
            text_locale=(account.locale or facility.default_locale) if draft.text else "",
            day=moment.astimezone(ZoneInfo(facility.timezone)).date(), created_at=moment,
            using_db=connection,
        )
    return resident.display_name


async def search_picker(actor: Actor, search: str = "") -> None:
    """The picker is open: typed text searches it."""
    await await_input(author_of(actor), PICK, search=search)
