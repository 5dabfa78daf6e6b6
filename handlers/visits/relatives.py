"""/visit: a relative books a visit — resident, day, time, how many people, confirm — and
cancels it with the button under the confirmation.

Each step's button names everything chosen so far (ids, the day, the start as a Unix time), so
no step keeps state; the service checks the link, the slot and the free place again on booking.
"""

from __future__ import annotations

import datetime as dt

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot import clock
from bot.domain.callbacks import BadCallbackData, Prefix
from bot.domain.errors import DomainError, InvalidInput, NotFound
from bot.i18n import Translator
from bot.services import visits as service
from handlers.kit.args import int_args
from handlers.kit.buttons import STALE, button, error_message
from handlers.kit.context import HeimboteContext, account_of
from handlers.kit.screens import pressed_message, show

CAP = Prefix.VISITS
DAYS_PER_ROW = 2
TIMES_PER_ROW = 3


def refusal(tr: Translator, error: DomainError) -> str:
    """A refused booking or cancellation, in plain words (nothing was changed)."""
    if isinstance(error, InvalidInput) and error.field == "visit":
        if error.reason == "full":
            return tr._("Sorry, this time has just been booked by someone else. "
                        "Please choose another.")
        if error.reason == "closed":
            return tr._("The home has closed this day for visits. Please choose another.")
        if error.reason == "gone":
            return tr._("This time can no longer be booked. Please choose another.")
        if error.reason == "twice":
            return tr._("You have already booked this visit.")
        if error.reason == "too_late":
            return tr._("It is too late to cancel this visit here. Please call the home.")
        if error.reason == "cancelled":
            return tr._("This visit is already cancelled.")
    if isinstance(error, NotFound):  # not the presser's resident or booking: an old button
        return tr._(STALE)
    return error_message(tr, error)


def _rows(items: list[InlineKeyboardButton], per_row: int) -> list[list[InlineKeyboardButton]]:
    return [items[i:i + per_row] for i in range(0, len(items), per_row)]


async def start(update: Update, context: HeimboteContext) -> None:
    """/visit: whom to visit (if several), else straight to the days."""
    tr = context.tr
    choices = await service.visitable(account_of(context))
    if not choices:
        await show(update, tr._(
            "You are not connected with a resident yet. You need an invitation from the care "
            "home: open its link, or send me its code."))
    elif len(choices) == 1:
        await show_days(update, context, (str(choices[0].resident_id),))
    else:
        await show(update, tr._("Whom would you like to visit?"), InlineKeyboardMarkup(
            [[button(c.resident_name, CAP, "resident", c.resident_id)] for c in choices]))


async def _choice(context: HeimboteContext, resident_id: int) -> service.Choice:
    for choice in await service.visitable(account_of(context)):
        if choice.resident_id == resident_id:
            return choice
    raise BadCallbackData("not a resident of this relative")


async def days_screen(context: HeimboteContext, resident_id: int
                      ) -> tuple[str, InlineKeyboardMarkup | None]:
    """The days with a free time, as text and buttons."""
    tr, locale = context.tr, context.tr.locale
    choice = await _choice(context, resident_id)
    days = await service.free_days(account_of(context), resident_id, now=clock.now())
    if not days:
        return tr._("There are no free visiting times for {resident} in the next days. Please "
                    "ask the home.").format(resident=choice.resident_name), None
    keys = [button(service.day_text(locale, day), CAP, "day", resident_id, f"{day:%Y%m%d}")
            for day in days]
    return (tr._("When would you like to visit {resident}? Days with free times at {home}:")
            .format(resident=choice.resident_name, home=choice.facility_name),
            InlineKeyboardMarkup(_rows(keys, DAYS_PER_ROW)))


