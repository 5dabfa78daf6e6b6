"""How a command's failure becomes one line on stderr and an exit status.

- 2: the command line is wrong (:class:`CommandError`: a malformed option, options that do not
  go together), or a setting is missing or malformed,
- 1: the request breaks a rule of the home (a domain error), names something that does not exist
  (a home, a resident, a file: :class:`CommandFailed`), or the database, Telegram or the network
  failed,
- 130: interrupted with Ctrl-C.

README's "Errors and ``--json``" states the same.

No traceback: the operator reads one line that says what to do. Usage errors caught by argparse
itself are one line too (:class:`bot.cli.parser.Parser`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from tortoise.exceptions import BaseORMException

from bot.config import SettingsError
from bot.domain.errors import DomainError

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class CommandError(Exception):
    """The command line is wrong; the message is the one line the user sees (exit status 2)."""


class CommandFailed(CommandError):
    """The command line was right, but what it names does not exist or could not be done
    (exit status 1)."""


def _failed(line: str, status: int) -> int:
    print(f"heimbote: {line}", file=sys.stderr)
    return status


def exit_status(run: Callable[[], None]) -> int:
    """Run a command; its exit status, after one line on stderr if it failed."""
    try:
        run()
    except CommandFailed as error:
        return _failed(str(error), EXIT_FAILED)
    except (SettingsError, CommandError) as error:
        return _failed(str(error), EXIT_USAGE)
    except DomainError as error:
        return _failed(str(error), EXIT_FAILED)
    except (OSError, BaseORMException) as error:
        return _failed(f"database or network failed: {error}", EXIT_FAILED)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    return EXIT_OK
