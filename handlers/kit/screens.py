"""Screens: a handler's answer replaces the pressed message, or is a new message.

- :func:`show` — the one "edit the pressed message or send a new one": a button press replaces
  the pressed message's text (or, under a photo, its caption); a command or typed text gets a
  reply. Pressing the same button twice is not an error.
- :func:`send_outgoing` — a direct reply sent as the outbox would send it (one translation of
  an :class:`~bot.delivery.outbox.Outgoing` into Bot API calls).
- :func:`take_buttons` — a press that must count once takes its message's buttons away first;
- :func:`ask` — :func:`show` a question that waits for typed text, remembering its message;
  :func:`drop_buttons` takes that message's buttons (Skip, Cancel, Back…) away once the typed
  answer has done the step, so no dead button is left behind.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot.delivery.telegram_calls import send_outgoing as send_outgoing  # direct replies
from bot.domain.callbacks import BadCallbackData
from bot.domain.errors import DomainError
from bot.i18n import Translator
from bot.services.accounts import Awaited, remember_prompt
from handlers.kit.buttons import ButtonAction
from handlers.kit.context import HeimboteContext

log = logging.getLogger(__name__)


async def show(
    update: Update, text: str, markup: InlineKeyboardMarkup | None = None
) -> Message | None:
    """Replace the pressed message's text (its caption, under a photo), or reply to a command
    or typed text.

    A press on a message the bot can no longer edit (deleted on another device: Telegram then
    sends an inaccessible message) gets the screen as a new message in the same chat.
    """
    query = update.callback_query
    # PTB reads an inaccessible message (date 0) as a Message that is not accessible.
    if query is not None and isinstance(query.message, Message) and query.message.is_accessible:
        try:
            if query.message.text:
                edited = await query.edit_message_text(text, reply_markup=markup)
            else:
                edited = await query.edit_message_caption(text, reply_markup=markup)
            return edited if isinstance(edited, Message) else None
        except BadRequest as error:
            reason = str(error).lower()
            if "not modified" in reason:  # the same screen pressed twice: nothing to change
                return query.message
            if "not found" not in reason and "can't be edited" not in reason:
                raise
    if query is not None and query.message is not None:
        return await query.get_bot().send_message(
            query.message.chat.id, text, reply_markup=markup
        )
    if update.effective_message is not None:
        return await update.effective_message.reply_text(text, reply_markup=markup)
    return None


async def ask(
    update: Update, context: HeimboteContext, text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> Message | None:
    """:func:`show` a question whose answer the bot awaits (``await_input`` came first), and
    remember its message, so that :func:`drop_buttons` can take its buttons away."""
    shown = await show(update, text, markup)
    if markup is not None and markup.inline_keyboard:  # only buttons can be left behind
        await remember(context, shown)
    return shown


async def remember(context: HeimboteContext, question: Message | None) -> None:
    """Remember ``question`` as the message that asks for the awaited text."""
    if question is not None and context.account is not None:
        await remember_prompt(context.account, question.chat_id, question.message_id)


async def drop_buttons(update: Update | Message, awaited: Awaited) -> None:
    """The typed answer did the step: the question's buttons (Skip, Cancel, Back…) go.

    Tolerant of a question whose buttons are gone already ("message is not modified") and of
    one deleted meanwhile or too old to edit.
    """
    if awaited.prompt is None:
        return
    chat_id, message_id = awaited.prompt
    try:
        await update.get_bot().edit_message_reply_markup(chat_id, message_id, reply_markup=None)
    except BadRequest as error:
        reason = str(error).lower()
        if not any(known in reason for known in ("not modified", "not found", "can't be edited")):
            raise
        log.info("the question's buttons were gone already: %s", reason)


async def take_buttons(update: Update) -> None:
    """Take the pressed message's buttons away before doing what must happen once (an invite
    made from a picker, say): the used buttons are gone, and the second press of a double tap —
    which finds them gone already — is refused as a stale press. Updates of one chat are handled
    in order, so the first press always takes them."""
    query = update.callback_query
    if query is None or not isinstance(query.message, Message) or not query.message.is_accessible:
        return  # deleted on another device: nothing left to press twice
    try:
        await query.edit_message_reply_markup(None)
    except BadRequest as error:
        reason = str(error).lower()
        if "not modified" in reason:
            raise BadCallbackData("the buttons were used already") from error
        if "not found" not in reason and "can't be edited" not in reason:
            raise


def pressed_message(update: Update) -> Message:
    """The message under the pressed button; one too old to touch is a stale press."""
    query = update.callback_query
    if query is None or not isinstance(query.message, Message):
        raise BadCallbackData("no message under the button")
    return query.message


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
