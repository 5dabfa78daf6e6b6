"""/facility → 📷 Photo updates, ⭐ Ratings: the home's settings that are a switch or a number.

A sub-screen lists its settings; a number opens a choice of common values and "Type a number".
Buttons carry the new value (a double tap sets, never counts twice), and every press and every
typed number goes through :func:`bot.services.accounts.facilities.update_facility`, which checks the
admin role and the allowed range again. A typed number out of range changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler

from bot.domain.callbacks import BadCallbackData, Prefix
from bot.domain.enums import Role
from bot.domain.errors import InvalidInput
from bot.i18n import Translator
from bot.services.accounts import (
    RATING_LIMITS,
    RETENTION_DAYS,
    Awaited,
    await_input,
    get_facility,
    stop_awaiting,
    update_facility,
)
from handlers.admin import PICK
from handlers.kit.args import int_args
from handlers.kit.buttons import button, buttons, typed
from handlers.kit.context import HeimboteContext, actor_of
from handlers.kit.screens import show
from handlers.kit.text_input import TextAnswer, typed_text

if TYPE_CHECKING:  # types only: handlers do not touch models
    from bot.models import Facility

CAP = Prefix.FACILITY_SETTINGS
FACILITY = Prefix.FACILITY  # the settings screen these are opened from (handlers.admin.facility)
TYPED_NUMBER = "facility_number"
PHOTO = "photo"
RATINGS = "rate"
WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")


@dataclass(frozen=True)
class Number:
    """A whole-number setting: its column, the screen it is on, its range and common values."""

    key: str  # the Facility column and update_facility keyword
    screen: str
    limits: tuple[int, int]
    common: tuple[int, ...]
    hours: bool  # counted in hours, else in days
    label: Callable[[Translator, str], str]  # the button on its screen, with the current value
    question: Callable[[Translator], str]


def amount(tr: Translator, number: Number, value: int) -> str:
    """``90 days`` or ``72 hours``, in the reader's language."""
    if number.hours:
        return tr.ngettext("{count} hour", "{count} hours", value).format(count=tr.number(value))
    return tr.ngettext("{count} day", "{count} days", value).format(count=tr.number(value))


def ask_for(tr: Translator, number: Number) -> str:
    """What to type, with the allowed range."""
    lowest, highest = (tr.number(limit) for limit in number.limits)
    if number.hours:
        return tr._("Please type a number of hours from {lowest} to {highest}.").format(
            lowest=lowest, highest=highest)
    return tr._("Please type a number of days from {lowest} to {highest}.").format(
        lowest=lowest, highest=highest)


def out_of_range(tr: Translator, number: Number) -> str:
    """The answer to a typed value that is not a whole number in range."""
    lowest, highest = (tr.number(limit) for limit in number.limits)
    if number.hours:
        text = tr._("That is not possible: please type a whole number of hours from {lowest} "
                    "to {highest}. Nothing was changed.")
    else:
        text = tr._("That is not possible: please type a whole number of days from {lowest} "
                    "to {highest}. Nothing was changed.")
    return text.format(lowest=lowest, highest=highest)


NUMBERS: dict[str, Number] = {
    "keep": Number(
        "photo_retention_days", PHOTO, RETENTION_DAYS, (30, 90, 180, 365), hours=False,
        label=lambda tr, value: tr._("Keep photo updates: {value}").format(value=value),
        question=lambda tr: tr._("How long should photo updates be kept? After that they are "
                                 "deleted, with who was in them and the thank-yous."),
    ),
    "every": Number(
        "rating_interval_days", RATINGS, RATING_LIMITS["rating_interval_days"],
        (30, 90, 180, 365), hours=False,
        label=lambda tr, value: tr._("Rate once every: {value}").format(value=value),
        question=lambda tr: tr._("How often may a relative rate the home?"),
    ),
    "window": Number(
        "complaint_window_hours", RATINGS, RATING_LIMITS["complaint_window_hours"],
        (24, 48, 72, 168), hours=True,
        label=lambda tr, value: tr._("Time to answer a complaint: {value}").format(value=value),
        question=lambda tr: tr._("A rating of 2 stars or fewer reaches the admins first, as a "
                                 "complaint. How long do you have to answer before it is "
                                 "published?"),
    ),
    "first": Number(
        "rating_invite_after_days", RATINGS, RATING_LIMITS["rating_invite_after_days"],
        (7, 14, 30, 90), hours=False,
        label=lambda tr, value: tr._("First invitation to rate: {value}").format(value=value),
        question=lambda tr: tr._("How long after joining should a relative first be invited "
                                 "to rate the home?"),
    ),
}


