"""The one clock: code reads "now" from bot.clock, and every test runs on the instant it chose."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot import clock
from tests.conftest import CLOCKS, chosen_instant

ROOT = Path(__file__).resolve().parent.parent
WALL_CLOCK = re.compile(r"\b(datetime\.now|datetime\.utcnow|date\.today|time\.time)\(")


def test_the_code_reads_the_time_only_through_bot_clock() -> None:
    readers = [
        f"{path.relative_to(ROOT)}:{number}"
        for folder in ("bot", "handlers")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path != ROOT / "bot" / "clock.py" and "sandbox" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if WALL_CLOCK.search(line)
    ]
    assert readers == [], "use bot.clock.now() (or a now= argument) instead"


def test_the_clock_starts_at_the_instant_the_test_chose(
    now: dt.datetime, request: pytest.FixtureRequest
) -> None:
    assert now == chosen_instant(request.config)
    assert dt.timedelta(0) <= clock.now() - now < dt.timedelta(minutes=1)
    assert clock.now().tzinfo is dt.UTC


@pytest.mark.parametrize("name", sorted(CLOCKS))
def test_every_named_instant_is_the_berlin_wall_clock_it_claims(name: str) -> None:
    berlin = dt.datetime.fromisoformat(CLOCKS[name]).astimezone(ZoneInfo("Europe/Berlin"))
    wall = {
        "mid-month": (6, 17, 10, 0), "month-start": (12, 1, 0, 5),
        "year-end": (12, 31, 23, 30), "spring-forward": (3, 29, 3, 30),  # 02:30 does not exist
        "fall-back": (10, 25, 2, 30),
    }[name]
    assert (berlin.month, berlin.day, berlin.hour, berlin.minute) == wall
    if name == "fall-back":  # the second 02:30 of that night, in winter time
        assert berlin.utcoffset() == dt.timedelta(hours=1) and berlin.fold == 1
