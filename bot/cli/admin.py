"""``heimbote facility|resident|invite …``: setting up a home from the command line.

``facility show`` and ``facility set`` (a home's settings) are in :mod:`bot.cli.facility`.

Every command goes through the same services as the bot, as :meth:`Actor.cli`, and is audited
with ``via=cli``. Output is for operators (English); ``--json`` prints machine-readable data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.cli import CommandError
from bot.cli import facility as cli_facility
from bot.config import Settings
from bot.db import database
from bot.models import ConsentGiver, Facility, Invite, Resident, Role
from bot.services.accounts import facilities, residents
from bot.services.accounts.actors import Actor
from bot.services.onboarding import invites
from bot.services.onboarding.invite_codes import grouped

CLI = Actor.cli()
RESIDENT_PAGE = 500


# --- output ----------------------------------------------------------------------------------


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(dt.UTC).isoformat() if moment else None


def _local(moment: dt.datetime, facility: Facility) -> str:
    return moment.astimezone(ZoneInfo(facility.timezone)).strftime("%Y-%m-%d %H:%M %Z")


def _emit(args: argparse.Namespace, data: object, lines: Sequence[str]) -> None:
    """Print ``data`` as JSON with ``--json``, else the lines for people."""
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        for line in lines:
            print(line)


def _table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    cells = [[str(h) for h in headers], *([str(c) for c in row] for row in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    return ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
            for row in cells]


def _resident_json(resident: Resident, facility: Facility) -> dict[str, Any]:
    return {
        "id": resident.id, "facility": facility.slug, "name": resident.display_name,
        "room": resident.room, "unit": resident.unit.name if resident.unit else None,
        "status": resident.status.value, "photo_consent": resident.photo_consent.value,
        "consent_given_by": resident.consent_given_by.value if resident.consent_given_by else None,
        "consent_changed_at": _iso(resident.consent_changed_at),
    }


def _invite_for(invite: Invite) -> str:
    """Whom an invite is for, in words: ``Frau M. (room 12)`` or ``approver``."""
    if invite.resident is not None:
        room = f" (room {invite.resident.room})" if invite.resident.room else ""
        return f"{invite.resident.display_name}{room}"
    return f"role {invite.role.value}" if invite.role else ""


def _invite_json(invite: Invite, facility: Facility) -> dict[str, Any]:
    return {
        "id": invite.id, "kind": invite.kind.value, "facility": facility.slug,
        "resident_id": invite.resident_id,
        "resident": invite.resident.display_name if invite.resident else None,
        "role": invite.role.value if invite.role else None,
        "uses": invite.uses, "max_uses": invite.max_uses,
        "expires_at": _iso(invite.expires_at), "revoked_at": _iso(invite.revoked_at),
        "state": invites.state_of(invite).value,
    }


# --- facility --------------------------------------------------------------------------------


async def _facility_add(settings: Settings, args: argparse.Namespace) -> None:
    async with database(settings.database_url):
        facility = await facilities.create_facility(
            CLI, slug=args.slug, name=args.name, timezone=args.timezone, locale=args.locale
        )
    _emit(args, cli_facility.facility_json(facility),
          [f"created facility {facility.slug}: {facility.name}"])


async def _facility_list(settings: Settings, args: argparse.Namespace) -> None:
    async with database(settings.database_url):
        found = await facilities.facilities_for(CLI)
    rows = [(f.slug, f.name, f.timezone, f.default_locale) for f in found]
    lines = _table(("SLUG", "NAME", "TIMEZONE", "LOCALE"), rows) if rows else ["no facilities yet"]
    _emit(args, [cli_facility.facility_json(f) for f in found], lines)


# --- resident --------------------------------------------------------------------------------


async def _resident_add(settings: Settings, args: argparse.Namespace) -> None:
    async with database(settings.database_url):
        facility = await facilities.facility_by_slug(args.facility)
        resident = await residents.add_resident(
            CLI, facility.id, display_name=args.name, room=args.room, unit=args.unit
        )
    _emit(
        args, _resident_json(resident, facility),
        [f"added resident {resident.id}: {resident.display_name} to {facility.slug}"],
    )


async def _resident_list(settings: Settings, args: argparse.Namespace) -> None:
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
    lines = _table(headers, rows) if rows else [f"no residents in {facility.slug}"]
    _emit(args, [_resident_json(r, facility) for r in found], lines)


def _read_csv(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise CommandError(f"cannot read {path}: {error.strerror}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")  # what older spreadsheet programs save as "CSV"


async def _resident_import(settings: Settings, args: argparse.Namespace) -> None:
    csv_text = _read_csv(Path(args.file))
    async with database(settings.database_url):
        facility = await facilities.facility_by_slug(args.facility)
        imported = await residents.import_residents(CLI, facility.id, csv_text)
        for resident in imported:
            await resident.fetch_related("unit")
    _emit(
        args, [_resident_json(r, facility) for r in imported],
        [f"imported {len(imported)} residents into {facility.slug}"],
    )


async def _resident_consent(settings: Settings, args: argparse.Namespace) -> None:
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
    _emit(args, _resident_json(resident, facility), [line])


# --- invite ----------------------------------------------------------------------------------


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
        raise CommandError(
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
        raise CommandError(f"cannot write {args.qr}: no such folder")


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
        f"expires:  {_local(invite.expires_at, facility)}",
    ]
    if args.qr:
        lines.append(f"qr code:  {args.qr}")
    lines.append("The code is shown only now: Heimbote stores only its hash.")
    _emit(args, data, lines)
    if qr_failed:  # the invite exists and its code is printed above: say so, and fail
        raise CommandError(f"{qr_failed} (invite {invite.id} was made and is printed above)")


async def _invite_relative(settings: Settings, args: argparse.Namespace) -> None:
    username = await _bot_username(settings, args)
    _check_qr_target(args, username)
    async with database(settings.database_url):
        created = await invites.create_relative_invite(
            CLI, args.resident, uses=args.uses, days=args.days
        )
        await created.invite.fetch_related("resident", "facility")
    _print_created(args, created, username, created.invite.facility)


async def _invite_staff(settings: Settings, args: argparse.Namespace) -> None:
    username = await _bot_username(settings, args)
    _check_qr_target(args, username)
    async with database(settings.database_url):
        facility = await facilities.facility_by_slug(args.facility)
        created = await invites.create_staff_invite(
            CLI, facility.id, Role(args.role), uses=args.uses, days=args.days
        )
    _print_created(args, created, username, facility)


async def _invite_list(settings: Settings, args: argparse.Namespace) -> None:
    async with database(settings.database_url):
        facility = await facilities.facility_by_slug(args.facility)
        found = await invites.list_invites(CLI, facility.id, include_inactive=args.all)
    rows = [
        (i.id, i.kind.value, _invite_for(i), f"{i.uses}/{i.max_uses}",
         _local(i.expires_at, facility), invites.state_of(i).value)
        for i in found
    ]
    headers = ("ID", "KIND", "FOR", "USED", "EXPIRES", "STATE")
    lines = _table(headers, rows) if rows else [f"no open invites in {facility.slug}"]
    _emit(args, [_invite_json(i, facility) for i in found], lines)


async def _invite_revoke(settings: Settings, args: argparse.Namespace) -> None:
    async with database(settings.database_url):
        invite = await invites.revoke_invite(CLI, args.id)
    _emit(args, _invite_json(invite, invite.facility), [f"invite {invite.id} is revoked"])


# --- the parser ------------------------------------------------------------------------------


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be 1 or more")
    return value


def _command(group: Any, name: str, help_text: str, run: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = group.add_parser(name, help=help_text, description=help_text)
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")
    parser.set_defaults(command=run)
    return parser


def _group(commands: Any, name: str, help_text: str) -> Any:
    parser = commands.add_parser(name, help=help_text, description=help_text)
    return parser.add_subparsers(title="commands", metavar="COMMAND", required=True)


def _invite_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--uses", type=_positive, default=1, help="how often it may be used (1)")
    parser.add_argument("--days", type=_positive, default=14, help="days until it expires (14)")
    parser.add_argument("--qr", metavar="FILE.png", help="also write the link as a QR code PNG")
    parser.add_argument(
        "--bot-username", metavar="NAME",
        help="the bot's username for the link (default: asked from Telegram with the token)",
    )


def register(commands: Any) -> None:
    """Add ``facility``, ``resident`` and ``invite`` to the ``heimbote`` command."""
    facility = _group(commands, "facility", "care homes (facilities)")
    add = _command(facility, "add", "create a facility", _facility_add)
    add.add_argument("--slug", required=True, help="short name for links and commands: a-z 0-9 -")
    add.add_argument("--name", required=True, help="the name relatives know")
    add.add_argument("--timezone", default="Europe/Berlin", help="IANA time zone (Europe/Berlin)")
    add.add_argument("--locale", default="de", help="default language of the home (de)")
    _command(facility, "list", "list the facilities", _facility_list)
    cli_facility.register(facility)

    resident = _group(commands, "resident", "the residents of a facility")
    add = _command(resident, "add", "add a resident", _resident_add)
    add.add_argument("--facility", required=True, metavar="SLUG")
    add.add_argument("--name", required=True, help='display name, e.g. "Frau M."')
    add.add_argument("--room", default="")
    add.add_argument("--unit", help="unit (Wohnbereich); created when new")
    listing = _command(resident, "list", "list a facility's residents", _resident_list)
    listing.add_argument("--facility", required=True, metavar="SLUG")
    listing.add_argument("--search", default="", help="part of a name or room")
    listing.add_argument("--all", action="store_true", help="also those who moved out or died")
    imports = _command(
        resident, "import", "add residents from a CSV file (columns: name,room,unit)",
        _resident_import,
    )
    imports.add_argument("--facility", required=True, metavar="SLUG")
    imports.add_argument("file", metavar="FILE.csv")
    consent = _command(resident, "consent", "record or withdraw photo consent", _resident_consent)
    consent.add_argument("id", type=int, metavar="ID", help="the resident's id")
    how = consent.add_mutually_exclusive_group(required=True)
    how.add_argument("--granted-by", choices=[g.value for g in ConsentGiver],
                     help="who gave consent: the resident, their representative or proxy")
    how.add_argument("--withdraw", action="store_true", help="consent was withdrawn")

    invite = _group(commands, "invite", "invite relatives and staff")
    relative = _command(invite, "relative", "invite a relative of a resident", _invite_relative)
    relative.add_argument("--resident", required=True, type=int, metavar="ID")
    _invite_options(relative)
    staff = _command(invite, "staff", "invite a staff member", _invite_staff)
    staff.add_argument("--facility", required=True, metavar="SLUG")
    staff.add_argument("--role", required=True, choices=[r.value for r in Role])
    _invite_options(staff)
    listing = _command(invite, "list", "list a facility's open invites", _invite_list)
    listing.add_argument("--facility", required=True, metavar="SLUG")
    listing.add_argument("--all", action="store_true", help="also used, expired and revoked")
    _command(invite, "revoke", "revoke an invite", _invite_revoke).add_argument(
        "id", type=int, metavar="ID"
    )

