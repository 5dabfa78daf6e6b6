"""Buttons and their presses: one dispatcher per capability, refusals as short localized alerts.

Callback data only names ids and codes and is never trusted: every action goes through a
service, which checks the pressing account's rights from the database again.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping

from telegram import CallbackQuery, InlineKeyboardButton, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.domain.callbacks import BadCallbackData, callback, parse, pattern
from bot.domain.errors import DomainError, InvalidInput, NotAllowed, NotFound
from bot.i18n import N_, Translator
from bot.models import AwaitedInput
from handlers.kit.context import HeimboteContext
from handlers.kit.text_input import TextAnswer

log = logging.getLogger(__name__)

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


def error_message(tr: Translator, error: DomainError) -> str:
    """The one short, localized message for a refused action (nothing was changed)."""
    if isinstance(error, NotAllowed):
        return tr._("Sorry, you may not do this here. Nothing was changed.")
    if isinstance(error, NotFound):
        return tr._("I cannot find this any more. Nothing was changed.")
    if isinstance(error, InvalidInput) and error.field in _INPUT_HINTS:
        return tr._(_INPUT_HINTS[error.field])
    return tr._("That did not work. Please check it and try again.")


def button(label: str, capability: str, action: str, *args: str | int) -> InlineKeyboardButton:
    """An inline button whose callback data names only ids and codes."""
    return InlineKeyboardButton(label, callback_data=callback(capability, action, *args))


async def answer_stale(query: CallbackQuery, tr: Translator) -> None:
    """Answer a press of a button this bot no longer knows (or never wrote)."""
    await query.answer(tr._("This button is no longer valid."), show_alert=True)


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
            await answer_stale(query, context.tr)
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
