"""Calendar files (RFC 5545 ``.ics``) for what a relative books or signs up for, and public feeds.

Visits and events describe what they put in a calendar as :class:`CalendarEntry` values; this
package writes them with the ``icalendar`` library. A file carries the time zone of the home
(a ``VTIMEZONE``), so a phone in another zone shows the right local time, and each entry a stable
``UID``: a changed or cancelled entry sent again with a higher ``sequence`` replaces the one in the
reader's calendar instead of adding a second.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import icalendar

PRODUCT = "-//Heimbote//Heimbote//EN"
MIME_TYPE = "text/calendar"


@dataclass(frozen=True)
class CalendarEntry:
    """One appointment: times are aware (in the home's time zone), texts already translated."""

    uid: str  # stable and unique, e.g. "visit-42@linden.heimbote"
    start: dt.datetime
    end: dt.datetime
    summary: str
    description: str = ""
    location: str = ""
    sequence: int = 0  # raised each time the entry changes
    cancelled: bool = False


def calendar_file(
    entries: Iterable[CalendarEntry], *, now: dt.datetime, name: str = ""
) -> bytes:
    """An ``.ics`` file with ``entries``: one for a booking, many for a home's public feed.

    ``now`` is the file's time stamp (``DTSTAMP``); ``name`` the calendar's title, where a
    calendar app shows one (a subscribed feed).
    """
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    for entry in entries:
        calendar.add_component(_event(entry, now))
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def _event(entry: CalendarEntry, now: dt.datetime) -> icalendar.Event:
    if entry.start.tzinfo is None or entry.end.tzinfo is None:
        raise ValueError("calendar entries need aware times")
    event = icalendar.Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", now.astimezone(dt.UTC))
    event.add("dtstart", entry.start)
    event.add("dtend", entry.end)
    event.add("summary", entry.summary)
    if entry.description:
        event.add("description", entry.description)
    if entry.location:
        event.add("location", entry.location)
    event.add("sequence", entry.sequence)
    event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    return event
