"""``heimbote invite relative|staff|list|revoke``: invite relatives and staff.

A new invite's code is printed once (Heimbote stores only its hash), with the bot's deep link
and, with ``--qr``, the link as a QR code PNG.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bot.cli.errors import CommandError, CommandFailed
from bot.cli.output import emit, local_time, table, utc_iso
from bot.config import Settings
from bot.db import database
from bot.models import Facility, Invite, Role
from bot.services.accounts import facilities
from bot.services.accounts.actors import Actor
from bot.services.onboarding import invites
from bot.services.onboarding.invite_codes import grouped

CLI = Actor.cli()


def _invite_for(invite: Invite) -> str:
    """Whom an invite is for, in words: ``Frau M. (room 12)`` or ``approver``."""
    if invite.resident is not None:
        room = f" (room {invite.resident.room})" if invite.resident.room else ""
        return f"{invite.resident.display_name}{room}"
    return f"role {invite.role.value}" if invite.role else ""


def _invite_json(invite: Invite, facility: Facility) -> dict[str, Any]:
    return {
        "id": invite.id, "kind": invite.kind.value, "facility": facility.slug,
        "resident_id": invite.resident.id if invite.resident else None,
        "resident": invite.resident.display_name if invite.resident else None,
        "role": invite.role.value if invite.role else None,
        "uses": invite.uses, "max_uses": invite.max_uses,
        "expires_at": utc_iso(invite.expires_at), "revoked_at": utc_iso(invite.revoked_at),
        "state": invites.state_of(invite).value,
    }


async def _bot_username(settings: Settings, args: argparse.Namespace) -> str | None:
    """``--bot-username``, else asked from Telegram (getMe) when the token is set, else None."""
    if args.bot_username:
        return invites.valid_bot_username(args.bot_username)
    if settings.bot_token is None:
        return None
    import aiohttp  # only here: the other commands start faster without it

    url = f"{settings.telegram_api_url}/bot{settings.bot_token.get_secret_value()}/getMe"
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15)) as session,
            session.get(url) as response,
        ):
            answer = await response.json(content_type=None)
    except (aiohttp.ClientError, TimeoutError, ValueError):
        answer = None
    if not isinstance(answer, dict) or not answer.get("ok"):
        # Never print the URL: it holds the token.
        raise CommandFailed(
            "could not ask Telegram for the bot's username (getMe failed): "
            "check HEIMBOTE_BOT_TOKEN or pass --bot-username"
        )
    return str(answer["result"]["username"])


def _check_qr_target(args: argparse.Namespace, username: str | None) -> None:
    if args.qr is None:
        return
    if username is None:
        raise CommandError(
            "--qr needs the invite link: set HEIMBOTE_BOT_TOKEN or pass --bot-username"
        )
    if not Path(args.qr).parent.is_dir():
        raise CommandFailed(f"cannot write {args.qr}: no such folder")


def _print_created(
    args: argparse.Namespace, created: invites.CreatedInvite, username: str | None,
    facility: Facility,
) -> None:
    invite = created.invite
    link = invites.deep_link(username, created.code) if username else None
    qr_failed = None
    if link and args.qr:
        try:
            Path(args.qr).write_bytes(invites.qr_png(link))
        except OSError as error:
            qr_failed, args.qr = f"cannot write {args.qr}: {error.strerror}", None
    data = {**_invite_json(invite, facility), "code": grouped(created.code), "link": link,
            "qr": args.qr}
    lines = [
        f"invite {invite.id} for {_invite_for(invite)} in {facility.name}",
        f"code:     {grouped(created.code)}",
        f"link:     {link or '(unknown: set HEIMBOTE_BOT_TOKEN or pass --bot-username)'}",
        f"uses:     {invite.max_uses}",
        f"expires:  {local_time(invite.expires_at, facility)}",
    ]
    if args.qr:
        lines.append(f"qr code:  {args.qr}")
    lines.append("The code is shown only now: Heimbote stores only its hash.")
    emit(args, data, lines)
    if qr_failed:  # the invite exists and its code is printed above: say so, and fail
        raise CommandFailed(f"{qr_failed} (invite {invite.id} was made and is printed above)")


async def invite_relative(settings: Settings, args: argparse.Namespace) -> None:
    """Invite a relative of a resident."""
    username = await _bot_username(settings, args)
    _check_qr_target(args, username)
    async with database(settings.database_url):
        created = await invites.create_relative_invite(
            CLI, args.resident, uses=args.uses, days=args.days
        )
        await created.invite.fetch_related("resident", "facility")
    _print_created(args, created, username, created.invite.facility)


async def invite_staff(settings: Settings, args: argparse.Namespace) -> None:
    """Invite a staff member in a role."""
    username = await _bot_username(settings, args)
    _check_qr_target(args, username)
    async with database(settings.database_url):
        facility = await facilities.facility_by_slug(args.facility)
        created = await invites.create_staff_invite(
            CLI, facility.id, Role(args.role), uses=args.uses, days=args.days
        )
    _print_created(args, created, username, facility)


async def invite_list(settings: Settings, args: argparse.Namespace) -> None:
    """List a facility's open invites (with ``--all`` also the closed ones)."""
    async with database(settings.database_url):
        facility = await facilities.facility_by_slug(args.facility)
        found = await invites.list_invites(CLI, facility.id, include_inactive=args.all)
    rows = [
        (i.id, i.kind.value, _invite_for(i), f"{i.uses}/{i.max_uses}",
         local_time(i.expires_at, facility), invites.state_of(i).value)
        for i in found
    ]
    headers = ("ID", "KIND", "FOR", "USED", "EXPIRES", "STATE")
    lines = table(headers, rows) if rows else [f"no open invites in {facility.slug}"]
    emit(args, [_invite_json(i, facility) for i in found], lines)


async def invite_revoke(settings: Settings, args: argparse.Namespace) -> None:
    """Revoke an invite."""
    async with database(settings.database_url):
        invite = await invites.revoke_invite(CLI, args.id)
    emit(args, _invite_json(invite, invite.facility), [f"invite {invite.id} is revoked"])
