"""``heimbote demo``: try Heimbote in the browser, without Telegram and without internet."""

from __future__ import annotations

import argparse
import errno
from pathlib import Path

from bot.cli.errors import CommandError
from bot.config import Settings
from bot.demo import DEFAULT_DATABASE
from bot.demo.chrome import LANGUAGES


async def _demo(settings: Settings, args: argparse.Namespace) -> None:
    from bot.demo.runner import DemoOptions, run_demo  # the whole bot: only when it runs

    options = DemoOptions(
        port=args.port, host=args.host, fresh=args.fresh, language=args.lang,
        database=Path(args.database),
    )
    try:
        await run_demo(options)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise CommandError(
                f"port {args.port} is in use: try another one, e.g. --port {args.port + 1}"
            ) from None
        raise


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``demo`` to the command line."""
    demo = commands.add_parser(
        "demo",
        help="try the bot in the browser: a local stand-in for Telegram, no token needed",
        description=(
            "Starts the real bot against a local stand-in for Telegram, with a seeded demo "
            "home (Haus Sonnenhof), and prints the URL of a page where you play every role."
        ),
    )
    demo.add_argument("--port", type=int, default=8080, help="port of the page (default 8080)")
    demo.add_argument("--host", default="127.0.0.1", help="address to listen on")
    demo.add_argument(
        "--fresh", action="store_true", help="start over: delete the demo database first"
    )
    demo.add_argument(
        "--lang", choices=LANGUAGES, default="en", help="language of the page (default en)"
    )
    demo.add_argument(
        "--database", default=str(DEFAULT_DATABASE),
        help=f"the demo's SQLite file (default {DEFAULT_DATABASE})",
    )
    demo.set_defaults(command=_demo)
