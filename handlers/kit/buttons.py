"""Buttons and their presses: one dispatcher per capability, refusals as short localized alerts.

Callback data only names ids and codes and is never trusted: every action goes through a
service, which checks the pressing account's rights from the database again.

- :func:`button` — an inline button whose callback data names a capability, an action and ids;
- :func:`buttons` — the one handler for a capability's buttons: ``{action: ButtonAction}``. An
  action parses its arguments with :mod:`handlers.kit.args`, does the work (usually ending in
  :func:`handlers.kit.screens.show`) and returns the notice for the answer, or ``None``. Data
  the bot did not write gets :func:`answer_stale`; a :class:`DomainError` gets the alert that
  ``explain`` words — the capability's refusal table, :func:`error_message` by default, or
  :func:`stale_refusal` where every refusal simply means the button is out of date;
- :func:`typed` — the same for an awaited typed answer: a refusal becomes a short reply;
- :func:`error_message` — the house wording of a refusal (nothing was changed).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping

from telegram import CallbackQuery, InlineKeyboardButton, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.domain.callbacks import BadCallbackData, Prefix, callback, parse, pattern
from bot.domain.errors import DomainError, InvalidInput, NotAllowed, NotFound
from bot.i18n import N_, Translator
from bot.services.accounts import Awaited, stop_awaiting
from handlers.kit.context import HeimboteContext
from handlers.kit.fallback import STALE as STALE  # the one wording of a stale press
from handlers.kit.text_input import TextAnswer

log = logging.getLogger(__name__)


# What to tell the admin when a service refuses a field (InvalidInput.field).
_INPUT_HINTS: dict[str, str] = {
    "name": N_(
        "Please type a name: not empty, not too long, and without invisible characters or"
        " characters that turn the writing direction around."
    ),
    "room": N_("Please type a room of up to 32 characters."),
    "unit": N_(
        "Please type a unit of up to 100 characters, without invisible characters or"
        " characters that turn the writing direction around."
    ),
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


def stale_refusal(tr: Translator, error: DomainError) -> str:
    """A refusal worded as an out-of-date button, for capabilities whose buttons only ever
    fail because they are old or not the presser's (settings, languages, joining)."""
    return tr._(STALE)


Explain = Callable[[Translator, DomainError], str]
"""Words a refusal for the user: a capability's refusal table."""


def button(label: str, capability: Prefix, action: str, *args: str | int) -> InlineKeyboardButton:
    """An inline button whose callback data names only ids and codes."""
    return InlineKeyboardButton(label, callback_data=callback(capability, action, *args))


async def answer_stale(query: CallbackQuery, tr: Translator) -> None:
    """Answer a press of a button this bot no longer knows (or never wrote)."""
    await query.answer(tr._(STALE), show_alert=True)


# --- button presses ------------------------------------------------------------------------

ButtonAction = Callable[[Update, HeimboteContext, tuple[str, ...]], Awaitable[str | None]]
"""Does what a press asks; returns a short notice for the answer, or None."""


def buttons(
    capability: Prefix,
    actions: Mapping[str, ButtonAction],
    explain: Explain = error_message,
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


def typed(
    answer: TextAnswer,
    *,
    explain: Explain = error_message,
    keep_asking: Callable[[DomainError], bool] | None = None,
) -> TextAnswer:
    """Wrap an awaited-text answer so that a refusal becomes a short reply (``explain``).

    The question stays open, so the user may type again; a capability that passes
    ``keep_asking`` closes it for the refusals where typing again would not help. Use it as
    ``@typed``, or bind the capability's wording once:
    ``functools.partial(typed, explain=refusal, keep_asking=...)``.
    """

    async def guarded(update: Update, context: HeimboteContext, awaited: Awaited) -> None:
        try:
            await answer(update, context, awaited)
        except DomainError as error:
            log.info("refused typed answer %s: %s", awaited.kind, type(error).__name__)
            if keep_asking is not None and not keep_asking(error) and context.account is not None:
                await stop_awaiting(context.account)
            if update.effective_message is not None:
                await update.effective_message.reply_text(explain(context.tr, error))

    guarded.__doc__ = answer.__doc__
    return guarded
