"""The one clock: every "now" in Heimbote, as an aware UTC datetime, comes from :func:`now`.

Services take the moment as a ``now`` argument where the caller knows it (a job's tick, a test's
chosen instant) and fall back to :func:`now`; nothing else calls ``datetime.now``. Tests choose
"now" by freezing this clock (``time-machine`` in ``tests/conftest.py``), so an outcome never
depends on the day or hour a test runs. Intervals that only measure elapsed time (pacing, caches)
use ``time.monotonic`` instead, which no calendar can upset.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

Clock = Callable[[], dt.datetime]


def now() -> dt.datetime:
    """The current moment in UTC."""
    return dt.datetime.now(dt.UTC)
