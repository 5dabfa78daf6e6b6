"""Residents: who lives in a facility, their photo consent, the end of their stay."""

from __future__ import annotations

import csv
import io

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from bot import clock
from bot.domain.errors import InvalidInput, NotFound
from bot.models import (
    ConsentGiver,
    Invite,
    PhotoConsent,
    RelativeLink,
    Resident,
    ResidentStatus,
    Role,
    Unit,
)
from bot.services.accounts import audit
from bot.services.accounts.actors import Actor, require_role
from bot.services.accounts.facilities import get_facility, valid_name
from bot.services.photo_updates import housekeeping as photo_housekeeping

NAME_MAX = 100
ROOM_MAX = 32
UNIT_MAX = 100
IMPORT_COLUMNS = ("name", "room", "unit")


def _valid_room(room: str) -> str:
    room = room.strip()
    if len(room) > ROOM_MAX:
        raise InvalidInput("room", f"must be at most {ROOM_MAX} characters")
    return room


def _valid_unit(unit: str | None) -> str | None:
    """A unit name, or ``None`` for none (an empty name means none too)."""
    if unit is None or not unit.strip():
        return None
    return valid_name(unit, field="unit", maximum=UNIT_MAX)


async def _unit_named(facility_id: int, name: str | None) -> Unit | None:
    if name is None:
        return None
    unit, _ = await Unit.get_or_create(facility_id=facility_id, name=name)
    return unit


async def add_resident(
    actor: Actor, facility_id: int, *, display_name: str, room: str = "", unit: str | None = None
) -> Resident:
    """A new resident; the unit is created by name when new. Needs the admin role. Audited."""
    facility = await get_facility(actor, facility_id, Role.ADMIN)
    display_name = valid_name(display_name, maximum=NAME_MAX)
    room = _valid_room(room)
    unit_name = _valid_unit(unit)
    async with in_transaction():
        resident = await Resident.create(
            facility=facility,
            unit=await _unit_named(facility.id, unit_name),
            display_name=display_name,
            room=room,
        )
        await audit.record(
            actor, "resident.add", facility=facility, subject=f"resident:{resident.id}"
        )
    return resident


async def get_resident(actor: Actor, resident_id: int, minimum: Role = Role.STAFF) -> Resident:
    """The resident (unit and facility loaded), if the actor holds ``minimum`` in its facility."""
    resident = await Resident.get_or_none(id=resident_id).prefetch_related("unit", "facility")
    if resident is None:
        raise NotFound(f"no resident {resident_id}")
    await require_role(actor, resident.facility_id, minimum)
    return resident


async def list_residents(
    actor: Actor,
    facility_id: int,
    *,
    search: str = "",
    include_inactive: bool = False,
    offset: int = 0,
    limit: int = 10,
) -> tuple[list[Resident], int]:
    """One page of a facility's residents by name, and how many there are in all.

    ``search`` matches part of the name or the room, ignoring case. Needs the staff role.
    """
    await require_role(actor, facility_id, Role.STAFF)
    query = Resident.filter(facility_id=facility_id)
    if not include_inactive:
        query = query.filter(status=ResidentStatus.ACTIVE)
    search = search.strip()
    if search:
        query = query.filter(Q(display_name__icontains=search) | Q(room__icontains=search))
    total = await query.count()
    page = (
        await query.order_by("display_name", "id")
        .offset(max(offset, 0))
        .limit(max(limit, 1))
        .prefetch_related("unit")
    )
    return list(page), total


async def update_resident(
    actor: Actor,
    resident_id: int,
    *,
    display_name: str | None = None,
    room: str | None = None,
    unit: str | None = None,
) -> Resident:
    """Change name, room or unit (``None`` keeps it; an empty unit removes it). Admin. Audited."""
    resident = await get_resident(actor, resident_id, Role.ADMIN)
    changed: list[str] = []
    if display_name is not None:
        resident.display_name = valid_name(display_name, maximum=NAME_MAX)
        changed.append("display_name")
    if room is not None:
        resident.room = _valid_room(room)
        changed.append("room")
    async with in_transaction():
        if unit is not None:
            resident.unit = await _unit_named(resident.facility_id, _valid_unit(unit))
            changed.append("unit_id")
        if changed:
            await resident.save(update_fields=changed)
            await audit.record(
                actor, "resident.update", facility=resident.facility,
                subject=f"resident:{resident.id}", fields=[f.removesuffix("_id") for f in changed],
            )
    return resident


async def record_consent(actor: Actor, resident_id: int, given_by: ConsentGiver) -> Resident:
    """Record photo consent, given by the resident or their representative or proxy.

    Keeps who gave it, when, and who recorded it. Needs the admin role. Audited.
    """
    resident = await get_resident(actor, resident_id, Role.ADMIN)
    if resident.status != ResidentStatus.ACTIVE:
        raise InvalidInput("resident", "no longer lives in the facility")
    resident.photo_consent = PhotoConsent.GRANTED
    resident.consent_given_by = ConsentGiver(given_by)
    resident.consent_changed_at = clock.now()
    resident.consent_recorded_by = actor.account
    async with in_transaction():
        await resident.save(update_fields=_CONSENT_FIELDS)
        await audit.record(
            actor, "consent.grant", facility=resident.facility, subject=f"resident:{resident.id}",
            given_by=given_by,
        )
    return resident


_CONSENT_FIELDS = [
    "photo_consent", "consent_given_by", "consent_changed_at", "consent_recorded_by_id"
]