# --- the screens -----------------------------------------------------------------------------


def photo_text(tr: Translator, facility: Facility) -> str:
    """Four eyes and retention, each with what it means."""
    days = facility.photo_retention_days
    return "\n\n".join([
        tr._("📷 Photo updates – {home}").format(home=facility.name),
        tr._("Four-eyes check: on. Nobody approves their own photo update: a second person "
             "with the approver role checks it before families see it.")
        if facility.four_eyes else
        tr._("Four-eyes check: off. Approvers may also approve their own photo updates "
             "(for very small homes)."),
        tr.ngettext("Photo updates are deleted {count} day after they were posted.",
                    "Photo updates are deleted {count} days after they were posted.",
                    days).format(count=tr.number(days)),
    ])


def photo_rows(tr: Translator, facility: Facility) -> list[list[InlineKeyboardButton]]:
    """The four-eyes switch, named by what it will do (the retention is a number below)."""
    switch = (tr._("Switch the four-eyes check off") if facility.four_eyes
              else tr._("Switch the four-eyes check on"))
    return [[button(switch, CAP, "4eyes", facility.id, 0 if facility.four_eyes else 1)]]


def ratings_text(tr: Translator, facility: Facility) -> str:
    """How often relatives rate, the time to answer a complaint, the first invitation."""
    every, window = facility.rating_interval_days, facility.complaint_window_hours
    first = facility.rating_invite_after_days
    return "\n\n".join([
        tr._("⭐ Ratings – {home}").format(home=facility.name),
        tr.ngettext("A relative may rate the home once every {count} day.",
                    "A relative may rate the home once every {count} days.",
                    every).format(count=tr.number(every)),
        tr.ngettext("A rating of 2 stars or fewer reaches the admins first, as a complaint, and "
                    "is published {count} hour later: time to answer it.",
                    "A rating of 2 stars or fewer reaches the admins first, as a complaint, and "
                    "is published {count} hours later: time to answer it.",
                    window).format(count=tr.number(window)),
        tr.ngettext("The bot first invites a relative to rate {count} day after they joined.",
                    "The bot first invites a relative to rate {count} days after they joined.",
                    first).format(count=tr.number(first)),
    ])


SCREENS: dict[
    str,
    tuple[Callable[[Translator, Facility], str],
          Callable[[Translator, Facility], list[list[InlineKeyboardButton]]]],
] = {PHOTO: (photo_text, photo_rows), RATINGS: (ratings_text, lambda tr, facility: [])}


async def show_screen(update: Update, context: HeimboteContext, screen: str, fid: int) -> None:
    """A screen with its switches, one button per number and the way back to /facility."""
    facility = await get_facility(actor_of(context), fid, Role.ADMIN)
    tr = context.tr
    text, rows = SCREENS[screen]
    numbers = [
        [button(number.label(tr, amount(tr, number, getattr(facility, number.key))),
                CAP, "pick", facility.id, code)]
        for code, number in NUMBERS.items() if number.screen == screen
    ]
    back = [button(tr._("◀ Back"), PICK, "pick", FACILITY, facility.id)]
    await show(update, text(tr, facility),
               InlineKeyboardMarkup([*rows(tr, facility), *numbers, back]))


def number_of(code: str) -> Number:
    """The number setting named in callback data or a payload, else :class:`BadCallbackData`."""
    if code not in NUMBERS:
        raise BadCallbackData(code)
    return NUMBERS[code]


# --- presses ---------------------------------------------------------------------------------


