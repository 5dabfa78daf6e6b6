"""Times as each locale writes them: never with seconds, one format per locale, one helper."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from bot.i18n import clock, translator

ROOT = Path(__file__).resolve().parent.parent
MOMENT = dt.datetime(2026, 12, 2, 20, 5, 33, tzinfo=dt.UTC)  # 21:05:33 in Berlin
NNBSP = "\N{NARROW NO-BREAK SPACE}"


@pytest.mark.parametrize(("locale", "time", "moment"), [
    ("de", "21:05", "02.12.2026, 21:05"),
    ("en", f"9:05{NNBSP}PM", f"Dec 2, 2026, 9:05{NNBSP}PM"),
])
def test_times_have_no_seconds_and_one_format(locale: str, time: str, moment: str) -> None:
    tr = translator(locale)
    assert clock(MOMENT, locale, "Europe/Berlin") == time
    assert tr.time(MOMENT, "Europe/Berlin") == time
    assert tr.time(dt.time(21, 5)) == time  # a wall-clock time reads the same
    assert tr.datetime(MOMENT, "Europe/Berlin") == moment
    assert tr.day_and_time(MOMENT, "Europe/Berlin").endswith(f", {time}")


# Where "%H:%M" is a stored or machine value, never shown to a relative or the team in chat.
MACHINE_TIMES = {
    "bot/services/visits/slots.py",  # the slot's stored wall clock
    "bot/services/stream/chain.py",  # RFC 3339 in the API
    "bot/cli/output.py",  # the operator's terminal
}


def test_every_shown_time_goes_through_the_one_helper() -> None:
    offending = []
    for folder in ("bot", "handlers"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            if name == "bot/i18n.py" or name.startswith("bot/sandbox/"):
                continue
            text = path.read_text(encoding="utf-8")
            if re.search(r"\bformat_(time|datetime)\(", text):
                offending.append(f"{name}: Babel time formatting outside bot.i18n")
            if "%H:%M" in text and name not in MACHINE_TIMES:
                offending.append(f"{name}: %H:%M")
    assert not offending, "\n".join(offending)
