"""``heimbote facility add|list|show|set``: the care homes and their settings.

Changes go through :func:`bot.services.accounts.facilities.update_facility` as
:meth:`Actor.cli`, which checks every value and writes the audit log (``facility.update``). A
bad value is one line on stderr, exit status 1, and nothing is changed (also not the other
options given with it).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.cli.errors import CommandError
from bot.cli.output import emit, table
from bot.config import Settings
from bot.db import database
from bot.domain.errors import InvalidInput
from bot.models import Facility
from bot.services.accounts import facilities
from bot.services.accounts.actors import Actor

CLI = Actor.cli()
YES_NO = {"yes": True, "no": False}


@dataclass(frozen=True)
class Option:
    """One setting: its column (the service's keyword), its option and its name in JSON."""

    key: str
    flag: str
    json: str
    help: str
    parse: Callable[[str], object] = str
    metavar: str | None = None


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def _yes_no(text: str) -> bool:
    if text not in YES_NO:
        raise argparse.ArgumentTypeError(f"{text!r}: say yes or no")
    return YES_NO[text]


OPTIONS = (
    Option("name", "name", "name", "the name relatives know", metavar="NAME"),
    Option("timezone", "timezone", "timezone", "IANA time zone, e.g. Europe/Berlin",
           metavar="ZONE"),
    Option("default_locale", "locale", "locale", "language for new relatives (de, en)",
           metavar="LOCALE"),
    Option("contact", "contact", "contact", "how relatives reach the home (phone, hours)",
           metavar="TEXT"),
    Option("relatives_may_invite", "relatives-may-invite", "relatives_may_invite",
           "may relatives invite other relatives", _yes_no, "yes|no"),
    Option("max_relatives_per_resident", "max-relatives", "max_relatives_per_resident",
           "at most N relatives per resident (1-50)", _whole_number, "N"),
    Option("four_eyes", "four-eyes", "four_eyes",
           "photo updates: nobody approves their own post", _yes_no, "yes|no"),
    Option("photo_retention_days", "photo-retention-days", "photo_retention_days",
           "photo updates are deleted after N days (1-3650)", _whole_number, "N"),
    Option("conversation_retention_days", "conversation-retention-days",
           "conversation_retention_days",
           "conversations quiet for N days are deleted with their messages (30-1095)",
           _whole_number, "N"),
    Option("rating_interval_days", "rating-interval-days", "rating_interval_days",
           "a relative may rate once every N days (30-365)", _whole_number, "N"),
    Option("complaint_window_hours", "complaint-window-hours", "complaint_window_hours",
           "a rating of 2 stars or fewer is published N hours after the admins got it (24-168)",
           _whole_number, "N"),
    Option("rating_invite_after_days", "rating-invite-after-days", "rating_invite_after_days",
           "first invitation to rate N days after a relative joined (1-365)", _whole_number,
           "N"),
)


LABEL_WIDTH = max(len(option.flag) for option in OPTIONS) + 2  # "flag:" and a space


def facility_json(facility: Facility) -> dict[str, Any]:
    """The facility with every setting, as ``--json`` prints it."""
    return {"id": facility.id, "slug": facility.slug,
            **{option.json: getattr(facility, option.key) for option in OPTIONS}}


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value == "":
        return "(not set)"
    return str(value).replace("\n", "\n" + " " * (LABEL_WIDTH + 1))


def _setting_lines(facility: Facility) -> list[str]:
    return [f"{'slug:':<{LABEL_WIDTH}} {facility.slug}"] + [
        f"{option.flag + ':':<{LABEL_WIDTH}} {_shown(getattr(facility, option.key))}"
        for option in OPTIONS
    ]


async def facility_add(settings: Settings, args: argparse.Namespace) -> None:
    """Create a facility."""
    async with database(settings.database_url):
        facility = await facilities.create_facility(
            CLI, slug=args.slug, name=args.name, timezone=args.timezone, locale=args.locale
        )
    emit(args, facility_json(facility), [f"created facility {facility.slug}: {facility.name}"])


async def facility_list(settings: Settings, args: argparse.Namespace) -> None:
    """List the facilities."""
    async with database(settings.database_url):
        found = await facilities.facilities_for(CLI)
    rows = [(f.slug, f.name, f.timezone, f.default_locale) for f in found]
    lines = table(("SLUG", "NAME", "TIMEZONE", "LOCALE"), rows) if rows else ["no facilities yet"]
    emit(args, [facility_json(f) for f in found], lines)


async def facility_show(settings: Settings, args: argparse.Namespace) -> None:
    """Show every setting of a facility."""
    async with database(settings.database_url):
        facility = await facilities.facility_by_slug(args.slug)
    emit(args, facility_json(facility), _setting_lines(facility))


async def facility_set(settings: Settings, args: argparse.Namespace) -> None:
    """Change the settings given; all of them are saved, or none."""
    given = {o.key: getattr(args, o.key) for o in OPTIONS if getattr(args, o.key) is not None}
    if not given:
        flags = " ".join(f"--{o.flag}" for o in OPTIONS)
        raise CommandError(f"nothing to set: give at least one of {flags} (see --help)")
    async with database(settings.database_url):
        facility = await facilities.facility_by_slug(args.slug)
        before = {key: getattr(facility, key) for key in given}
        try:
            facility = await facilities.update_facility(CLI, facility.id, **given)
        except InvalidInput as error:  # name the option the operator typed, not the column
            flag_of = {name: f"--{o.flag}" for o in OPTIONS for name in (o.key, o.json)}
            raise InvalidInput(flag_of.get(error.field, error.field), error.reason) from None
    changed = [o for o in OPTIONS if o.key in given and before[o.key] != getattr(facility, o.key)]
    lines = [
        f"{facility.slug}: {o.flag} {_shown(before[o.key])} -> {_shown(getattr(facility, o.key))}"
        for o in changed
    ] or [f"{facility.slug}: nothing changed (the settings were already so)"]
    emit(args, facility_json(facility), lines)
