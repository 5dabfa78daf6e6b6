"""``python -m bot`` is the ``heimbote`` command."""

import sys

from bot.cli import main

sys.exit(main())