async def open_screen(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """``show:<screen>:<facility>``: a sub-screen; an earlier "Type a number" is off."""
    if len(args) != 2 or args[0] not in SCREENS:
        raise BadCallbackData(args)
    (facility_id,) = int_args(args[1:], 1)
    await show_screen(update, context, args[0], facility_id)  # checks the role first
    if context.account is not None:
        await stop_awaiting(context.account)


async def set_four_eyes(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str:
    """``4eyes:<facility>:<0|1>``: switch the four-eyes check as the button says."""
    facility_id, value = int_args(args, 2)
    if value not in (0, 1):
        raise BadCallbackData(args)
    await update_facility(actor_of(context), facility_id, four_eyes=bool(value))
    await show_screen(update, context, PHOTO, facility_id)
    return context.tr._("Saved.")


async def pick_number(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """``pick:<facility>:<setting>``: the common values, "Type a number", and back."""
    if len(args) != 2:
        raise BadCallbackData(args)
    (facility_id,) = int_args(args[:1], 1)
    code, number = args[1], number_of(args[1])
    facility = await get_facility(actor_of(context), facility_id, Role.ADMIN)
    if context.account is not None:
        await stop_awaiting(context.account)
    tr, current = context.tr, getattr(facility, number.key)
    choices = [
        button(("✓ " if value == current else "") + amount(tr, number, value),
               CAP, "set", facility.id, code, value)
        for value in number.common
    ]
    rows = [choices[:2], choices[2:],
            [button(tr._("✏️ Type a number"), CAP, "ask", facility.id, code)],
            [button(tr._("◀ Back"), CAP, "show", number.screen, facility.id)]]
    text = "\n\n".join([number.question(tr), tr._("Now: {value}.").format(
        value=amount(tr, number, current))])
    await show(update, text, InlineKeyboardMarkup([row for row in rows if row]))


async def set_number(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str:
    """``set:<facility>:<setting>:<value>``: the value the button names (the service checks it)."""
    if len(args) != 3:
        raise BadCallbackData(args)
    facility_id, value = int_args((args[0], args[2]), 2)
    number = number_of(args[1])
    await update_facility(actor_of(context), facility_id, **{number.key: value})
    await show_screen(update, context, number.screen, facility_id)
    return context.tr._("Saved.")


async def ask_number(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> None:
    """``ask:<facility>:<setting>``: wait for the admin to type the number."""
    if len(args) != 2 or context.account is None:
        raise BadCallbackData(args)
    (facility_id,) = int_args(args[:1], 1)
    number = number_of(args[1])
    facility = await get_facility(actor_of(context), facility_id, Role.ADMIN)
    await await_input(context.account, TYPED_NUMBER, facility_id=facility.id, setting=args[1])
    await show(update, "\n\n".join([number.question(context.tr), ask_for(context.tr, number)]))


@typed
async def number_typed(update: Update, context: HeimboteContext, awaited: Awaited) -> None:
    """The typed number: saved and the screen shown, or a clear refusal (it may be typed again)."""
    entered = typed_text(update, context)
    if entered is None:
        return
    number = NUMBERS.get(str(awaited.payload.get("setting")))
    if number is None:  # a question from an older version of the bot
        await stop_awaiting(entered.account)
        return
    facility_id = int(awaited.payload["facility_id"])
    text = entered.text.strip()
    try:
        if not WHOLE_NUMBER.fullmatch(text):
            raise InvalidInput(number.key, "must be a whole number")
        await update_facility(actor_of(context), facility_id, **{number.key: int(text)})
    except InvalidInput as error:
        if error.field != number.key:
            raise
        await entered.message.reply_text(out_of_range(context.tr, number))
        return
    await stop_awaiting(entered.account)
    await show_screen(update, context, number.screen, facility_id)


def handlers() -> list[BaseHandler[Update, HeimboteContext, None]]:
    """The sub-screens' buttons (they are opened from /facility)."""
    return [buttons(CAP, {"show": open_screen, "4eyes": set_four_eyes, "pick": pick_number,
                          "set": set_number, "ask": ask_number})]


# What this module answers when the bot waits for typed text (kit.text_input).
TEXT_ANSWERS: dict[str, TextAnswer] = {
    TYPED_NUMBER: number_typed,
}
