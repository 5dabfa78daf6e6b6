"""A log that does not repeat itself into gigabytes.

An error that happens in a loop (``accept`` failing for want of file descriptors, a database
away) would write the same line thousands of times a second. :class:`RepeatFilter` lets each
kind of line — the same logger, level and message template — through ``burst`` times in
``window`` seconds; what it holds back is counted and reported in the next line of that kind
that passes ("… (37 similar lines held back)").
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable

MAX_KINDS = 1000  # kinds of lines remembered; the oldest are forgotten first


class RepeatFilter(logging.Filter):
    """At most ``burst`` lines of one kind per ``window`` seconds."""

    def __init__(
        self, burst: int = 10, window: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__()
        self.burst = burst
        self.window = window
        self._clock = clock
        self._kinds: OrderedDict[tuple[str, int, str], tuple[float, int, int]] = OrderedDict()

    def filter(self, record: logging.LogRecord) -> bool:
        kind = (record.name, record.levelno, str(record.msg))
        now = self._clock()
        since, passed, held = self._kinds.pop(kind, (now, 0, 0))
        if now - since >= self.window:
            since, passed = now, 0
        if passed >= self.burst:
            self._kinds[kind] = (since, passed, held + 1)
            self._forget_oldest()
            return False
        if held:
            record.msg = f"{record.msg} ({held} similar lines held back)"
        self._kinds[kind] = (since, passed + 1, 0)
        self._forget_oldest()
        return True

    def _forget_oldest(self) -> None:
        while len(self._kinds) > MAX_KINDS:
            self._kinds.popitem(last=False)


def hold_back_repeats() -> None:
    """Put a :class:`RepeatFilter` on every handler of the root logger."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RepeatFilter) for f in handler.filters):
            handler.addFilter(RepeatFilter())
