"""What the bot writes about visits on its own initiative, in each reader's language.

Confirmations (with the ``.ics`` file), reminders, closure notices and the staff group's list of
the day are enqueued by the services, so their wording lives here. Days and times are shown in
the home's time zone; buttons follow ``bot/domain/callbacks.py`` (:data:`CAPABILITY`).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton, get_day_names

from bot.domain.callbacks import Prefix, button
from bot.i18n import clock, translator

CAPABILITY = Prefix.VISITS  # handlers.visits
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")  # the CLI's and the admin's


def weekday_text(locale: str, weekday: int) -> str:
    """"Mon" / "Mo."."""
    return str(get_day_names("abbreviated", locale=locale)[weekday])


def weekday_of(text: str, locale: str) -> int | None:
    """0-6 for "Mon", "monday", "Mo", "Montag" (English or ``locale``), else ``None``."""
    wanted = text.strip().rstrip(".").casefold()
    for names in (("abbreviated", "en"), ("wide", "en"), ("abbreviated", locale),
                  ("wide", locale), ("short", locale)):
        for number, name in get_day_names(names[0], locale=names[1]).items():
            if str(name).rstrip(".").casefold() == wanted:
                return int(number)
    return None


def day_text(locale: str, day: dt.date) -> str:
    """"Wed, June 17" / "Mi., 17. Juni"."""
    return str(format_skeleton("MMMEd", day, locale=locale))


def time_text(locale: str, moment: dt.datetime, timezone: str) -> str:
    """The wall-clock time at the home: "14:00" / "2:00 PM"."""
    return clock(moment, locale, timezone)


def when_text(locale: str, starts_at: dt.datetime, ends_at: dt.datetime, timezone: str) -> str:
    """"Wed, June 17, 2:00 PM – 2:30 PM" at the home."""
    local = starts_at.astimezone(ZoneInfo(timezone))
    return (f"{day_text(locale, local.date())}, {time_text(locale, starts_at, timezone)}"
            f" – {time_text(locale, ends_at, timezone)}")


def people_text(locale: str, people: int) -> str:
    return translator(locale).ngettext("{count} person", "{count} people", people).format(
        count=people)


def calendar_summary(locale: str, resident: str, home: str) -> str:
    return translator(locale)._("Visit to {resident} ({home})").format(
        resident=resident, home=home)


def confirmation(locale: str, *, resident: str, home: str, when: str, people: int,
                 lead_hours: int) -> str:
    tr = translator(locale)
    return tr._(
        "✅ Your visit to {resident} at {home} is booked: {when}, {people}.\n"
        "Open the calendar file to add it to your calendar. You can cancel with the button "
        "below until {lead} before the visit."
    ).format(resident=resident, home=home, when=when, people=people_text(locale, people),
             lead=tr.ngettext("{count} hour", "{count} hours", lead_hours).format(
                 count=lead_hours))


def cancel_buttons(locale: str, booking_id: int) -> list[list[dict[str, str]]]:
    return [[button(translator(locale)._("✖ Cancel this visit"), CAPABILITY, "cancel",
                    booking_id)]]


def cancelled(locale: str, *, resident: str, when: str) -> str:
    return translator(locale)._(
        "Your visit ({resident}, {when}) is cancelled. Open the calendar file to take it out of "
        "your calendar."
    ).format(resident=resident, when=when)


def reminder(locale: str, *, resident: str, home: str, when: str) -> str:
    return translator(locale)._(
        "🔔 Reminder: tomorrow you visit {resident} at {home}, {when}."
    ).format(resident=resident, home=home, when=when)


def closed_notice(locale: str, *, resident: str, home: str, when: str, reason: str) -> str:
    return translator(locale)._(
        "❗ {home} has no visiting hours on this day, so your visit to {resident} on {when} is "
        "cancelled. Reason: {reason}\nYou can book another time below."
    ).format(home=home, resident=resident, when=when, reason=reason)


def rebook_buttons(locale: str, resident_id: int) -> list[list[dict[str, str]]]:
    return [[button(translator(locale)._("📅 Book another time"), CAPABILITY, "rebook",
                    resident_id)]]


def day_list(locale: str, *, home: str, day: dt.date, lines: list[str]) -> str:
    """The staff group's list of the day: one line per visit, by unit."""
    tr = translator(locale)
    head = tr._("Visits today at {home} ({day}):").format(home=home, day=day_text(locale, day))
    if not lines:
        return head + "\n" + tr._("No visits booked.")
    return "\n".join([head, *lines])


def zone(timezone: str) -> ZoneInfo:
    return ZoneInfo(timezone)
