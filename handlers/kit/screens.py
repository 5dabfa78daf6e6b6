"""Screens: a handler's answer replaces the pressed message, or is a new message."""

from __future__ import annotations

import logging
from collections.abc import Callable

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot.delivery.telegram_calls import send_outgoing as send_outgoing  # direct replies
from bot.domain.errors import DomainError
from bot.i18n import Translator
from handlers.kit.buttons import ButtonAction
from handlers.kit.context import HeimboteContext

log = logging.getLogger(__name__)


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


def refusal_shown(
    action: ButtonAction, explain: Callable[[Translator, DomainError], str]
) -> ButtonAction:
    """``action``, but a refusal replaces the pressed screen (worded by ``explain``) instead of
    an alert: for step-by-step flows where the refusal is the next thing to read."""

    async def shown(update: Update, context: HeimboteContext, args: tuple[str, ...]) -> str | None:
        try:
            return await action(update, context, args)
        except DomainError as error:
            log.info("refused step: %s", type(error).__name__)
            await show(update, explain(context.tr, error))
            return None

    shown.__doc__ = action.__doc__
    return shown
