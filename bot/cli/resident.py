"""``heimbote resident add|list|import|consent``: the residents of a facility.

Every command goes through the same services as the bot, as :meth:`Actor.cli`, and is audited
with ``via=cli``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bot.cli.errors import CommandFailed
from bot.cli.output import emit, table, utc_iso
from bot.config import Settings
from bot.db import database
from bot.domain.errors import InvalidInput
from bot.models import ConsentGiver, Facility, Resident
from bot.services.accounts import facilities, residents
from bot.services.accounts.actors import Actor

CLI = Actor.cli()
RESIDENT_PAGE = 500


def _resident_json(resident: Resident, facility: Facility) -> dict[str, Any]:
    return {
        "id": resident.id, "facility": facility.slug, "name": resident.display_name,
        "room": resident.room, "unit": resident.unit.name if resident.unit else None,
        "status": resident.status.value, "photo_consent": resident.photo_consent.value,
        "consent_given_by": resident.consent_given_by.value if resident.consent_given_by else None,
        "consent_changed_at": utc_iso(resident.consent_changed_at),
    }


async def resident_add(settings: Settings, args: argparse.Namespace) -> None:
    """Add a resident to a facility (and the unit, when it is new)."""
    async with database(settings.database_url):
        facility = await facilities.facility_by_slug(args.facility)
        resident = await residents.add_resident(
            CLI, facility.id, display_name=args.name, room=args.room, unit=args.unit
        )
    emit(
        args, _resident_json(resident, facility),
        [f"added resident {resident.id}: {resident.display_name} to {facility.slug}"],
    )


async def resident_list(settings: Settings, args: argparse.Namespace) -> None:
    """List a facility's residents, page by page from the service, in one table."""
    found: list[Resident] = []
    async with database(settings.database_url):
        facility = await facilities.facility_by_slug(args.facility)
        total = 1
        while len(found) < total:
            page, total = await residents.list_residents(
                CLI, facility.id, search=args.search, include_inactive=args.all,
                offset=len(found), limit=RESIDENT_PAGE,
            )
            if not page:
                break
            found.extend(page)
    rows = [
        (r.id, r.display_name, r.room, r.unit.name if r.unit else "", r.photo_consent.value,
         r.status.value)
        for r in found
    ]
    headers = ("ID", "NAME", "ROOM", "UNIT", "PHOTO CONSENT", "STATUS")
    lines = table(headers, rows) if rows else [f"no residents in {facility.slug}"]
    emit(args, [_resident_json(r, facility) for r in found], lines)


def _read_csv(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise CommandFailed(f"cannot read {path}: {error.strerror}") from None
    # A rule of the import, like a bad row: exit status 1, nothing imported.
    not_text = InvalidInput(path.name, "not a text file: please save the list as CSV")
    if b"\x00" in raw:
        raise not_text
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")  # what older spreadsheet programs save as "CSV"
    except UnicodeDecodeError:
        raise not_text from None


async def resident_import(settings: Settings, args: argparse.Namespace) -> None:
    """Add residents from a CSV file (columns: name, room, unit)."""
    csv_text = _read_csv(Path(args.file))
    async with database(settings.database_url):
        facility = await facilities.facility_by_slug(args.facility)
        imported = await residents.import_residents(CLI, facility.id, csv_text)
        for resident in imported:
            await resident.fetch_related("unit")
    emit(
        args, [_resident_json(r, facility) for r in imported],
        [f"imported {len(imported)} residents into {facility.slug}"],
    )


async def resident_consent(settings: Settings, args: argparse.Namespace) -> None:
    """Record or withdraw a resident's photo consent."""
    async with database(settings.database_url):
        if args.withdraw:
            resident = await residents.withdraw_consent(CLI, args.id)
        else:
            resident = await residents.record_consent(CLI, args.id, ConsentGiver(args.granted_by))
        facility = resident.facility
    if args.withdraw:
        line = f"photo consent withdrawn for resident {resident.id}: {resident.display_name}"
    else:
        line = (f"photo consent recorded for resident {resident.id}: {resident.display_name}"
                f" (given by the {args.granted_by})")
    emit(args, _resident_json(resident, facility), [line])
