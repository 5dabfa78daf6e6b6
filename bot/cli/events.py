"""``heimbote events add|list|show|change|cancel``: a home's events from the command line.

The same services as ``/events`` in Telegram, as the operator (audited ``via=cli``): a change or
cancellation reaches everyone signed up through the outbox, which the running bot sends. Times
are typed and printed in the facility's time zone; JSON has them in UTC.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from bot.cli.errors import CommandError, CommandFailed
from bot.cli.output import emit, local_time, table, utc_iso
from bot.config import Settings
from bot.db import database
from bot.domain.enums import EventAudience
from bot.domain.errors import InvalidInput
from bot.models import Facility
from bot.services import events
from bot.services.accounts.actors import Actor
from bot.services.accounts.facilities import facility_by_slug

CLI = Actor.cli()

if TYPE_CHECKING:
    # What ``add_subparsers()`` returns: argparse gives it no public type.
    Commands = argparse._SubParsersAction[argparse.ArgumentParser]


def _places(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be a whole number, 1 or more")
    return int(text)


def register(commands: Commands) -> None:
    """``heimbote events …`` (kept here: the parser's module is long enough)."""
    text = "a home's events (the summer party): sign-ups, calendar entries"
    group = commands.add_parser("events", help=text, description=text).add_subparsers(
        title="commands", metavar="COMMAND", required=True)

    def command(name: str, help_text: str, run: Any) -> argparse.ArgumentParser:
        parser = group.add_parser(name, help=help_text, description=help_text)
        parser.add_argument("--json", action="store_true", help="print machine-readable JSON")
        parser.set_defaults(command=run)
        return parser

    add = command("add", "create an event", events_add)
    add.add_argument("--facility", required=True, metavar="SLUG")
    add.add_argument("--title", required=True)
    add.add_argument("--at", required=True, metavar='"YYYY-MM-DD HH:MM"',
                     help="when it starts, in the facility's time zone")
    add.add_argument("--until", metavar="HH:MM", help="when it ends (default: two hours later)")
    add.add_argument("--capacity", required=True, type=_places,
                     help="places for relatives and their guests")
    add.add_argument("--place", default="")
    add.add_argument("--description", default="")
    add.add_argument("--signup-until", metavar='"YYYY-MM-DD HH:MM"',
                     help="sign-up deadline (default: the start)")
    add.add_argument("--residents-only", action="store_true",
                     help="for the residents only: relatives see it without signing up")
    add.add_argument("--public", action="store_true",
                     help="also in the home's public calendar feed")
    listing = command("list", "list a facility's events", events_list)
    listing.add_argument("--facility", required=True, metavar="SLUG")
    listing.add_argument("--all", action="store_true", help="also those that are over")
    show = command("show", "an event with everyone signed up", events_show)
    show.add_argument("id", type=int, metavar="ID")
    change = command("change", "a new time or place: everyone signed up is told", events_change)
    change.add_argument("--facility", required=True, metavar="SLUG")
    change.add_argument("--event", required=True, type=int, metavar="ID")
    change.add_argument("--at", metavar='"YYYY-MM-DD HH:MM"',
                        help="the new start, in the facility's time zone (the length stays)")
    change.add_argument("--until", metavar="HH:MM", help="the new end (only with --at)")
    change.add_argument("--place", help="the new place (\"\" for none)")
    cancel = command("cancel", "cancel an event: everyone signed up is told", events_cancel)
    cancel.add_argument("id", type=int, metavar="ID")


def _json(event: events.EventView) -> dict[str, Any]:
    return {
        "id": event.id, "facility": event.facility_slug, "title": event.title,
        "description": event.description, "starts_at": utc_iso(event.starts_at),
        "ends_at": utc_iso(event.ends_at), "place": event.place,
        "audience": event.audience.value, "capacity": event.capacity, "taken": event.taken,
        "signup_until": utc_iso(event.signup_until), "public": event.public,
        "sequence": event.sequence, "cancelled": event.cancelled,
    }


def _line(event: events.EventView, facility: Facility) -> list[object]:
    state = "cancelled" if event.cancelled else "planned"
    return [event.id, local_time(event.starts_at, facility), event.title,
            f"{event.taken}/{event.capacity}", event.audience.value,
            "yes" if event.public else "no", state]


def _moment(text: str, facility: Facility, option: str) -> tuple[Any, Any]:
    try:
        return events.parse_when(text, facility.timezone)
    except InvalidInput as error:
        raise CommandError(f'{option} must be "YYYY-MM-DD HH:MM" (not {text!r})') from error


async def events_add(settings: Settings, args: argparse.Namespace) -> None:
    """Create an event."""
    async with database(settings.database_url):
        facility = await facility_by_slug(args.facility)
        start, end = _moment(args.at, facility, "--at")
        if args.until:
            start, end = _moment(f"{args.at}-{args.until}", facility, "--until")
        deadline = _moment(args.signup_until, facility, "--signup-until")[0] \
            if args.signup_until else None
        event = await events.create_event(CLI, facility.id, events.NewEvent(
            title=args.title, description=args.description, starts_at=start, ends_at=end,
            place=args.place, capacity=args.capacity, signup_until=deadline,
            audience=EventAudience.RESIDENTS if args.residents_only else EventAudience.RELATIVES,
            public=args.public,
        ))
    emit(args, _json(event), [f"event {event.id} created: {event.title}, "
                              f"{local_time(event.starts_at, facility)}"])


async def events_list(settings: Settings, args: argparse.Namespace) -> None:
    """The facility's events not yet over (with --all, also past ones)."""
    async with database(settings.database_url):
        facility = await facility_by_slug(args.facility)
        found = await events.upcoming(CLI, facility.id, include_past=args.all)
    emit(args, [_json(event) for event in found], table(
        ["ID", "STARTS", "TITLE", "SIGNED UP", "WHO", "PUBLIC", "STATE"],
        [_line(event, facility) for event in found]))


async def events_show(settings: Settings, args: argparse.Namespace) -> None:
    """One event with everyone signed up."""
    async with database(settings.database_url):
        signups = await events.signup_list(CLI, args.id)
        facility = await facility_by_slug(signups.event.facility_slug)
    event = signups.event
    data = {**_json(event), "signups": [
        {"name": attendee.name, "people": attendee.people} for attendee in signups.attendees]}
    lines = [
        f"event:        {event.id} {event.title}" + (" (cancelled)" if event.cancelled else ""),
        f"when:         {local_time(event.starts_at, facility)} - "
        f"{local_time(event.ends_at, facility)}",
        f"place:        {event.place or '-'}",
        f"who:          {event.audience.value}",
        f"sign-up until: {local_time(event.signup_until, facility)}",
        f"signed up:    {event.taken} of {event.capacity} places",
        *(f"  {attendee.name}: {attendee.people}" for attendee in signups.attendees),
    ]
    emit(args, data, lines)


async def events_change(settings: Settings, args: argparse.Namespace) -> None:
    """A new time or place; everyone signed up is told (as from /events in Telegram)."""
    if args.at is None and args.place is None:
        raise CommandError("say what changes: --at, --place or both")
    if args.until and args.at is None:
        raise CommandError("--until needs --at")
    async with database(settings.database_url):
        facility = await facility_by_slug(args.facility)
        event = await events.event_in(CLI, args.event)
        if event.facility_id != facility.id:
            raise CommandFailed(f"event {args.event} is not an event of {args.facility}")
        when = None
        if args.at is not None:
            start, end = _moment(args.at, facility, "--at")
            end = start + (event.ends_at - event.starts_at)
            if args.until:
                start, end = _moment(f"{args.at}-{args.until}", facility, "--until")
            when = (start, end)
        changed = await events.change_event(CLI, event.id, when=when, place=args.place)
    what = "unchanged" if changed.sequence == event.sequence else "changed"
    emit(args, _json(changed), [f"event {changed.id} {what}: {changed.title}, "
                                f"{local_time(changed.starts_at, facility)}"
                                + (f", {changed.place}" if changed.place else "")])


async def events_cancel(settings: Settings, args: argparse.Namespace) -> None:
    """Cancel an event; everyone signed up is told."""
    async with database(settings.database_url):
        event = await events.cancel_event(CLI, args.id)
    emit(args, _json(event), [f"event {event.id} cancelled: {event.title}"])
