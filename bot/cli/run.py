"""``heimbote run`` and ``heimbote db upgrade``: the bot itself, and its database.

Both import what they start only when they run: ``heimbote --help`` stays quick.
"""

from __future__ import annotations

import argparse
import logging

from bot.cli.errors import CommandError
from bot.config import Settings

NO_TOKEN = (
    "HEIMBOTE_BOT_TOKEN is not set: create a bot with @BotFather in Telegram "
    "(https://t.me/BotFather), then put its token in the environment or in .env."
)


def _configure_logging() -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # httpx logs every request URL at INFO, and the URL contains the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)


async def run(settings: Settings, args: argparse.Namespace) -> None:
    """Run the bot until it is stopped (the migrations are applied first).

    One ``heimbote run`` per SQLite file: a second one is refused (exit status 1).
    """
    from bot.app import serve
    from bot.sqlite import one_run_per_file

    if settings.bot_token is None:
        raise CommandError(NO_TOKEN)
    with one_run_per_file(settings.database_url):
        _configure_logging()
        await serve(settings)


async def db_upgrade(settings: Settings, args: argparse.Namespace) -> None:
    """Apply the schema migrations."""
    from bot.db import database

    async with database(settings.database_url):
        pass
    print("database is up to date")

