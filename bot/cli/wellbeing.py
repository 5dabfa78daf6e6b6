"""``heimbote wellbeing settings|resident|link|links``: a home's wellbeing notes.

``settings`` shows (and with options changes) whether the home writes notes and its list of
activities; ``resident`` and ``link`` switch notes off (or on again) for one resident or one
relative's link; ``links`` lists the links with the relatives' consent. All go through the same
services as the bot, audited with ``via=cli``.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict

from bot.cli.output import emit, table
from bot.config import Settings
from bot.db import database
from bot.services import wellbeing
from bot.services.accounts.actors import Actor
from bot.services.accounts.facilities import facility_by_slug

CLI = Actor.cli()
MEDICAL_NOTICE = "notes never hold medical details: lines with diagnoses or medications are held"


def _on(value: str | None) -> bool | None:
    return None if value is None else value == "on"


def _print_settings(args: argparse.Namespace, shown: wellbeing.HomeSettings) -> None:
    data = {
        "facility": shown.facility_slug, "notes": shown.notes_enabled,
        "activities": list(shown.activities), "residents_off": list(shown.residents_off),
    }
    emit(args, data, [
        f"facility:      {shown.facility_slug}",
        f"notes:         {'on' if shown.notes_enabled else 'off'}",
        f"activities:    {', '.join(shown.activities)}",
        f"residents off: {', '.join(shown.residents_off) or 'none'}",
        MEDICAL_NOTICE,
    ])


async def wellbeing_settings(settings: Settings, args: argparse.Namespace) -> None:
    """Show the home's wellbeing settings, after the changes given."""
    async with database(settings.database_url):
        facility = await facility_by_slug(args.facility)
        activities = (wellbeing.parse_activities(args.activities)
                      if args.activities is not None else None)
        if args.notes is not None or activities is not None:
            shown = await wellbeing.update_settings(CLI, facility.id, notes=_on(args.notes),
                                                    activities=activities)
        else:
            shown = await wellbeing.home_settings(CLI, facility.id)
    _print_settings(args, shown)


async def wellbeing_resident(settings: Settings, args: argparse.Namespace) -> None:
    """Switch notes about one resident on or off."""
    async with database(settings.database_url):
        resident = await wellbeing.set_resident_notes(CLI, args.id, args.notes == "on")
    emit(args, {"resident": resident.id, "name": resident.display_name,
                "notes": args.notes == "on"},
         [f"notes about {resident.display_name} (#{resident.id}): {args.notes}"])


async def wellbeing_link(settings: Settings, args: argparse.Namespace) -> None:
    """Switch notes off (or on again) for one relative's link."""
    async with database(settings.database_url):
        link = await wellbeing.set_link_notes(CLI, args.id, args.notes == "on")
    emit(args, {"link": link.id, "notes": args.notes == "on"},
         [f"notes through link #{link.id}: {args.notes}"])


async def wellbeing_links(settings: Settings, args: argparse.Namespace) -> None:
    """The home's links with the relatives' consent and the home's switch."""
    async with database(settings.database_url):
        facility = await facility_by_slug(args.facility)
        links = await wellbeing.links_overview(CLI, facility.id)
    emit(args, [asdict(link) for link in links], table(
        ["link", "resident", "relative", "consent", "home"],
        [[link.link_id, link.resident, link.relative, "yes" if link.opted_in else "no",
          "on" if link.home_enabled else "off"] for link in links],
    ))
