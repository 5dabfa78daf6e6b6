"""``heimbote conversations settings|inbox``: how a home receives relatives' messages.

``settings`` shows (and with options changes) the staff group, the inbox duty and the reminder
times; ``inbox`` gives a team member the inbox duty or takes it away. Both go through the same
services as the bot, audited with ``via=cli``.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

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
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    group = data["group"]
    print(f"facility:         {data['facility']}")
    print("staff group:      " + (
        f"{group['title']} ({group['chat_id']}{', forum' if group['forum'] else ''})"
        if group else "none: admins and inbox staff in private chat"))
    print(f"inbox duty:       {', '.join(data['inbox']) or 'nobody'}")
    print(f"reminder after:   {data['reminder_hours']} daytime hours (08:00-20:00)")
    print(f"admins told after: {data['escalation_hours']} hours")


async def _settings(settings: Settings, args: argparse.Namespace) -> None:
    async with database(settings.database_url):
        facility = await facility_by_slug(args.facility)
        if args.reminder_hours is not None or args.escalation_hours is not None:
            await setup.update_settings(CLI, facility.id, reminder_hours=args.reminder_hours,
                                        escalation_hours=args.escalation_hours)
        overview = await setup.overview(CLI, facility.id)
    _print(args, overview)


async def _inbox(settings: Settings, args: argparse.Namespace) -> None:
    async with database(settings.database_url):
        facility = await facility_by_slug(args.facility)
        member = await setup.staff_member(facility.id, args.telegram_id)
        await setup.set_inbox(CLI, facility.id, member.id, args.on)
        overview = await setup.overview(CLI, facility.id)
    _print(args, overview)


def register(commands: Any) -> None:
    """Add ``conversations settings`` and ``conversations inbox`` to ``heimbote``."""
    group = commands.add_parser(
        "conversations", help="how a home receives relatives' messages",
        description="how a home receives relatives' messages",
    )
    sub = group.add_subparsers(title="commands", metavar="COMMAND", required=True)
    shown = sub.add_parser("settings", help="show or change the reminder times",
                           description="show or change the staff group, inbox and reminders")
    shown.add_argument("--facility", required=True, metavar="SLUG")
    shown.add_argument("--reminder-hours", type=int, metavar="N",
                       help="remind the team after N hours of daytime without an answer (1-48)")
    shown.add_argument("--escalation-hours", type=int, metavar="N",
                       help="tell the admins after N hours without an answer (1-168)")
    shown.add_argument("--json", action="store_true", help="print machine-readable JSON")
    shown.set_defaults(command=_settings)
    inbox = sub.add_parser("inbox", help="give a team member the inbox duty, or take it away",
                           description="give a team member the inbox duty, or take it away")
    inbox.add_argument("--facility", required=True, metavar="SLUG")
    inbox.add_argument("--telegram-id", required=True, type=int, metavar="ID")
    duty = inbox.add_mutually_exclusive_group(required=True)
    duty.add_argument("--on", dest="on", action="store_true", help="give the duty")
    duty.add_argument("--off", dest="on", action="store_false", help="take it away")
    inbox.add_argument("--json", action="store_true", help="print machine-readable JSON")
    inbox.set_defaults(command=_inbox)
