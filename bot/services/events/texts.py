"""What the bot writes about events on its own, in each reader's language: confirmations,
changes, cancellations, and the calendar entries (``.ics``) that go with them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from babel.dates import format_date

from bot.delivery.outbox import Outgoing
from bot.domain.callbacks import Prefix, button
from bot.domain.enums import EventAudience
from bot.i18n import clock, translator
from bot.services.calendar import CalendarEntry, calendar_file
from bot.services.events.views import EventView

CAPABILITY = Prefix.EVENTS  # handlers.events


def when_text(locale: str, event: EventView) -> str:
    """"Sunday, July 12, 2026, 3:00 PM – 5:00 PM" in the home's time zone."""
    zone = ZoneInfo(event.timezone)
    start, end = event.starts_at.astimezone(zone), event.ends_at.astimezone(zone)
    day = format_date(start.date(), "full", locale=locale)
    times = f"{clock(start, locale)} – {clock(end, locale)}"
    if end.date() != start.date():
        times = (f"{clock(start, locale)} – "
                 f"{format_date(end.date(), 'medium', locale=locale)} {clock(end, locale)}")
    return f"{day}, {times}"


def deadline_text(locale: str, event: EventView) -> str:
    """The sign-up deadline, in the home's time zone: "Jul 10, 2026, 6:00 PM"."""
    local = event.signup_until.astimezone(ZoneInfo(event.timezone))
    return (f"{format_date(local.date(), 'medium', locale=locale)}, "
            f"{clock(local, locale)}")


def summary(locale: str, event: EventView) -> str:
    """Title, when and where, in a few lines."""
    lines = [event.title, when_text(locale, event)]
    if event.place:
        lines.append(translator(locale)._("Place: {place}").format(place=event.place))
    return "\n".join(lines)


def entry(locale: str, event: EventView) -> CalendarEntry:
    """The event as a calendar entry (cancelled ones marked so)."""
    return CalendarEntry(
        uid=event.uid, start=event.starts_at.astimezone(ZoneInfo(event.timezone)),
        end=event.ends_at.astimezone(ZoneInfo(event.timezone)), summary=event.title,
        description=event.description, location=event.place, sequence=event.sequence,
        cancelled=event.cancelled,
    )


def ics(locale: str, event: EventView, now: dt.datetime) -> bytes:
    """One event's ``.ics`` file."""
    return calendar_file([entry(locale, event)], now=now)


def file_name(event: EventView) -> str:
    return f"event-{event.id}.ics"


def withdraw_buttons(locale: str, event: EventView) -> list[list[dict[str, str]]]:
    return [[button(translator(locale)._("↩️ Withdraw"), CAPABILITY, "withdraw", event.id)]]


def signed_up(locale: str, event: EventView, now: dt.datetime) -> Outgoing:
    """The confirmation with the calendar entry and a withdraw button."""
    tr = translator(locale)
    head = tr.ngettext("✅ You are signed up, {count} person:",
                       "✅ You are signed up, {count} people:", event.mine).format(
        count=event.mine)
    return Outgoing.document(file_name(event), ics(locale, event, now),
                             f"{head}\n{summary(locale, event)}",
                             buttons=withdraw_buttons(locale, event))


def withdrawn(locale: str, event: EventView, now: dt.datetime) -> Outgoing:
    """After withdrawing: the entry, cancelled, so the calendar drops it."""
    tr = translator(locale)
    head = tr._("You have withdrawn from this event:")
    cancelled = EventView(**{**event.__dict__, "cancelled": True, "sequence": event.sequence + 1})
    return Outgoing.document(file_name(event), ics(locale, cancelled, now),
                             f"{head}\n{summary(locale, event)}")


def changed(locale: str, event: EventView, now: dt.datetime) -> Outgoing:
    """To everyone signed up: the event's new time or place, with the updated entry."""
    head = translator(locale)._("📅 Changed – please note the new details:")
    return Outgoing.document(file_name(event), ics(locale, event, now),
                             f"{head}\n{summary(locale, event)}",
                             buttons=withdraw_buttons(locale, event))


def cancelled(locale: str, event: EventView, now: dt.datetime) -> Outgoing:
    """To everyone signed up: the event is cancelled (the entry marked CANCELLED)."""
    head = translator(locale)._("❌ Cancelled:")
    return Outgoing.document(file_name(event), ics(locale, event, now),
                             f"{head}\n{summary(locale, event)}")


def announcement(locale: str, event: EventView) -> str:
    """The text an announcement of the event starts with (the admin may change it)."""
    tr = translator(locale)
    parts = [summary(locale, event)]
    if event.description:
        parts.append(event.description)
    if event.audience == EventAudience.RELATIVES:
        parts.append(tr._("Sign up in /events until {deadline}.").format(
            deadline=deadline_text(locale, event)))
    return "\n\n".join(parts)
