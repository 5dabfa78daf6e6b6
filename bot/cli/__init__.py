"""The ``heimbote`` command (also ``python -m bot``).

- ``parser``: the argparse tree, every command and option;
- one module per command group: ``run`` (``run``, ``db``), ``facility``, ``resident``,
  ``invite``, ``broadcast``, ``conversations``, ``report``, ``stream``; ``demo`` is
  :mod:`bot.demo.cli`;
- ``errors``: how a failure becomes one line on stderr and an exit status;
- ``output``: lines, tables and JSON.

Commands import what is slow to import (the bot, matplotlib, the demo) only when they run:
``heimbote --help`` stays quick.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Sequence

from bot.cli.errors import CommandError, exit_status
from bot.cli.parser import Command, build_parser
from bot.config import load_settings

__all__ = ["CommandError", "build_parser", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line, load the settings once, run the command."""
    # Opt in to PTB's coming behaviour (durations as timedelta) instead of deprecation warnings.
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    args = build_parser().parse_args(argv)
    command: Command = args.command

    def run() -> None:
        settings = load_settings()
        asyncio.run(command(settings, args))

    return exit_status(run)


if __name__ == "__main__":
    sys.exit(main())
