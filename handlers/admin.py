"""Facility admins manage their home in Telegram: residents, invites, staff and settings.

This module holds what the four screens share — who is acting, domain errors turned into one
short localized message, choosing the facility, dispatching button presses — and assembles the
handlers of ``admin_residents``, ``admin_invites``, ``admin_staff`` and ``admin_facility``.
Every press goes through a service, which checks the role from the database again: callback
data only names ids, and is never trusted.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from enum import StrEnum
from typing import TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.i18n import N_, Translator
from bot.models import AwaitedInput, Role
from bot.services.actors import Actor
from bot.services.awaited_input import stop_awaiting
from bot.services.errors import DomainError, InvalidInput, NotAllowed, NotFound
from bot.services.facilities import facilities_for
from handlers.callback_data import BadCallbackData, callback, parse, pattern
from handlers.context import HeimboteContext
from handlers.text_input import TextAnswer

log = logging.getLogger(__name__)

PICK = "adm"
E = TypeVar("E", bound=StrEnum)

# What to tell the admin when a service refuses a field (InvalidInput.field).
_INPUT_HINTS: dict[str, str] = {
    "name": N_("Please type a name: not empty, and not too long."),
    "room": N_("Please type a room of up to 32 characters."),
    "unit": N_("Please type a unit of up to 100 characters."),
    "contact": N_("Please type a shorter contact text (up to 1000 characters)."),
    "locale": N_("This language is not available."),
    "max_relatives_per_resident": N_("Please choose between 1 and 50 relatives."),
    "role": N_("A home always needs at least one admin: this would leave none."),
    "resident": N_("This resident no longer lives here."),
    "consent": N_("There is no photo consent to withdraw."),
}


def role_name(tr: Translator, role: Role) -> str:
    """A role as the care home says it."""
    return {
        Role.STAFF: tr._("Care staff"),
        Role.APPROVER: tr._("Approver"),
        Role.ADMIN: tr._("Admin"),
    }[role]


def actor_of(context: HeimboteContext) -> Actor:
    """The account acting in this update (platform admins are ``HEIMBOTE_ADMIN_IDS``)."""
    if context.account is None:
        raise NotAllowed("no account")
    return Actor.of(context.account, context.settings.platform_admin_ids)


def error_message(tr: Translator, error: DomainError) -> str:
    """The one short, localized message for a refused action (nothing was changed)."""
    if isinstance(error, NotAllowed):
        return tr._("Sorry, you may not do this here. Nothing was changed.")
    if isinstance(error, NotFound):
        return tr._("I cannot find this any more. Nothing was changed.")
    if isinstance(error, InvalidInput) and error.field in _INPUT_HINTS:
        return tr._(_INPUT_HINTS[error.field])
    return tr._("That did not work. Please check it and try again.")


def int_args(args: tuple[str, ...], count: int) -> list[int]:
    """Exactly ``count`` ids from callback data, else :class:`BadCallbackData`."""
    if len(args) != count:
        raise BadCallbackData(args)
    try:
        return [int(arg) for arg in args]
    except ValueError as error:
        raise BadCallbackData(args) from error


def enum_arg(kind: type[E], raw: str) -> E:
    """One enum value from callback data, else :class:`BadCallbackData`."""
    try:
        return kind(raw)
    except ValueError as error:
        raise BadCallbackData(raw) from error


async def show(
    update: Update, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Replace the pressed message's text, or reply when this is a command or typed text."""
    query = update.callback_query
    if query is not None and isinstance(query.message, Message) and query.message.text:
        try:
            await query.edit_message_text(text, reply_markup=markup)
        except BadRequest as error:  # the same screen pressed twice: nothing to change
            if "not modified" not in str(error).lower():
                raise
        return
    if update.effective_message is not None:
        await update.effective_message.reply_text(text, reply_markup=markup)


def button(label: str, capability: str, action: str, *args: str | int) -> InlineKeyboardButton:
    """An inline button whose callback data names only ids and codes."""
    return InlineKeyboardButton(label, callback_data=callback(capability, action, *args))


# --- button presses ------------------------------------------------------------------------