async def withdraw_consent(actor: Actor, resident_id: int) -> Resident:
    """Withdraw photo consent: from now on no photo of the resident is relayed. Admin. Audited."""
    resident = await get_resident(actor, resident_id, Role.ADMIN)
    if resident.photo_consent != PhotoConsent.GRANTED:
        raise InvalidInput("consent", "there is no photo consent to withdraw")
    previous = resident.consent_given_by
    resident.photo_consent = PhotoConsent.WITHDRAWN
    resident.consent_given_by = None
    resident.consent_changed_at = clock.now()
    resident.consent_recorded_by = actor.account
    async with in_transaction() as connection:
        await resident.save(update_fields=_CONSENT_FIELDS, using_db=connection)
        rejected = await photo_housekeeping.on_consent_withdrawn(resident.id, using_db=connection)
        await audit.record(
            actor, "consent.withdraw", facility=resident.facility,
            subject=f"resident:{resident.id}", given_by=previous,
            photo_updates_rejected=rejected,
        )
    return resident


async def end_stay(
    actor: Actor, resident_id: int, status: ResidentStatus, *, notify_relatives: bool
) -> list[RelativeLink]:
    """A resident moved out or died: links end and the resident's open invites are revoked.

    Returns the links that were active (accounts loaded), so that the caller can send the
    relatives a respectful notice when ``notify_relatives``. Needs the admin role. Audited.
    """
    if status not in (ResidentStatus.MOVED_OUT, ResidentStatus.DECEASED):
        raise InvalidInput("status", "must be moved_out or deceased")
    resident = await get_resident(actor, resident_id, Role.ADMIN)
    if resident.status != ResidentStatus.ACTIVE:
        raise InvalidInput("resident", "the stay has already ended")
    now = clock.now()
    async with in_transaction() as connection:
        links = await RelativeLink.filter(resident_id=resident.id, active=True).using_db(
            connection
        ).prefetch_related("account")
        await RelativeLink.filter(resident_id=resident.id, active=True).using_db(
            connection
        ).update(active=False)
        revoked = await Invite.filter(
            resident_id=resident.id, revoked_at__isnull=True
        ).using_db(connection).update(revoked_at=now)
        resident.status = status
        await resident.save(update_fields=["status"], using_db=connection)
        closed = await photo_housekeeping.on_stay_ended(resident.id, using_db=connection)
        await audit.record(
            actor, "resident.end_stay", facility=resident.facility,
            subject=f"resident:{resident.id}", status=status, links_ended=len(links),
            invites_revoked=revoked, notify_relatives=notify_relatives,
            photo_updates_closed=closed,
        )
    for link in links:
        link.active = False
    return list(links)


def _rows(csv_text: str) -> list[tuple[int, dict[str, str]]]:
    """The CSV's rows as (line number, column → value); the header names the columns."""
    text = csv_text.removeprefix("\ufeff")  # spreadsheets like to start with a byte-order mark
    first_line = text.split("\n", 1)[0]
    # German spreadsheets export with semicolons.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [column.strip().lower() for column in next(reader)]
    except StopIteration:
        empty = "the file is empty: the first line names the columns"
        raise InvalidInput("line 1", empty) from None
    except csv.Error as error:
        raise InvalidInput("line 1", str(error)) from None
    unknown = [column for column in header if column not in IMPORT_COLUMNS]
    if "name" not in header or unknown:
        raise InvalidInput(
            "line 1",
            "the first line must name the columns: name,room,unit (room and unit optional)",
        )
    rows = []
    try:
        for values in reader:
            if not any(value.strip() for value in values):
                continue  # blank lines are fine
            if len(values) > len(header):
                raise InvalidInput(f"line {reader.line_num}", f"more than {len(header)} columns")
            rows.append((reader.line_num, dict(zip(header, values, strict=False))))
    except csv.Error as error:
        raise InvalidInput(f"line {reader.line_num}", str(error)) from None
    return rows


async def import_residents(actor: Actor, facility_id: int, csv_text: str) -> list[Resident]:
    """Add residents from CSV text with the columns ``name,room,unit`` (header required).

    All or nothing: any bad row raises :class:`InvalidInput` naming its line, and then nothing
    is imported. A row repeating a current resident's name and room is bad too (imported
    twice?). Needs the admin role. Audited once for the whole import.
    """
    facility = await get_facility(actor, facility_id, Role.ADMIN)
    existing = set(
        await Resident.filter(facility_id=facility.id, status=ResidentStatus.ACTIVE).values_list(
            "display_name", "room"
        )
    )
    wanted: list[tuple[str, str, str | None]] = []
    for line, row in _rows(csv_text):
        try:
            name = valid_name(row.get("name", ""), maximum=NAME_MAX)
            room = _valid_room(row.get("room", ""))
            unit = _valid_unit(row.get("unit"))
        except InvalidInput as error:
            raise InvalidInput(f"line {line}", f"{error.field} {error.reason}") from None
        if (name, room) in existing:
            raise InvalidInput(f"line {line}", f"{name} (room {room or '-'}) is already listed")
        existing.add((name, room))
        wanted.append((name, room, unit))
    if not wanted:
        raise InvalidInput("line 2", "no residents in the file")
    async with in_transaction():
        units: dict[str, Unit] = {}
        residents = []
        for name, room, unit_name in wanted:
            unit = None
            if unit_name is not None:
                if unit_name not in units:
                    units[unit_name], _ = await Unit.get_or_create(
                        facility_id=facility.id, name=unit_name
                    )
                unit = units[unit_name]
            residents.append(
                await Resident.create(facility=facility, unit=unit, display_name=name, room=room)
            )
        await audit.record(
            actor, "resident.import", facility=facility, subject=f"facility:{facility.id}",
            count=len(residents),
        )
    return residents
