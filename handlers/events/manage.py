"""/events for the home's team: the events with their sign-ups and the count; admins also
create them (typed step by step: :mod:`.create`), change time or place, cancel, mark them
public, and announce them through the usual /broadcast steps."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.domain.callbacks import Prefix
from bot.domain.enums import EventAudience, Role
from bot.i18n import Translator
from bot.services import events as service
from bot.services.accounts import Awaited, await_input, stop_awaiting
from handlers.broadcast.audience import ask_audience
from handlers.events.replies import typed
from handlers.kit.args import int_args
from handlers.kit.buttons import button
from handlers.kit.context import HeimboteContext, account_of, actor_of
from handlers.kit.screens import show
from handlers.kit.text_input import typed_text

CAP = Prefix.EVENTS
NEW_TIME = "event_time"  # awaited: the event's new date and time
NEW_PLACE = "event_place"  # awaited: the event's new place


def _label(tr: Translator, event: service.EventView) -> str:
    mark = "❌ " if event.cancelled else ""
    when = tr.day_and_time(event.starts_at, event.timezone)
    return f"{mark}{when} {event.title} ({event.taken}/{event.capacity})"


async def show_home(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """A home's upcoming events with their counts; admins may add one."""
    (facility_id,) = int_args(args, 1)
    tr = context.tr
    events = await service.upcoming(actor_of(context), facility_id)
    rows = [[button(_label(tr, event), CAP, "ev", event.id)] for event in events]
    if await service.may_change_events(actor_of(context), facility_id):
        rows.append([button(tr._("➕ New event"), CAP, "new", facility_id)])
    if await service.upcoming_for(account_of(context)):  # on the team, and a relative too
        rows.append([button(tr._("👪 Sign up as family"), CAP, "list")])
    text = (tr._("Upcoming events – tap one for its sign-ups:") if events
            else tr._("No events are planned yet."))
    await show(update, text, InlineKeyboardMarkup(rows))


def signups_text(tr: Translator, signups: service.SignupList) -> str:
    """The event for the team: when, where, who comes, and the count."""
    event = signups.event
    lines = [f"📅 {event.title}", service.when_text(tr.locale, event)]
    if event.place:
        lines.append(tr._("Place: {place}").format(place=event.place))
    if event.cancelled:
        lines.append(tr._("❌ This event is cancelled."))
    if event.audience == EventAudience.RESIDENTS:
        lines.append(tr._("For residents only: relatives see it without signing up."))
    else:
        lines.append(tr._("Sign-up until {deadline}.").format(
            deadline=service.deadline_text(tr.locale, event)))
        lines.append(tr._("Signed up: {taken} of {capacity} places.").format(
            taken=event.taken, capacity=event.capacity))
        lines += [f"• {a.name}: {a.people}" for a in signups.attendees]
    lines.append(tr._("In the public calendar: yes.") if event.public
                 else tr._("In the public calendar: no."))
    return "\n".join(lines)


def signups_keyboard(tr: Translator, signups: service.SignupList) -> InlineKeyboardMarkup:
    event = signups.event
    rows: list[list[InlineKeyboardButton]] = []
    if signups.may_change and not event.cancelled:
        rows.append([button(tr._("🕒 Change time"), CAP, "time", event.id),
                     button(tr._("📍 Change place"), CAP, "place", event.id)])
        rows.append([button(tr._("📣 Announce"), CAP, "announce", event.id),
                     button(tr._("🌐 Not public") if event.public else tr._("🌐 Make public"),
                            CAP, "public", event.id, 0 if event.public else 1)])
        rows.append([button(tr._("❌ Cancel event"), CAP, "cancel", event.id)])
    rows.append([button(tr._("◀ All events"), CAP, "home", event.facility_id)])
    return InlineKeyboardMarkup(rows)


async def _show_signups(update: Update, context: HeimboteContext, event_id: int) -> None:
    signups = await service.signup_list(actor_of(context), event_id)
    await show(update, signups_text(context.tr, signups),
               signups_keyboard(context.tr, signups))


async def show_event(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """One event with its sign-ups."""
    (event_id,) = int_args(args, 1)
    await _show_signups(update, context, event_id)


async def ask_cancel(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """Ask before cancelling: everyone signed up will be told."""
    (event_id,) = int_args(args, 1)
    tr = context.tr
    event = await service.event_in(actor_of(context), event_id, Role.ADMIN)
    await show(update, tr._("Cancel “{title}”? Everyone signed up will be told.").format(
        title=event.title), InlineKeyboardMarkup([
            [button(tr._("❌ Yes, cancel it"), CAP, "cancelok", event.id)],
            [button(tr._("◀ Back"), CAP, "ev", event.id)]]))


async def cancel(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str:
    """Cancel the event."""
    (event_id,) = int_args(args, 1)
    await service.cancel_event(actor_of(context), event_id)
    await _show_signups(update, context, event_id)
    return context.tr._("Cancelled. Everyone signed up is told.")


async def set_public(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str:
    """Put the event into the public calendar, or take it out."""
    event_id, public = int_args(args, 2, minimum=0)
    await service.set_public(actor_of(context), event_id, bool(public))
    await _show_signups(update, context, event_id)
    return context.tr._("Saved.")


async def announce(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """An announcement draft with the event's text; the /broadcast steps take it from here."""
    (event_id,) = int_args(args, 1)
    announcement = await service.announce(actor_of(context), event_id)
    await ask_audience(update, context, announcement)


async def ask_time(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    (event_id,) = int_args(args, 1)
    event = await service.event_in(actor_of(context), event_id, Role.ADMIN)
    await await_input(account_of(context), NEW_TIME, event=event.id)
    await show(update, context.tr._(
        "New date and time for “{title}”, e.g. 2026-07-12 15:00-17:00:").format(
        title=event.title))


async def ask_place(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    (event_id,) = int_args(args, 1)
    event = await service.event_in(actor_of(context), event_id, Role.ADMIN)
    await await_input(account_of(context), NEW_PLACE, event=event.id)
    await show(update, context.tr._("New place for “{title}”:").format(title=event.title))


@typed
async def time_typed(update: Update, context: HeimboteContext, awaited: Awaited) -> None:
    """The new time: everyone signed up is told, with the updated calendar entry."""
    entered = typed_text(update, context)
    if entered is None:
        return
    event_id = int(awaited.payload["event"])
    event = await service.event_in(actor_of(context), event_id, Role.ADMIN)
    when = service.parse_when(entered.text, event.timezone)
    await service.change_event(actor_of(context), event_id, when=when)
    await stop_awaiting(entered.account)
    await _show_signups(update, context, event_id)


@typed
async def place_typed(update: Update, context: HeimboteContext, awaited: Awaited) -> None:
    """The new place: everyone signed up is told."""
    entered = typed_text(update, context)
    if entered is None:
        return
    event_id = int(awaited.payload["event"])
    await service.change_event(actor_of(context), event_id, place=entered.text)
    await stop_awaiting(entered.account)
    await _show_signups(update, context, event_id)
