"""Adding residents from a spreadsheet (CSV with the columns ``name,room,unit``), all or
nothing."""

from __future__ import annotations

import csv
import io
import re

from tortoise.transactions import in_transaction

from bot.domain.errors import InvalidInput
from bot.models import Resident, ResidentStatus, Role, Unit
from bot.services.accounts import audit
from bot.services.accounts.actors import Actor
from bot.services.accounts.facilities import get_facility
from bot.services.accounts.resident_fields import valid_resident_name, valid_room, valid_unit

IMPORT_COLUMNS = ("name", "room", "unit")
# Control characters (other than tab and line ends) mean a binary file, not a spreadsheet.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _refuse_control_characters(text: str) -> None:
    found = _CONTROL.search(text)
    if found is not None:
        line = text.count("\n", 0, found.start()) + 1
        raise InvalidInput(
            f"line {line}", "control characters: this does not look like a CSV text file"
        )


def _rows(csv_text: str) -> list[tuple[int, dict[str, str]]]:
    """The CSV's rows as (line number, column → value); the header names the columns."""
    text = csv_text.removeprefix("\ufeff")  # spreadsheets like to start with a byte-order mark
    _refuse_control_characters(text)
    first_line = text.split("\n", 1)[0]
    # German spreadsheets export with semicolons.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    # strict: an unterminated or stray quote is an error, not a field that swallows the rest.
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
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
            name = valid_resident_name(row.get("name", ""))
            room = valid_room(row.get("room", ""))
            unit = valid_unit(row.get("unit"))
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
            in_unit: Unit | None = None
            if unit_name is not None:
                if unit_name not in units:
                    units[unit_name], _ = await Unit.get_or_create(
                        facility_id=facility.id, name=unit_name
                    )
                in_unit = units[unit_name]
            residents.append(
                await Resident.create(
                    facility=facility, unit=in_unit, display_name=name, room=room
                )
            )
        await audit.record(
            actor, "resident.import", facility=facility, subject=f"facility:{facility.id}",
            count=len(residents),
        )
    return residents
