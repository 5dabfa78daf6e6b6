"""The ``heimbote`` command (also ``python -m bot``)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Callable, Coroutine, Sequence
from importlib.metadata import PackageNotFoundError, version
from typing import Any, NoReturn

from tortoise.exceptions import BaseORMException

from bot.config import Settings, SettingsError, load_settings
from bot.domain.errors import DomainError

EXIT_USAGE = 2

NO_TOKEN = (
    "HEIMBOTE_BOT_TOKEN is not set: create a bot with @BotFather in Telegram "
    "(https://t.me/BotFather), then put its token in the environment or in .env."
)


class CommandError(Exception):
    """A command cannot do what was asked; the message is the one line the user sees."""


def _version() -> str:
    try:
        return version("heimbote")
    except PackageNotFoundError:
        return "unknown"


def _configure_logging() -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # httpx logs every request URL at INFO, and the URL contains the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)


async def _run(settings: Settings, args: argparse.Namespace) -> None:
    from bot.app import serve

    if settings.bot_token is None:
        raise CommandError(NO_TOKEN)
    _configure_logging()
    await serve(settings)


async def _db_upgrade(settings: Settings, args: argparse.Namespace) -> None:
    from bot.db import database

    async with database(settings.database_url):
        pass
    print("database is up to date")


Command = Callable[[Settings, argparse.Namespace], Coroutine[Any, Any, None]]


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (the usage itself is in ``--help``)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The command line: every command has ``--help``."""
    from bot.cli import admin, broadcast, conversations, report, stream  # they import CommandError
    from bot.demo import cli as cli_demo

    parser = _Parser(
        prog="heimbote",
        description="Heimbote: the Telegram bot that connects relatives with their care home.",
    )
    parser.add_argument("--version", action="version", version=f"heimbote {_version()}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)

    run = commands.add_parser("run", help="run the bot (applies migrations first)")
    run.set_defaults(command=_run)

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(title="commands", metavar="COMMAND", required=True)
    upgrade = db_commands.add_parser("upgrade", help="apply the schema migrations")
    upgrade.set_defaults(command=_db_upgrade)

    admin.register(commands)
    broadcast.register(commands)
    cli_demo.register(commands)
    conversations.register(commands)
    report.register(commands)
    stream.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line, load the settings once, run the command."""
    # Opt in to PTB's coming behaviour (durations as timedelta) instead of deprecation warnings.
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    args = build_parser().parse_args(argv)
    command: Command = args.command
    try:
        settings = load_settings()
        asyncio.run(command(settings, args))
    except (SettingsError, CommandError) as error:
        print(f"heimbote: {error}", file=sys.stderr)
        return EXIT_USAGE
    except DomainError as error:
        print(f"heimbote: {error}", file=sys.stderr)
        return 1
    except (OSError, BaseORMException) as error:
        print(f"heimbote: database or network failed: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
