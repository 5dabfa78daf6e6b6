"""The argparse tree of the ``heimbote`` command: every command, its options and its ``--help``.

Each command is an ``async def (settings, args)`` in the module of its group, set as the
parser's ``command`` default; :func:`bot.cli.main` runs it.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Coroutine
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, cast

from bot.cli import (
    broadcast,
    conversations,
    facility,
    invite,
    report,
    resident,
    resident_contacts,
    run,
    stream,
)
from bot.cli import events as events_cli  # registers its own commands (this module is long)
from bot.cli import visits as visits_cli
from bot.cli import wellbeing as wellbeing_cli
from bot.cli.errors import EXIT_USAGE
from bot.config import Settings
from bot.i18n import available_locales
from bot.models import ConsentGiver, Role
from bot.services.stream import push

# What a parser's ``command`` default holds, and :func:`bot.cli.main` runs.
Command = Callable[[Settings, argparse.Namespace], Coroutine[Any, Any, None]]

if TYPE_CHECKING:
    # What ``add_subparsers()`` returns: argparse gives it no public type.
    Commands = argparse._SubParsersAction[argparse.ArgumentParser]


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (the usage itself is in ``--help``)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see --help)\n")


def _version() -> str:
    try:
        return version("heimbote")
    except PackageNotFoundError:
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    """The command line: every command has ``--help``."""
    # Here, not at the top: bot.demo.cli imports CommandError from bot.cli, which imports this.
    from bot.demo import cli as demo

    parser = Parser(
        prog="heimbote",
        description="Heimbote: the Telegram bot that connects relatives with their care home.",
    )
    parser.add_argument("--version", action="version", version=f"heimbote {_version()}")
    # Subcommands' parsers are of the class Parser too: their usage errors are one line.
    commands = cast("Commands", parser.add_subparsers(
        title="commands", metavar="COMMAND", required=True))
    _run_and_db(commands)
    _facility(commands)
    _resident(commands)
    _invite(commands)
    _broadcast(commands)
    demo.register(commands)
    _conversations(commands)
    _report(commands)
    _stream(commands)
    visits_cli.register(commands)
    _wellbeing(commands)
    events_cli.register(commands)
    return parser


def _group(
    commands: Commands, name: str, help_text: str, description: str | None = None
) -> Commands:
    """A command with subcommands (``heimbote NAME COMMAND``); returns its subcommands."""
    parser = commands.add_parser(name, help=help_text, description=description)
    return parser.add_subparsers(title="commands", metavar="COMMAND", required=True)


def _command(
    group: Commands, name: str, help_text: str, command: Command
) -> argparse.ArgumentParser:
    """A command that runs ``command`` and prints JSON with ``--json``."""
    parser = group.add_parser(name, help=help_text, description=help_text)
    _json_option(parser)
    parser.set_defaults(command=command)
    return parser


def _json_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be 1 or more")
    return value


def _run_and_db(commands: Commands) -> None:
    commands.add_parser(
        "run", help="run the bot (applies migrations first)", description=run.RUN_DESCRIPTION,
        epilog=run.RUN_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    ).set_defaults(command=run.run)
    db = _group(commands, "db", "database maintenance")
    db.add_parser("upgrade", help="apply the schema migrations").set_defaults(
        command=run.db_upgrade)


def _facility(commands: Commands) -> None:
    text = "care homes (facilities)"
    group = _group(commands, "facility", text, text)
    add = _command(group, "add", "create a facility", facility.facility_add)
    add.add_argument("--slug", required=True, help="short name for links and commands: a-z 0-9 -")
    add.add_argument("--name", required=True, help="the name relatives know")
    add.add_argument("--timezone", default="Europe/Berlin", help="IANA time zone (Europe/Berlin)")
    add.add_argument("--locale", default="de", help="default language of the home (de)")
    _command(group, "list", "list the facilities", facility.facility_list)

    show = group.add_parser("show", help="show every setting of a facility",
                            description="show every setting of a facility")
    show.add_argument("slug", metavar="SLUG")
    _json_option(show)
    show.set_defaults(command=facility.facility_show)

    change = group.add_parser(
        "set", help="change settings of a facility",
        description="change settings of a facility; each is checked, and all or none are saved",
    )
    change.add_argument("slug", metavar="SLUG")
    for option in facility.OPTIONS:
        change.add_argument(f"--{option.flag}", dest=option.key, type=option.parse,
                            metavar=option.metavar, help=option.help)
    _json_option(change)
    change.set_defaults(command=facility.facility_set)


def _resident(commands: Commands) -> None:
    text = "the residents of a facility"
    group = _group(commands, "resident", text, text)
    add = _command(group, "add", "add a resident", resident.resident_add)
    add.add_argument("--facility", required=True, metavar="SLUG")
    add.add_argument("--name", required=True, help='display name, e.g. "Frau M."')
    add.add_argument("--room", default="")
    add.add_argument("--unit", help="unit (Wohnbereich); created when new")
    listing = _command(group, "list", "list a facility's residents", resident.resident_list)
    listing.add_argument("--facility", required=True, metavar="SLUG")
    listing.add_argument("--search", default="", help="part of a name or room")
    listing.add_argument("--all", action="store_true", help="also those who moved out or died")
    imports = _command(
        group, "import", "add residents from a CSV file (columns: name,room,unit)",
        resident.resident_import,
    )
    imports.add_argument("--facility", required=True, metavar="SLUG")
    imports.add_argument("file", metavar="FILE.csv")
    consent = _command(group, "consent", "record or withdraw photo consent",
                       resident.resident_consent)
    consent.add_argument("id", type=int, metavar="ID", help="the resident's id")
    how = consent.add_mutually_exclusive_group(required=True)
    how.add_argument("--granted-by", choices=[g.value for g in ConsentGiver],
                     help="who gave consent: the resident, their representative or proxy")
    how.add_argument("--withdraw", action="store_true", help="consent was withdrawn")
    contacts = _command(group, "contacts", "list or change a resident's emergency contacts",
                        resident_contacts.resident_contacts)
    contacts.add_argument("--facility", required=True, metavar="SLUG")
    contacts.add_argument("--resident", required=True, type=int, metavar="ID")
    contacts.add_argument("--add", type=int, metavar="RELATIVE",
                          help="make this relative (account id) an emergency contact")
    contacts.add_argument("--remove", type=int, metavar="RELATIVE",
                          help="this relative (account id) is no longer an emergency contact")


def _invite_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--uses", type=_positive, default=1, help="how often it may be used (1)")
    parser.add_argument("--days", type=_positive, default=14, help="days until it expires (14)")
    parser.add_argument("--qr", metavar="FILE.png", help="also write the link as a QR code PNG")
    parser.add_argument(
        "--bot-username", metavar="NAME",
        help="the bot's username for the link (default: asked from Telegram with the token)",
    )


def _invite(commands: Commands) -> None:
    text = "invite relatives and staff"
    group = _group(commands, "invite", text, text)
    relative = _command(group, "relative", "invite a relative of a resident",
                        invite.invite_relative)
    relative.add_argument("--resident", required=True, type=int, metavar="ID")
    _invite_options(relative)
    staff = _command(group, "staff", "invite a staff member", invite.invite_staff)
    staff.add_argument("--facility", required=True, metavar="SLUG")
    staff.add_argument("--role", required=True, choices=[r.value for r in Role])
    _invite_options(staff)
    listing = _command(group, "list", "list a facility's open invites", invite.invite_list)
    listing.add_argument("--facility", required=True, metavar="SLUG")
    listing.add_argument("--all", action="store_true", help="also used, expired and revoked")
    revoke = _command(group, "revoke", "revoke an invite", invite.invite_revoke)
    revoke.add_argument("id", type=int, metavar="ID")


def _broadcast(commands: Commands) -> None:
    text = "announcements (Rundschreiben) to a facility's relatives or staff"
    group = _group(commands, "broadcast", text, text)
    send = group.add_parser("send", help="send an announcement", description=(
        "Write an announcement and its deliveries; the running bot sends them."))
    send.add_argument("--facility", required=True, metavar="SLUG")
    text_from = send.add_mutually_exclusive_group(required=True)
    text_from.add_argument("--text", help="the text (up to 4096 characters)")
    text_from.add_argument("--text-file", metavar="FILE", help="read the text from a UTF-8 file")
    send.add_argument("--unit", help="only the relatives of residents of this unit")
    send.add_argument("--staff", action="store_true", help="only the facility's staff")
    send.add_argument("--at", metavar='"YYYY-MM-DD HH:MM"',
                      help="when, in the facility's time zone (default: now)")
    send.add_argument("--urgent", action="store_true",
                      help="also during the relatives' quiet hours")
    send.add_argument("--no-wait", action="store_true", help="do not wait for the progress")
    send.set_defaults(command=broadcast.broadcast_send)

    status = group.add_parser("status", help="where an announcement stands",
                              description="Where an announcement stands: sent, pending, failed.")
    status.add_argument("id", type=int, metavar="ID", help="the announcement's id")
    _json_option(status)
    status.set_defaults(command=broadcast.broadcast_status)


def _wellbeing(commands: Commands) -> None:
    text = "wellbeing notes: the home's settings, residents and links left out"
    group = _group(commands, "wellbeing", text, text)
    shown = _command(group, "settings", "show or change whether the home writes notes",
                     wellbeing_cli.wellbeing_settings)
    shown.add_argument("--facility", required=True, metavar="SLUG")
    shown.add_argument("--notes", choices=["on", "off"], help="notes for the whole home")
    shown.add_argument("--activities", metavar='"A,B,C"',
                       help="the activities staff tap (1-8, comma-separated)")
    resident_notes = _command(group, "resident", "switch notes about one resident on or off",
                              wellbeing_cli.wellbeing_resident)
    resident_notes.add_argument("id", type=int, metavar="ID", help="the resident's id")
    resident_notes.add_argument("--notes", choices=["on", "off"], required=True)
    link = _command(group, "link", "switch notes for one relative's link on or off",
                    wellbeing_cli.wellbeing_link)
    link.add_argument("id", type=int, metavar="ID", help="the link's id (see `links`)")
    link.add_argument("--notes", choices=["on", "off"], required=True)
    links = _command(group, "links", "list the home's links with the relatives' consent",
                     wellbeing_cli.wellbeing_links)
    links.add_argument("--facility", required=True, metavar="SLUG")


def _conversations(commands: Commands) -> None:
    text = "how a home receives relatives' messages"
    group = _group(commands, "conversations", text, text)
    shown = group.add_parser("settings", help="show or change the reminder times",
                             description="show or change the staff group, inbox and reminders")
    shown.add_argument("--facility", required=True, metavar="SLUG")
    shown.add_argument("--reminder-hours", type=int, metavar="N",
                       help="remind the team after N hours of daytime without an answer (1-48)")
    shown.add_argument("--escalation-hours", type=int, metavar="N",
                       help="tell the admins after N hours without an answer (1-168)")
    _json_option(shown)
    shown.set_defaults(command=conversations.conversations_settings)

    text = "give a team member the inbox duty, or take it away"
    inbox = group.add_parser("inbox", help=text, description=text)
    inbox.add_argument("--facility", required=True, metavar="SLUG")
    inbox.add_argument("--telegram-id", required=True, type=int, metavar="ID")
    duty = inbox.add_mutually_exclusive_group(required=True)
    duty.add_argument("--on", dest="on", action="store_true", help="give the duty")
    duty.add_argument("--off", dest="on", action="store_false", help="take it away")
    _json_option(inbox)
    inbox.set_defaults(command=conversations.conversations_inbox)


def _report(commands: Commands) -> None:
    description = ("The monthly quality report of a facility: ratings, complaints, "
                   "conversations, photo updates and relatives, for the month and 12 months.")
    parser = commands.add_parser("report", help="the monthly quality report of a facility",
                                 description=description)
    parser.add_argument("--facility", required=True, metavar="SLUG")
    parser.add_argument("--month", required=True, metavar="YYYY-MM",
                        help="the month, in the facility's time zone")
    parser.add_argument("--format", choices=report.FORMATS, default="pdf",
                        help="pdf (default), html, or png: a folder with one image per chart")
    parser.add_argument("--output", type=Path, metavar="PATH",
                        help="where to write (default: report-SLUG-YYYY-MM.pdf/.html or folder)")
    parser.add_argument("--lang", choices=available_locales(),
                        help="the report's language (default: the facility's)")
    parser.add_argument("--json", action="store_true",
                        help="print the path and all figures as JSON")
    parser.set_defaults(command=report.report)


def _stream(commands: Commands) -> None:
    text = "the public, hash-chained review stream"
    group = _group(commands, "stream", text, text)
    verify = group.add_parser("verify", help="check every hash and link of the stream",
                              description=(
                                  "Check the stream: every seq, link and hash, and each payload "
                                  "against its digest. Exits 1 naming the first broken event."))
    verify.add_argument("base_url", nargs="?", metavar="BASE_URL",
                        help="a running Heimbote's public URL (default: the local database)")
    _json_option(verify)
    verify.set_defaults(command=stream.stream_verify)

    subscribe = group.add_parser("subscribe", help="push every event to a portal", description=(
        "Register a portal: every event is POSTed to URL with X-Heimbote-Timestamp: T and "
        "X-Heimbote-Signature: sha256=<HMAC-SHA256 of T.body with the secret>. Only public "
        "addresses, unless HEIMBOTE_PUSH_ALLOW_HOSTS names the host."))
    subscribe.add_argument("url", metavar="URL")
    secret = subscribe.add_mutually_exclusive_group(required=True)
    secret.add_argument("--secret-file", metavar="PATH", help=(
        f"read the shared secret ({push.MIN_SECRET_LENGTH}-200 characters) from this file"))
    secret.add_argument("--secret-stdin", action="store_true",
                        help="read the shared secret from standard input")
    subscribe.add_argument("--after", type=int, default=0, metavar="SEQ",
                           help="only events after this seq (default: the whole stream)")
    _json_option(subscribe)
    subscribe.set_defaults(command=stream.stream_subscribe)

    listing = group.add_parser("subscribers", help="the subscribed portals",
                               description="The subscribed portals and how far each is.")
    _json_option(listing)
    listing.set_defaults(command=stream.stream_subscribers)

    unsubscribe = group.add_parser("unsubscribe", help="stop pushing to a portal",
                                   description="Stop pushing to a portal.")
    unsubscribe.add_argument("id", type=int, metavar="ID", help="the subscriber's id")
    unsubscribe.set_defaults(command=stream.stream_unsubscribe)
