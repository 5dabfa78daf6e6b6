"""What the bot says when nothing else took an update, and when a handler failed."""

from __future__ import annotations

import logging

from telegram import Chat, Update
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot.i18n import N_, translator
from bot.services.accounts import locale_of
from handlers.kit.context import HeimboteContext

STALE = N_("This button is no longer valid.")  # a press the bot cannot act on any more

log = logging.getLogger(__name__)


async def unknown_command(update: Update, context: HeimboteContext) -> None:
    """A command the bot does not know."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(
            context.tr._("I don't know that command. /help shows what I can do.")
        )


async def unexpected_message(update: Update, context: HeimboteContext) -> None:
    """Text, stickers, voice… where no conversation expects them."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(
            context.tr._("I work with buttons and commands. /help shows what I can do.")
        )


async def stale_button(update: Update, context: HeimboteContext) -> None:
    """A button nobody handles any more (an old message, or forged data)."""
    if update.callback_query is not None:
        await update.callback_query.answer(context.tr._(STALE), show_alert=True)


async def apologise(update: object, context: HeimboteContext) -> None:
    """Log the failure (the update id, never the text) and apologise in the user's language."""
    context.bot_data.metrics.handler_errors.inc()
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("handling update %s failed", update_id, exc_info=context.error)
    if not isinstance(update, Update):
        return
    await _stop_spinner(update, update_id)
    if update.effective_chat is None:
        return
    if update.effective_chat.type != Chat.PRIVATE:
        return
    user = update.effective_user
    tr = translator(
        locale_of(context.account, user.language_code if user else None,
                  context.settings.default_locale)
    )
    try:
        await context.bot.send_message(
            update.effective_chat.id,
            tr._("Sorry, something went wrong on my side. Please try again in a moment."),
        )
    except TelegramError:
        log.warning("could not apologise for update %s", update_id)


async def _stop_spinner(update: Update, update_id: int | None) -> None:
    """A failed press is still answered, so the button does not spin until Telegram gives up
    (the apology that follows says what happened). A press already answered before the failure
    is refused by Telegram: nothing more to do."""
    if update.callback_query is None:
        return
    try:
        await update.callback_query.answer()
    except TelegramError:
        log.info("the failed press of update %s was answered already", update_id)


def handlers() -> list[BaseHandler[Update, HeimboteContext, None]]:
    """The catch-alls: these must come after every capability's handlers."""
    return [
        MessageHandler(filters.COMMAND, unknown_command),
        MessageHandler(filters.ALL, unexpected_message),
        CallbackQueryHandler(stale_button),
    ]
