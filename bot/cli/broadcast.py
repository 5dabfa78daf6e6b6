"""``heimbote broadcast send|status``: announcements from the command line.

The command writes the announcement and its deliveries; the running bot sends them (its
outbox sender keeps Telegram's limits and the families' quiet hours). ``send`` then shows the
progress until everything went, unless ``--no-wait``.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from bot.cli.errors import CommandError, CommandFailed
from bot.cli.output import print_json
from bot.config import Settings
from bot.db import database
from bot.domain.errors import NotFound
from bot.models import Announcement, AnnouncementState, Audience
from bot.services import announcements
from bot.services.accounts.actors import Actor
from bot.services.accounts.facilities import facility_by_slug

CLI = Actor.cli()
POLL_EVERY = 1.0  # seconds between progress lines
BAR_WIDTH = 30


def _text_of(args: argparse.Namespace) -> str:
    if args.text is not None:
        return str(args.text)
    try:
        return Path(args.text_file).read_text(encoding="utf-8").strip("\n")
    except (OSError, UnicodeDecodeError) as error:
        raise CommandFailed(f"cannot read {args.text_file}: {error}") from error


def progress_line(figures: announcements.Figures) -> str:
    """``[#####-----]  340/1200 sent · 3 unreachable · 0 failed``."""
    done = figures.sent + figures.unreachable + figures.failed + figures.cancelled
    filled = BAR_WIDTH * done // figures.total if figures.total else BAR_WIDTH
    bar = "#" * filled + "-" * (BAR_WIDTH - filled)
    return (
        f"[{bar}] {figures.sent}/{figures.total} sent · {figures.unreachable} unreachable"
        f" · {figures.failed} failed"
    )


async def _prepare(args: argparse.Namespace) -> Announcement:
    if args.unit and args.staff:
        raise CommandError("choose --unit or --staff, not both")
    facility = await facility_by_slug(args.facility)
    draft = await announcements.draft(CLI, facility.id, _text_of(args))
    if args.unit:
        await announcements.set_audience(CLI, draft.id, Audience.UNIT, args.unit)
    elif args.staff:
        await announcements.set_audience(CLI, draft.id, Audience.STAFF)
    if args.urgent:
        await announcements.set_urgent(CLI, draft.id, True)
    await announcements.schedule(CLI, draft.id, args.at or announcements.NOW)
    return await announcements.confirm(CLI, draft.id)


async def _follow(announcement_id: int) -> announcements.Figures:
    """Print a progress line whenever it changes, until nothing is pending."""
    shown = ""
    while True:
        figures = await announcements.figures(announcement_id)
        line = progress_line(figures)
        if line != shown:
            print(line, flush=True)
            shown = line
        state = await announcements.state_of(announcement_id)
        if figures.settled or state == AnnouncementState.CANCELLED:
            return figures
        await asyncio.sleep(POLL_EVERY)


async def broadcast_send(settings: Settings, args: argparse.Namespace) -> None:
    """Write an announcement to a facility's relatives (or a unit, or staff) and follow it."""
    async with database(settings.database_url):
        sent = await _prepare(args)
        assert sent.send_at is not None
        print(f"announcement {sent.id}: {sent.recipients} recipients, "
              f"sending from {sent.send_at.isoformat(timespec='minutes')}", flush=True)
        if args.no_wait or not sent.recipients:
            return
        if sys.stdout.isatty():
            print("the running bot sends it; Ctrl-C stops watching, not sending", flush=True)
        await _follow(sent.id)


def status_json(announcement: Announcement, figures: announcements.Figures) -> dict[str, Any]:
    """What ``broadcast status --json`` prints."""
    return {
        "id": announcement.id,
        "facility": announcement.facility.slug,
        "state": announcement.state.value,
        "audience": announcement.audience.value,
        "unit": announcement.unit.name if announcement.unit else None,
        "languages": sorted(announcement.texts),
        "urgent": announcement.urgent,
        "send_at": announcement.send_at.isoformat() if announcement.send_at else None,
        "total": figures.total,
        "sent": figures.sent,
        "unreachable": figures.unreachable,
        "failed": figures.failed,
        "pending": figures.pending,
        "cancelled": figures.cancelled,
    }


async def broadcast_status(settings: Settings, args: argparse.Namespace) -> None:
    """Print where an announcement stands."""
    async with database(settings.database_url):
        try:
            figures = await announcements.figures(args.id)
            announcement = await announcements.get_announcement(CLI, args.id)
        except NotFound as error:
            raise CommandFailed(f"no announcement {args.id}") from error
        data = status_json(announcement, figures)
    if args.json:
        print_json(data)
        return
    print(f"announcement {data['id']} ({data['facility']}): {data['state']}")
    print(progress_line(figures))

