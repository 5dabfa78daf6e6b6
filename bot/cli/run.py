"""``heimbote run`` and ``heimbote db upgrade``: the bot itself, and its database.

Both import what they start only when they run: ``heimbote --help`` stays quick.
"""

from __future__ import annotations

import argparse
import logging

from bot.cli.errors import CommandError, CommandFailed
from bot.config import Settings

RUN_DESCRIPTION = (
    "Run the bot: apply the database migrations, then receive Telegram updates (long polling, "
    "or a webhook when HEIMBOTE_WEBHOOK_URL is set), serve the web pages and the health check, "
    "and send what waits in the outbox, until SIGTERM or Ctrl-C. One `heimbote run` per SQLite "
    "file."
)
RUN_EPILOG = """\
run has no options of its own: it reads its settings from the environment or from .env.
  HEIMBOTE_BOT_TOKEN         the bot's token from @BotFather (required)
  HEIMBOTE_DATABASE_URL      sqlite://heimbote.sqlite3 (default) or postgres://…
  HEIMBOTE_WEBHOOK_URL       receive updates by webhook at this public https URL
  HEIMBOTE_WEBHOOK_SECRET    the secret Telegram sends with every webhook call
  HEIMBOTE_HTTP_HOST/PORT    where the web server listens (127.0.0.1:8080)
  HEIMBOTE_PUBLIC_URL        the public address of the review pages
  HEIMBOTE_ADMIN_IDS         Telegram ids of platform admins, comma-separated
  HEIMBOTE_DEFAULT_LOCALE    de (default) or en
  HEIMBOTE_TELEGRAM_API_URL  another Bot API server (default https://api.telegram.org)
All settings are described in README.md, "Configuration".

exit status: 0 when stopped with SIGTERM; 1 when Telegram refuses the token, cannot be reached,
the database fails, or the SQLite file is in use; 2 when a setting is missing or malformed;
130 on Ctrl-C. A failure is one line on stderr, never the token."""

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

    One ``heimbote run`` per SQLite file: a second one is refused (exit status 1). A token that
    Telegram refuses, or no way to reach Telegram, is one line and exit status 1; the token itself
    is never printed.
    """
    from telegram.error import InvalidToken, NetworkError, TelegramError

    from bot.app import serve
    from bot.sqlite import one_run_per_file

    if settings.bot_token is None:
        raise CommandError(NO_TOKEN)
    token = settings.bot_token.get_secret_value()
    with one_run_per_file(settings.database_url):
        _configure_logging()
        try:
            await serve(settings)
        except InvalidToken:
            raise CommandFailed(
                "Telegram refused HEIMBOTE_BOT_TOKEN: copy the token again from @BotFather "
                "(https://t.me/BotFather)"
            ) from None
        except NetworkError as error:  # also TimedOut
            raise CommandFailed(
                f"cannot reach Telegram at {settings.telegram_api_url}: "
                f"{_without(str(error), token)}; check the network and HEIMBOTE_TELEGRAM_API_URL"
            ) from None
        except TelegramError as error:
            raise CommandFailed(f"Telegram answered: {_without(str(error), token)}") from None


def _without(text: str, token: str) -> str:
    """``text`` with the token blanked out, should Telegram's library have quoted it."""
    return text.replace(token, "***") if token else text


async def db_upgrade(settings: Settings, args: argparse.Namespace) -> None:
    """Apply the schema migrations."""
    from bot.db import database

    async with database(settings.database_url):
        pass
    print("database is up to date")

