"""/events for relatives: the upcoming events of their homes, sign up with how many come,
withdraw with one tap. The confirmation with the calendar entry comes through the outbox."""

from __future__ import annotations

import contextlib
import datetime as dt

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot import clock
from bot.domain.callbacks import Prefix
from bot.domain.enums import EventAudience
from bot.i18n import Translator
from bot.services import events as service
from handlers.kit.args import int_args
from handlers.kit.buttons import button
from handlers.kit.context import HeimboteContext, account_of
from handlers.kit.screens import show

CAP = Prefix.EVENTS
OFFERED_PEOPLE = (1, 2, 3, 4)  # the buttons; the service allows up to MAX_PEOPLE


def short_label(tr: Translator, event: service.EventView) -> str:
    """"12. Juli, 15:00 Sommerfest" for a button."""
    return f"{tr.day_and_time(event.starts_at, event.timezone)} {event.title}"


def event_text(tr: Translator, event: service.EventView, now: dt.datetime) -> str:
    """An event as a relative reads it: what, when, where, places, their sign-up."""
    lines = [f"📅 {event.title}", service.when_text(tr.locale, event)]
    if event.place:
        lines.append(tr._("Place: {place}").format(place=event.place))
    lines.append(tr._("Care home: {home}").format(home=event.facility_name))
    if event.description:
        lines += ["", event.description]
    lines.append("")
    if event.cancelled:
        lines.append(tr._("❌ This event is cancelled."))
    elif event.audience == EventAudience.RESIDENTS:
        lines.append(tr._("This event is for the residents only; it is shown for your "
                          "information."))
    else:
        lines.append(tr.ngettext("{free} of {capacity} place is free.",
                                 "{free} of {capacity} places are free.",
                                 event.capacity).format(free=event.free, capacity=event.capacity))
        if event.mine:
            lines.append(tr.ngettext("✅ You are signed up: {count} person.",
                                     "✅ You are signed up: {count} people.",
                                     event.mine).format(count=event.mine))
        if event.open_for_signup(now):
            lines.append(tr._("Sign-up until {deadline}.").format(
                deadline=service.deadline_text(tr.locale, event)))
            lines.append(tr._("How many people are coming, including you?"))
        else:
            lines.append(tr._("Sign-up has closed."))
    return "\n".join(lines)


def event_keyboard(
    tr: Translator, event: service.EventView, now: dt.datetime
) -> InlineKeyboardMarkup:
    rows: list[list[InlineKeyboardButton]] = []
    if event.open_for_signup(now):
        rows.append([button(("✅ " if n == event.mine else "") + str(n), CAP, "join", event.id, n)
                     for n in OFFERED_PEOPLE])
    if event.mine and not event.cancelled and now < event.starts_at:
        rows.append([button(tr._("↩️ Withdraw"), CAP, "withdraw", event.id)])
    rows.append([button(tr._("◀ All events"), CAP, "list")])
    return InlineKeyboardMarkup(rows)


async def show_list(update: Update, context: HeimboteContext) -> None:
    """The relative's upcoming events, one button each."""
    tr = context.tr
    events = await service.upcoming_for(account_of(context))
    if not events:
        await show(update, tr._("No events are planned at the moment."))
        return
    rows = [[button(("✅ " if event.mine else "") + short_label(tr, event), CAP, "show",
                    event.id)] for event in events]
    await show(update, tr._("Upcoming events – tap one for details and to sign up:"),
               InlineKeyboardMarkup(rows))


async def list_pressed(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    int_args(args, 0)
    await show_list(update, context)


async def _show_event(update: Update, context: HeimboteContext, event: service.EventView) -> None:
    now = clock.now()
    text, keyboard = event_text(context.tr, event, now), event_keyboard(context.tr, event, now)
    query = update.callback_query
    if query is not None and isinstance(query.message, Message) and not query.message.text:
        # Under the confirmation (a calendar file): keep it, and answer with a new screen.
        with contextlib.suppress(BadRequest):  # pressed twice: its buttons are gone already
            await query.edit_message_reply_markup(None)
        await context.bot.send_message(query.message.chat.id, text, reply_markup=keyboard)
        return
    await show(update, text, keyboard)


async def show_event(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """One event, with the sign-up buttons."""
    (event_id,) = int_args(args, 1)
    await _show_event(update, context, await service.event_for(account_of(context), event_id))


async def join(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str:
    """Sign up for the number of people the button names (or change it)."""
    event_id, people = int_args(args, 2)
    event = await service.sign_up(account_of(context), event_id, people)
    await _show_event(update, context, event)
    return context.tr._("Signed up. Your calendar entry follows.")


async def withdraw(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str:
    """Withdraw the sign-up (from the event screen or under the confirmation)."""
    (event_id,) = int_args(args, 1)
    event = await service.withdraw(account_of(context), event_id)
    await _show_event(update, context, event)
    return context.tr._("Withdrawn.")
