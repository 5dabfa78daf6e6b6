"""How every step of /broadcast answers: its buttons, its screens, and the wording of refusals."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot.domain.callbacks import BadCallbackData, Prefix, callback
from bot.domain.errors import DomainError, InvalidInput, NotAllowed, NotFound
from bot.i18n import Translator
from bot.services import announcements as service
from bot.services.accounts import Actor
from handlers.kit.context import HeimboteContext

CAP = Prefix.BROADCAST


def _button(label: str, action: str, *args: str | int) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=callback(CAP, action, *args))


def _actor(context: HeimboteContext) -> Actor:
    if context.account is None:
        raise NotAllowed("no account")
    return Actor.of(context.account, context.settings.platform_admin_ids)


def refusal(tr: Translator, error: DomainError, length: int = 0) -> str:
    """One short, localized answer for a refused step (nothing was sent)."""
    if isinstance(error, NotAllowed):
        return tr._("Only the admins of a care home can send announcements.")
    if isinstance(error, NotFound):
        return tr._("I cannot find this announcement any more.")
    if isinstance(error, InvalidInput):
        if error.field == "text" and error.reason == "empty":
            return tr._("The announcement is empty. Please send a text.")
        if error.field in ("text", "caption"):
            limit = service.CAPTION_LIMIT if error.field == "caption" else service.TEXT_LIMIT
            return tr._(
                "This is too long: Telegram allows at most {limit} characters here, yours has "
                "{length}. Please shorten it, or split it into two announcements."
            ).format(limit=tr.number(limit), length=tr.number(length))
        if error.field == "time" and error.reason == "in the past":
            return tr._("This time has already passed. Please choose a later one.")
        if error.field == "time":
            return tr._("Please type the time, like this: 18:30 or 2026-12-24 10:00")
        if error.field == "unit" and error.reason == "none":
            return tr._("Your home has no units yet.")
        if error.field == "unit":
            return tr._("I cannot find this unit in your home.")
        if error.field == "state":
            return tr._("This announcement has already been sent.")
    return tr._("That did not work. Please check it and try again.")


async def _reply(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text(text, reply_markup=markup)


async def _edit(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Replace the pressed message (or reply, after typed input)."""
    query = update.callback_query
    if query is not None and isinstance(query.message, Message) and query.message.text:
        try:
            await query.edit_message_text(text, reply_markup=markup)
        except BadRequest as error:  # pressed twice: nothing to change
            if "not modified" not in str(error).lower():
                raise
        return
    await _reply(update, text, markup)


def _ids(args: tuple[str, ...], count: int) -> list[int]:
    if len(args) < count:
        raise BadCallbackData(args)
    try:
        return [int(arg) for arg in args[:count]]
    except ValueError as error:
        raise BadCallbackData(args) from error