ButtonAction = Callable[[Update, HeimboteContext, tuple[str, ...]], Awaitable[str | None]]
"""Does what a press asks; returns a short notice for the answer, or None."""


def buttons(
    capability: str,
    actions: Mapping[str, ButtonAction],
    explain: Callable[[Translator, DomainError], str] = error_message,
) -> BaseHandler[Update, HeimboteContext, None]:
    """One handler for a capability's buttons: parse, dispatch, and turn refusals into alerts.

    ``explain`` words a refusal; a capability with its own wording passes its own.
    """

    async def press(update: Update, context: HeimboteContext) -> None:
        query = update.callback_query
        if query is None:
            return
        try:
            data = parse(query.data)
            action = actions.get(data.action)
            if action is None:
                raise BadCallbackData(query.data)
            notice = await action(update, context, data.args)
        except BadCallbackData:
            await query.answer(context.tr._("This button is no longer valid."), show_alert=True)
            return
        except DomainError as error:
            log.info("refused %s press: %s", capability, type(error).__name__)
            await query.answer(explain(context.tr, error), show_alert=True)
            return
        await query.answer(notice)

    return CallbackQueryHandler(press, pattern=pattern(capability))


def typed(answer: TextAnswer) -> TextAnswer:
    """Wrap an awaited-text answer so that a refusal becomes a short reply."""

    async def guarded(update: Update, context: HeimboteContext, awaited: AwaitedInput) -> None:
        try:
            await answer(update, context, awaited)
        except DomainError as error:
            log.info("refused typed answer %s: %s", awaited.kind, type(error).__name__)
            if update.effective_message is not None:
                await update.effective_message.reply_text(error_message(context.tr, error))

    guarded.__doc__ = answer.__doc__
    return guarded


# --- choosing the facility first -------------------------------------------------------------

Opener = Callable[[Update, HeimboteContext, int], Awaitable[None]]
_openers: dict[str, Opener] = {}


def opens(screen: str) -> Callable[[Opener], Opener]:
    """Decorator: ``@opens("res")`` shows that screen for one facility id."""

    def register(opener: Opener) -> Opener:
        _openers[screen] = opener
        return opener

    return register


async def open_screen(update: Update, context: HeimboteContext, screen: str) -> None:
    """Open ``screen`` for the admin's facility, or first ask which one when there are several."""
    message = update.effective_message
    if message is None or context.account is None:
        return
    tr = context.tr
    await stop_awaiting(context.account)  # a new screen: earlier questions are off
    try:
        facilities = await facilities_for(actor_of(context), Role.ADMIN)
        if len(facilities) == 1:
            await _openers[screen](update, context, facilities[0].id)
            return
    except DomainError as error:
        await message.reply_text(error_message(tr, error))
        return
    if not facilities:
        await message.reply_text(
            tr._("This is for the management of a care home. /help shows what I can do for you.")
        )
        return
    rows = [[button(f.name, PICK, "pick", screen, f.id)] for f in facilities]
    await message.reply_text(tr._("Which care home?"), reply_markup=InlineKeyboardMarkup(rows))


def command(name: str, screen: str) -> BaseHandler[Update, HeimboteContext, None]:
    """``/name`` opens ``screen`` (after choosing the facility)."""

    async def run(update: Update, context: HeimboteContext) -> None:
        await open_screen(update, context, screen)

    return CommandHandler(name, run)


async def pick_facility(
    update: Update, context: HeimboteContext, args: tuple[str, ...]
) -> str | None:
    """A facility was chosen: open the screen for it (its service checks the role again)."""
    if len(args) != 2 or args[0] not in _openers:
        raise BadCallbackData(args)
    (facility_id,) = int_args(args[1:], 1)
    await _openers[args[0]](update, context, facility_id)
    return None


def handlers() -> list[BaseHandler[Update, HeimboteContext, None]]:
    """/residents, /invite, /staff, /facility and their buttons."""
    # Imported here: each screen module imports the shared helpers above.
    from handlers import admin_facility, admin_invites, admin_residents, admin_staff

    return [
        buttons(PICK, {"pick": pick_facility}),
        *admin_residents.handlers(),
        *admin_invites.handlers(),
        *admin_staff.handlers(),
        *admin_facility.handlers(),
    ]
