"""What the commands print: lines and tables for people, JSON with ``--json``.

Output is for operators, in English; times in JSON are UTC ISO 8601, in lines the facility's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from bot.models import Facility


def print_json(data: object) -> None:
    """``data`` as indented JSON, umlauts as they are."""
    print(json.dumps(data, ensure_ascii=False, indent=2))


def emit(args: argparse.Namespace, data: object, lines: Sequence[str]) -> None:
    """Print ``data`` as JSON with ``--json``, else the lines for people."""
    if args.json:
        print_json(data)
    else:
        for line in lines:
            print(line)


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    """The rows under their headers, each column as wide as its widest cell."""
    cells = [[str(h) for h in headers], *([str(c) for c in row] for row in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    return ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
            for row in cells]


def utc_iso(moment: dt.datetime | None) -> str | None:
    """A moment for JSON: ISO 8601 in UTC, or None."""
    return moment.astimezone(dt.UTC).isoformat() if moment else None


def local_time(moment: dt.datetime, facility: Facility) -> str:
    """A moment for people: ``2026-03-01 14:30 CET`` in the facility's time zone."""
    return moment.astimezone(ZoneInfo(facility.timezone)).strftime("%Y-%m-%d %H:%M %Z")