async def show_days(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """The days with a free time."""
    (resident_id,) = int_args(args, 1)
    await show(update, *await days_screen(context, resident_id))


async def rebook(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """📅 under a cancelled visit's notice: the days, in a new message (the notice stays)."""
    (resident_id,) = int_args(args, 1)
    text, markup = await days_screen(context, resident_id)
    message = pressed_message(update)
    await message.edit_reply_markup(None)
    await message.reply_text(text, reply_markup=markup)


def _day(raw: str) -> dt.date:
    try:
        return dt.datetime.strptime(raw, "%Y%m%d").date()
    except ValueError:
        raise BadCallbackData(raw) from None


async def show_times(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """The free times of a day."""
    if len(args) != 2:
        raise BadCallbackData(args)
    (resident_id,) = int_args(args[:1], 1)
    day = _day(args[1])
    tr, locale = context.tr, context.tr.locale
    choice = await _choice(context, resident_id)
    offers = await service.offers(account_of(context), resident_id, now=clock.now(), day=day)
    back = [button(tr._("◀ Other days"), CAP, "resident", resident_id)]
    if not offers:
        await show(update, tr._("There are no free times left on this day."),
                   InlineKeyboardMarkup([back]))
        return
    keys = [button(service.time_text(locale, offer.starts_at, choice.timezone), CAP, "time",
                   resident_id, offer.slot_id, int(offer.starts_at.timestamp()))
            for offer in offers]
    await show(update, tr._("{day}: at what time would you like to come?").format(
        day=service.day_text(locale, day)), InlineKeyboardMarkup([*_rows(keys, TIMES_PER_ROW),
                                                                  back]))


def _when(args: tuple[str, ...], count: int) -> list[int]:
    """Ids, the start (Unix time) and the number of people, as the buttons carry them."""
    return int_args(args, count, minimum=1)


async def ask_people(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """How many people will come."""
    resident_id, slot_id, starts = _when(args, 3)
    tr = context.tr
    await _choice(context, resident_id)
    keys = [button(str(n), CAP, "people", resident_id, slot_id, starts, n)
            for n in range(1, service.MAX_PEOPLE + 1)]
    await show(update, tr._("How many people will come?"), InlineKeyboardMarkup([keys]))


async def confirm(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """The visit in one line, to book or to go back."""
    resident_id, slot_id, starts, people = _when(args, 4)
    tr, locale = context.tr, context.tr.locale
    choice = await _choice(context, resident_id)
    starts_at = dt.datetime.fromtimestamp(starts, dt.UTC)
    day = starts_at.astimezone(service.zone(choice.timezone)).date()
    text = tr._("Visit {resident} at {home} on {day} at {time}, {people}?").format(
        resident=choice.resident_name, home=choice.facility_name,
        day=service.day_text(locale, day),
        time=service.time_text(locale, starts_at, choice.timezone),
        people=service.people_text(locale, people))
    await show(update, text, InlineKeyboardMarkup([
        [button(tr._("✅ Book"), CAP, "book", resident_id, slot_id, starts, people)],
        [button(tr._("◀ Other times"), CAP, "day", resident_id, f"{day:%Y%m%d}")],
    ]))


async def book(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str:
    """Book it: the confirmation with the calendar file comes through the outbox."""
    resident_id, slot_id, starts, people = _when(args, 4)
    tr = context.tr
    await service.book(account_of(context), resident_id, slot_id,
                       dt.datetime.fromtimestamp(starts, dt.UTC), people, now=clock.now())
    await show(update, tr._("Booked! Your confirmation with the calendar file follows."))
    return tr._("Booked.")


async def cancel(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str:
    """✖ under the confirmation: cancel (until the lead time)."""
    (booking_id,) = int_args(args, 1)
    tr = context.tr
    await service.cancel(account_of(context), booking_id, now=clock.now())
    await show(update, tr._("You have cancelled this visit. Book another with /visit."))
    return tr._("Cancelled.")


ACTIONS = {"resident": show_days, "rebook": rebook, "day": show_times, "time": ask_people,
           "people": confirm, "book": book, "cancel": cancel}
