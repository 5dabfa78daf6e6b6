"""``heimbote visits slots list|add|remove``, ``visits close``, ``visits list``,
``visits settings``: a home's visiting slots, its closures, who comes when.

The same services as the bot's ``/facility`` → Visits screen, audited with ``via=cli``. Times
are the home's wall clock; in JSON, instants are UTC ISO 8601.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING, Any

from bot.cli.errors import CommandError
from bot.cli.output import emit
from bot.config import Settings
from bot.db import database
from bot.models import VisitSlot
from bot.services import visits as service
from bot.services.accounts.actors import Actor
from bot.services.accounts.facilities import facility_by_slug

if TYPE_CHECKING:
    Commands = argparse._SubParsersAction[argparse.ArgumentParser]

CLI = Actor.cli()


def _slot_json(slot: VisitSlot, unit: str) -> dict[str, Any]:
    return {"id": slot.id, "weekday": service.WEEKDAYS[slot.weekday], "from": slot.starts,
            "until": slot.ends, "minutes": slot.minutes, "parties": slot.parties,
            "lead_hours": slot.lead_hours, "days_ahead": slot.days_ahead, "unit": unit or None}


def _slot_line(data: dict[str, Any]) -> str:
    unit = f"  unit {data['unit']}" if data["unit"] else ""
    return (f"#{data['id']}  {data['weekday']} {data['from']}-{data['until']}  "
            f"{data['minutes']} min  {data['parties']} at once  "
            f"{data['lead_hours']} h before  {data['days_ahead']} days ahead{unit}")


async def slots_list(settings: Settings, args: argparse.Namespace) -> None:
    """The home's weekly slots."""
    async with database(settings.database_url):
        facility = await facility_by_slug(args.facility)
        overview = await service.overview(CLI, facility.id)
    data = [_slot_json(slot, unit) for slot, unit in overview.slots]
    emit(args, data, [_slot_line(each) for each in data] or ["no visiting slots"])


def _weekday(text: str) -> int:
    found = service.weekday_of(text, "en")
    if found is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a weekday (Mon … Sun)")
    return found


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


async def slots_add(settings: Settings, args: argparse.Namespace) -> None:
    """A new weekly slot."""
    async with database(settings.database_url):
        facility = await facility_by_slug(args.facility)
        slot = await service.add_slot(
            CLI, facility.id, weekday=args.weekday, starts=args.starts, ends=args.ends,
            minutes=args.minutes, parties=args.parties, lead_hours=args.lead_hours,
            days_ahead=args.days_ahead, unit=args.unit)
    data = _slot_json(slot, args.unit or "")
    emit(args, data, [f"added {_slot_line(data)}"])


async def slots_remove(settings: Settings, args: argparse.Namespace) -> None:
    """No more bookings of a slot (booked visits stay)."""
    async with database(settings.database_url):
        facility = await facility_by_slug(args.facility)
        slot = await service.remove_slot(CLI, facility.id, args.id)
    emit(args, {"removed": slot.id}, [f"removed slot #{slot.id}; booked visits stay"])


async def close(settings: Settings, args: argparse.Namespace) -> None:
    """Close days; their bookings are cancelled and the families told."""
    if args.until < args.first:
        raise CommandError("--until is before --from")
    async with database(settings.database_url):
        facility = await facility_by_slug(args.facility)
        closure, cancelled = await service.close(
            CLI, facility.id, first=args.first, last=args.until, reason=args.reason,
            unit=args.unit)
    data = {"id": closure.id, "from": closure.first_day.isoformat(),
            "until": closure.last_day.isoformat(), "reason": closure.reason,
            "unit": args.unit, "cancelled": cancelled}
    emit(args, data, [f"closed {data['from']} to {data['until']}: {cancelled} booked visits "
                      "cancelled, their families told"])


async def visits_list(settings: Settings, args: argparse.Namespace) -> None:
    """The booked visits of a day (today by default), by unit and time."""
    async with database(settings.database_url):
        facility = await facility_by_slug(args.facility)
        facility, visits = await service.staff_list(CLI, facility.id, day=args.day)
    data = [{"id": v.booking_id, "starts_at": v.starts_at.astimezone(dt.UTC).isoformat(),
             "ends_at": v.ends_at.astimezone(dt.UTC).isoformat(), "unit": v.unit or None,
             "resident": v.resident, "relative": v.relative, "people": v.people}
            for v in visits]
    emit(args, data, service.by_unit("en", visits, facility.timezone) or ["no visits booked"])


async def visits_settings(settings: Settings, args: argparse.Namespace) -> None:
    """When the staff group gets the day's list (after changing it)."""
    async with database(settings.database_url):
        facility = await facility_by_slug(args.facility)
        if args.day_list_at is not None:
            await service.set_day_list_at(CLI, facility.id, args.day_list_at)
        overview = await service.overview(CLI, facility.id)
    emit(args, {"facility": facility.slug, "day_list_at": overview.day_list_at},
         [f"day's list to the staff group at {overview.day_list_at}"])


def _command(group: Commands, name: str, text: str, run: Any) -> argparse.ArgumentParser:
    parser = group.add_parser(name, help=text, description=text)
    parser.add_argument("--facility", required=True, metavar="SLUG")
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")
    parser.set_defaults(command=run)
    return parser


def register(commands: Commands) -> None:
    """``heimbote visits …`` (called by :func:`bot.cli.parser.build_parser`)."""
    text = "visiting slots, closures and booked visits of a home"
    group = commands.add_parser("visits", help=text, description=text).add_subparsers(
        title="commands", metavar="COMMAND", required=True)
    slots = group.add_parser("slots", help="the weekly visiting slots",
                             description="the weekly visiting slots").add_subparsers(
        title="commands", metavar="COMMAND", required=True)
    _command(slots, "list", "list the slots", slots_list)
    add = _command(slots, "add", "add a weekly slot", slots_add)
    add.add_argument("--weekday", required=True, type=_weekday, help="Mon … Sun")
    add.add_argument("--from", dest="starts", required=True, metavar="HH:MM")
    add.add_argument("--until", dest="ends", required=True, metavar="HH:MM")
    add.add_argument("--minutes", required=True, type=int, help="length of one visit (10-240)")
    add.add_argument("--parties", required=True, type=int,
                     help="visiting parties at once (1-50)")
    add.add_argument("--lead-hours", type=int, default=24,
                     help="booking and cancelling close this many hours before (0-168; 24)")
    add.add_argument("--days-ahead", type=int, default=14,
                     help="how many days ahead it may be booked (1-90; 14)")
    add.add_argument("--unit", metavar="NAME", help="the unit (default: the whole home)")
    remove = _command(slots, "remove", "stop offering a slot (booked visits stay)",
                      slots_remove)
    remove.add_argument("--id", required=True, type=int)

    closing = _command(group, "close", "close days: their bookings are cancelled, the "
                       "families told", close)
    closing.add_argument("--from", dest="first", required=True, type=_date, metavar="DATE")
    closing.add_argument("--until", required=True, type=_date, metavar="DATE")
    closing.add_argument("--reason", required=True, help="shown to the families")
    closing.add_argument("--unit", metavar="NAME", help="only this unit (default: all)")

    listing = _command(group, "list", "the booked visits of a day", visits_list)
    listing.add_argument("--day", type=_date, metavar="DATE", help="default: today")

    shown = _command(group, "settings", "when the staff group gets the day's list",
                     visits_settings)
    shown.add_argument("--day-list-at", metavar="HH:MM")
