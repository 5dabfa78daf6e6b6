"""``heimbote conversations settings|inbox``: how a home receives relatives' messages.

``settings`` shows (and with options changes) the staff group, the inbox duty and the reminder
times; ``inbox`` gives a team member the inbox duty or takes it away. Both go through the same
services as the bot, audited with ``via=cli``.
"""

from __future__ import annotations

import argparse
from typing import Any

from bot.cli.output import print_json
from bot.config import Settings
from bot.db import database
from bot.services.accounts.actors import Actor
from bot.services.accounts.facilities import facility_by_slug
from bot.services.conversations import setup

CLI = Actor.cli()


def _overview_json(overview: setup.Overview) -> dict[str, Any]:
    settings = overview.setup
    return {
        "facility": overview.facility.slug,
        "group": {
            "chat_id": settings.group_chat_id, "title": settings.group_title,
            "forum": settings.group_is_forum,
        } if settings.group_chat_id is not None else None,
        "inbox": overview.inbox,
        "reminder_hours": settings.reminder_hours,
        "escalation_hours": settings.escalation_hours,
    }


def _print(args: argparse.Namespace, overview: setup.Overview) -> None:
    data = _overview_json(overview)
    if args.json:
        print_json(data)
        return
    group = data["group"]
    print(f"facility:         {data['facility']}")
    print("staff group:      " + (
        f"{group['title']} ({group['chat_id']}{', forum' if group['forum'] else ''})"
        if group else "none: admins and inbox staff in private chat"))
    print(f"inbox duty:       {', '.join(data['inbox']) or 'nobody'}")
    print(f"reminder after:   {data['reminder_hours']} daytime hours (08:00-20:00)")
    print(f"admins told after: {data['escalation_hours']} hours")


async def conversations_settings(settings: Settings, args: argparse.Namespace) -> None:
    """Show the facility's settings for messages, after changing the reminder times given."""
    async with database(settings.database_url):
        facility = await facility_by_slug(args.facility)
        if args.reminder_hours is not None or args.escalation_hours is not None:
            await setup.update_settings(CLI, facility.id, reminder_hours=args.reminder_hours,
                                        escalation_hours=args.escalation_hours)
        overview = await setup.overview(CLI, facility.id)
    _print(args, overview)


async def conversations_inbox(settings: Settings, args: argparse.Namespace) -> None:
    """Give a team member the inbox duty or take it away; then show the settings."""
    async with database(settings.database_url):
        facility = await facility_by_slug(args.facility)
        member = await setup.staff_member(facility.id, args.telegram_id)
        await setup.set_inbox(CLI, facility.id, member.id, args.on)
        overview = await setup.overview(CLI, facility.id)
    _print(args, overview)

